/**
 * EventBridge cron fields: `minutes hours day-of-month month day-of-week year`.
 * Rules follow the EventBridge reference: `, - * /` everywhere except `/` in
 * day-of-week; `? L W` in day-of-month; `? L #` in day-of-week (1 = SUN … 7 = SAT);
 * exactly one of day-of-month and day-of-week is `?`; years 1970-2199.
 * Errors are plain messages; `expression.ts` wraps them into a validation error.
 */
import { daysInMonth, weekdayOf } from './zone.js'

/** Day-of-month field. */
export type DomSpec =
  | { kind: 'any' }
  | { kind: 'days'; days: number[] }
  | { kind: 'last' }
  | { kind: 'lastWeekday' }
  | { kind: 'nearestWeekday'; day: number }

/** Day-of-week field (days in EventBridge numbering, 1 = Sunday). */
export type DowSpec =
  | { kind: 'any' }
  | { kind: 'days'; days: number[] }
  | { kind: 'nth'; day: number; nth: number }
  | { kind: 'lastOf'; day: number }

/** A parsed cron expression: sorted value lists plus the raw field texts. */
export interface CronFields {
  minutes: number[]
  hours: number[]
  dom: DomSpec
  months: number[]
  dow: DowSpec
  years: number[]
  raw: { minutes: string; hours: string; dom: string; months: string; dow: string; years: string }
}

/** Earliest and latest year EventBridge accepts. */
export const MIN_YEAR = 1970
export const MAX_YEAR = 2199

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']

interface FieldDef {
  name: string
  min: number
  max: number
  names?: string[]
  step: boolean
}

const FIELDS = {
  minutes: { name: 'minutes', min: 0, max: 59, step: true },
  hours: { name: 'hours', min: 0, max: 23, step: true },
  dom: { name: 'day-of-month', min: 1, max: 31, step: true },
  months: { name: 'month', min: 1, max: 12, names: MONTHS, step: true },
  dow: { name: 'day-of-week', min: 1, max: 7, names: DAYS, step: false },
  years: { name: 'year', min: MIN_YEAR, max: MAX_YEAR, step: true },
} satisfies Record<string, FieldDef>

const fail = (def: FieldDef, msg: string): never => {
  throw new Error(`${def.name}: ${msg}`)
}

const value = (def: FieldDef, text: string): number => {
  const upper = text.toUpperCase()
  const named = def.names?.indexOf(upper) ?? -1
  if (named >= 0) return named + def.min
  if (!/^\d+$/.test(text)) fail(def, `"${text}" is not a number${def.names ? ' or name' : ''}`)
  const n = Number(text)
  if (n < def.min || n > def.max) fail(def, `${n} is out of range ${def.min}-${def.max}`)
  return n
}

const range = (from: number, to: number, step = 1) => {
  const out: number[] = []
  for (let i = from; i <= to; i += step) out.push(i)
  return out
}

/** `*`, `n`, `a-b`, `x/step` with x one of `*`, `n`, `a-b`; comma lists of those. */
function list(def: FieldDef, text: string): number[] {
  if (text === '') fail(def, 'is empty')
  const out = new Set<number>()
  for (const part of text.split(',')) {
    if (part === '') fail(def, 'has an empty list item')
    const [base, stepText, extra] = part.split('/')
    if (extra !== undefined) fail(def, `"${part}" has more than one /`)
    let step = 1
    if (stepText !== undefined) {
      if (!def.step) fail(def, 'does not allow the / wildcard')
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1)
        fail(def, `step "${stepText}" must be a positive number`)
      step = Number(stepText)
    }
    let from: number
    let to: number
    if (base === '*') {
      from = def.min
      to = def.max
    } else if (base.includes('-')) {
      const [a, b, more] = base.split('-')
      if (more !== undefined || a === '' || b === '') fail(def, `"${base}" is not a range`)
      from = value(def, a)
      to = value(def, b)
      if (from > to) fail(def, `range ${base} runs backwards`)
    } else {
      from = value(def, base)
      to = stepText !== undefined ? def.max : from
    }
    for (const v of range(from, to, step)) out.add(v)
  }
  return [...out].sort((a, b) => a - b)
}

function parseDom(text: string): DomSpec {
  const def = FIELDS.dom
  if (text === '?') return { kind: 'any' }
  const upper = text.toUpperCase()
  if (upper === 'L') return { kind: 'last' }
  if (upper === 'LW') return { kind: 'lastWeekday' }
  const w = /^(\d+)W$/i.exec(text)
  if (w) return { kind: 'nearestWeekday', day: value(def, w[1]) }
  if (/[LW]/i.test(text)) fail(def, `"${text}" — L, LW and nW stand alone (no lists or ranges)`)
  return { kind: 'days', days: list(def, text) }
}

