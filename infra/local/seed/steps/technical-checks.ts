import type { Deps } from '../../../../functions/api/env.js'
import {
  dueAtOf,
  entryTiming,
  periodOf,
  REVIEW,
  type ReviewCycle,
  type ReviewEntry,
  reviewId,
} from '../../../../functions/domain/reviews/index.js'
import { cadenceExpression, describeNextDue } from '../../../../functions/domain/schedules/index.js'

const DAY = 86_400_000
const MEMBER = { userId: 'demo-member', name: 'Mia Keller' }

/** The month after `now` in Europe/Berlin (1-12). */
function nextMonthInBerlin(now: Date): number {
  const month = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', month: 'numeric' }).format(now),
  )
  return (month % 12) + 1
}

/**
 * Programme fields of the demo's exercises and technical checks that follow today's date:
 * Nordlicht's quarterly backup restore test opens on the 1st of next month (due three weeks
 * later), so the demo always has a restore test due next month.
 */
export function technicalCheckFields(kind: string, now: Date): { expression?: string } {
  if (kind === 'backup-restore-test')
    return { expression: cadenceExpression('quarterly', { day: 1, month: nextMonthInBerlin(now), hour: 9 }) }
  return {}
}

/** Answers of the last restore test (passed: restored within the objectives). */
const LAST_RESTORE_TEST = {
  systemsTested:
    'ERP database (SAP) from the nightly backup\nCAD file share, one project folder from the weekly full backup',
  restoreSucceeded: 'yes',
  dataComplete: 'yes',
  rtoHours: 8,
  restoreHours: 5,
  rpoMet: 'yes',
  summary:
    'Restored the ERP database to the test system and checked the last day of postings with finance; the CAD folder opened in the design tool. Both within the objectives.',
  improvements: 'Document the restore of the OT engineering workstation images too.',
}

/**
 * The previous quarter's restore test, completed by the IT member with no follow-up needed
 * (only with a fresh programme, like the other seeded cycles).
 */
export async function lastRestoreTest(
  deps: Deps,
  orgId: string,
  entryId: string,
  entry: ReviewEntry,
  at: Date,
): Promise<number> {
  const org = deps.records.forOrg(orgId)
  const id = reviewId(entryId, at)
  if (await org.get(REVIEW, id)) return 0
  const scheduledAt = at.toISOString()
  const performedAt = new Date(at.getTime() + 9 * DAY).toISOString()
  const cycle: ReviewCycle = {
    entryId,
    kind: entry.kind,
    title: entry.title,
    formId: entry.formId,
    occurrenceId: `${orgId}_${id}`,
    trigger: 'schedule',
    scheduledAt,
    dueAt: dueAtOf(scheduledAt, entry.dueAfterDays),
    period: periodOf(entryTiming(entry), scheduledAt, new Date(at.getTime() - 92 * DAY).toISOString()),
    status: 'completed',
    performer: { role: entry.performerRole },
    rounds: 1,
    taskId: 'seeded',
    answers: { testedOn: performedAt.slice(0, 10), ...LAST_RESTORE_TEST },
    computed: { followUpNeeded: false },
    performedBy: MEMBER.userId,
    performedByName: MEMBER.name,
    performedAt,
    signOff: { required: false, history: [] },
    actions: [],
    completedAt: performedAt,
    nextDue: describeNextDue(entryTiming(entry), performedAt),
  }
  await org.create(REVIEW, id, cycle, { actor: MEMBER, action: 'review.completed' })
  return 1
}
