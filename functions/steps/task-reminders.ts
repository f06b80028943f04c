import { z } from 'zod'
import { dueReminders } from '../domain/reminders.js'
import { createNotifications, type NotificationStore } from '../store/notifications.js'
import type { Records } from '../store/records.js'
import { taskOrgs } from '../store/task-orgs.js'
import type { TaskStore } from '../store/tasks.js'
import { stepDeps } from './deps.js'
import { parseStepInput } from './step-input.js'

/**
 * Input of the sweep: the time it was scheduled for (the schedule passes
 * `<aws.scheduler.scheduled-time>`), and optionally organisations to look at besides those
 * with tasks.
 */
export const taskRemindersInput = z
  .object({
    scheduledTime: z.string().datetime({ offset: true }),
    orgIds: z
      .array(z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be an organisation id'))
      .max(1000)
      .optional(),
    daysBefore: z.number().int().min(1).max(60).optional(),
  })
  .strict()

/** What one sweep did. */
export interface SweepResult {
  orgs: number
  /** Reminders due now (including ones written by an earlier sweep). */
  due: number
  /** Reminders written by this sweep (each reminder is written once, ever). */
  written: number
}

/**
 * Writes the reminders that are due for every open task to the organisation's outbox:
 * before the due date, on the day and once overdue (`dueReminders`). Each reminder's id
 * derives from its dedup key, so running the sweep again (hourly, or twice after a retry)
 * writes nothing new.
 */
export async function sweepReminders(deps: {
  records: Records
  tasks: TaskStore
  notifications: NotificationStore
  now: () => Date
  orgIds?: string[]
  daysBefore?: number
}): Promise<SweepResult> {
  const orgIds = [...new Set([...(await taskOrgs(deps.records)), ...(deps.orgIds ?? [])])]
  const result: SweepResult = { orgs: orgIds.length, due: 0, written: 0 }
  for (const orgId of orgIds) {
    const tasks = (await deps.tasks.list(orgId)).map((r) => r.data)
    for (const r of dueReminders(tasks, deps.now(), deps.daysBefore)) {
      result.due++
      const written = await deps.notifications.enqueue(orgId, r.dedupKey, {
        kind: r.kind,
        to: r.to,
        subject: r.subject,
        body: r.body,
        ref: { type: 'task', id: r.taskId },
      })
      if (written) result.written++
    }
  }
  return result
}

/**
 * Step handler of the reminder sweep. On AWS an hourly schedule invokes it with
 * `{scheduledTime}`; locally `infra/local/stack.ts` runs it every hour of the stack's clock.
 */
export async function handler(event: unknown): Promise<SweepResult> {
  // An EventBridge rule sends its own "Scheduled Event" envelope: its time is the scheduled time.
  const envelope = event as { 'detail-type'?: string; time?: unknown } | null
  const scheduled = envelope?.['detail-type'] === 'Scheduled Event'
  const { scheduledTime: _, ...options } = parseStepInput(
    taskRemindersInput,
    scheduled ? { scheduledTime: envelope?.time } : event,
    'task-reminders',
  )
  const { records, tasks, now } = stepDeps()
  return sweepReminders({ records, tasks, now, notifications: createNotifications(records, now), ...options })
}
