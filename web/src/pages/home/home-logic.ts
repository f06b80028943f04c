/**
 * Words for the home page's cards: due times on the organisation's clock, dates, the time left
 * on a legal clock. Pure; the page passes the language and the time.
 */

import { isDueDate } from '../../../../functions/domain/calendar/due.js'
import { clockWords } from '../../../../functions/domain/incidents/words.js'
import { formatDateTime, formatDate as formatDay, ORG_ZONE } from '../../lib/dates.js'

/** The UI languages. */
export type Lang = 'en' | 'de'

export { ORG_ZONE }

/** A date (`2027-05-07`) in words: "7 May 2027" / "7. Mai 2027". */
export const formatDate = (date: string, lang: Lang) => formatDay(date.slice(0, 10), lang)

/**
 * A due time in words: a date alone for milestones (`2026-12-08`), otherwise the day and time
 * on the organisation's clock ("Mon 7 Dec, 04:39").
 */
export const formatDue = (due: string, lang: Lang, zone = ORG_ZONE): string =>
  isDueDate(due) ? formatDay(due, lang) : formatDateTime(due, lang, { zone, weekday: true, length: 'short' })

/** The time left on a running legal clock, or how late it is: "due in 5 h 12 min", "2 h late". */
export const clockLeft = (dueAt: string, now: Date, lang: Lang) =>
  clockWords({ status: Date.parse(dueAt) < now.getTime() ? 'overdue' : 'open', dueAt }, now, lang)
