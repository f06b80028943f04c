/**
 * Sign-in on AWS: the authorization code flow with PKCE against the Cognito user pool's
 * managed login (any standard OpenID provider in tests), through `oauth4webapi`. Tokens
 * live in this object's memory only (never in storage); the refresh token rotates on each
 * use. Only the one-time PKCE verifier, state and nonce survive the redirect, in
 * `sessionStorage`, and are removed when the answer comes back.
 */
import * as oauth from 'oauth4webapi'

/** The provider, as `GET /api/config` describes it. */
export interface OidcSettings {
  issuer: string
  clientId: string
  authorizationEndpoint: string
  tokenEndpoint: string
  endSessionEndpoint: string
  logoutStyle: 'cognito' | 'oidc'
  scope: string
}

/** Where the provider sends the browser back with the code (registered at the app client). */
export const CALLBACK_PATH = '/auth/callback'
/** The one-time values of a sign-in in progress. */
const PENDING = 'ismsflow.oidc.pending'
/** Set while someone is signed in in this tab: a reload signs in again at once (no tokens kept). */
const ACTIVE = 'ismsflow.oidc.active'
/** Refresh this long before the ID token expires. */
const REFRESH_MARGIN_MS = 60_000

interface Pending {
  state: string
  nonce: string
  verifier: string
  returnTo: string
}

/** Why a sign-in answer was refused (shown as a generic failure). */
export class SignInError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'SignInError'
  }
}

/** Plain http only for a provider on this machine (the tests' local provider); https otherwise. */
const insecureAllowed = (url: string) => {
  const u = new URL(url)
  return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)
}

/** What the browser provides; tests pass their own. */
export interface OidcEnvironment {
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>
  /** Leaves the app for the provider. */
  assign(url: string): void
  origin: string
  now(): number
}

const browser = (): OidcEnvironment => ({
  storage: sessionStorage,
  assign: (url) => location.assign(url),
  origin: location.origin,
  now: () => Date.now(),
})

/** One client per page load, created from `GET /api/config`. */
export class OidcClient {
  private readonly as: oauth.AuthorizationServer
  private readonly client: oauth.Client
  private readonly auth = oauth.None()
  private readonly options: { [oauth.allowInsecureRequests]?: boolean }
  private idToken: string | null = null
  private refreshToken: string | null = null
  private expiresAt = 0
  private refreshing: Promise<string | null> | null = null

  constructor(
    private readonly settings: OidcSettings,
    private readonly env: OidcEnvironment = browser(),
  ) {
    this.as = {
      issuer: settings.issuer,
      authorization_endpoint: settings.authorizationEndpoint,
      token_endpoint: settings.tokenEndpoint,
      end_session_endpoint: settings.endSessionEndpoint,
    }
    this.client = { client_id: settings.clientId }
    this.options = insecureAllowed(settings.tokenEndpoint) ? { [oauth.allowInsecureRequests]: true } : {}
  }

  private get redirectUri() {
    return `${this.env.origin}${CALLBACK_PATH}`
  }

  /** Whether someone signed in in this tab before the page was (re)loaded. */
  get wasSignedIn(): boolean {
    return this.env.storage.getItem(ACTIVE) === '1'
  }

  /** Whether an ID token is held. */
  get signedIn(): boolean {
    return this.idToken !== null
  }

  /** Whether `url` is the provider's answer to a sign-in. */
  isCallback(url: URL): boolean {
    return url.pathname === CALLBACK_PATH
  }

  /**
   * Sends the browser to the provider's sign-in page (code flow, S256 PKCE, state and
   * nonce); `returnTo` is the in-app path to show afterwards.
   */
  async signIn(returnTo: string): Promise<void> {
    const pending: Pending = {
      state: oauth.generateRandomState(),
      nonce: oauth.generateRandomNonce(),
      verifier: oauth.generateRandomCodeVerifier(),
      returnTo: returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/',
    }
    this.env.storage.setItem(PENDING, JSON.stringify(pending))
    const url = new URL(this.settings.authorizationEndpoint)
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.settings.clientId,
      redirect_uri: this.redirectUri,
      scope: this.settings.scope,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
    }).toString()
    this.env.assign(url.href)
  }

  /**
   * Redeems the provider's answer at the token endpoint (state, PKCE verifier and the ID
   * token's issuer, audience, expiry and nonce checked) and keeps the tokens in memory.
   * Returns the in-app path to go back to. Throws `SignInError` for a refused or forged answer.
   */
  async completeSignIn(url: URL): Promise<string> {
    const raw = this.env.storage.getItem(PENDING)
    this.env.storage.removeItem(PENDING)
    if (!raw) throw new SignInError('No sign-in is in progress in this tab.')
    const pending = JSON.parse(raw) as Pending
    try {
      const params = oauth.validateAuthResponse(this.as, this.client, url, pending.state)
      const response = await oauth.authorizationCodeGrantRequest(
        this.as,
        this.client,
        this.auth,
        params,
        this.redirectUri,
        pending.verifier,
        this.options,
      )
      const result = await oauth.processAuthorizationCodeResponse(this.as, this.client, response, {
        expectedNonce: pending.nonce,
        requireIdToken: true,
      })
      this.keep(result)
    } catch (err) {
      throw new SignInError('The sign-in answer was refused.', { cause: err })
    }
    this.env.storage.setItem(ACTIVE, '1')
    return pending.returnTo
  }

  /**
   * The ID token for the next API request; refreshed first (rotating the refresh token)
   * when it expires within a minute. Null when signed out or when the refresh failed.
   */
  async token(): Promise<string | null> {
    if (!this.idToken) return null
    if (this.env.now() < this.expiresAt - REFRESH_MARGIN_MS) return this.idToken
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = null
    })
    return this.refreshing
  }

  private async refresh(): Promise<string | null> {
    const refreshToken = this.refreshToken
    if (!refreshToken) {
      this.forget()
      return null
    }
    try {
      const response = await oauth.refreshTokenGrantRequest(
        this.as,
        this.client,
        this.auth,
        refreshToken,
        this.options,
      )
      this.keep(await oauth.processRefreshTokenResponse(this.as, this.client, response))
      return this.idToken
    } catch {
      this.forget()
      return null
    }
  }

  private keep(result: oauth.TokenEndpointResponse) {
    const claims = oauth.getValidatedIdTokenClaims(result)
    if (!result.id_token || !claims) throw new SignInError('The provider answered no ID token.')
    this.idToken = result.id_token
    this.expiresAt = claims.exp * 1000
    // Rotation: each refresh answers a new refresh token; keep the old one if none came.
    if (result.refresh_token) this.refreshToken = result.refresh_token
  }

  /** Forgets the tokens here (the provider's session stays). */
  forget() {
    this.idToken = null
    this.refreshToken = null
    this.expiresAt = 0
    this.env.storage.removeItem(ACTIVE)
  }

  /** Forgets the tokens and signs out at the provider too, which sends the browser back to `/`. */
  signOut() {
    const idToken = this.idToken
    this.forget()
    const url = new URL(this.settings.endSessionEndpoint)
    const back = `${this.env.origin}/`
    url.search = new URLSearchParams(
      this.settings.logoutStyle === 'cognito'
        ? { client_id: this.settings.clientId, logout_uri: back }
        : {
            client_id: this.settings.clientId,
            post_logout_redirect_uri: back,
            ...(idToken ? { id_token_hint: idToken } : {}),
          },
    ).toString()
    this.env.assign(url.href)
  }
}
