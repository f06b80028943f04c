import type { Context } from 'hono'
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '../../domain/errors.js'
import { normaliseEmail } from '../../store/identity.js'
import type { AppEnv } from '../env.js'
import { type VerifiedSubject, verifyIdToken } from './id-token.js'
import { identityFor } from './identity-for.js'

const BEARER = /^Bearer ([A-Za-z0-9\-_.]+)$/

/** 403 for a valid token whose provider account is bound to no ismsflow user. */
export const notLinked = () =>
  new ForbiddenError('Your sign-in is not linked to an ismsflow account. Open your invitation link.', {
    fields: { sub: 'is not linked to an ismsflow account' },
  })

/**
 * The verified subject of a request's `Authorization: Bearer <ID token>` (Cognito mode),
 * whether or not it is bound to an ismsflow user yet. 401 without a header, for a token
 * that fails verification, and for an e-mail address the provider has not verified.
 */
export async function bearerSubject(c: Context<AppEnv>): Promise<VerifiedSubject> {
  const { oidc } = c.get('deps').config
  if (!oidc) throw new NotFoundError('Bearer sign-in is off; this installation signs in with a password.')
  const match = BEARER.exec(c.req.header('authorization') ?? '')
  if (!match) throw new UnauthenticatedError('Sign in first.')
  const result = await verifyIdToken(match[1], oidc)
  if (!result.ok)
    throw result.reason === 'email_unverified'
      ? new UnauthenticatedError('Your e-mail address is not verified.', {
          fields: { email_verified: 'must be true' },
        })
      : new UnauthenticatedError('The sign-in token is not valid.')
  return result.subject
}

/**
 * Links the provider account of the signed-in request to an ismsflow user: the step that
 * accepting an invitation takes on AWS ("accept while signed in"). The token's verified
 * e-mail must be the invited address (a forwarded link cannot be claimed by someone
 * else's account). Idempotent; a subject or user bound elsewhere is a 409.
 *
 * @example
 * // in the invitation's accept route, Cognito mode:
 * const subject = await linkSignedInSubject(c, { userId: invitee.id, invitedEmail: invitation.email })
 */
export async function linkSignedInSubject(
  c: Context<AppEnv>,
  target: { userId: string; invitedEmail: string },
): Promise<VerifiedSubject> {
  const subject = await bearerSubject(c)
  if (subject.email !== normaliseEmail(target.invitedEmail))
    throw new ForbiddenError('This invitation is for another e-mail address.', {
      fields: { email: 'is not the invited address' },
    })
  await identityFor(c.get('deps')).bindSubject(target.userId, subject.issuer, subject.sub)
  return subject
}
