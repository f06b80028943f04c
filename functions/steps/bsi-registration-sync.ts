/**
 * Keeps the registration with the BSI (§ 33 BSIG) in step with what changes it — the one code
 * path for the obligation-assessment workflow (a new decision) and the API (the ISO edits the
 * details): plans with the domain's `planRegistration`, stores the registration, starts the
 * round's `bsi-registration` execution (named after the round, so a repeat starts nothing
 * twice) and tells a waiting task that its data changed (`Registration.Changed`: the workflow
 * opens it again with the new data) or that nothing is to register any more
 * (`Registration.Closed`).
 */
import { z } from 'zod'
import { DECISION_RECORD, type DecisionRecord } from '../domain/assessments/index.js'
import { ConflictError } from '../domain/errors.js'
import { orgIdSchema } from '../domain/org-id.js'
import {
  planRegistration,
  REGISTRATION_ID,
  REGISTRATION_RECORD,
  REGISTRATION_WORKFLOW,
  type RegistrationData,
  type RegistrationDetails,
  type RegistrationFacts,
  registrationFacts,
} from '../domain/registration/index.js'
import { isOpen } from '../domain/tasks.js'
import { obligationCatalogue } from '../forms/catalogues.js'
import type { Actor, Records, StoredRecord } from '../store/records.js'
import type { TaskStore } from '../store/tasks.js'
import { isAlreadyStarted, isClosedToken, type WorkflowClient } from '../workflow-client.js'
import { defineStep } from './step.js'

/** The actor written to the audit log for changes the registration sync makes. */
export const REGISTRATION_ACTOR = { userId: 'system:workflow', name: 'BSI registration workflow' }

/** What the sync needs: the API's and the steps' dependencies both have these. */
export interface SyncDeps {
  records: Records
  taskStore: Pick<TaskStore, 'forExecution' | 'token' | 'transition'>
  workflows: Pick<WorkflowClient, 'start' | 'fail' | 'machineArn'>
  now: () => Date
}

/** The execution ARN of a round. */
export const registrationExecutionArn = (workflows: Pick<WorkflowClient, 'machineArn'>, name: string) =>
  `${workflows.machineArn(REGISTRATION_WORKFLOW).replace(':stateMachine:', ':execution:')}:${name}`

/** Starts the round's execution unless it exists (running or ended). */
async function ensureStarted(deps: SyncDeps, orgId: string, data: RegistrationData) {
  try {
    await deps.workflows.start(REGISTRATION_WORKFLOW, { orgId, round: data.round }, data.executionName)
  } catch (err) {
    if (!isAlreadyStarted(err)) throw err
  }
}

/** Ends the waiting task of a round with `error`; its inbox task is cancelled with the reason. */
async function endWaitingTask(
  deps: SyncDeps,
  orgId: string,
  executionName: string,
  error: 'Registration.Changed' | 'Registration.Closed',
  actor: Actor,
) {
  const arn = registrationExecutionArn(deps.workflows, executionName)
  const waiting = (await deps.taskStore.forExecution(orgId, arn)).filter((r) => isOpen(r.data))
  for (const rec of waiting) {
    try {
      await deps.workflows.fail(
        await deps.taskStore.token(orgId, rec.id),
        error,
        `${error}: ${rec.data.title.en}`,
      )
    } catch (err) {
      if (!isClosedToken(err)) throw err
    }
    await deps.taskStore
      .transition(rec, { status: 'cancelled', closedReason: error }, actor, 'task.cancelled')
      .catch((err) => {
        if (!(err instanceof ConflictError)) throw err
      })
  }
}

/**
 * Applies a change to the organisation's registration: `facts` from a new decision (`null`:
 * the decision does not cover the organisation), or `details` the ISO edited. Answers what
 * was done and the registration as stored. Repeats do no harm.
 */
export async function syncRegistration(
  deps: SyncDeps,
  orgId: string,
  change: { facts?: RegistrationFacts | null; details?: RegistrationDetails },
  actor: Actor = REGISTRATION_ACTOR,
): Promise<{ action: string; registration?: StoredRecord<RegistrationData> }> {
  const org = deps.records.forOrg(orgId)
  const current = await org.get<RegistrationData>(REGISTRATION_RECORD, REGISTRATION_ID)
  const plan = planRegistration(current?.data, change, orgId, deps.now())
  let stored = current
  if (plan.action !== 'none') {
    const action = `bsi-registration.${plan.action}`
    stored = current
      ? await org.update<RegistrationData>(REGISTRATION_RECORD, REGISTRATION_ID, plan.next, {
          actor,
          action,
          expectedVersion: current.version,
        })
      : await org.create<RegistrationData>(REGISTRATION_RECORD, REGISTRATION_ID, plan.next, { actor, action })
    if (current && (plan.action === 'refresh' || plan.action === 'close'))
      await endWaitingTask(
        deps,
        orgId,
        current.data.executionName,
        plan.action === 'close' ? 'Registration.Closed' : 'Registration.Changed',
        actor,
      )
  }
  // The round's execution runs while something is due (also when an earlier try stopped short).
  if (stored && (stored.data.status === 'open' || stored.data.status === 'update-due'))
    await ensureStarted(deps, orgId, stored.data)
  return { action: plan.action, registration: stored }
}

/** The registration facts of a recorded decision (null when it does not cover the organisation). */
export function factsOfDecision(rec: StoredRecord<DecisionRecord>): RegistrationFacts | null {
  return (
    registrationFacts(
      rec.data.decision,
      { decisionId: rec.id, decidedAt: rec.data.decidedAt },
      obligationCatalogue(),
    ) ?? null
  )
}

/** Input from the obligation-assessment workflow, after a decision is recorded or adopted. */
export const syncInput = z.strictObject({
  orgId: orgIdSchema,
  decisionId: z.string().min(1).max(120),
})

/** Step handler (Lambda `ismsflow-bsi-registration-sync`). */
export const handler = defineStep({
  name: 'bsi-registration-sync',
  input: syncInput,
  async run(input, deps) {
    const rec = await deps.records.forOrg(input.orgId).get<DecisionRecord>(DECISION_RECORD, input.decisionId)
    if (!rec) return { action: 'none' }
    // A decision superseded meanwhile does not speak for the organisation any more.
    if (rec.data.supersededBy) return { action: 'none' }
    const out = await syncRegistration(deps, input.orgId, { facts: factsOfDecision(rec) })
    return { action: out.action, status: out.registration?.data.status ?? null }
  },
})
