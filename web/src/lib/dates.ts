/**
 * The one date formatter of the web app: a date, a date and time, or a time relative to now,
 * in the reader's language and the organisation's time zone. `<DateText>` shows these in a
 * `<time datetime>`; code that needs the words (a sentence, a label) calls them directly.
 *
 * A due *date* (`2027-01-31`, or the last second of its UTC day, see `dueDateOf`) is a day,
 * not a moment: it is shown on its own date wherever the reader is.
 */
import { dueDateOf, isDueDate } from '../../../functions/domain/calendar/due.js'
import { DEFAULT_TIME_ZONE } from '../../../functions/domain/schedules/default-zone.js'
import type { Locale } from './i18n/define.js'

/** The organisation's time zone (Europe/Berlin until organisations choose their own). */
export const ORG_ZONE = DEFAULT_TIME_ZONE

/** How much of a date to write: `long` 7 May 2027 / 7. Mai 2027, `medium` 7 May 2027 / 7. Mai 2027 (months abbreviated), `short` 07/05/2027 / 07.05.27. */
export type DateLength = 'long' | 'medium' | 'short'

/** Options of the formatters. */
export interface DateOptions {
  /** How much of the date to write (default `long`; date-times default to `medium`). */
  length?: DateLength
  /** The zone of a moment (default the organisation's); a due date ignores it. */
  zone?: string
  /** Write the weekday too ("Mon 7 Dec"); `short` drops the year. */
  weekday?: boolean
}

const intl = (lang: Locale) => (lang === 'de' ? 'de-DE' : 'en-GB')

/** A date or timestamp as a `Date`; `undefined` when it is not one. */
function toDate(value: string | Date): Date | undefined {
  const d = typeof value === 'string' ? new Date(value) : value
  return Number.isNaN(d.getTime()) ? undefined : d
}

/** The calendar day a value stands for, when it is a due date (`2027-01-31`). */
const dayOf = (value: string | Date) =>
  typeof value === 'string' && isDueDate(value) ? dueDateOf(value) : undefined

/** Noon UTC of a day: formatted in UTC it is that day everywhere. */
const noonOf = (day: string) => new Date(`${day}T12:00:00Z`)

function dateParts(length: DateLength, weekday: boolean): Intl.DateTimeFormatOptions {
  const day: Intl.DateTimeFormatOptions = weekday ? { weekday: length === 'long' ? 'long' : 'short' } : {}
  if (length === 'long')
    return weekday ? { ...day, day: 'numeric', month: 'long', year: 'numeric' } : { dateStyle: 'long' }
  if (length === 'medium') return { ...day, day: 'numeric', month: 'short', year: 'numeric' }
  return weekday ? { ...day, day: 'numeric', month: 'short' } : { dateStyle: 'short' }
}

/**
 * A date in words: "7 May 2027" / "7. Mai 2027". A moment falls on its date in the
 * organisation's zone; a due date is its own date. Text that is no date is answered as it is.
 *
 * @example formatDate('2027-05-07', 'de') // '7. Mai 2027'
 */
export function formatDate(value: string | Date, lang: Locale, options: DateOptions = {}): string {
  const { length = 'long', weekday = false, zone = ORG_ZONE } = options
  const day = dayOf(value)
  const date = day ? noonOf(day) : toDate(value)
  if (!date) return String(value)
  return new Intl.DateTimeFormat(intl(lang), {
    ...dateParts(length, weekday),
    timeZone: day ? 'UTC' : zone,
  }).format(date)
}

/**
 * A moment as date and time on the organisation's clock: "7 May 2027, 10:15". A due date
 * has no time of day and is written as its date.
 */
export function formatDateTime(value: string | Date, lang: Locale, options: DateOptions = {}): string {
  const { length = 'medium', weekday = false, zone = ORG_ZONE } = options
  if (dayOf(value)) return formatDate(value, lang, { length, weekday })
  const date = toDate(value)
  if (!date) return String(value)
  const day = dateParts(length, weekday)
  const parts: Intl.DateTimeFormatOptions = day.dateStyle
    ? { ...day, timeStyle: 'short' }
    : { ...day, hour: '2-digit', minute: '2-digit' }
  return new Intl.DateTimeFormat(intl(lang), { ...parts, timeZone: zone }).format(date)
}

/** The time of day of a moment on the organisation's clock: "10:15". */
export function formatTime(
  value: string | Date,
  lang: Locale,
  options: Pick<DateOptions, 'zone'> = {},
): string {
  const date = toDate(value)
  if (!date) return String(value)
  return new Intl.DateTimeFormat(intl(lang), {
    timeStyle: 'short',
    timeZone: options.zone ?? ORG_ZONE,
  }).format(date)
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
]

/**
 * A moment relative to `now`: "3 days ago", "in 2 hours", "vor 5 Minuten"; "now" within a
 * minute. A due date counts in whole days from the start of today (UTC).
 */
export function formatRelative(value: string | Date, lang: Locale, now: Date = new Date()): string {
  const rtf = new Intl.RelativeTimeFormat(intl(lang), { numeric: 'auto' })
  const day = dayOf(value)
  if (day) {
    const today = Date.parse(`${now.toISOString().slice(0, 10)}T12:00:00Z`)
    return rtf.format(Math.round((noonOf(day).getTime() - today) / 86_400_000), 'day')
  }
  const date = toDate(value)
  if (!date) return String(value)
  const seconds = (date.getTime() - now.getTime()) / 1000
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit)
  }
  return rtf.format(0, 'second')
}

/** The `datetime` attribute of a `<time>`: the day of a due date, else the moment in ISO form. */
export function machineDate(value: string | Date): string {
  const day = dayOf(value)
  if (day) return day
  if (typeof value === 'string') return value
  return Number.isNaN(value.getTime()) ? '' : value.toISOString()
}
