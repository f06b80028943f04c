import { conflict } from '../../../domain/errors.js'
import type { Actor } from '../../../store/records.js'
import { isAlreadyStarted, isMissingExecution } from '../../../workflow-client.js'
import type { Deps } from '../../env.js'

/** The state machine that runs a risk treatment (`workflows/risk-treatment.asl.json`). */
export const RISK_WORKFLOW = 'risk-treatment'

/** Task kinds of the risk treatment workflow. */
export const DECISION_KINDS = ['risk-approval', 'risk-reapproval'] as const

/**
 * The execution name of a submission: organisation, risk and the record version the ISO
 * submitted. A repeated submit of the same version finds the same execution (idempotent).
 */
export const executionName = (orgId: string, riskId: string, version: number) =>
  `${orgId}-${riskId}-v${version}`.slice(0, 80)

/** What a risk-treatment execution starts with. */
export interface TreatmentInput {
  orgId: string
  riskId: string
  requestedBy: string
  reason: 'submission'
  people: Record<string, string>
}

/**
 * Starts a risk treatment. An execution of that name with other input exists already → 409
 * (someone submitted this version of the risk at the same moment).
 */
export async function startTreatment(deps: Deps, input: TreatmentInput, version: number) {
  const name = executionName(input.orgId, input.riskId, version)
  try {
    const out = await deps.workflows.start(RISK_WORKFLOW, input, name)
    return { executionArn: out.executionArn, name }
  } catch (err) {
    if (isAlreadyStarted(err))
      throw conflict('This version of the risk was already submitted; reload the page.', undefined, err)
    throw err
  }
}

/** Stops a superseded execution and closes its open tasks (an execution already closed is fine). */
export async function stopTreatment(
  deps: Deps,
  orgId: string,
  executionArn: string,
  actor: Actor,
  reason: string,
) {
  try {
    const d = await deps.workflows.describe(executionArn)
    if (d.status === 'RUNNING') await deps.workflows.stop(executionArn, reason)
  } catch (err) {
    if (!isMissingExecution(err)) throw err
  }
  await deps.taskStore.closeForExecution(orgId, executionArn, 'cancelled', reason, actor)
}
