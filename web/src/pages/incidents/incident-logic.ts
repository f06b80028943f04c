/**
 * What the incident pages compute: the local date and time for the report form, awareAt from
 * them (with the browser's offset), and dates on the organisation's wall clock.
 */
import { localTime } from '../../../../functions/domain/incidents/words.js'

const pad = (n: number) => String(n).padStart(2, '0')

/** Today's date and the time now on the browser's clock, for the form's defaults. */
export function nowParts(now = new Date()) {
  return {
    date: `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`,
    time: `${pad(now.getHours())}:${pad(now.getMinutes())}`,
  }
}

/** `2026-03-29` + `11:05` on the browser's clock as an ISO date-time with its offset; undefined when invalid. */
export function awareAtOf(date: string, time: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) return undefined
  const d = new Date(`${date}T${time}:00`)
  if (Number.isNaN(d.getTime())) return undefined
  const off = -d.getTimezoneOffset()
  const sign = off >= 0 ? '+' : '-'
  return `${date}T${time}:00${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`
}

/** An instant on the organisation's wall clock. */
export const at = (iso: string, zone: string, lang: 'en' | 'de') => localTime(iso, zone, lang)
