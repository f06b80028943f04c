/**
 * Periods in calendar months, the EU way (Regulation (EEC, Euratom) No 1182/71, Art. 3(2)(c)):
 * a period of months ends on the same day number of the last month, or, when that month has
 * no such day, on its last day. Counted on the wall clock of the organisation's time zone, so
 * the time of day stays the same across a daylight-saving change.
 */
import { daysInMonth, instantToLocal, localToInstants } from '../schedules/zone.js'

/** `iso` plus `months` calendar months, read in `zone`; answers an ISO instant (UTC). */
export function addCalendarMonths(iso: string, months: number, zone: string): string {
  const t = instantToLocal(Date.parse(iso), zone)
  const index = t.year * 12 + (t.month - 1) + months
  const year = Math.floor(index / 12)
  const month = (index % 12) + 1
  const day = Math.min(t.day, daysInMonth(year, month))
  const local = { year, month, day, hour: t.hour, minute: t.minute, second: t.second }
  const instants = localToInstants(local, zone)
  // In a spring-forward gap the wall-clock time does not exist: take the instant an hour later.
  const ms = instants[0] ?? localToInstants({ ...local, hour: local.hour + 1 }, zone)[0]
  return new Date(ms + (Date.parse(iso) % 1000)).toISOString()
}
