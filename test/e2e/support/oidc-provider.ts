import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair } from 'jose'
import Provider, { type Configuration } from 'oidc-provider'
import { type OidcConfig, oidcConfig } from '../../../functions/config.js'

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
const page = (title: string, body: string) =>
  `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main>${body}</main></body></html>`

/**
 * The provider's login page (what Cognito's managed login is to ismsflow): the subject as
 * the username, any password. An unknown username is asked again.
 */
async function loginPage(
  provider: Provider,
  known: (sub: string) => boolean,
  req: IncomingMessage,
  res: ServerResponse,
  submitted: boolean,
) {
  const details = await provider.interactionDetails(req, res)
  if (details.prompt.name !== 'login') throw new Error(`unexpected prompt ${details.prompt.name}`)
  let problem = ''
  if (submitted) {
    let body = ''
    for await (const chunk of req) body += chunk
    const login = new URLSearchParams(body).get('username') ?? ''
    if (known(login)) {
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: login } },
        { mergeWithLastSubmission: false },
      )
      return
    }
    problem = '<p role="alert">Incorrect username or password.</p>'
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
  res.end(
    page(
      'Sign in',
      `<h1>Sign in</h1>${problem}<form method="post" action="/interaction/${escapeHtml(details.uid)}/login">
<p><label for="username">Username</label> <input id="username" name="username" autocomplete="username" required></p>
<p><label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password" required></p>
<button type="submit">Sign in</button></form>`,
    ),
  )
}

/** One person at the provider: what Cognito would put into their ID token. */
export interface ProviderAccount {
  /** The stable subject id (Cognito: a UUID); typed as the login on the provider's page. */
  sub: string
  email: string
  emailVerified: boolean
  name: string
  /** Lifetime of this person's ID tokens in seconds (default one hour, as Cognito's app client). */
  idTokenSeconds?: number
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
 * RP-initiated logout. Its login page takes the subject as the username. The
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
    clientBasedCORS: (_ctx, origin) => origin === appOrigin,
    features: {
      // The login page is ours (below): the development one loads web fonts from the internet.
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        // Sign out of the whole provider session without asking (Cognito's /logout asks nothing either).
        logoutSource: async (ctx, form) => {
          ctx.body = page(
            'Signing out',
            `${form.replace('</form>', '<input type="hidden" name="logout" value="yes"/></form>')}<script>document.forms[0].submit()</script>`,
          )
        },
      },
    },
    ttl: {
      IdToken: (ctx) => accounts.get(ctx.oidc.account?.accountId ?? '')?.idTokenSeconds ?? 3600,
      AccessToken: 3600,
      RefreshToken: 86_400,
      Session: 86_400,
      Grant: 86_400,
      Interaction: 600,
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html'
      ctx.body = page('Error', `<pre>${escapeHtml(JSON.stringify(out))}</pre>`)
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
      const callback = provider.callback()
      server.on('request', (req, res) => {
        const path = new URL(req.url ?? '/', issuer).pathname
        if (path === '/favicon.ico') return void res.writeHead(204).end()
        const m = /^\/interaction\/([\w-]+)(\/login)?$/.exec(path)
        if (!m) return void callback(req, res)
        loginPage(provider, (sub) => accounts.has(sub), req, res, m[2] !== undefined).catch((err) => {
          res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err))
        })
      })
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}
