import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ZodError } from 'zod'
import { AppError, type ErrorCode } from '../domain/errors.js'
import { zodFields } from '../domain/zod-fields.js'

export { zodFields }

/** The HTTP status of each application error code: the API's own knowledge, not the domain's. */
export const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
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

const requestIdOf = (c: Context) => c.get('requestId' as never) as string | undefined

/** The one place that maps errors to HTTP: `{error: {code, message, fields}}`, no stack traces. */
export function onError(err: Error, c: Context) {
  const requestId = requestIdOf(c)
  if (err instanceof AppError) {
    if (err.code === 'internal') logError(c, 'internal error', err)
    return c.json(
      { error: { code: err.code, message: err.message, fields: err.fields, requestId } },
      STATUS[err.code],
    )
  }
  if (err instanceof ZodError) {
    return c.json(
      {
        error: {
          code: 'validation_failed',
          message: 'The request has invalid fields.',
          fields: zodFields(err),
          requestId,
        },
      },
      400,
    )
  }
  if (err instanceof HTTPException) {
    const status = err.status
    const code =
      status === 413
        ? 'payload_too_large'
        : status === 401
          ? 'unauthenticated'
          : status === 403
            ? 'forbidden'
            : 'bad_request'
    return c.json({ error: { code, message: err.message || 'Bad request.', requestId } }, status)
  }
  logError(c, 'unhandled error', err)
  return c.json({ error: { code: 'internal', message: 'Something went wrong on our side.', requestId } }, 500)
}

/** Logs an error of this request as one JSON line, with the request id and the cause's chain. */
export function logError(c: Context, msg: string, err: unknown) {
  logFailure({ requestId: requestIdOf(c), path: c.req.path }, msg, err)
}

/** Logs a failure as one JSON line with where it happened (request id, path) and the cause's chain. */
export function logFailure(where: { requestId?: string; path?: string }, msg: string, err: unknown) {
  const causes: string[] = []
  for (let e = err instanceof Error ? err.cause : undefined; e !== undefined && causes.length < 5; ) {
    causes.push(String(e))
    e = e instanceof Error ? e.cause : undefined
  }
  console.error(
    JSON.stringify({
      level: 'error',
      msg,
      ...where,
      error: String(err),
      ...(causes.length ? { causes } : {}),
      stack: err instanceof Error ? err.stack : undefined,
    }),
  )
}

/**
 * For the undo of a half-done change (a rollback): the undo is attempted, and should it fail
 * too, the failure is logged with the request id (the original error is what the caller
 * sees). `await undo().catch(rollbackFailed(c.get('requestId'), 'the project'))`.
 */
export const rollbackFailed =
  (requestId: string | undefined, what: string) =>
  (err: unknown): void =>
    logFailure({ requestId }, `rollback of ${what} failed`, err)
