/**
 * The target of the review schedules on AWS. EventBridge Scheduler invokes this Lambda with
 * `{orgId, entryId, scheduledTime: "<aws.scheduler.scheduled-time>"}`; it derives the
 * occurrence id (Step Functions refuses the colons of the scheduled time in an execution
 * name) and starts `periodic-review` with it as the execution name, so a retried delivery
 * starts nothing twice. Locally the durable scheduler calls the same `reviewStartInput`.
 */
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn'
import { z } from 'zod'
import { config } from '../config.js'
import { REVIEW_WORKFLOW, reviewStartInput } from '../domain/reviews/index.js'
import { parseEvent } from './review-common.js'

/** What the schedule passes (its `Target.Input`). */
export const scheduleTargetInput = z
  .object({
    orgId: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be an organisation id'),
    entryId: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'must be a programme entry id'),
    scheduledTime: z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO date-time'),
  })
  .strict()

let sfn: SFNClient | undefined

/** Step handler (Lambda `ismsflow-review-schedule-target`). */
export async function handler(
  event: unknown,
): Promise<{ executionName: string; executionArn?: string; started: boolean }> {
  const input = parseEvent(scheduleTargetInput, event, 'review-schedule-target')
  const cfg = config()
  sfn ??= new SFNClient({
    region: cfg.region,
    endpoint: cfg.sfnEndpoint,
  })
  const { name, input: start } = reviewStartInput({
    orgId: input.orgId,
    entryId: input.entryId,
    scheduledAt: input.scheduledTime,
    trigger: 'schedule',
  })
  try {
    // A repeat while it runs (same name, same input) answers the same execution.
    const out = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: `${cfg.stateMachineArnPrefix}${REVIEW_WORKFLOW}`,
        name,
        input: JSON.stringify(start),
      }),
    )
    return { executionName: name, executionArn: out.executionArn, started: true }
  } catch (err) {
    // It ran already (closed): nothing to start.
    if (err instanceof ExecutionAlreadyExists || (err as { name?: string }).name === 'ExecutionAlreadyExists')
      return { executionName: name, started: false }
    throw err
  }
}
