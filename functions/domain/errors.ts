/**
 * Typed application errors with a stable code. The API maps them to HTTP in one place
 * (`functions/api/errors.ts`); nothing else decides a status code.
 */
export type ErrorCode =
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'internal'

/** Per-field messages: `{ "risk.likelihood": "must be between 1 and 5" }`. */
export type FieldErrors = Record<string, string>

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
}

/** An error meant for the caller: code, message, optional fields, HTTP status derived from the code. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly fields?: FieldErrors
  readonly status: number
  constructor(code: ErrorCode, message: string, options: { fields?: FieldErrors; cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.fields = options.fields
    this.status = STATUS[code]
  }
}

/** 400 naming the fields that failed. */
export const validationError = (fields: FieldErrors, message = 'The request has invalid fields.') =>
  new AppError('validation_failed', message, { fields })

/** 404 for an id that does not exist in the caller's organisation (never says whether it exists elsewhere). */
export const notFound = (what: string) => new AppError('not_found', `${what} was not found.`)

/** 403 with the reason. */
export const forbidden = (message: string) => new AppError('forbidden', message)

/** 409 with the reason (stale version, already completed, duplicate). */
export const conflict = (message: string, fields?: FieldErrors) =>
  new AppError('conflict', message, { fields })
