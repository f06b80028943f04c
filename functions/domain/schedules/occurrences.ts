/**
 * When a schedule fires. Semantics follow EventBridge Scheduler:
 * - cron is read on the wall clock of the schedule's zone. On the spring-forward day a
 *   wall time that does not exist (02:30 in Europe/Berlin) is skipped; on the fall-back day
 *   a wall time that happens twice fires once, at its first (summer-time) instant.
 * - rate(n days) means n × 24 hours from the first occurrence (start date, else creation),
 *   not calendar days, so across a DST change the wall time moves by an hour.
 * - at(…) fires once at that wall time; start and end dates apply to recurring schedules only.
 * - start date inclusive, end date exclusive.
 */
import { matchingDays } from './cron.js'
import { type CompiledSchedule, compileSchedule, type ScheduleTiming } from './schedule.js'
import { instantToLocal, localToInstants } from './zone.js'

type ScheduleLike = ScheduleTiming | CompiledSchedule
type DateLike = Date | string | number

const compiled = (s: ScheduleLike): CompiledSchedule => ('parsed' in s ? s : compileSchedule(s))
const ms = (d: DateLike, name: string): number => {
  const v = d instanceof Date ? d.getTime() : typeof d === 'number' ? d : Date.parse(d)
  if (!Number.isFinite(v)) throw new Error(`${name} is not a valid date`)
  return v
}

const key = (y: number, m: number, d: number) => y * 10_000 + m * 100 + d

function* cronInstants(c: CompiledSchedule, afterMs: number): Generator<number> {
  if (c.parsed.type !== 'cron') return
  const f = c.parsed.cron
  // Wall clocks can run back by up to an hour or two (fall-back); start a day early and filter.
  const low = instantToLocal(afterMs - 86_400_000, c.zone)
  const lowKey = key(low.year, low.month, low.day)
  for (const year of f.years) {
    if (year < low.year) continue
    for (const month of f.months) {
      if (year === low.year && month < low.month) continue
      for (const day of matchingDays(f, year, month)) {
        if (key(year, month, day) < lowKey) continue
        for (const hour of f.hours)
          for (const minute of f.minutes) {
            const at = localToInstants({ year, month, day, hour, minute }, c.zone)[0]
            if (at === undefined || at <= afterMs) continue
            if (c.startMs !== undefined && at < c.startMs) continue
            if (c.endMs !== undefined && at >= c.endMs) return
            yield at
          }
      }
    }
  }
}

function* rateInstants(c: CompiledSchedule, afterMs: number): Generator<number> {
  if (c.parsed.type !== 'rate') return
  const step = c.parsed.ms
  let k = Math.max(0, Math.floor((afterMs - c.anchorMs) / step) + 1)
  for (;;) {
    const at = c.anchorMs + k * step
    if (c.endMs !== undefined && at >= c.endMs) return
    if (at > afterMs && (c.startMs === undefined || at >= c.startMs)) yield at
    k++
  }
}

/** Every occurrence strictly after `afterMs`, ascending (finite for cron, at and bounded rates). */
export function* occurrencesAfter(schedule: ScheduleLike, after: DateLike): Generator<Date> {
  const c = compiled(schedule)
  const afterMs = ms(after, 'after')
  if (c.parsed.type === 'at') {
    if (c.atMs !== undefined && c.atMs > afterMs) yield new Date(c.atMs)
    return
  }
  const gen = c.parsed.type === 'cron' ? cronInstants(c, afterMs) : rateInstants(c, afterMs)
  for (const at of gen) yield new Date(at)
}

/**
 * The next `count` occurrences strictly after `after`. Throws a validation error for a bad
 * schedule (see `compileSchedule`).
 *
 * @example nextOccurrences({ expression: 'cron(0 9 1 1,4,7,10 ? *)' }, new Date('2026-02-10'), 2)
 * // → 2026-04-01T07:00Z, 2026-07-01T07:00Z (09:00 Berlin summer time)
 */
export function nextOccurrences(schedule: ScheduleLike, after: DateLike, count: number): Date[] {
  const out: Date[] = []
  if (count <= 0) return out
  for (const d of occurrencesAfter(schedule, after)) {
    out.push(d)
    if (out.length >= count) break
  }
  return out
}

