/**
 * Plain-language descriptions of schedules for the UI, in English and German:
 * "every quarter on the 1st at 09:00 (Europe/Berlin)" / "vierteljährlich am 1. um 09:00 Uhr (Europe/Berlin)".
 * Formatting is done by hand (not Intl) so browser and server print the same text.
 */
import type { CronFields } from './cron.js'
import { nextOccurrences } from './occurrences.js'
import { type CompiledSchedule, compileSchedule, type ScheduleTiming } from './schedule.js'
import { instantToLocal } from './zone.js'

/** A text in both languages. */
export type Localized = { en: string; de: string }

const MONTHS: Localized[] = [
  ['January', 'Januar'],
  ['February', 'Februar'],
  ['March', 'März'],
  ['April', 'April'],
  ['May', 'Mai'],
  ['June', 'Juni'],
  ['July', 'Juli'],
  ['August', 'August'],
  ['September', 'September'],
  ['October', 'Oktober'],
  ['November', 'November'],
  ['December', 'Dezember'],
].map(([en, de]) => ({ en, de }))

/** Indexed by EventBridge day number - 1 (0 = Sunday). */
const DAYS: Localized[] = [
  ['Sunday', 'Sonntag'],
  ['Monday', 'Montag'],
  ['Tuesday', 'Dienstag'],
  ['Wednesday', 'Mittwoch'],
  ['Thursday', 'Donnerstag'],
  ['Friday', 'Freitag'],
  ['Saturday', 'Samstag'],
].map(([en, de]) => ({ en, de }))

const NTH: Localized[] = [
  ['first', 'ersten'],
  ['second', 'zweiten'],
  ['third', 'dritten'],
  ['fourth', 'vierten'],
  ['fifth', 'fünften'],
].map(([en, de]) => ({ en, de }))

const ordinalEn = (n: number) => {
  const t = n % 100
  if (t >= 11 && t <= 13) return `${n}th`
  return `${n}${({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th'}`
}

