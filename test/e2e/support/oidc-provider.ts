import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair } from 'jose'
import Provider, { type Configuration } from 'oidc-provider'
import { type OidcConfig, oidcConfig } from '../../../functions/config.js'

/** One person at the provider: what Cognito would put into their ID token. */
export interface ProviderAccount {
  /** The stable subject id (Cognito: a UUID); typed as the login on the provider's page. */
  sub: string
  email: string
  emailVerified: boolean
  name: string
}

/** A running provider and the API configuration that points at it. */
export interface LocalOidcProvider {
  issuer: string
  /** For `AUTH_MODE=cognito`: issuer, JWKS and endpoints of this provider. */
  config: OidcConfig
  /** Registers the app (once its port is known) and starts answering. */
  serve(appOrigin: string): void
  close(): Promise<void>
}

/**
 * A standards-conformant OpenID provider (`oidc-provider`, certified) on loopback that
 * signs people in the way Cognito's managed login does for ismsflow: authorization code
 * with PKCE for one public client, ID tokens with Cognito's claims (`sub`, `email`,
 * `email_verified`, `cognito:username`, `token_use: 'id'`), rotating refresh tokens and
 * RP-initiated logout. Its development login page takes the subject as the login. The
 * port is taken at once (the API's configuration needs the issuer); `serve(appOrigin)`
 * registers the app's callback and starts answering.
 */
export async function startOidcProvider(options: {
  clientId: string
  accounts: ProviderAccount[]
}): Promise<LocalOidcProvider> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const { privateKey } = await generateKeyPair('RS256', { extractable: true })
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'test-signing-key', alg: 'RS256', use: 'sig' }
  const accounts = new Map(options.accounts.map((a) => [a.sub, a]))

  const configuration = (appOrigin: string): Configuration => ({
    clients: [
      {
        client_id: options.clientId,
        token_endpoint_auth_method: 'none',
        application_type: 'web',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [`${appOrigin}/auth/callback`],
        post_logout_redirect_uris: [`${appOrigin}/`],
      },
    ],
    jwks: { keys: [signingKey as never] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    // Cognito's claims, all in the ID token (as Cognito puts them there).
    claims: {
      openid: ['sub', 'token_use', 'cognito:username'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    conformIdTokenClaims: false,
    findAccount: async (_ctx, sub) => {
      const a = accounts.get(sub)
      if (!a) return undefined
      return {
        accountId: a.sub,
        claims: async () => ({
          sub: a.sub,
          token_use: 'id',
          'cognito:username': a.sub,
          email: a.email,
          email_verified: a.emailVerified,
          name: a.name,
        }),
      }
    },
    // Cognito asks no consent of its own app clients.
    loadExistingGrant: async (ctx) => {
      const { oidc } = ctx
      const clientId = oidc.client!.clientId
      const grantId = oidc.result?.consent?.grantId ?? oidc.session!.grantIdFor(clientId)
      if (grantId) return oidc.provider.Grant.find(grantId)
      const grant = new oidc.provider.Grant({ clientId, accountId: oidc.session!.accountId })
      grant.addOIDCScope('openid email profile')
      await grant.save()
      oidc.session!.grantIdFor(clientId, grant.jti)
      return grant
    },
    // Like Cognito's app client: a refresh token with every sign-in, rotated on use.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        // Sign out without the provider's confirmation page (Cognito's /logout asks nothing either).
        logoutSource: async (ctx, form) => {
          ctx.body = `<!DOCTYPE html><html lang="en"><head><title>Signing out</title></head><body>${form}<script>document.forms[0].submit()</script></body></html>`
        },
      },
    },
    ttl: { IdToken: 3600, AccessToken: 3600, RefreshToken: 86_400, Session: 86_400, Grant: 86_400 },
    renderError: async (ctx, out) => {
      ctx.type = 'html'
      ctx.body = `<!DOCTYPE html><html lang="en"><head><title>Error</title></head><body><pre>${JSON.stringify(out)}</pre></body></html>`
    },
  })

  return {
    issuer,
    config: oidcConfig({
      region: 'eu-central-1',
      clientId: options.clientId,
      issuer,
      jwksUri: `${issuer}/jwks`,
      authorizationEndpoint: `${issuer}/auth`,
      tokenEndpoint: `${issuer}/token`,
      endSessionEndpoint: `${issuer}/session/end`,
    }),
    serve(appOrigin) {
      const provider = new Provider(issuer, configuration(appOrigin))
      server.on('request', provider.callback())
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}
