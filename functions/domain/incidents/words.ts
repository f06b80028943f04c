/**
 * Clocks in words, for the incident page and the register: "due in 5 h 12 min", "sent 3 h
 * early", "2 h late", in English and German, and due times on the organisation's wall clock.
 */
import { instantToLocal } from '../schedules/zone.js'
import type { Deadline } from './types.js'

export type Lang = 'en' | 'de'

const MINUTE = 60_000

/** A duration as "2 d 4 h", "5 h 12 min", "8 min" (German: "2 T. 4 Std.", "5 Std. 12 Min."). */
export function duration(ms: number, lang: Lang): string {
  const total = Math.max(0, Math.round(Math.abs(ms) / MINUTE))
  const d = Math.floor(total / 1440)
  const h = Math.floor((total % 1440) / 60)
  const m = total % 60
  const u = lang === 'de' ? { d: 'T.', h: 'Std.', m: 'Min.' } : { d: 'd', h: 'h', m: 'min' }
  if (d > 0) return h > 0 ? `${d} ${u.d} ${h} ${u.h}` : `${d} ${u.d}`
  if (h > 0) return m > 0 ? `${h} ${u.h} ${m} ${u.m}` : `${h} ${u.h}`
  return `${m} ${u.m}`
}

/** The state of a clock in words at `now`. */
export function clockWords(d: Pick<Deadline, 'status' | 'dueAt' | 'doneAt'>, now: Date, lang: Lang): string {
  const de = lang === 'de'
  const due = Date.parse(d.dueAt)
  if (d.status === 'stopped') return de ? 'gestoppt' : 'stopped'
  if (d.status === 'done' && d.doneAt) {
    const diff = due - Date.parse(d.doneAt)
    if (Math.abs(diff) < MINUTE) return de ? 'genau zur Frist gesendet' : 'sent on the dot'
    return diff > 0
      ? de
        ? `${duration(diff, lang)} vor Fristende gesendet`
        : `sent ${duration(diff, lang)} early`
      : de
        ? `${duration(diff, lang)} zu spät gesendet`
        : `sent ${duration(diff, lang)} late`
  }
  const left = due - now.getTime()
  if (left >= 0) return de ? `fällig in ${duration(left, lang)}` : `due in ${duration(left, lang)}`
  return de ? `${duration(left, lang)} überfällig` : `${duration(left, lang)} late`
}

const pad = (n: number) => String(n).padStart(2, '0')

/** An instant on the wall clock of `zone`, to the minute: `2026-03-29 11:00` plus the zone's abbreviation. */
export function localTime(iso: string, zone: string, lang: Lang): string {
  const ms = Date.parse(iso)
  const t = instantToLocal(ms, zone)
  const name =
    new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', { timeZone: zone, timeZoneName: 'short' })
      .formatToParts(new Date(ms))
      .find((p) => p.type === 'timeZoneName')?.value ?? zone
  return lang === 'de'
    ? `${pad(t.day)}.${pad(t.month)}.${t.year}, ${pad(t.hour)}:${pad(t.minute)} ${name}`
    : `${t.year}-${pad(t.month)}-${pad(t.day)} ${pad(t.hour)}:${pad(t.minute)} ${name}`
}
