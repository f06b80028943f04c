/**
 * Calendar dates as ISO strings (`YYYY-MM-DD`), computed in UTC so that the browser and the
 * server agree whatever their time zone. Shared by the risk register (measure due dates,
 * acceptance expiry) and certification planning (milestones, evidence freshness).
 */

/** An ISO calendar date, `YYYY-MM-DD`. */
export type IsoDate = string

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DAY_MS = 86_400_000

/** True when `value` is a real calendar date written `YYYY-MM-DD` (2025-02-30 is not). */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false
  const m = ISO_DATE.exec(value)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const t = new Date(Date.UTC(y, mo - 1, d))
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d
}

function toUtc(date: IsoDate): number {
  const m = ISO_DATE.exec(date)
  if (!m || !isIsoDate(date)) throw new RangeError(`not an ISO date: ${date}`)
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
}

function fromUtc(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10)
}

/** `date` plus `days` (negative goes back). */
export function addDays(date: IsoDate, days: number): IsoDate {
  return fromUtc(toUtc(date) + Math.round(days) * DAY_MS)
}

/**
 * `date` plus whole `months`, clamped to the month's last day: 2025-01-31 + 1 month is 2025-02-28.
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const m = ISO_DATE.exec(date)
  if (!m || !isIsoDate(date)) throw new RangeError(`not an ISO date: ${date}`)
  const total = Number(m[1]) * 12 + (Number(m[2]) - 1) + Math.round(months)
  const year = Math.floor(total / 12)
  const month = total - year * 12
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
  return fromUtc(Date.UTC(year, month, Math.min(Number(m[3]), lastDay)))
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((toUtc(to) - toUtc(from)) / DAY_MS)
}

/** The earlier of two dates. */
export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return a <= b ? a : b
}

/** The later of two dates. */
export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a >= b ? a : b
}

/** The UTC calendar date of a JavaScript `Date` (or of now). */
export function toIsoDate(at: Date = new Date()): IsoDate {
  return at.toISOString().slice(0, 10)
}