const join = (items: string[], and: string) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`
const both = (fn: (lang: 'en' | 'de') => string): Localized => ({ en: fn('en'), de: fn('de') })
const pad = (n: number) => String(n).padStart(2, '0')
const hhmm = (h: number, m: number) => `${pad(h)}:${pad(m)}`

const isStep = (values: number[], step: number) =>
  values.every((v, i) => i === 0 || v - values[i - 1] === step)

function timePhrase(f: CronFields): Localized | undefined {
  const { minutes, hours } = f
  if (minutes.length * hours.length <= 4) {
    const times = hours.flatMap((h) => minutes.map((m) => hhmm(h, m)))
    return { en: `at ${join(times, 'and')}`, de: `um ${join(times, 'und')} Uhr` }
  }
  const allHours = hours.length === 24
  if (
    allHours &&
    minutes.length > 1 &&
    minutes[0] === 0 &&
    isStep(minutes, minutes[1] - minutes[0]) &&
    60 % (minutes[1] - minutes[0]) === 0
  ) {
    const n = minutes[1] - minutes[0]
    return { en: `every ${n} minutes`, de: `alle ${n} Minuten` }
  }
  if (allHours && minutes.length === 1)
    return { en: `every hour at minute ${minutes[0]}`, de: `stündlich zur Minute ${minutes[0]}` }
  return undefined
}

function dayPhrase(f: CronFields): Localized | 'every-day' | undefined {
  const { dom, dow } = f
  if (dom.kind === 'days') {
    if (dom.days.length === 31) return 'every-day'
    return {
      en: `on the ${join(dom.days.map(ordinalEn), 'and')}`,
      de: `am ${join(
        dom.days.map((d) => `${d}.`),
        'und',
      )}`,
    }
  }
  if (dom.kind === 'last') return { en: 'on the last day', de: 'am letzten Tag' }
  if (dom.kind === 'lastWeekday') return { en: 'on the last weekday', de: 'am letzten Werktag' }
  if (dom.kind === 'nearestWeekday')
    return {
      en: `on the weekday nearest the ${ordinalEn(dom.day)}`,
      de: `am Werktag, der dem ${dom.day}. am nächsten liegt`,
    }
  if (dow.kind === 'nth')
    return both((l) =>
      l === 'en'
        ? `on the ${NTH[dow.nth - 1].en} ${DAYS[dow.day - 1].en}`
        : `am ${NTH[dow.nth - 1].de} ${DAYS[dow.day - 1].de}`,
    )
  if (dow.kind === 'lastOf')
    return both((l) =>
      l === 'en' ? `on the last ${DAYS[dow.day - 1].en}` : `am letzten ${DAYS[dow.day - 1].de}`,
    )
  return undefined
}

function weekdaysPhrase(days: number[]): Localized {
  if (days.length === 7) return { en: 'every day', de: 'täglich' }
  if (days.join() === '2,3,4,5,6')
    return { en: 'every weekday (Monday to Friday)', de: 'werktags (Montag bis Freitag)' }
  return both(
    (l) =>
      `${l === 'en' ? 'every' : 'jeden'} ${join(
        days.map((d) => DAYS[d - 1][l]),
        l === 'en' ? 'and' : 'und',
      )}`,
  )
}

function monthsList(months: number[]): Localized {
  return both((l) =>
    join(
      months.map((m) => MONTHS[m - 1][l]),
      l === 'en' ? 'and' : 'und',
    ),
  )
}

function periodPhrase(f: CronFields, day: Localized): Localized {
  const m = f.months
  const listed = monthsList(m)
  if (m.length === 12) return { en: `every month ${day.en}`, de: `monatlich ${day.de}` }
  if ((m.length === 4 && isStep(m, 3)) || (m.length === 2 && m[1] - m[0] === 6)) {
    const quarter = m.length === 4
    const which = m[0] === 1 ? { en: '', de: '' } : { en: ` (${listed.en})`, de: ` (${listed.de})` }
    return quarter
      ? { en: `every quarter${which.en} ${day.en}`, de: `vierteljährlich${which.de} ${day.de}` }
      : { en: `every half-year${which.en} ${day.en}`, de: `halbjährlich${which.de} ${day.de}` }
  }
  if (m.length === 1) {
    const dom = f.dom
    if (dom.kind === 'days' && dom.days.length === 1)
      return {
        en: `every year on ${dom.days[0]} ${listed.en}`,
        de: `jährlich am ${dom.days[0]}. ${listed.de}`,
      }
    return { en: `every year in ${listed.en} ${day.en}`, de: `jährlich im ${listed.de} ${day.de}` }
  }
  return { en: `in ${listed.en} ${day.en}`, de: `im ${listed.de} ${day.de}` }
}

function describeCron(f: CronFields): Localized | undefined {
  const time = timePhrase(f)
  if (!time) return undefined
  const day = dayPhrase(f)
  let when: Localized
  if (day === 'every-day' || (f.dow.kind === 'days' && f.dom.kind === 'any')) {
    const wd =
      day === 'every-day'
        ? { en: 'every day', de: 'täglich' }
        : weekdaysPhrase((f.dow as { days: number[] }).days)
    if (f.months.length === 12) when = wd
    else {
      const listed = monthsList(f.months)
      when = { en: `${wd.en} in ${listed.en}`, de: `${wd.de} im ${listed.de}` }
    }
  } else if (day) when = periodPhrase(f, day)
  else return undefined
  const interval = !time.en.startsWith('at ')
  if (interval && when.en === 'every day') return withYears(f, time)
  return withYears(f, { en: `${when.en} ${time.en}`, de: `${when.de} ${time.de}` })
}

/** Appends the year restriction, if any. */
function withYears(f: CronFields, before: Localized): Localized {
  const y =
    f.raw.years === '*' ? { en: '', de: '' } : { en: ` in ${f.raw.years}`, de: ` im Jahr ${f.raw.years}` }
  return { en: `${before.en}${y.en}`, de: `${before.de}${y.de}` }
}

/** "1 April 2026, 09:00" / "1. April 2026, 09:00 Uhr" in the schedule's zone, with the weekday if asked. */
export function formatLocal(ms: number, zone: string, options: { weekday?: boolean } = {}): Localized {
  const t = instantToLocal(ms, zone)
  const wd = new Date(Date.UTC(t.year, t.month - 1, t.day)).getUTCDay()
  const time = hhmm(t.hour, t.minute)
  return {
    en: `${options.weekday ? `${DAYS[wd].en}, ` : ''}${t.day} ${MONTHS[t.month - 1].en} ${t.year}, ${time}`,
    de: `${options.weekday ? `${DAYS[wd].de}, ` : ''}${t.day}. ${MONTHS[t.month - 1].de} ${t.year}, ${time} Uhr`,
  }
}

/**
 * Describes a schedule in English and German, ending with the zone for cron and at.
 * Expressions too irregular to put in words are shown as they are.
 *
 * @example describeSchedule({ expression: 'cron(0 9 1 1,4,7,10 ? *)' }).en
 * // 'every quarter on the 1st at 09:00 (Europe/Berlin)'
 */
export function describeSchedule(schedule: ScheduleTiming | CompiledSchedule): Localized {
  const c = 'parsed' in schedule ? schedule : compileSchedule(schedule)
  const p = c.parsed
  const zone = ` (${c.zone})`
  if (p.type === 'rate') {
    const unit = {
      minute: ['minute', 'minutes', 'jede Minute', 'Minuten'],
      hour: ['hour', 'hours', 'stündlich', 'Stunden'],
      day: ['day (every 24 hours)', 'days', 'täglich (alle 24 Stunden)', 'Tage'],
    }[p.unit]
    return p.value === 1
      ? { en: `every ${unit[0]}`, de: unit[2] }
      : { en: `every ${p.value} ${unit[1]}`, de: `alle ${p.value} ${unit[3]}` }
  }
  if (p.type === 'at') {
    const at = formatLocal(c.atMs!, c.zone)
    const [dEn, tEn] = at.en.split(', ')
    const [dDe, tDe] = at.de.split(', ')
    return { en: `once on ${dEn} at ${tEn}${zone}`, de: `einmalig am ${dDe} um ${tDe}${zone}` }
  }
  const text = describeCron(p.cron)
  if (!text)
    return { en: `on the schedule ${p.expression}${zone}`, de: `nach dem Zeitplan ${p.expression}${zone}` }
  return { en: `${text.en}${zone}`, de: `${text.de}${zone}` }
}

/** The next due date of a schedule, for "the next due date is shown". */
export interface NextDue {
  /** The instant (ISO, UTC), absent when the schedule has no further occurrence. */
  at?: string
  /** The calendar date in the schedule's zone (yyyy-mm-dd). */
  date?: string
  text: Localized
}

/**
 * The next occurrence strictly after `now`, with a sentence for the UI:
 * "Next due: Wednesday, 1 April 2026, 09:00 (Europe/Berlin)".
 */
export function describeNextDue(
  schedule: ScheduleTiming | CompiledSchedule,
  now: Date | string | number,
): NextDue {
  const c = 'parsed' in schedule ? schedule : compileSchedule(schedule)
  const [next] = nextOccurrences(c, now, 1)
  if (!next) return { text: { en: 'No further due dates', de: 'Keine weiteren Fälligkeiten' } }
  const when = formatLocal(next.getTime(), c.zone, { weekday: true })
  const t = instantToLocal(next.getTime(), c.zone)
  return {
    at: next.toISOString(),
    date: `${t.year}-${pad(t.month)}-${pad(t.day)}`,
    text: { en: `Next due: ${when.en} (${c.zone})`, de: `Nächste Fälligkeit: ${when.de} (${c.zone})` },
  }
}
