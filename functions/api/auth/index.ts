/**
 * Authentication and authorisation for API routes.
 *
 * @example
 * import { requireAuth, requireRole } from '../auth/index.js'
 * export const risks = new Hono<AppEnv>()
 *   .use(requireAuth)
 *   .get('/', (c) => c.json(listRisks(c.get('principal').orgId)))
 *   .post('/', requireRole('iso'), handler)
 */

export { bearerSubject, linkSignedInSubject, notLinked } from './bearer.js'
export { ORG_COOKIE, SESSION_COOKIE, SESSION_TTL_SECONDS } from './cookies.js'
export { identityFor } from './identity-for.js'
export {
  authenticate,
  CSRF_HEADER,
  ORG_HEADER,
  principalFor,
  requireAuth,
  requireRole,
} from './middleware.js'
export { originCheck } from './origin.js'
export { hashPassword, verifyPassword } from './password.js'
