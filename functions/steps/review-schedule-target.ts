/**
 * The target of the review schedules, on AWS and locally. EventBridge Scheduler invokes this
 * Lambda with `{orgId, entryId, scheduledTime: "<aws.scheduler.scheduled-time>"}`; the local
 * durable scheduler calls this same handler with the same input (plus `late` and `missed`
 * when it fires a missed occurrence late). It derives the occurrence id (Step Functions
 * refuses the colons of the scheduled time in an execution name) and starts
 * `periodic-review` with it as the execution name, so a retried delivery starts nothing twice.
 */
import { z } from 'zod'
import { orgIdSchema } from '../domain/org-id.js'
import { REVIEW_WORKFLOW, reviewStartInput } from '../domain/reviews/index.js'
import { isAlreadyStarted } from '../workflow-client.js'
import { defineStep } from './step.js'

/** What the schedule passes (its `Target.Input`). */
export const scheduleTargetInput = z
  .object({
    orgId: orgIdSchema,
    entryId: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'must be a programme entry id'),
    scheduledTime: z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO date-time'),
    /** The local scheduler fires the latest missed occurrence late, naming the earlier ones. */
    late: z.boolean().optional(),
    missed: z.array(z.string()).max(1000).optional(),
  })
  .strict()

/** Step handler (Lambda `ismsflow-review-schedule-target`). */
export const handler = defineStep({
  name: 'review-schedule-target',
  input: scheduleTargetInput,
  async run(
    input,
    { workflows },
  ): Promise<{ executionName: string; executionArn?: string; started: boolean }> {
    const { name, input: start } = reviewStartInput({
      orgId: input.orgId,
      entryId: input.entryId,
      scheduledAt: input.scheduledTime,
      trigger: 'schedule',
      late: input.late,
      missed: input.missed,
    })
    try {
      // A repeat while it runs (same name, same input) answers the same execution.
      const out = await workflows.start(REVIEW_WORKFLOW, start, name)
      return { executionName: name, executionArn: out.executionArn, started: true }
    } catch (err) {
      // It ran already (closed): nothing to start.
      if (isAlreadyStarted(err)) return { executionName: name, started: false }
      throw err
    }
  },
})
