/**
 * Words for the home page's cards: due times on the organisation's clock, dates, the time left
 * on a legal clock. Pure; the page passes the language and the time.
 */
import { clockWords } from '../../../../functions/domain/incidents/words.js'

/** The UI languages. */
export type Lang = 'en' | 'de'

/** The organisation's time zone (Europe/Berlin until organisations choose their own). */
export const ORG_ZONE = 'Europe/Berlin'

const locale = (lang: Lang) => (lang === 'de' ? 'de-DE' : 'en-GB')
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/

/** A date (`2027-05-07`) in words: "7 May 2027" / "7. Mai 2027". */
export const formatDate = (date: string, lang: Lang) =>
  new Intl.DateTimeFormat(locale(lang), { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${date.slice(0, 10)}T12:00:00Z`),
  )

/**
 * A due time in words: a date alone for milestones (`2026-12-08`), otherwise the day and time
 * on the organisation's clock ("Mon 7 Dec, 04:39").
 */
export function formatDue(due: string, lang: Lang, zone = ORG_ZONE): string {
  if (DATE_ONLY.test(due)) return formatDate(due, lang)
  return new Intl.DateTimeFormat(locale(lang), {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: zone,
  }).format(new Date(due))
}

/** The time left on a running legal clock, or how late it is: "due in 5 h 12 min", "2 h late". */
export const clockLeft = (dueAt: string, now: Date, lang: Lang) =>
  clockWords({ status: Date.parse(dueAt) < now.getTime() ? 'overdue' : 'open', dueAt }, now, lang)
