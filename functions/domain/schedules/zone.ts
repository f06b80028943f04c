/**
 * Time zones and wall-clock arithmetic for schedules. A schedule's expression is read in
 * its IANA zone (default Europe/Berlin), the way EventBridge Scheduler reads
 * `ScheduleExpressionTimezone`.
 */
import { IANAZone } from 'luxon'
import { validationError } from '../errors.js'
import { DEFAULT_TIME_ZONE } from './default-zone.js'

/** The zone a schedule uses when none is given. */
export { DEFAULT_TIME_ZONE }

/** A wall-clock time in some zone (month 1-12). */
export interface LocalTime {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second?: number
}

const canonical = (tz: string): string | undefined => {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone
  } catch {
    return undefined
  }
}

/**
 * Checks an IANA time zone name and returns its canonical spelling
 * (`europe/berlin` → `Europe/Berlin`). Throws a validation error naming `field`
 * (default `timeZone`) for a zone that does not exist or for a fixed offset like `+02:00`.
 */
export function validateTimeZone(tz: unknown, field = 'timeZone'): string {
  if (typeof tz !== 'string' || tz.trim() === '')
    throw validationError({ [field]: 'must be an IANA time zone name, e.g. Europe/Berlin' })
  const name = tz.trim()
  let known = zoneCache.get(name)
  if (known === undefined) {
    known =
      /^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name) && IANAZone.isValidZone(name)
        ? (canonical(name) ?? name)
        : null
    if (zoneCache.size > 1000) zoneCache.clear()
    zoneCache.set(name, known)
  }
  if (known === null) throw validationError({ [field]: `${name} is not a known IANA time zone` })
  return known
}

// Zone name → canonical name, or null when unknown (building Intl formatters is slow).
const zoneCache = new Map<string, string | null>()

/** Days in a month (month 1-12). */
export const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate()

/** Weekday of a calendar date, EventBridge numbering: 1 = Sunday … 7 = Saturday. */
export const weekdayOf = (year: number, month: number, day: number) =>
  new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1

// Per zone and day: the offset when no transition is near, else null (cached; offset lookups are slow).
const steadyCache = new Map<string, number | null>()
const steadyOffset = (z: IANAZone, zone: string, t: LocalTime): number | null => {
  const k = `${zone}|${t.year}-${t.month}-${t.day}`
  let v = steadyCache.get(k)
  if (v === undefined) {
    const midnight = Date.UTC(t.year, t.month - 1, t.day)
    const before = z.offset(midnight - 86_400_000)
    v = before === z.offset(midnight + 2 * 86_400_000) ? before : null
    if (steadyCache.size > 20_000) steadyCache.clear()
    steadyCache.set(k, v)
  }
  return v
}

/**
 * The instants at which the wall clock of `zone` shows `t`: none in a spring-forward gap,
 * two in a fall-back overlap (earlier first), otherwise one.
 */
export function localToInstants(t: LocalTime, zone: string): number[] {
  const z = IANAZone.create(zone)
  const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second ?? 0)
  const steady = steadyOffset(z, zone, t)
  if (steady !== null) return [wall - steady * 60_000]
  const offsets = new Set([z.offset(wall - 86_400_000), z.offset(wall), z.offset(wall + 86_400_000)])
  const out: number[] = []
  for (const o of offsets) {
    const instant = wall - o * 60_000
    if (z.offset(instant) === o && !out.includes(instant)) out.push(instant)
  }
  return out.sort((a, b) => a - b)
}

/** The wall-clock time of an instant in `zone`. */
export function instantToLocal(ms: number, zone: string): Required<LocalTime> {
  const o = IANAZone.create(zone).offset(ms)
  const d = new Date(ms + o * 60_000)
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  }
}
