import { Hono } from 'hono'
import type { AppEnv } from '../env.js'

/** What the web app learns before anyone signs in: how people sign in here. */
export interface ClientConfig {
  authMode: 'local' | 'cognito'
  /** The OpenID provider for the authorization code flow with PKCE; null with password sign-in. */
  oidc: {
    issuer: string
    clientId: string
    authorizationEndpoint: string
    tokenEndpoint: string
    endSessionEndpoint: string
    logoutStyle: 'cognito' | 'oidc'
    scope: string
  } | null
}

/** The scopes the web app asks for: the ID token then carries `email`, `email_verified` and `name`. */
export const OIDC_SCOPE = 'openid email profile'

/** `GET /api/config`: public, no secrets (the app client has none). */
export const clientConfig = new Hono<AppEnv>().get('/', (c) => {
  const { authMode, oidc } = c.get('deps').config
  const body: ClientConfig = {
    authMode,
    oidc: oidc
      ? {
          issuer: oidc.issuer,
          clientId: oidc.clientId,
          authorizationEndpoint: oidc.authorizationEndpoint,
          tokenEndpoint: oidc.tokenEndpoint,
          endSessionEndpoint: oidc.endSessionEndpoint,
          logoutStyle: oidc.logoutStyle,
          scope: OIDC_SCOPE,
        }
      : null,
  }
  return c.json(body)
})
