/**
 * One review cycle: its id, period and due date from the schedule, the actions taken from
 * the answers, and what the next cycle pre-fills.
 */
import { endOfDueDate } from '../calendar/due.js'
import { lastOccurrenceBetween, occurrenceId } from '../schedules/occurrences.js'
import type { ScheduleTiming } from '../schedules/schedule.js'
import type { PerformerRole, ReviewAction } from './types.js'

const DAY_MS = 86_400_000

/** The id of a cycle within its organisation: `<entryId>_<yyyymmddThhmmZ>` (sorts by time). */
export const reviewId = (entryId: string, scheduledAt: string | Date) => occurrenceId(entryId, scheduledAt)

/** Prefix of the cycle ids of one entry (entry ids contain no `_`). */
export const reviewIdPrefix = (entryId: string) => `${entryId}_`

/** The due date of a cycle: `dueAfterDays` after the occurrence. */
export const dueAtOf = (scheduledAt: string, dueAfterDays: number) =>
  new Date(Date.parse(scheduledAt) + dueAfterDays * DAY_MS).toISOString()

/**
 * The period a cycle covers: from the previous occurrence (within two years; else
 * `fallbackFrom`, e.g. when the entry was created) up to this occurrence.
 */
export function periodOf(
  timing: ScheduleTiming,
  scheduledAt: string,
  fallbackFrom: string,
): { from: string; to: string } {
  const at = Date.parse(scheduledAt)
  let prev: Date | undefined
  try {
    prev = lastOccurrenceBetween(timing, at - 2 * 366 * DAY_MS, at - 1)
  } catch {
    prev = undefined
  }
  const from = prev ? prev.toISOString() : fallbackFrom < scheduledAt ? fallbackFrom : scheduledAt
  return { from, to: new Date(at).toISOString() }
}

/** Most actions one review may open. */
export const MAX_ACTIONS = 20

/**
 * The actions a review's answers ask for: every non-empty line of `actions` (a leading
 * `-`, `*` or number is dropped), assigned to `actionsAssignee` (a role, default the ISO),
 * due on `actionsDueOn` (end of that day, UTC) or 30 days after `now`. Ids derive from the
 * review id, so recording twice gives the same actions.
 */
export function actionsFromAnswers(
  answers: Record<string, unknown> | undefined,
  reviewKey: string,
  now: Date,
): ReviewAction[] {
  const text = typeof answers?.actions === 'string' ? answers.actions : ''
  const roles: PerformerRole[] = ['iso', 'management', 'member']
  const role = roles.find((r) => r === answers?.actionsAssignee) ?? 'iso'
  const dueOn = typeof answers?.actionsDueOn === 'string' ? answers.actionsDueOn : undefined
  const dueAt = dueOn ? endOfDueDate(dueOn) : new Date(now.getTime() + 30 * DAY_MS).toISOString()
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*(?:[-*•]|\d+[.)])\s*/, '').trim())
    .filter((line) => line.length > 0)
    .slice(0, MAX_ACTIONS)
    .map((title, i) => ({
      id: `${reviewKey}-a${i + 1}`,
      title: title.slice(0, 300),
      assignee: { role },
      dueAt,
      status: 'open' as const,
    }))
}

/** Answers that describe one sitting and are not carried into the next cycle. */
const NOT_CARRIED = new Set(['actions', 'actionsAssignee', 'actionsDueOn', 'heldOn', 'confirmation'])

/** What the next cycle pre-fills from this one's answers. */
export function prefillFrom(answers: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!answers) return {}
  return Object.fromEntries(Object.entries(answers).filter(([k]) => !NOT_CARRIED.has(k)))
}

/** The name of the review workflow (`workflows/periodic-review.asl.json`). */
export const REVIEW_WORKFLOW = 'periodic-review'

/** What starts one review cycle (the execution input of `periodic-review`). */
export interface ReviewStartInput {
  orgId: string
  entryId: string
  /** The occurrence (ISO). */
  scheduledAt: string
  /** The execution name, derived from the occurrence. */
  occurrenceId: string
  trigger: 'schedule' | 'manual' | 'seed'
  /** Fired after its time (the scheduler was down). */
  late?: boolean
  /** Earlier occurrences missed meanwhile (recorded as missed, not run). */
  missed?: string[]
  /** A due date other than `dueAfterDays` after the occurrence (manual starts). */
  dueAt?: string
  requestedBy?: string
}

/**
 * The execution input and name for one occurrence. The same occurrence always gives the
 * same name, so a second start (a retry, a restart) is refused by the engine.
 */
export function reviewStartInput(
  input: Omit<ReviewStartInput, 'occurrenceId' | 'scheduledAt'> & { scheduledAt: string | Date },
): { name: string; input: ReviewStartInput } {
  const scheduledAt = new Date(input.scheduledAt).toISOString()
  const name = occurrenceId(input.entryId, scheduledAt, input.orgId)
  const out: ReviewStartInput = { ...input, scheduledAt, occurrenceId: name }
  if (!out.missed?.length) delete out.missed
  if (!out.late) delete out.late
  return { name, input: out }
}
