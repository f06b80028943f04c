/**
 * A schedule's timing: expression, time zone, start and end. `compileSchedule` checks
 * every field at once and returns what the occurrence functions compute with.
 */
import { DateTime } from 'luxon'
import { AppError, type FieldErrors, validationError } from '../errors.js'
import { type ParsedExpression, parseScheduleExpression } from './expression.js'
import { DEFAULT_TIME_ZONE, localToInstants, validateTimeZone } from './zone.js'

/** The timing part of a schedule, as stored and as sent by the UI. */
export interface ScheduleTiming {
  /** `cron(…)`, `rate(…)` or `at(…)`, EventBridge syntax. */
  expression: string
  /** IANA zone the expression is read in; default Europe/Berlin. */
  timeZone?: string
  /** First moment the schedule may fire (inclusive). ISO date (midnight in the zone), local date-time, or instant with offset. */
  startDate?: string
  /** The schedule fires only before this moment (exclusive). Same formats as `startDate`. */
  endDate?: string
  /** When the schedule was created; the first occurrence of a `rate` without `startDate`. */
  createdAt?: string
}

/** A checked schedule ready for computing occurrences. */
export interface CompiledSchedule {
  parsed: ParsedExpression
  zone: string
  startMs?: number
  endMs?: number
  /** First occurrence of a rate schedule (start date, else creation, else the epoch). */
  anchorMs: number
  /** The one instant of an `at` schedule. */
  atMs?: number
}

const DATE_FORMAT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/

/** Reads an ISO date or date-time in `zone`; `undefined` when malformed. */
export function parseScheduleDate(text: string, zone: string): number | undefined {
  if (!DATE_FORMAT.test(text)) return undefined
  const dt = DateTime.fromISO(text, { zone })
  return dt.isValid ? dt.toMillis() : undefined
}

/**
 * Checks a schedule's timing and compiles it. Collects every bad field into one
 * validation error (`expression`, `timeZone`, `startDate`, `endDate`, `createdAt`).
 */
export function compileSchedule(timing: ScheduleTiming): CompiledSchedule {
  const fields: FieldErrors = {}
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn()
    } catch (err) {
      Object.assign(fields, (err instanceof AppError && err.fields) || { expression: String(err) })
      return undefined
    }
  }
  const parsed = attempt(() => parseScheduleExpression(timing?.expression))
  const zone = attempt(() => validateTimeZone(timing?.timeZone ?? DEFAULT_TIME_ZONE)) ?? DEFAULT_TIME_ZONE
  const date = (name: 'startDate' | 'endDate' | 'createdAt') => {
    const v = timing?.[name]
    if (v === undefined || v === null) return undefined
    const ms = typeof v === 'string' ? parseScheduleDate(v, zone) : undefined
    if (ms === undefined)
      fields[name] = 'must be an ISO date (2026-04-01) or date-time (2026-04-01T09:00:00Z)'
    return ms
  }
  const startMs = date('startDate')
  const endMs = date('endDate')
  const createdMs = date('createdAt')
  if (startMs !== undefined && endMs !== undefined && endMs <= startMs)
    fields.endDate = 'must be after the start date'
  let atMs: number | undefined
  if (parsed?.type === 'at') {
    atMs = localToInstants(parsed.at, zone)[0]
    if (atMs === undefined)
      fields.expression = `${parsed.expression} does not exist in ${zone} (the clocks jump forward then)`
  }
  if (Object.keys(fields).length) throw validationError(fields, 'The schedule has invalid fields.')
  return { parsed: parsed!, zone, startMs, endMs, anchorMs: startMs ?? createdMs ?? 0, atMs }
}

/** Checks a schedule's timing and returns it normalised (trimmed expression, canonical zone). */
export function validateSchedule<T extends ScheduleTiming>(timing: T): T & { timeZone: string } {
  const c = compileSchedule(timing)
  return { ...timing, expression: c.parsed.expression, timeZone: c.zone }
}
