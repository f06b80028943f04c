import { createHash } from 'node:crypto'
import { conflict } from '../../domain/errors.js'
import type { UserPool } from '../../user-pool.js'
import type { Deps } from '../env.js'
import { type SetupInput, setUpInstallation } from './organisations.js'
import { linkToken } from './tokens.js'

/**
 * Sign-in accounts at the Cognito user pool (`AUTH_MODE=cognito`): Cognito owns passwords
 * there, so ismsflow never asks for one. An invitation (and the set-up) creates the
 * person's account with `AdminCreateUser` (e-mail verified, Cognito's own message
 * suppressed) and a temporary password that the managed login makes them replace at the
 * first sign-in. The person is bound by the account's `sub`, never by the e-mail address.
 */

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ'
const LOWER = 'abcdefghijkmnpqrstuvwxyz'
const DIGITS = '23456789'

/**
 * The temporary password of an invitation, derived from its link token (so it is never
 * stored, and only who holds the link sees it): four groups of upper, lower, digit, lower
 * joined by `-` (19 characters, ~67 bits), which meets the user pool's policy (12+
 * characters with upper and lower case, digits and symbols). Stored token hashes are of
 * another derivation and do not reveal it.
 *
 * @example temporaryPasswordFor(token) // 'Kx7p-Qm2r-Tz9w-Hc4n'
 */
export function temporaryPasswordFor(token: string): string {
  const bytes = createHash('sha256').update('ismsflow temporary password\0').update(token).digest()
  const groups: string[] = []
  for (let g = 0; g < 4; g++) {
    const b = bytes.subarray(g * 4, g * 4 + 4)
    groups.push(
      UPPER[b[0] % UPPER.length] +
        LOWER[b[1] % LOWER.length] +
        DIGITS[b[2] % DIGITS.length] +
        LOWER[b[3] % LOWER.length],
    )
  }
  return groups.join('-')
}

/** A fresh random temporary password (the set-up, which has no link). */
export const randomTemporaryPassword = () => temporaryPasswordFor(linkToken())

/** The user pool, or an error naming what is missing (only called in Cognito mode). */
export function userPoolOf(deps: Deps): UserPool {
  if (!deps.userPool) throw new Error('AUTH_MODE=cognito needs COGNITO_USER_POOL_ID to create sign-ins')
  return deps.userPool
}

/**
 * Creates (or finds) the invited person's account at the user pool, with the temporary
 * password of this invitation's link. Answers the account's `sub`, which the invitation
 * keeps: only that account may accept it.
 */
export async function provisionInvitee(
  deps: Deps,
  invitee: { email: string; name?: string },
  token: string,
): Promise<string> {
  const pool = userPoolOf(deps)
  const account = await pool.ensureUser({ ...invitee, temporaryPassword: temporaryPasswordFor(token) })
  return account.sub
}

/**
 * How the invitee signs in at the managed login: with the temporary password of this link
 * while they have not chosen their own (it is set again here, so the latest link of any
 * invitation to them works), else with their own password (nothing shown).
 */
export async function inviteeSignIn(deps: Deps, email: string, token: string) {
  const pool = userPoolOf(deps)
  const account = await pool.getUser(email)
  if (account?.status !== 'FORCE_CHANGE_PASSWORD') return {}
  const temporaryPassword = temporaryPasswordFor(token)
  await pool.setTemporaryPassword(email, temporaryPassword)
  return { temporaryPassword }
}

/**
 * Sets up an installation on AWS (the set-up page without a sign-in, and `npm run setup`):
 * the ISO's account at the user pool (created, or the existing one), then the organisation
 * and the ISO bound to the account's `sub`. Answers the temporary password to show once,
 * unless the account has its own password already.
 */
export async function setUpWithUserPool(deps: Deps, input: Omit<SetupInput, 'password'>, by: 'web' | 'cli') {
  const oidc = deps.config.oidc
  if (!oidc)
    throw new Error('AUTH_MODE=cognito needs the OpenID settings (COGNITO_CLIENT_ID, COGNITO_DOMAIN)')
  const pool = userPoolOf(deps)
  if (await deps.identity.isSetUp())
    throw conflict(
      'ismsflow is set up already. Sign in, or ask your information security officer for an invitation.',
    )
  let temporaryPassword: string | undefined = randomTemporaryPassword()
  const account = await pool.ensureUser({ email: input.email, name: input.name, temporaryPassword })
  if (!account.created) {
    if (account.status === 'FORCE_CHANGE_PASSWORD')
      await pool.setTemporaryPassword(input.email, temporaryPassword)
    else temporaryPassword = undefined
  }
  const done = await setUpInstallation(deps, input, by, { link: false })
  await deps.identity.bindSubject(done.userId, oidc.issuer, account.sub)
  return { ...done, email: input.email, temporaryPassword }
}
