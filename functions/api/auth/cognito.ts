import { CognitoJwtVerifier } from 'aws-jwt-verify'
import type { Config } from '../../config.js'

/** What ismsflow reads from a verified Cognito ID token. */
export interface CognitoIdentity {
  sub: string
  email: string
  name?: string
  groups: string[]
}

type Verifier = ReturnType<typeof createVerifier>
const createVerifier = (userPoolId: string, clientId: string) =>
  CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse: 'id' })

const verifiers = new Map<string, Verifier>()

/**
 * The process-wide verifier for the configured user pool (it caches the pool's JWKS).
 * Tests call `.cacheJwks(jwks)` on it to verify tokens they signed themselves.
 */
export function cognitoVerifier(cfg: Pick<Config, 'cognitoUserPoolId' | 'cognitoClientId'>): Verifier {
  if (!cfg.cognitoUserPoolId || !cfg.cognitoClientId)
    throw new Error('AUTH_MODE=cognito needs COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID')
  const key = `${cfg.cognitoUserPoolId}|${cfg.cognitoClientId}`
  let v = verifiers.get(key)
  if (!v) {
    v = createVerifier(cfg.cognitoUserPoolId, cfg.cognitoClientId)
    verifiers.set(key, v)
  }
  return v
}

/**
 * Verifies a Cognito ID token (signature, issuer, audience, expiry, token use). Returns
 * undefined for any invalid token; the caller answers 401 without saying why.
 */
export async function verifyCognitoToken(
  token: string,
  cfg: Pick<Config, 'cognitoUserPoolId' | 'cognitoClientId'>,
): Promise<CognitoIdentity | undefined> {
  try {
    const payload = await cognitoVerifier(cfg).verify(token)
    const email = typeof payload.email === 'string' ? payload.email : undefined
    if (!email) return undefined
    return {
      sub: payload.sub,
      email,
      name: typeof payload.name === 'string' ? payload.name : undefined,
      groups: Array.isArray(payload['cognito:groups']) ? (payload['cognito:groups'] as string[]) : [],
    }
  } catch {
    return undefined
  }
}
