/**
 * Closes the inbox tasks whose workflow token ended without an answer — the one code path
 * for AWS and the local stack:
 * - a `States.Timeout` Catch of a human-task state calls it with `{orgId, executionArn,
 *   stateName, reason}`: the open tasks of that state whose token Step Functions no longer
 *   accepts (a heartbeat is refused) are marked `expired`;
 * - an EventBridge rule on "Step Functions Execution Status Change" (ABORTED, FAILED,
 *   TIMED_OUT) invokes it with the event as AWS sends it: every open task of the execution
 *   is marked `cancelled` (`expired` for a timed-out execution). Locally the engine emits
 *   the same events to this handler.
 * The same rule also delivers SUCCEEDED: every status it receives is kept on the execution's
 * entry in the workflows list (`noteExecutionStatus`), never over a later one.
 * Repeats do no harm: a closed task is left as it is.
 */
import { z } from 'zod'
import { orgIdSchema, orgOfInput } from '../domain/org-id.js'
import { isOpen } from '../domain/tasks.js'
import { noteExecutionStatus } from '../store/execution-index.js'
import { taskOrgs } from '../store/task-orgs.js'
import { isClosedToken, type WorkflowClient } from '../workflow-client.js'
import { defineStep } from './step.js'

const orgId = orgIdSchema
const executionArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:states:[^:]*:[^:]*:execution:[^:]+:[^:]+$/, 'must be an execution ARN')

/** What a definition's Catch passes. */
export const closeTaskInput = z
  .object({
    orgId,
    executionArn,
    stateName: z.string().min(1).max(80),
    reason: z.string().min(1).max(256).default('TIMED_OUT'),
  })
  .strict()

/** The statuses after which no token of the execution is answered any more. */
export const CLOSING_STATUSES = ['ABORTED', 'FAILED', 'TIMED_OUT'] as const

/** The statuses the rule delivers: the closing ones, and success (kept in the workflows list). */
export const ROUTED_STATUSES = ['SUCCEEDED', ...CLOSING_STATUSES] as const

/**
 * The EventBridge rule that invokes this step (CDK `events.Rule` on AWS, `infra/local/event-rules.ts`
 * locally): final statuses of this application's state machines.
 */
export function closeTaskRulePattern(stateMachineArnPrefix: string) {
  return {
    source: ['aws.states'],
    detailType: ['Step Functions Execution Status Change'],
    detail: { status: [...ROUTED_STATUSES], stateMachineArn: [{ prefix: stateMachineArnPrefix }] },
  }
}

/** The EventBridge event (the fields this step reads; AWS sends more). */
export const executionStatusChange = z.object({
  'detail-type': z.literal('Step Functions Execution Status Change'),
  source: z.literal('aws.states'),
  time: z.string().optional(),
  detail: z.object({
    executionArn,
    stateMachineArn: z.string(),
    status: z.string(),
    /** Epoch milliseconds, as AWS sends them. */
    startDate: z.number().nullish(),
    stopDate: z.number().nullish(),
    input: z.string().nullish(),
    error: z.string().nullish(),
    cause: z.string().nullish(),
  }),
})

export type ExecutionStatusChange = z.infer<typeof executionStatusChange>

/** The token answers no more: a heartbeat (harmless on a waiting token) is refused. */
async function tokenClosed(
  workflows: Pick<WorkflowClient, 'heartbeat'>,
  taskToken: string,
): Promise<boolean> {
  try {
    await workflows.heartbeat(taskToken)
    return false
  } catch (err) {
    if (isClosedToken(err)) return true
    throw err
  }
}

/** The event: an EventBridge status change (its `source` says so), else a definition's Catch input. */
export const closeTaskEvent = z.unknown().transform((event, ctx) => {
  const parsed = isStatusChange(event)
    ? executionStatusChange.safeParse(event)
    : closeTaskInput.safeParse(event)
  if (parsed.success) return parsed.data
  for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, input: undefined })
  return z.NEVER
})

function isStatusChange(event: unknown): boolean {
  return typeof event === 'object' && event !== null && 'source' in event && event.source === 'aws.states'
}

/** Step handler (Lambda `ismsflow-close-task`). */
export const handler = defineStep({
  name: 'close-task',
  input: closeTaskEvent,
  async run(event, { taskStore: tasks, records, workflows, now }): Promise<{ closed: string[] }> {
    const actor = { userId: 'system:workflow', name: 'Workflow' }
    if ('detail' in event) {
      const { detail, time } = event
      const org = orgOfInput(detail.input)
      const orgs = org ? [org] : await taskOrgs(records)
      const iso = (ms: number | null | undefined) =>
        typeof ms === 'number' ? new Date(ms).toISOString() : undefined
      const stoppedAt = iso(detail.stopDate)
      const at = stoppedAt ?? time ?? now().toISOString()
      const closed: string[] = []
      for (const o of orgs) {
        if (CLOSING_STATUSES.some((s) => s === detail.status))
          closed.push(
            ...(await tasks.closeForExecution(
              o,
              detail.executionArn,
              detail.status === 'TIMED_OUT' ? 'expired' : 'cancelled',
              detail.status,
              actor,
            )),
          )
        await noteExecutionStatus(records.forOrg(o), detail.executionArn, {
          status: detail.status,
          at,
          startedAt: iso(detail.startDate),
          stoppedAt,
        })
      }
      return { closed }
    }
    const closed: string[] = []
    // The execution's tasks, read by key (not the organisation's).
    for (const rec of await tasks.forExecution(event.orgId, event.executionArn)) {
      if (rec.data.workflow.stateName !== event.stateName || !isOpen(rec.data)) continue
      const token = await tasks.token(event.orgId, rec.id)
      if (!(await tokenClosed(workflows, token))) continue
      if (await tasks.closeByToken(token, 'expired', event.reason)) closed.push(rec.id)
    }
    return { closed }
  },
})
