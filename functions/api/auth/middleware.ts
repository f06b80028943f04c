import type { Context, MiddlewareHandler } from 'hono'
import { ForbiddenError, forbidden, UnauthenticatedError, validationError } from '../../domain/errors.js'
import { isOrgId } from '../../domain/org-id.js'
import type { SessionRecord } from '../../store/identity.js'
import { type AppEnv, type Principal, ROLES, type Role } from '../env.js'
import { bearerSubject, notLinked } from './bearer.js'
import { ORG_COOKIE, readCookie, SESSION_COOKIE } from './cookies.js'
import { identityFor } from './identity-for.js'
import { safeEqual } from './tokens.js'

/** Header that names the organisation a request acts in. */
export const ORG_HEADER = 'x-org-id'
/** Header carrying the CSRF token on state-changing requests with a session cookie. */
export const CSRF_HEADER = 'x-csrf-token'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
const isRole = (r: string): r is Role => (ROLES as readonly string[]).includes(r)

/** The outcome of authentication: who, where, and (for cookie sessions) the session. */
export interface AuthResult {
  principal: Principal
  /** Set for local cookie sessions; undefined for bearer tokens. */
  session?: SessionRecord & { token: string }
}

const unauthenticated = (message = 'Sign in first.') => new UnauthenticatedError(message)

/**
 * Authenticates a request and resolves its organisation. Local mode reads the session
 * cookie; Cognito mode verifies the bearer ID token (`bearer.ts`) and finds the user bound
 * to its issuer and subject (never by e-mail; an unbound subject is a 403 `not_linked`). The
 * organisation comes from `x-org-id`, else the switcher's cookie, else the first
 * membership. Errors: 401 without a valid session or token, 403 for a missing or wrong
 * CSRF token on a state-changing cookie request, 400 for a malformed `x-org-id`, 403 for
 * an organisation the person is not a member of.
 *
 * `org: 'optional'` lets a person without any membership through with `orgId: ''`
 * (used by the session routes).
 */
export async function authenticate(
  c: Context<AppEnv>,
  options: { org?: 'required' | 'optional' } = {},
): Promise<AuthResult> {
  const deps = c.get('deps')
  const identity = identityFor(deps)
  let userId: string
  let session: AuthResult['session']

  if (deps.config.authMode === 'cognito') {
    const subject = await bearerSubject(c)
    // Bound by the provider's stable subject id; the e-mail address alone never finds anyone.
    const user = await identity.userBySubject(subject.issuer, subject.sub)
    if (!user) throw notLinked()
    userId = user.id
  } else {
    const token = readCookie(c, SESSION_COOKIE)
    if (!token) throw unauthenticated()
    const rec = await identity.getSession(token)
    if (!rec) throw unauthenticated('Your session has ended. Sign in again.')
    userId = rec.userId
    session = { ...rec, token }
    if (!SAFE_METHODS.has(c.req.method)) {
      const sent = c.req.header(CSRF_HEADER)
      if (!sent)
        throw new ForbiddenError('The CSRF token is missing.', {
          fields: { [CSRF_HEADER]: 'is missing' },
        })
      if (!safeEqual(sent, rec.csrfToken))
        throw new ForbiddenError('The CSRF token does not match the session.', {
          fields: { [CSRF_HEADER]: 'does not match the session' },
        })
    }
  }

  const principal = await principalFor(c, userId, options)
  return { principal, session }
}

/**
 * Builds the principal for a known user: memberships (valid roles only, sorted by
 * organisation name) and the current organisation, chosen by `options.orgId`, else the
 * `x-org-id` header, else the switcher's cookie, else the first membership. A named
 * organisation the person is not a member of is a 403; a malformed `x-org-id` a 400.
 */
export async function principalFor(
  c: Context<AppEnv>,
  userId: string,
  options: { org?: 'required' | 'optional'; orgId?: string } = {},
): Promise<Principal> {
  const identity = identityFor(c.get('deps'))
  const loaded = await identity.userWithMemberships(userId)
  if (!loaded) throw unauthenticated('Your account no longer exists.')
  const orgs = new Map((await identity.getOrgs(loaded.memberships.map((m) => m.orgId))).map((o) => [o.id, o]))
  const memberships = loaded.memberships
    .map((m) => ({
      orgId: m.orgId,
      orgName: orgs.get(m.orgId)?.name ?? m.orgId,
      roles: m.roles.filter(isRole),
    }))
    .filter((m) => m.roles.length > 0 && orgs.has(m.orgId))
    .sort((a, b) => a.orgName.localeCompare(b.orgName))

  const named = options.orgId ?? c.req.header(ORG_HEADER)
  let current: (typeof memberships)[number] | undefined
  if (named !== undefined) {
    if (!isOrgId(named))
      throw validationError({
        [options.orgId !== undefined ? 'orgId' : ORG_HEADER]: 'is not an organisation id',
      })
    current = memberships.find((m) => m.orgId === named)
    if (!current) throw forbidden(`You are not a member of organisation ${named}.`)
  } else {
    // The switcher's cookie was checked when it was set; a membership since revoked falls back.
    const remembered = readCookie(c, ORG_COOKIE)
    // Otherwise the person's first organisation (an external ISO's own client list grows later).
    const home = [...loaded.memberships]
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .find((m) => memberships.some((x) => x.orgId === m.orgId))
    current =
      memberships.find((m) => m.orgId === remembered) ??
      memberships.find((m) => m.orgId === home?.orgId) ??
      memberships[0]
  }
  if (!current && options.org !== 'optional') throw forbidden('You are not a member of any organisation.')
  return {
    userId,
    email: loaded.user.email,
    name: loaded.user.name,
    orgId: current?.orgId ?? '',
    roles: current?.roles ?? [],
    memberships,
  }
}

/**
 * Middleware: the request must be signed in and act in an organisation the person is a
 * member of; sets `c.get('principal')`. State-changing requests with a session cookie
 * must carry `x-csrf-token`.
 *
 * @example
 * const risks = new Hono<AppEnv>().use(requireAuth).get('/', (c) => c.json(c.get('principal').orgId))
 */
export const requireAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { principal } = await authenticate(c)
  c.set('principal', principal)
  await next()
}

/**
 * Middleware: the principal must hold at least one of `roles` in the current organisation
 * (403 otherwise). Authenticates first when `requireAuth` has not run.
 *
 * @example
 * app.get('/', requireRole('iso', 'auditor', 'management'), handler)
 */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  if (roles.length === 0) throw new Error('requireRole needs at least one role')
  return async function requireRoleMiddleware(c, next) {
    let principal = c.get('principal')
    if (!principal) {
      principal = (await authenticate(c)).principal
      c.set('principal', principal)
    }
    if (!principal.roles.some((r) => roles.includes(r)))
      throw forbidden(`This needs the role ${roles.join(' or ')}.`)
    await next()
  }
}
