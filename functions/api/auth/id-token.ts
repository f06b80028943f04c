import { createRemoteJWKSet, jwtVerify } from 'jose'
import type { OidcConfig } from '../../config.js'

/** What ismsflow reads from a verified ID token: who (issuer + subject) and the verified e-mail. */
export interface VerifiedSubject {
  /** The provider (`iss`): the user pool on AWS. */
  issuer: string
  /** The provider's stable subject id (`sub`); people are bound by `issuer` + `sub`. */
  sub: string
  /** The e-mail address, verified by the provider (lower-cased). */
  email: string
  name?: string
  /** Cognito's `cognito:username`, for logs and the people page. */
  username?: string
}

/** Why a token was refused: `invalid` (signature, issuer, audience, expiry, shape) or an unverified e-mail. */
export type RefusalReason = 'invalid' | 'email_unverified'

/** The outcome of verifying an ID token. */
export type IdTokenResult = { ok: true; subject: VerifiedSubject } | { ok: false; reason: RefusalReason }

type KeySet = ReturnType<typeof createRemoteJWKSet>
const keySets = new Map<string, KeySet>()
/** The provider's keys, fetched once per process and cached (refetched when a token names an unknown key). */
const keySetOf = (jwksUri: string): KeySet => {
  let set = keySets.get(jwksUri)
  if (!set) {
    set = createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: 5000, cooldownDuration: 30_000 })
    keySets.set(jwksUri, set)
  }
  return set
}

/**
 * The claim rules of an ID token, apart from the signature (pure, unit-tested):
 * `token_use` is `id` (Cognito's; an access token is refused), `sub` is a non-empty string,
 * `email` is an address and `email_verified` is true (Cognito's boolean, or the string
 * `"true"` as attribute values are written). Anything else is refused.
 */
export function checkIdTokenClaims(issuer: string, payload: Record<string, unknown>): IdTokenResult {
  const { sub, email, token_use: use } = payload
  if (use !== 'id') return { ok: false, reason: 'invalid' }
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 255) return { ok: false, reason: 'invalid' }
  if (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email)) return { ok: false, reason: 'invalid' }
  const verified = payload.email_verified === true || payload.email_verified === 'true'
  if (!verified) return { ok: false, reason: 'email_unverified' }
  const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined)
  return {
    ok: true,
    subject: {
      issuer,
      sub,
      email: email.trim().toLowerCase(),
      name: str(payload.name),
      username: str(payload['cognito:username']),
    },
  }
}

/**
 * Verifies an ID token of the configured provider: RS256 signature by one of the
 * provider's keys (JWKS), `iss` equal to the issuer, `aud` equal to the app client,
 * not expired (5 s leeway), then the claim rules of `checkIdTokenClaims`. Never throws:
 * a refused token is `{ok: false, reason}`, and the caller answers 401.
 */
export async function verifyIdToken(token: string, oidc: OidcConfig): Promise<IdTokenResult> {
  let payload: Record<string, unknown>
  try {
    const out = await jwtVerify(token, keySetOf(oidc.jwksUri), {
      issuer: oidc.issuer,
      audience: oidc.clientId,
      algorithms: ['RS256'],
      requiredClaims: ['sub', 'exp', 'iat'],
      clockTolerance: 5,
    })
    payload = out.payload as Record<string, unknown>
  } catch {
    return { ok: false, reason: 'invalid' }
  }
  return checkIdTokenClaims(oidc.issuer, payload)
}
