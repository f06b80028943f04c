/**
 * Due dates. A due *date* (a measure due on 31 January 2027) is a day, not a moment: it is
 * stored as the last second of that UTC day (`2027-01-31T23:59:59.000Z`, so timers and
 * "overdue" compare instants), and shown on that date — in the calendar as an all-day
 * entry, in the iCalendar feed as `DTSTART;VALUE=DATE:20270131`. Any other due instant
 * falls on its local date in the organisation's time zone.
 */
import { DEFAULT_TIME_ZONE } from '../schedules/default-zone.js'

const DATE = /^\d{4}-\d{2}-\d{2}$/
const END_OF_UTC_DAY = /^(\d{4}-\d{2}-\d{2})T23:59:59(?:\.0{1,3})?Z$/

/** The stored instant of a due date: the last second of that day, `2027-01-31T23:59:59.000Z`. */
export const endOfDueDate = (date: string) => `${date}T23:59:59.000Z`

/** Whether a stored due is a due date (written with `endOfDueDate`, or a bare `yyyy-mm-dd`). */
export const isDueDate = (due: string) => DATE.test(due) || END_OF_UTC_DAY.test(due)

/**
 * The day a due falls on (`yyyy-mm-dd`): a due date is its own date; any other instant is
 * its local date in `zone` (default the organisation's, Europe/Berlin).
 *
 * @example dueDateOf('2027-01-31T23:59:59.000Z') // '2027-01-31', not 1 February in Berlin
 */
export function dueDateOf(due: string, zone: string = DEFAULT_TIME_ZONE): string {
  if (DATE.test(due)) return due
  const date = END_OF_UTC_DAY.exec(due)?.[1]
  if (date) return date
  // Intl rather than the schedule module's zone arithmetic: the browser uses this too.
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(due))
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  return `${part('year')}-${part('month')}-${part('day')}`
}
