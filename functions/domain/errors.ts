/**
 * Typed application errors: one class per kind, each with a stable `code`, a message meant
 * for the caller, optional per-field messages and the `cause` it was raised from (the SDK
 * error, the failed check). Callers tell them apart with `instanceof`; the API maps them to
 * HTTP in one place (`functions/api/errors.ts`), so nothing here knows a status code.
 *
 * @example
 * try {
 *   await org.create(RISK, id, data, { actor })
 * } catch (err) {
 *   if (!(err instanceof ConflictError)) throw err
 *   // the id is taken: the record exists already
 * }
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

/** What every application error may carry besides its message. */
export interface ErrorOptions {
  fields?: FieldErrors
  cause?: unknown
}

/**
 * An error meant for the caller: code, message, optional fields and cause. Throw one of the
 * subclasses below (or their factories); `AppError` itself names its code for the rare kind
 * without a class of its own.
 */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly fields?: FieldErrors
  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.fields = options.fields
  }
}

/** The request's fields failed their checks (each named in `fields`). */
export class ValidationError extends AppError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('validation_failed', message, options)
    this.name = 'ValidationError'
  }
}

/** The caller is not signed in (or their sign-in is no longer valid). */
export class UnauthenticatedError extends AppError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('unauthenticated', message, options)
    this.name = 'UnauthenticatedError'
  }
}

/** The caller is signed in but may not do this. */
export class ForbiddenError extends AppError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('forbidden', message, options)
    this.name = 'ForbiddenError'
  }
}

/** No such thing in the caller's organisation (never says whether it exists elsewhere). */
export class NotFoundError extends AppError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('not_found', message, options)
    this.name = 'NotFoundError'
  }
}

/** The thing is not in a state that allows this (stale version, already done, duplicate). */
export class ConflictError extends AppError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('conflict', message, options)
    this.name = 'ConflictError'
  }
}

/** The thing existed but is gone for good (a used or revoked invitation). */
export class GoneError extends AppError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('gone', message, options)
    this.name = 'GoneError'
  }
}

/** Too many attempts in a window. */
export class RateLimitedError extends AppError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('rate_limited', message, options)
    this.name = 'RateLimitedError'
  }
}

/** The body is not of a media type the boundary takes. */
export class UnsupportedMediaTypeError extends AppError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('unsupported_media_type', message, options)
    this.name = 'UnsupportedMediaTypeError'
  }
}

/** The body is larger than the boundary takes. */
export class PayloadTooLargeError extends AppError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('payload_too_large', message, options)
    this.name = 'PayloadTooLargeError'
  }
}

/** Our side failed (the cause says how); the caller sees a generic message and the request id. */
export class InternalError extends AppError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('internal', message, options)
    this.name = 'InternalError'
  }
}

/** 400 naming the fields that failed. */
export const validationError = (fields: FieldErrors, message = 'The request has invalid fields.') =>
  new ValidationError(message, { fields })

/** 404 for an id that does not exist in the caller's organisation (never says whether it exists elsewhere). */
export const notFound = (what: string, cause?: unknown) =>
  new NotFoundError(`${what} was not found.`, { cause })

/** 403 with the reason. */
export const forbidden = (message: string, fields?: FieldErrors) => new ForbiddenError(message, { fields })

/** 409 with the reason (stale version, already completed, duplicate), keeping what caused it. */
export const conflict = (message: string, fields?: FieldErrors, cause?: unknown) =>
  new ConflictError(message, { fields, cause })

/**
 * The message of anything thrown: an `Error`'s, or the `message` of an error object that is
 * not one (JSONata throws plain objects), else the thrown value as text.
 */
export function messageOf(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'message' in err && typeof err.message === 'string')
    return err.message
  return String(err)
}
