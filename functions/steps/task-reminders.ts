import { z } from 'zod'
import { MANAGEMENT_TRAINING, type TrainingData, trainingReminders } from '../domain/management/index.js'
import { orgIdSchema } from '../domain/org-id.js'
import { dueReminders } from '../domain/reminders.js'
import { type NotifyDeps, notify, type RetryReport, retryNotifications } from '../mail/index.js'
import type { Identity } from '../store/identity.js'
import type { NotificationStore } from '../store/notifications.js'
import type { OrgRecords, Records } from '../store/records.js'
import { taskOrgs } from '../store/task-orgs.js'
import type { TaskStore } from '../store/tasks.js'
import { defineStep } from './step.js'
import { type RecoveryDeps, type RecoveryReport, recoverCompletingTasks } from './task-recovery.js'

/**
 * Input of the sweep: the time it was scheduled for (the schedule passes
 * `<aws.scheduler.scheduled-time>`), and optionally organisations to look at besides those
 * with tasks.
 */
export const taskRemindersInput = z
  .object({
    scheduledTime: z.string().datetime({ offset: true }),
    orgIds: z.array(orgIdSchema).max(1000).optional(),
    daysBefore: z.number().int().min(1).max(60).optional(),
  })
  .strict()

/**
 * The hourly schedule of the sweep, the same on AWS (EventBridge Scheduler, in the default
 * group: the API manages only the `ismsflow` group) and locally (`infra/local/stack.ts`):
 * its `Target.Input` carries the time it fired for.
 */
export const REMINDERS_SCHEDULE = {
  name: 'ismsflow-task-reminders',
  expression: 'rate(1 hour)',
  everyMs: 3_600_000,
  input: { scheduledTime: '<aws.scheduler.scheduled-time>' },
} as const

/** A schedule's `Target.Input` with the scheduler's placeholder filled in, as EventBridge Scheduler does. */
export function scheduledInput(input: unknown, scheduledTime: Date): unknown {
  return JSON.parse(
    JSON.stringify(input).replaceAll(
      '<aws.scheduler.scheduled-time>',
      scheduledTime.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ),
  )
}

/** What one sweep did. */
export interface SweepResult {
  orgs: number
  /** Reminders due now (including ones written by an earlier sweep). */
  due: number
  /** Reminders written by this sweep (each reminder is written once, ever). */
  written: number
  /** Tasks left `completing` by a crash, recovered by this sweep. */
  recovered: RecoveryReport
  /** Weekly digests written by this sweep (Mondays, once per person, organisation and week). */
  digests?: number
  /** E-mails that had failed, tried again by this sweep (with their backoff), and what became of them. */
  retried?: RetryReport
}

const DAY = 86_400_000
/** How far back a sweep looks for tasks that became overdue (when the sweeps ran regularly). */
const OVERDUE_LOOKBACK = 7 * DAY
/** The side item that holds when the organisation was last swept. */
const SWEPT = 'REMINDERSWEEP#last'

/**
 * The due dates a sweep reads: from a week back (an overdue reminder is due the day after the
 * due date; further back if the sweeps stopped for longer: two days before the last one) to
 * `daysBefore` days ahead (and the day after tomorrow, for "due tomorrow"). `dueReminders`
 * picks exactly; the read is the window's tasks, not the organisation's.
 */
async function reminderWindow(org: OrgRecords, now: Date, daysBefore: number) {
  const last = Date.parse(String((await org.sideGet([SWEPT])).get(SWEPT)?.at ?? ''))
  const from = Math.min(now.getTime() - OVERDUE_LOOKBACK, Number.isNaN(last) ? Infinity : last - 2 * DAY)
  return {
    from: new Date(from).toISOString(),
    to: new Date(now.getTime() + (Math.max(daysBefore, 1) + 2) * DAY).toISOString(),
  }
}

/** Notes that the organisation was swept at `now` (never moving the mark back). */
async function noteSwept(org: OrgRecords, now: Date) {
  const last = String((await org.sideGet([SWEPT])).get(SWEPT)?.at ?? '')
  if (last < now.toISOString())
    await org.writeSide({ updates: [{ sk: SWEPT, set: { at: now.toISOString() } }] })
}

/** Monday of the week of `d`, as `YYYY-MM-DD` (the digest's dedup key). */
const weekOf = (d: Date) =>
  new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10)

/**
 * On Mondays, one digest per member with open tasks (opt-out on the account page; checked
 * when it is e-mailed): how many tasks wait for them and how many are overdue (`mayWork`),
 * from the inbox's counters and its overdue key ranges.
 */
async function weeklyDigests(deps: NotifyDeps & { identity: Identity }, orgId: string, tasks: TaskStore) {
  const now = deps.now()
  if (now.getUTCDay() !== 1) return 0
  let written = 0
  for (const m of await deps.identity.orgMembers(orgId)) {
    const { open, overdue } = await tasks.counts(orgId, now, { userId: m.userId, roles: m.roles })
    if (open === 0) continue
    const isNew = await notify(deps, orgId, `${orgId}:digest:${m.userId}:${weekOf(now)}`, {
      kind: 'digest',
      to: { userId: m.userId },
      subject: { en: 'Your week on ismsflow', de: 'Ihre Woche in ismsflow' },
      body: {
        en: `${open} open task(s), ${overdue} overdue.`,
        de: `${open} offene Aufgabe(n), ${overdue} überfällig.`,
      },
      data: { open, overdue },
    })
    if (isNew) written++
  }
  return written
}

