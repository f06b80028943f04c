import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { ZodError } from 'zod'
import { AppError } from '../domain/errors.js'
import { zodFields } from '../domain/zod-fields.js'

export { zodFields }

/** The one place that maps errors to HTTP: `{error: {code, message, fields}}`, no stack traces. */
export function onError(err: Error, c: Context) {
  const requestId = c.get('requestId' as never) as string | undefined
  if (err instanceof AppError) {
    return c.json(
      { error: { code: err.code, message: err.message, fields: err.fields, requestId } },
      err.status as 400,
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
  console.error(
    JSON.stringify({ level: 'error', requestId, path: c.req.path, error: String(err), stack: err.stack }),
  )
  return c.json({ error: { code: 'internal', message: 'Something went wrong on our side.', requestId } }, 500)
}
