import { type Context, Hono } from 'hono'
import { conflict } from '../../../domain/errors.js'
import type { Actor } from '../../../store/records.js'
import type { AppEnv, Deps } from '../../env.js'
import { onError } from '../../errors.js'
import { tasks } from '../tasks.js'

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
    if ((err as { name?: string }).name === 'ExecutionAlreadyExists')
      throw conflict('This version of the risk was already submitted; reload the page.')
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
    if ((err as { name?: string }).name !== 'ExecutionDoesNotExist') throw err
  }
  await deps.taskStore.closeForExecution(orgId, executionArn, 'cancelled', reason, actor)
}

/**
 * Completes a task as the signed-in person through the one task completion path
 * (`POST /api/tasks/:id/complete`: role and four-eyes checks, form validation, the token sent
 * back once). Answers that route's response.
 */
export function completeTaskAs(c: Context<AppEnv>, taskId: string, answers: Record<string, unknown>) {
  const inner = new Hono<AppEnv>()
  inner.use(async (ic, next) => {
    ic.set('deps', c.get('deps'))
    ic.set('requestId', c.get('requestId'))
    await next()
  })
  inner.route('/', tasks)
  inner.onError(onError)
  const headers = new Headers({ 'content-type': 'application/json', 'x-org-id': c.get('principal').orgId })
  for (const h of ['cookie', 'authorization', 'x-csrf-token', 'accept-language']) {
    const v = c.req.header(h)
    if (v) headers.set(h, v)
  }
  return inner.request(`/${encodeURIComponent(taskId)}/complete`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ answers }),
  })
}
