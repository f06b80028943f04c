/** What the reviews API answers: programme entries with their next due date and last result, cycles. */
import type { CycleSummary, EntryView } from '../../../domain/contracts/reviews.js'
import {
  type CycleListData,
  entryTiming,
  OPEN_REVIEW_STATUSES,
  REVIEW_STATUS_LABELS,
  type ReviewCycle,
  type ReviewEntry,
} from '../../../domain/reviews/index.js'
import {
  describeNextDue,
  describeSchedule,
  detectCadence,
  type NextDue,
} from '../../../domain/schedules/index.js'
import type { Task } from '../../../domain/tasks.js'
import type { StoredRecord } from '../../../store/records.js'
import type { EntryCycles } from '../../../store/review-cycles.js'

/** A cycle in lists: where it stands, its period and dates, no answers. */
export function cycleSummary(rec: { id: string; data: CycleListData }, now: Date): CycleSummary {
  const c = rec.data
  const running = OPEN_REVIEW_STATUSES.includes(c.status)
  return {
    id: rec.id,
    entryId: c.entryId,
    kind: c.kind,
    title: c.title,
    status: c.status,
    statusLabel: REVIEW_STATUS_LABELS[c.status],
    scheduledAt: c.scheduledAt,
    dueAt: c.dueAt,
    period: c.period,
    trigger: c.trigger,
    late: c.late ?? false,
    /** Not done by its due date at some point (stays visible after completion). */
    overdue: Boolean(c.overdue) || (running && c.dueAt < now.toISOString()),
    escalated: Boolean(c.escalated),
    signedOff: c.signOff.outcome === 'approve',
    signOffRequired: c.signOff.required,
    completedAt: c.completedAt ?? null,
    performedByName: c.performedByName ?? null,
    actions: { total: c.actions.length, open: c.actions.filter((a) => a.status === 'open').length },
    /** Exercises and technical checks: whether the result called for follow-up (null: not such a check, or not done yet). */
    followUpNeeded: typeof c.computed?.followUpNeeded === 'boolean' ? c.computed.followUpNeeded : null,
    note: c.note ?? null,
  }
}

/** A cycle with everything: answers, changes, package, sign-off, actions and its tasks. */
export function cycleDetail(
  rec: StoredRecord<ReviewCycle>,
  tasks: Task[],
  now: Date,
  names: Map<string, string>,
) {
  const c = rec.data
  return {
    ...cycleSummary(rec, now),
    version: rec.version,
    occurrenceId: c.occurrenceId,
    executionArn: c.executionArn ?? null,
    performer: c.performer,
    performerName: c.performer.userId ? (names.get(c.performer.userId) ?? c.performer.userId) : null,
    previousReviewId: c.previousReviewId ?? null,
    missedOccurrences: c.missedOccurrences ?? [],
    overdueAt: c.overdue?.at ?? null,
    escalatedAt: c.escalated?.at ?? null,
    rounds: c.rounds,
    answers: c.answers ?? null,
    performedAt: c.performedAt ?? null,
    changes: c.changes ?? null,
    package: c.package ?? null,
    signOff: c.signOff,
    actionList: c.actions.map((a) => ({
      ...a,
      assigneeName: 'userId' in a.assignee ? (names.get(a.assignee.userId) ?? a.assignee.userId) : null,
    })),
    nextDue: c.nextDue ?? null,
    tasks: tasks
      .filter((t) => t.subject?.type === 'review' && t.subject.id === rec.id)
      .map((t) => ({
        id: t.id,
        kind: t.kind,
        title: t.title,
        status: t.status,
        dueAt: t.dueAt ?? null,
        candidateRole: t.candidateRole ?? null,
        assigneeUserId: t.assigneeUserId ?? null,
        completedByName: t.result?.completedByName ?? null,
      })),
  }
}

/** A programme entry with its schedule in words, next due date, last result and current cycle. */
export function entryView(
  rec: StoredRecord<ReviewEntry>,
  cycles: EntryCycles | undefined,
  now: Date,
  names: Map<string, string>,
): EntryView {
  const e = rec.data
  let nextDue: NextDue | null = null
  let description = { en: e.expression, de: e.expression }
  try {
    description = describeSchedule(entryTiming(e))
    nextDue = e.enabled
      ? describeNextDue(entryTiming(e), now)
      : { text: { en: 'Paused: no due dates', de: 'Pausiert: keine Fälligkeiten' } }
  } catch {
    nextDue = null
  }
  const last = cycles?.last
  const current = cycles?.current
  return {
    id: rec.id,
    version: rec.version,
    ...e,
    ownerName: e.ownerId ? (names.get(e.ownerId) ?? e.ownerId) : null,
    cadence: detectCadence(e.expression)?.cadence ?? null,
    schedule: { description, nextDue },
    lastResult: last ? cycleSummary(last, now) : null,
    current: current ? cycleSummary(current, now) : null,
    missed: cycles?.missed ?? 0,
    overdueCycles: cycles?.overdue ?? 0,
    updatedAt: rec.updatedAt,
  }
}
