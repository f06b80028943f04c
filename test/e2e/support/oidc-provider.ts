import { randomBytes, randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair } from 'jose'
import Provider, { type Configuration } from 'oidc-provider'
import { type OidcConfig, oidcConfig } from '../../../functions/config.js'

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
const page = (title: string, body: string) =>
  `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main>${body}</main></body></html>`

/**
 * The provider's login page (what Cognito's managed login is to ismsflow): the subject or
 * the e-mail address as the username. An account made through the admin API
 * (`AdminCreateUser`) needs its password, and while its password is temporary the page asks
 * for a new one first (as the managed login does); the test's own accounts take any
 * password. An unknown username or a wrong password is asked again.
 */
async function loginPage(
  provider: Provider,
  find: (login: string) => ProviderAccount | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  submitted: boolean,
) {
  const details = await provider.interactionDetails(req, res)
  if (details.prompt.name !== 'login') throw new Error(`unexpected prompt ${details.prompt.name}`)
  let problem = ''
  let changing: { login: string; password: string } | undefined
  if (submitted) {
    let body = ''
    for await (const chunk of req) body += chunk
    const form = new URLSearchParams(body)
    const login = form.get('username') ?? ''
    const password = form.get('password') ?? ''
    const newPassword = form.get('newPassword')
    const account = find(login)
    if (account && (account.password === undefined || account.password === password)) {
      if (account.status === 'FORCE_CHANGE_PASSWORD' && !(newPassword && newPassword.length >= 12)) {
        changing = { login, password }
        if (newPassword !== null)
          problem = '<p role="alert">Enter a new password of at least 12 characters.</p>'
      } else {
        if (account.status === 'FORCE_CHANGE_PASSWORD' && newPassword) {
          account.password = newPassword
          account.status = 'CONFIRMED'
        }
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId: account.sub } },
          { mergeWithLastSubmission: false },
        )
        return
      }
    } else problem = '<p role="alert">Incorrect username or password.</p>'
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
  const action = `/interaction/${escapeHtml(details.uid)}/login`
  res.end(
    changing
      ? page(
          'Change password',
          `<h1>Change password</h1>${problem}<form method="post" action="${action}">
<input type="hidden" name="username" value="${escapeHtml(changing.login)}">
<input type="hidden" name="password" value="${escapeHtml(changing.password)}">
<p><label for="newPassword">New password</label> <input id="newPassword" name="newPassword" type="password" autocomplete="new-password" required></p>
<button type="submit">Change password</button></form>`,
        )
      : page(
          'Sign in',
          `<h1>Sign in</h1>${problem}<form method="post" action="${action}">
<p><label for="username">Username</label> <input id="username" name="username" autocomplete="username" required></p>
<p><label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password" required></p>
<button type="submit">Sign in</button></form>`,
        ),
  )
}

/** A request to the user pool's admin API, as the provider received it (the recorded request shape). */
export interface AdminRequest {
  /** `AdminCreateUser`, `AdminGetUser`, `AdminSetUserPassword`. */
  operation: string
  body: AdminBody
  /** Whether it was signed with Signature V4 (as every SDK request is). */
  signed: boolean
}

/** The fields of the admin requests ismsflow sends. */
interface AdminBody {
  UserPoolId?: string
  Username?: string
  TemporaryPassword?: string
  MessageAction?: string
  UserAttributes?: { Name: string; Value: string }[]
  Password?: string
  Permanent?: boolean
}

const ADMIN_TARGET = 'AWSCognitoIdentityProviderService.'

/**
 * The user pool's admin API (AWS JSON 1.1, `X-Amz-Target: AWSCognitoIdentityProviderService.*`),
 * as much of it as ismsflow calls: `AdminCreateUser`, `AdminGetUser`, `AdminSetUserPassword`,
 * with Cognito's answers and error types (`UsernameExistsException`, `UserNotFoundException`).
 * Accounts it creates sign in at the login page above.
 */
