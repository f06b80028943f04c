import type { Context } from 'hono'
import { UnauthenticatedError, validationError } from '../../domain/errors.js'
import { clientIp } from '../auth/client-ip.js'
import { hashPassword, verifyPassword } from '../auth/password.js'
import { requestLimiter, signInThrottle } from '../auth/rate-limit.js'
import type { AppEnv, Deps } from '../env.js'
import { linkGone } from './invitations.js'
import { secondFactorView } from './second-factor.js'
import { linkToken, RESET_TTL_SECONDS } from './tokens.js'

/** What the account page shows and changes. */
export async function accountView(deps: Deps, userId: string) {
  const u = await deps.identity.getUser(userId)
  if (!u) throw new UnauthenticatedError('Your account no longer exists.')
  return {
    userId: u.id,
    email: u.email,
    name: u.name,
    language: u.language ?? 'en',
    digest: !u.digestOptOut,
    lastSignInAt: u.lastSignInAt,
    /** The optional second factor (local sign-in; on AWS Cognito's MFA applies). */
    totp: secondFactorView(u),
  }
}

/**
 * Changes the password: the current one must be right (failures count like failed
 * sign-ins from this IP). Every other session ends; this one stays.
 */
export async function changePassword(
  c: Context<AppEnv>,
  userId: string,
  keepSessionToken: string | undefined,
  input: { currentPassword: string; newPassword: string },
) {
  const deps = c.get('deps')
  const user = await deps.identity.getUser(userId)
  if (!user?.passwordHash) throw validationError({ currentPassword: 'cannot be checked for this account' })
  const throttle = signInThrottle(deps.identity)
  const ip = clientIp(c)
  await throttle.check(user.email, ip)
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    await throttle.fail(user.email, ip)
    throw validationError({ currentPassword: 'is not correct' }, 'The current password is not correct.')
  }
  await deps.identity.updateUser(userId, { passwordHash: await hashPassword(input.newPassword) })
  await deps.identity.deleteUserSessions(userId, keepSessionToken)
}

/** Password reset requests: per IP (429 beyond) and per e-mail address (silently not sent beyond). */
const RESET_IP_LIMIT = { requests: 20, windowMinutes: 15 }
const RESET_EMAIL_LIMIT = { requests: 3, windowMinutes: 60 }

/**
 * "Forgot password": sends a one-time link when the address belongs to an account. The
 * caller answers the same whatever happened, so nobody learns whether an address exists.
 */
export async function requestPasswordReset(c: Context<AppEnv>, email: string): Promise<void> {
  const deps = c.get('deps')
  await requestLimiter(deps.identity, 'reset-ip', RESET_IP_LIMIT).enforce(
    clientIp(c),
    'password reset requests',
  )
  if (!(await requestLimiter(deps.identity, 'reset-email', RESET_EMAIL_LIMIT).hit(email))) return
  const user = await deps.identity.userByEmail(email)
  if (!user) return
  const token = linkToken()
  await deps.identity.createOneTimeToken({
    token,
    purpose: 'password-reset',
    userId: user.id,
    ttlSeconds: RESET_TTL_SECONDS,
  })
  await deps.mail.send(
    'password-reset',
    { email: user.email, name: user.name, language: user.language },
    { link: `${deps.config.publicUrl}/reset-password/${token}`, expiresInHours: RESET_TTL_SECONDS / 3600 },
  )
}

/** Link lookups per IP: guessing tokens is hopeless, but hammering is refused anyway. */
export const LINK_IP_LIMIT = { requests: 60, windowMinutes: 15 }

/** The one-time token behind a reset or set-password link, when it can still be used (410 otherwise). */
export async function usableResetToken(c: Context<AppEnv>, token: string) {
  const deps = c.get('deps')
  await requestLimiter(deps.identity, 'link-ip', LINK_IP_LIMIT).enforce(clientIp(c))
  const rec = await deps.identity.getOneTimeToken(token)
  if (!rec || rec.usedAt || rec.expiresAt <= Math.floor(deps.now().getTime() / 1000)) throw linkGone()
  const user = await deps.identity.getUser(rec.userId)
  if (!user) throw linkGone()
  return { rec, user }
}

/** Sets a new password through a one-time link: used once, ends every session of the person. */
export async function resetPassword(c: Context<AppEnv>, token: string, password: string) {
  const deps = c.get('deps')
  const { user } = await usableResetToken(c, token)
  if (!(await deps.identity.useOneTimeToken(token))) throw linkGone()
  await deps.identity.updateUser(user.id, { passwordHash: await hashPassword(password) })
  await deps.identity.deleteUserSessions(user.id)
  return user
}
