import { timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { secretByArn } from '../../config-secret.js'
import { ForbiddenError } from '../../domain/errors.js'
import type { AppEnv } from '../env.js'

/** The header CloudFront adds to every request it forwards to the API. */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify'

const same = (a: string, b: string) => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * Middleware: on AWS only CloudFront may reach the API. API Gateway's own endpoint stays
 * reachable without a custom domain of its own, so CloudFront adds `x-origin-verify` with a
 * secret (Secrets Manager, by `secretArn`) and anything without it is refused (403). Without
 * a secret ARN (the local stack) everything passes.
 */
export function siteOnly(secretArn: string | undefined): MiddlewareHandler<AppEnv> {
  if (!secretArn) return (_c, next) => next()
  const secret = secretByArn(secretArn)
  return async function siteOnlyMiddleware(c, next) {
    if (!same(c.req.header(ORIGIN_VERIFY_HEADER) ?? '', await secret()))
      throw new ForbiddenError('The API is reached through the site only.')
    await next()
  }
}
