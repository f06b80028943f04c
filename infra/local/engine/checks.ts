import { messageOf } from '../../../functions/domain/errors.js'
import { ApiError } from './errors.js'

/**
 * Input checks of the Step Functions API, with AWS's error codes and messages that name
 * the field.
 */

const NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/]{1,80}$/
const hasControl = (s: string) =>
  [...s].some((ch) => ch.charCodeAt(0) < 0x20 || (ch.charCodeAt(0) >= 0x7f && ch.charCodeAt(0) <= 0x9f))

/** A state machine or execution name (1–80 characters, AWS's character rules). */
export function checkName(value: unknown, field: string): string {
  if (typeof value !== 'string' || !NAME.test(value) || hasControl(value)) {
    throw new ApiError(
      'InvalidName',
      `Invalid ${field}: '${String(value)}' (1-80 characters, no whitespace or <>{}[]?*"#%\\^|~\`$&,;:/)`,
    )
  }
  return value
}

/** A required string field. */
export function checkString(value: unknown, field: string, max = 1024 * 1024): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ApiError(
      'ValidationException',
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null`,
    )
  }
  if (value.length > max) {
    throw new ApiError(
      'ValidationException',
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
    )
  }
  return value
}

/** An ARN of the given resource type (`stateMachine`, `execution`, `express`). */
export function checkArn(value: unknown, field: string, kinds: string[]): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ApiError(
      'ValidationException',
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null`,
    )
  }
  const m = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:([A-Za-z]+):.+$/.exec(value)
  if (!m || !kinds.includes(m[1])) throw new ApiError('InvalidArn', `Invalid Arn: '${value}' (${field})`)
  return value
}

/** A JSON document given as a string, at most 256 KiB. */
export function checkJson(
  value: unknown,
  field: string,
  code: 'InvalidExecutionInput' | 'InvalidOutput',
): { text: string; value: unknown } {
  if (value === undefined || value === null) return { text: '{}', value: {} }
  if (typeof value !== 'string') throw new ApiError(code, `${field} must be a JSON string`)
  if (Buffer.byteLength(value) > 262_144) {
    throw new ApiError(
      code === 'InvalidOutput' ? 'InvalidOutput' : 'ValidationException',
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to 262144`,
    )
  }
  try {
    return { text: value, value: JSON.parse(value) }
  } catch (err) {
    throw new ApiError(code, `Invalid ${field}: not valid JSON (${messageOf(err)})`)
  }
}

/** Page size: 1–1000, default 100. */
export function checkMaxResults(value: unknown, field = 'maxResults'): number {
  if (value === undefined || value === null || value === 0) return 100
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1000) {
    throw new ApiError(
      'ValidationException',
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must be between 0 and 1000`,
    )
  }
  return value
}

/** Opaque paging tokens. */
export const pageToken = {
  encode: (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64'),
  decode: <T>(v: unknown): T | undefined => {
    if (v === undefined || v === null) return undefined
    try {
      const text = String(v)
      if (!/^[A-Za-z0-9+/=]+$/.test(text)) throw new Error('not base64')
      return JSON.parse(Buffer.from(text, 'base64').toString('utf8'))
    } catch {
      throw new ApiError('InvalidToken', 'Invalid nextToken')
    }
  },
}
