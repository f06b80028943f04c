/**
 * Schedule expressions exactly as EventBridge Scheduler takes them:
 * `cron(minutes hours day-of-month month day-of-week year)`, `rate(value unit)` and
 * `at(yyyy-mm-ddThh:mm:ss)`. The parser refuses what EventBridge refuses, so an
 * expression accepted here can be handed to `CreateSchedule` unchanged.
 */
import { messageOf, validationError } from '../errors.js'
import { type CronFields, MAX_YEAR, MIN_YEAR, parseCronFields } from './cron.js'
import { daysInMonth, type LocalTime } from './zone.js'

/** Units of a rate expression (singular form). */
export type RateUnit = 'minute' | 'hour' | 'day'

/** A parsed schedule expression. */
export type ParsedExpression =
  | { type: 'cron'; expression: string; cron: CronFields }
  | { type: 'rate'; expression: string; value: number; unit: RateUnit; ms: number }
  | { type: 'at'; expression: string; at: Required<LocalTime> }

const UNIT_MS: Record<RateUnit, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 }

const parseRate = (body: string): { value: number; unit: RateUnit; ms: number } => {
  const m = /^(\d+)\s+([a-z]+)$/.exec(body)
  if (!m) throw new Error('rate takes a positive whole number and a unit, e.g. rate(7 days)')
  const value = Number(m[1])
  if (!Number.isSafeInteger(value) || value < 1) throw new Error('rate value must be a positive whole number')
  const word = m[2]
  const unit = word.replace(/s$/, '') as RateUnit
  if (!(unit in UNIT_MS)) throw new Error(`rate unit "${word}" must be minute(s), hour(s) or day(s)`)
  const plural = word.endsWith('s')
  if (value === 1 && plural) throw new Error(`rate of 1 takes the singular unit: rate(1 ${unit})`)
  if (value > 1 && !plural) throw new Error(`rate of ${value} takes the plural unit: rate(${value} ${unit}s)`)
  return { value, unit, ms: value * UNIT_MS[unit] }
}

const parseAt = (body: string): Required<LocalTime> => {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body)
  if (!m) throw new Error('at takes a local date and time yyyy-mm-ddThh:mm:ss, e.g. at(2026-04-01T09:00:00)')
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number)
  if (year < MIN_YEAR || year > MAX_YEAR) throw new Error(`at: year must be ${MIN_YEAR}-${MAX_YEAR}`)
  if (month < 1 || month > 12) throw new Error('at: month must be 01-12')
  if (day < 1 || day > daysInMonth(year, month))
    throw new Error(`at: ${body.slice(0, 10)} is not a calendar date`)
  if (hour > 23 || minute > 59 || second > 59) throw new Error('at: time must be 00:00:00-23:59:59')
  return { year, month, day, hour, minute, second }
}

/**
 * Parses a schedule expression. Throws a validation error naming `field` (default
 * `expression`) with what is wrong, e.g. `{ expression: 'day-of-month: 32 is out of range 1-31' }`.
 *
 * @example parseScheduleExpression('cron(0 9 1 1,4,7,10 ? *)') // quarterly on the 1st at 09:00
 */
export function parseScheduleExpression(expr: unknown, field = 'expression'): ParsedExpression {
  if (typeof expr !== 'string' || expr.trim() === '')
    throw validationError({ [field]: 'is required: cron(…), rate(…) or at(…)' })
  const expression = expr.trim()
  const m = /^(cron|rate|at)\((.*)\)$/.exec(expression)
  try {
    if (!m) throw new Error('must be cron(…), rate(…) or at(…)')
    const body = m[2].trim()
    if (m[1] === 'cron')
      return { type: 'cron', expression, cron: parseCronFields(body.split(/\s+/).filter(Boolean)) }
    if (m[1] === 'rate') return { type: 'rate', expression, ...parseRate(body) }
    return { type: 'at', expression, at: parseAt(body) }
  } catch (err) {
    throw validationError({ [field]: messageOf(err) })
  }
}