/**
 * Occurrences in the half-open window (`from`, `to`] — e.g. those missed between the last
 * fired occurrence and now. At most `limit` (default 1000), the earliest first; `truncated`
 * tells whether more exist.
 */
export function occurrencesBetween(
  schedule: ScheduleLike,
  from: DateLike,
  to: DateLike,
  options: { limit?: number } = {},
): Date[] & { truncated?: boolean } {
  const limit = options.limit ?? 1000
  const toMs = ms(to, 'to')
  const out: Date[] & { truncated?: boolean } = []
  for (const d of occurrencesAfter(schedule, from)) {
    if (d.getTime() > toMs) break
    if (out.length >= limit) {
      out.truncated = true
      break
    }
    out.push(d)
  }
  return out
}

/** The latest occurrence at or before `at` within (`since`, `at`], if any (cheap for rate; scans for cron). */
export function lastOccurrenceBetween(
  schedule: ScheduleLike,
  since: DateLike,
  at: DateLike,
): Date | undefined {
  let last: Date | undefined
  const atMs = ms(at, 'at')
  for (const d of occurrencesAfter(schedule, since)) {
    if (d.getTime() > atMs) break
    last = d
  }
  return last
}

/** FNV-1a, 32 bit, base36 — pure, for the browser and the server alike. */
const hash = (text: string) => {
  let h = 0x811c9dc5
  for (const ch of new TextEncoder().encode(text)) {
    h ^= ch
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h.toString(36).padStart(7, '0')
}

const compactUtc = (d: Date) => d.toISOString().replace(/[-:]/g, '').slice(0, 13).concat('Z') // 20260401T0700Z

/** Longest name Step Functions accepts for an execution. */
export const MAX_OCCURRENCE_ID = 80

/**
 * The stable id of one occurrence, used as the execution name so that a second start of
 * the same occurrence is refused: `<orgId>_<scheduleId>_<yyyymmddThhmmZ>` (UTC). Only
 * `A-Z a-z 0-9 - _`, at most 80 characters; ids with other characters or too long are
 * shortened and made unique with a hash. Pass `orgId` when schedule ids are unique only
 * within an organisation (execution names are unique per state machine, across orgs).
 *
 * @example occurrenceId('risk-review', new Date('2026-04-01T07:00:00Z'), 'acme') // 'acme_risk-review_20260401T0700Z'
 */
export function occurrenceId(scheduleId: string, date: DateLike, orgId?: string): string {
  if (typeof scheduleId !== 'string' || scheduleId === '')
    throw new Error('occurrenceId: scheduleId is required')
  const stamp = compactUtc(new Date(ms(date, 'date')))
  const parts = orgId ? [orgId, scheduleId] : [scheduleId]
  const clean = parts.map((p) => p.replace(/[^A-Za-z0-9-]/g, '-'))
  const plain = `${clean.join('_')}_${stamp}`
  const lossy = clean.some((p, i) => p !== parts[i])
  if (!lossy && plain.length <= MAX_OCCURRENCE_ID) return plain
  const tag = hash(parts.join('\u0000'))
  const room = MAX_OCCURRENCE_ID - stamp.length - tag.length - 2
  return `${clean.join('_').slice(0, room)}_${tag}_${stamp}`
}

/**
 * The first occurrence two schedules share after `from` (within the next `horizon`
 * occurrences of `candidate`), e.g. two reviews of one kind landing on the same moment.
 */
export function findCollision(
  candidate: ScheduleLike,
  others: { id: string; timing: ScheduleLike }[],
  from: DateLike,
  horizon = 24,
): { id: string; at: Date } | undefined {
  const mine = nextOccurrences(candidate, from, horizon)
  if (mine.length === 0) return undefined
  const lastMs = mine[mine.length - 1].getTime()
  const set = new Set(mine.map((d) => d.getTime()))
  let best: { id: string; at: Date } | undefined
  for (const o of others) {
    for (const d of occurrencesAfter(o.timing, from)) {
      if (d.getTime() > lastMs) break
      if (set.has(d.getTime())) {
        if (!best || d < best.at) best = { id: o.id, at: d }
        break
      }
    }
  }
  return best
}