async function adminApi(
  pool: { userPoolId: string; accounts: Map<string, ProviderAccount>; requests: AdminRequest[] },
  req: IncomingMessage,
  res: ServerResponse,
) {
  let raw = ''
  for await (const chunk of req) raw += chunk
  const operation = String(req.headers['x-amz-target']).slice(ADMIN_TARGET.length)
  const body: AdminBody = JSON.parse(raw || '{}')
  pool.requests.push({
    operation,
    body,
    signed: String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 '),
  })
  const answer = (status: number, out: unknown) =>
    void res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(out))
  const fail = (type: string, message: string) => answer(400, { __type: type, message })
  if (body.UserPoolId !== pool.userPoolId)
    return fail('ResourceNotFoundException', `User pool ${body.UserPoolId} does not exist.`)
  const byLogin = (login = '') =>
    [...pool.accounts.values()].find((a) => a.sub === login || a.email === login.toLowerCase())
  const attributes = (a: ProviderAccount) => [
    { Name: 'sub', Value: a.sub },
    { Name: 'email', Value: a.email },
    { Name: 'email_verified', Value: String(a.emailVerified) },
    { Name: 'name', Value: a.name },
  ]
  const user = byLogin(body.Username)
  switch (operation) {
    case 'AdminCreateUser': {
      if (user) return fail('UsernameExistsException', 'An account with the given email already exists.')
      const attr = (name: string) => body.UserAttributes?.find((x) => x.Name === name)?.Value
      const account: ProviderAccount = {
        sub: randomUUID(),
        email: String(attr('email') ?? body.Username).toLowerCase(),
        emailVerified: attr('email_verified') === 'true',
        name: attr('name') ?? '',
        password: body.TemporaryPassword ?? randomBytes(12).toString('base64url'),
        status: 'FORCE_CHANGE_PASSWORD',
      }
      pool.accounts.set(account.sub, account)
      return answer(200, {
        User: {
          Username: account.sub,
          Attributes: attributes(account),
          UserStatus: account.status,
          Enabled: true,
          UserCreateDate: Date.now() / 1000,
        },
      })
    }
    case 'AdminGetUser':
      if (!user) return fail('UserNotFoundException', 'User does not exist.')
      return answer(200, {
        Username: user.sub,
        UserAttributes: attributes(user),
        UserStatus: user.status ?? 'CONFIRMED',
        Enabled: true,
      })
    case 'AdminSetUserPassword':
      if (!user) return fail('UserNotFoundException', 'User does not exist.')
      user.password = body.Password ?? ''
      user.status = body.Permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD'
      return answer(200, {})
    default:
      return fail('UnknownOperationException', `Unknown operation ${operation}`)
  }
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
  /** The password (accounts made through the admin API); without one any password signs in. */
  password?: string
  /** `FORCE_CHANGE_PASSWORD` while the password is temporary (the login page asks for a new one). */
  status?: 'FORCE_CHANGE_PASSWORD' | 'CONFIRMED'
}

/** A running provider and the API configuration that points at it. */
export interface LocalOidcProvider {
  issuer: string
  /** For `AUTH_MODE=cognito`: issuer, JWKS and endpoints of this provider. */
  config: OidcConfig
  /** The user pool's admin API on the same port: `cognitoEndpoint` and `cognitoUserPoolId` for the API. */
  userPool: { endpoint: string; userPoolId: string; requests: AdminRequest[] }
  /** The account with this e-mail address, if any (e.g. one the admin API created). */
  accountByEmail(email: string): ProviderAccount | undefined
  /** The account with this e-mail address; throws when there is none. */
  account(email: string): ProviderAccount
  /** Registers the app (once its port is known) and starts answering. */
  serve(appOrigin: string): void
  close(): Promise<void>
}

/**
 * A standards-conformant OpenID provider (`oidc-provider`, certified) on loopback that
 * signs people in the way Cognito's managed login does for ismsflow: authorization code
 * with PKCE for one public client, ID tokens with Cognito's claims (`sub`, `email`,
 * `email_verified`, `cognito:username`, `token_use: 'id'`), rotating refresh tokens and
 * RP-initiated logout. Its login page takes the subject (or e-mail) as the username. On the
 * same port it answers the user pool's admin API (`AdminCreateUser` and friends) for
 * `AUTH_MODE=cognito` with `COGNITO_ENDPOINT`, so invitations create real sign-ins here. The
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
  const accounts = new Map(options.accounts.map((a) => [a.sub, { ...a }]))
  const accountByEmail = (email: string) =>
    [...accounts.values()].find((a) => a.email === email.toLowerCase())
  const requests: AdminRequest[] = []
  const pool = { userPoolId: 'eu-central-1_ismsflowTest', accounts, requests }
  const byLogin = (login: string) =>
    [...accounts.values()].find((a) => a.sub === login || a.email === login.trim().toLowerCase())

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
    userPool: { endpoint: issuer, userPoolId: pool.userPoolId, requests: pool.requests },
    accountByEmail,
    account(email) {
      const found = accountByEmail(email)
      if (!found) throw new Error(`no account for ${email} at the provider`)
      return found
    },
    serve(appOrigin) {
      const provider = new Provider(issuer, configuration(appOrigin))
      const callback = provider.callback()
      server.on('request', (req, res) => {
        const path = new URL(req.url ?? '/', issuer).pathname
        if (path === '/favicon.ico') return void res.writeHead(204).end()
        if (req.method === 'POST' && String(req.headers['x-amz-target'] ?? '').startsWith(ADMIN_TARGET))
          return void adminApi(pool, req, res).catch((err) => {
            res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err))
          })
        const m = /^\/interaction\/([\w-]+)(\/login)?$/.exec(path)
        if (!m) return void callback(req, res)
        loginPage(provider, byLogin, req, res, m[2] !== undefined).catch((err) => {
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
