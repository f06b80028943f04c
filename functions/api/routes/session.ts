import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { UnauthenticatedError } from '../../domain/errors.js'
import { clearSessionCookie, setOrgCookie } from '../auth/cookies.js'
import { identityFor } from '../auth/identity-for.js'
import { type AuthResult, authenticate, principalFor } from '../auth/middleware.js'
import { signInWithPassword } from '../auth/sign-in.js'
import type { AppEnv, Principal } from '../env.js'
import { jsonBody } from '../validate.js'

/** Body of `POST /api/session`. */
export const signInBody = z
  .object({
    email: z.email('must be an e-mail address').max(254, 'must be at most 254 characters'),
    password: z.string('must be text').min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    /** The second factor's code (or a recovery code), when the person turned it on. */
    code: z
      .string('must be text')
      .min(1, 'must not be empty')
      .max(20, 'must be at most 20 characters')
      .optional(),
  })
  .strict()

/** Body of `POST /api/session/org`. */
export const switchBody = z
  .object({ orgId: z.string('must be text').min(1, 'must not be empty').max(63, 'is too long') })
  .strict()

/** What the web app learns about its session. */
export interface SessionView {
  /** Null when nobody is signed in (no session, an ended one, or no valid token). */
  principal: Principal | null
  /** Echo in `x-csrf-token` on state-changing requests; null with bearer tokens. */
  csrfToken: string | null
  authMode: 'local' | 'cognito'
}

/** The session answer for an authentication result (also after set-up, accepting an invitation, a reset). */
export const view = (c: Context<AppEnv>, r: AuthResult): SessionView => ({
  principal: r.principal,
  csrfToken: r.session?.csrfToken ?? null,
  authMode: c.get('deps').config.authMode,
})

/**
 * `/api/session`: sign in (POST), who am I (GET; `principal: null` when nobody is), sign out
 * (DELETE), switch organisation (POST /org). Failed sign-ins answer one generic 401; too many answer 429.
 */
export const session = new Hono<AppEnv>()
  .post('/', async (c) => {
    const body = await jsonBody(c, signInBody)
    const s = await signInWithPassword(c, body.email, body.password, body.code)
    const principal = await principalFor(c, s.userId, { org: 'optional' })
    if (principal.orgId)
      await c
        .get('deps')
        .records.forOrg(principal.orgId)
        .audit({
          actor: { userId: principal.userId, name: principal.name },
          action: 'session.sign-in',
          type: 'user',
          id: principal.userId,
        })
    return c.json(view(c, { principal, session: s }))
  })
  // Who is signed in: "nobody" is an answer, not an error (an anonymous page logs no 401).
  .get('/', async (c) => {
    try {
      return c.json(view(c, await authenticate(c, { org: 'optional' })))
    } catch (err) {
      if (!(err instanceof UnauthenticatedError)) throw err
      // A refused bearer token (invalid, or its e-mail not verified) is a 401 the web app shows.
      if (c.req.header('authorization')) throw err
      const anonymous: SessionView = {
        principal: null,
        csrfToken: null,
        authMode: c.get('deps').config.authMode,
      }
      return c.json(anonymous)
    }
  })
  .delete('/', async (c) => {
    const auth = await authenticate(c, { org: 'optional' })
    if (auth.session) await identityFor(c.get('deps')).deleteSession(auth.session.token)
    clearSessionCookie(c)
    return c.body(null, 204)
  })
  .post('/org', async (c) => {
    const auth = await authenticate(c, { org: 'optional' })
    const body = await jsonBody(c, switchBody)
    const principal = await principalFor(c, auth.principal.userId, { orgId: body.orgId })
    setOrgCookie(c, principal.orgId)
    return c.json(view(c, { principal, session: auth.session }))
  })
