/**
 * Cadence presets the UI offers instead of raw cron: monthly, quarterly, half-yearly,
 * yearly, each on a day of the month at a local time. They produce plain EventBridge
 * cron expressions, and `detectCadence` reads such an expression back.
 */
import { validationError } from '../errors.js'
import type { Localized } from './describe.js'
import { parseScheduleExpression } from './expression.js'

/** The cadences a review programme offers. */
export const CADENCES = ['monthly', 'quarterly', 'half-yearly', 'yearly'] as const
export type Cadence = (typeof CADENCES)[number]

/** Labels for the cadence picker. */
export const CADENCE_LABELS: Record<Cadence, Localized> = {
  monthly: { en: 'Monthly', de: 'Monatlich' },
  quarterly: { en: 'Quarterly', de: 'Vierteljährlich' },
  'half-yearly': { en: 'Half-yearly', de: 'Halbjährlich' },
  yearly: { en: 'Yearly', de: 'Jährlich' },
}

/** Where in the period a cadence fires. */
export interface CadenceOptions {
  /** Day of the month 1-28 (every month has it), or 'last'. Default 1. */
  day?: number | 'last'
  /** First month of the cycle, 1-12 (quarterly from 2 = Feb, May, Aug, Nov). Default 1. */
  month?: number
  /** Local time; default 09:00. */
  hour?: number
  minute?: number
}

const MONTHS_APART: Record<Cadence, number> = { monthly: 1, quarterly: 3, 'half-yearly': 6, yearly: 12 }

const int = (v: unknown, min: number, max: number) =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max

/**
 * The cron expression of a cadence. Throws a validation error naming `cadence`, `day`,
 * `month`, `hour` or `minute`.
 *
 * @example cadenceExpression('quarterly') // 'cron(0 9 1 1,4,7,10 ? *)'
 */
export function cadenceExpression(cadence: Cadence, options: CadenceOptions = {}): string {
  const { day = 1, month = 1, hour = 9, minute = 0 } = options
  const fields: Record<string, string> = {}
  if (!CADENCES.includes(cadence)) fields.cadence = `must be one of ${CADENCES.join(', ')}`
  if (day !== 'last' && !int(day, 1, 28)) fields.day = "must be 1-28 or 'last'"
  if (!int(month, 1, 12)) fields.month = 'must be 1-12'
  if (!int(hour, 0, 23)) fields.hour = 'must be 0-23'
  if (!int(minute, 0, 59)) fields.minute = 'must be 0-59'
  if (Object.keys(fields).length) throw validationError(fields)
  const apart = MONTHS_APART[cadence]
  const months =
    apart === 1
      ? '*'
      : Array.from({ length: 12 / apart }, (_, i) => ((month - 1 + i * apart) % 12) + 1)
          .sort((a, b) => a - b)
          .join(',')
  return `cron(${minute} ${hour} ${day === 'last' ? 'L' : day} ${months} ? *)`
}

/** Reads a preset back from an expression, or `undefined` for anything else (a custom schedule). */
export function detectCadence(
  expression: string,
): ({ cadence: Cadence } & Required<CadenceOptions>) | undefined {
  let parsed: ReturnType<typeof parseScheduleExpression>
  try {
    parsed = parseScheduleExpression(expression)
  } catch {
    return undefined
  }
  if (parsed.type !== 'cron') return undefined
  const f = parsed.cron
  if (f.minutes.length !== 1 || f.hours.length !== 1 || f.raw.years !== '*' || f.dow.kind !== 'any')
    return undefined
  let day: number | 'last'
  if (f.dom.kind === 'last') day = 'last'
  else if (f.dom.kind === 'days' && f.dom.days.length === 1 && f.dom.days[0] <= 28) day = f.dom.days[0]
  else return undefined
  const m = f.months
  const cadence = CADENCES.find(
    (c) =>
      m.length === 12 / MONTHS_APART[c] && m.every((v, i) => i === 0 || v - m[i - 1] === MONTHS_APART[c]),
  )
  if (!cadence) return undefined
  return { cadence, day, month: cadence === 'monthly' ? 1 : m[0], hour: f.hours[0], minute: f.minutes[0] }
}
