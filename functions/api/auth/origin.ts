import type { MiddlewareHandler } from 'hono'
import { csrf } from 'hono/csrf'
import { HTTPException } from 'hono/http-exception'
import { ForbiddenError } from '../../domain/errors.js'
import type { AppEnv } from '../env.js'

/**
 * Middleware: refuses cross-site form-like requests (hono's `csrf()`: a non-GET request
 * with a form or text content type, or none, must come from the same origin by `Origin` or
 * `Sec-Fetch-Site`). Requests with an `Authorization` header are not sent by browsers on
 * their own and pass. This is the first layer; the session's `x-csrf-token` is the second.
 */
export function originCheck(): MiddlewareHandler<AppEnv> {
  const check = csrf()
  return async function originCheckMiddleware(c, next) {
    if (c.req.header('authorization')) return next()
    let passed = false
    try {
      await check(c, async () => {
        passed = true
      })
    } catch (err) {
      if (err instanceof HTTPException && err.status === 403)
        throw new ForbiddenError('Cross-site requests are refused.', {
          fields: { origin: 'is not this site' },
        })
      throw err
    }
    if (passed) await next()
  }
}