/**
 * Recovers the tasks a crash left `completing`, then writes the reminders that are due for every open task to the organisation's outbox:
 * before the due date, on the day and once overdue (`dueReminders`), and e-mails each new
 * one to its recipients (`notify`, the one path from the outbox to people). Each reminder's id
 * derives from its dedup key, so running the sweep again (hourly, or twice after a retry)
 * writes nothing new.
 */
export async function sweepReminders(deps: {
  records: Records
  tasks: TaskStore
  workflows: RecoveryDeps['workflows']
  notifications: NotificationStore
  now: () => Date
  orgIds?: string[]
  daysBefore?: number
  /** With these, each new reminder is also e-mailed (and Mondays bring the weekly digest). */
  identity?: Identity
  mail?: NotifyDeps['mail']
  publicUrl?: string
}): Promise<SweepResult> {
  const orgIds = [...new Set([...(await taskOrgs(deps.records)), ...(deps.orgIds ?? [])])]
  // First the tasks a crash left `completing` (their lease ran out), so their reminders see them settled.
  const recovered = await recoverCompletingTasks(
    { taskStore: deps.tasks, workflows: deps.workflows, now: deps.now },
    orgIds,
  )
  const result: SweepResult = { orgs: orgIds.length, due: 0, written: 0, recovered }
  const now = deps.now()
  const daysBefore = deps.daysBefore ?? 3
  for (const orgId of orgIds) {
    // Every open task due in the window (however many): each is owed its reminder.
    const window = await reminderWindow(deps.records.forOrg(orgId), now, daysBefore)
    const tasks = (await deps.tasks.openDue(orgId, window, undefined, Number.POSITIVE_INFINITY)).map(
      (r) => r.data,
    )
    const mailing =
      deps.identity && deps.mail && deps.publicUrl
        ? {
            identity: deps.identity,
            mail: deps.mail,
            publicUrl: deps.publicUrl,
            notifications: deps.notifications,
            now: deps.now,
          }
        : undefined
    for (const r of dueReminders(tasks, now, deps.daysBefore)) {
      result.due++
      const task = tasks.find((t) => t.id === r.taskId)
      const n = {
        kind: r.kind,
        to: r.to,
        subject: r.subject,
        body: r.body,
        ref: { type: 'task', id: r.taskId },
        data: { title: task?.title, dueAt: task?.dueAt },
      }
      const written = mailing
        ? await notify(mailing, orgId, r.dedupKey, n)
        : await deps.notifications.enqueue(orgId, r.dedupKey, n)
      if (written) result.written++
    }
    // Managers' trainings (§ 38 Abs. 3 BSIG): before the next one is due, and once overdue.
    const trainings = await deps.records.forOrg(orgId).list<TrainingData>(MANAGEMENT_TRAINING, { limit: 200 })
    const today = deps.now().toISOString().slice(0, 10)
    for (const r of trainingReminders(
      orgId,
      trainings.items.map((x) => x.data),
      today,
    )) {
      result.due++
      const n = {
        kind: r.kind,
        to: { userId: r.userId },
        subject: r.subject,
        body: r.body,
        ref: { type: MANAGEMENT_TRAINING, id: r.userId },
      }
      const written = mailing
        ? await notify(mailing, orgId, r.dedupKey, n)
        : await deps.notifications.enqueue(orgId, r.dedupKey, n)
      if (written) result.written++
    }
    if (mailing) {
      result.digests = (result.digests ?? 0) + (await weeklyDigests(mailing, orgId, deps.tasks))
      // E-mails that failed before: tried again when their backoff has passed, never twice.
      const retried = await retryNotifications(mailing, orgId)
      const sum = result.retried ?? { sent: 0, queued: 0, retrying: 0, failed: 0 }
      result.retried = {
        sent: sum.sent + retried.sent,
        queued: sum.queued + retried.queued,
        retrying: sum.retrying + retried.retrying,
        failed: sum.failed + retried.failed,
      }
    }
    await noteSwept(deps.records.forOrg(orgId), now)
  }
  return result
}

/** An EventBridge rule's own "Scheduled Event" envelope: its time is the scheduled time. */
const scheduledEnvelope = z.looseObject({ 'detail-type': z.literal('Scheduled Event'), time: z.unknown() })

/** The sweep's event: the schedule's `Target.Input`, or a rule's envelope taken as one. */
export const sweepEvent = z.preprocess((event) => {
  const envelope = scheduledEnvelope.safeParse(event)
  return envelope.success ? { scheduledTime: envelope.data.time } : event
}, taskRemindersInput)

/**
 * Step handler of the reminder sweep. On AWS an hourly schedule invokes it with
 * `{scheduledTime}`; locally `infra/local/stack.ts` runs it every hour of the stack's clock.
 */
export const handler = defineStep({
  name: 'task-reminders',
  input: sweepEvent,
  async run({ scheduledTime: _, ...options }, deps): Promise<SweepResult> {
    return sweepReminders({
      records: deps.records,
      tasks: deps.taskStore,
      workflows: deps.workflows,
      now: deps.now,
      notifications: deps.notifications,
      identity: deps.identity,
      mail: deps.mail,
      publicUrl: deps.config.publicUrl,
      ...options,
    })
  },
})