function parseDow(text: string): DowSpec {
  const def = FIELDS.dow
  if (text === '?') return { kind: 'any' }
  if (text.includes('#')) {
    const m = /^([^#,]+)#(\d)$/.exec(text)
    if (!m) fail(def, `"${text}" — # takes one day and an instance 1-5, e.g. 2#1 (first Monday), and no list`)
    const nth = Number(m![2])
    if (nth < 1 || nth > 5) fail(def, `instance ${nth} must be 1-5`)
    return { kind: 'nth', day: value(def, m![1]), nth }
  }
  if (text.toUpperCase() === 'L') return { kind: 'days', days: [7] }
  const l = /^(.+)L$/i.exec(text)
  if (l && !/[,\-*]/.test(l[1])) return { kind: 'lastOf', day: value(def, l[1]) }
  if (/L/i.test(text)) fail(def, `"${text}" — L stands alone or after one day (6L = last Friday)`)
  return { kind: 'days', days: list(def, text) }
}

/** Parses the six fields (already split). Throws `Error` with a field-specific message. */
export function parseCronFields(parts: string[]): CronFields {
  if (parts.length !== 6)
    throw new Error(
      `cron takes 6 fields (minutes hours day-of-month month day-of-week year), got ${parts.length}`,
    )
  const [mi, h, dom, mo, dow, y] = parts
  for (const [def, text] of [
    [FIELDS.minutes, mi],
    [FIELDS.hours, h],
    [FIELDS.months, mo.replace(/JUL/gi, '7')],
    [FIELDS.years, y],
  ] as const)
    if (/[?LW#]/i.test(text))
      fail(def, `"${text}" — ? L W # are only allowed in day-of-month and day-of-week`)
  if (/#/.test(dom)) fail(FIELDS.dom, '# is only allowed in day-of-week')
  const domSpec = parseDom(dom)
  const dowSpec = parseDow(dow)
  if ((domSpec.kind === 'any') === (dowSpec.kind === 'any'))
    throw new Error(
      'day-of-month and day-of-week: exactly one of them must be ? (e.g. cron(0 9 1 * ? *) or cron(0 9 ? * MON *))',
    )
  return {
    minutes: list(FIELDS.minutes, mi),
    hours: list(FIELDS.hours, h),
    dom: domSpec,
    months: list(FIELDS.months, mo),
    dow: dowSpec,
    years: list(FIELDS.years, y),
    raw: { minutes: mi, hours: h, dom, months: mo, dow, years: y },
  }
}

const isWeekday = (year: number, month: number, day: number) => {
  const wd = weekdayOf(year, month, day)
  return wd !== 1 && wd !== 7
}

/** The weekday (Mon-Fri) nearest to `day` without leaving the month (Quartz/EventBridge `W`). */
function nearestWeekday(year: number, month: number, day: number): number | undefined {
  const last = daysInMonth(year, month)
  if (day > last) return undefined
  const wd = weekdayOf(year, month, day)
  if (wd === 7) return day === 1 ? 3 : day - 1 // Saturday → Friday, or Monday the 3rd
  if (wd === 1) return day === last ? day - 2 : day + 1 // Sunday → Monday, or Friday before
  return day
}

/** The days of a month (ascending) on which a cron expression's day fields match. */
export function matchingDays(f: Pick<CronFields, 'dom' | 'dow'>, year: number, month: number): number[] {
  const last = daysInMonth(year, month)
  const { dom, dow } = f
  if (dom.kind === 'days') return dom.days.filter((d) => d <= last)
  if (dom.kind === 'last') return [last]
  if (dom.kind === 'lastWeekday') {
    let d = last
    while (!isWeekday(year, month, d)) d--
    return [d]
  }
  if (dom.kind === 'nearestWeekday') {
    const d = nearestWeekday(year, month, dom.day)
    return d === undefined ? [] : [d]
  }
  const first = weekdayOf(year, month, 1)
  const dayOf = (wd: number) => ((wd - first + 7) % 7) + 1 // first date with that weekday
  if (dow.kind === 'days')
    return range(1, last).filter((d) => dow.days.includes(((first - 1 + d - 1) % 7) + 1))
  if (dow.kind === 'nth') {
    const d = dayOf(dow.day) + (dow.nth - 1) * 7
    return d <= last ? [d] : []
  }
  if (dow.kind === 'lastOf') {
    let d = dayOf(dow.day)
    while (d + 7 <= last) d += 7
    return [d]
  }
  return []
}
