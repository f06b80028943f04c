import type { Context } from 'hono'
import { NotFoundError, UnauthenticatedError } from '../../domain/errors.js'
import { checkSecondFactor } from '../accounts/second-factor.js'
import type { AppEnv } from '../env.js'
import { clientIp } from './client-ip.js'
import { SESSION_TTL_SECONDS, setSessionCookie } from './cookies.js'
import { identityFor } from './identity-for.js'
import { dummyHash, verifyPassword } from './password.js'
import { SIGN_IN_LIMIT, signInThrottle } from './rate-limit.js'
import { newToken } from './tokens.js'

/** The one message for every failed sign-in: it never says which part was wrong. */
export const SIGN_IN_FAILED = 'The e-mail address or password is not correct.'

/**
 * Local sign-in: throttles by account-and-IP and by IP (429 before checking anything once a
 * limit is reached), checks the password in constant time (a dummy hash for unknown e-mails),
 * then, for someone who turned on the second factor, asks for its code (401 naming `code`;
 * a wrong code counts as a failure like a wrong password), then stores a session and sets
 * the httpOnly cookie. Returns the new session.
 */
export async function signInWithPassword(c: Context<AppEnv>, email: string, password: string, code?: string) {
  const deps = c.get('deps')
  if (deps.config.authMode !== 'local')
    throw new NotFoundError('Password sign-in is off; sign in through Cognito.')
  const identity = identityFor(deps)
  const throttle = signInThrottle(identity)
  const ip = clientIp(c)
  try {
    await throttle.check(email, ip)
  } catch (err) {
    c.header('Retry-After', String(SIGN_IN_LIMIT.windowMinutes * 60))
    throw err
  }
  const user = await identity.userByEmail(email)
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()))
  if (!user?.passwordHash || !ok) {
    await throttle.fail(email, ip)
    throw new UnauthenticatedError(SIGN_IN_FAILED)
  }
  if (user.totp) {
    if (!code)
      throw new UnauthenticatedError('Enter the code from your authenticator app.', {
        fields: { code: 'is required' },
      })
    if (!(await checkSecondFactor(deps, user, code))) {
      await throttle.fail(email, ip)
      throw new UnauthenticatedError('The code is not correct.', {
        fields: { code: 'is not correct' },
      })
    }
  }
  await throttle.succeed(email, ip)
  return startSession(c, user.id)
}

/**
 * Signs a person in without a password check, for flows that proved who they are another
 * way (set-up, an accepted invitation, a used reset link): stores a session, sets the cookie.
 */
export async function startSession(c: Context<AppEnv>, userId: string) {
  const deps = c.get('deps')
  const token = newToken()
  const session = await identityFor(deps).createSession({
    token,
    userId,
    csrfToken: newToken(),
    ttlSeconds: SESSION_TTL_SECONDS,
  })
  setSessionCookie(c, token)
  await identityFor(deps).updateUser(userId, { lastSignInAt: deps.now().toISOString() })
  return { ...session, token }
}
