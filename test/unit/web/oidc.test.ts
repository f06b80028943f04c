import { describe, expect, it } from 'vitest'
import { createApi } from '../../../web/src/lib/api.js'
import {
  OidcClient,
  type OidcEnvironment,
  type OidcSettings,
  SignInError,
} from '../../../web/src/lib/oidc.js'

const SETTINGS: OidcSettings = {
  issuer: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_Pool',
  clientId: 'web-client',
  authorizationEndpoint: 'https://ismsflow-1.auth.eu-central-1.amazoncognito.com/oauth2/authorize',
  tokenEndpoint: 'https://ismsflow-1.auth.eu-central-1.amazoncognito.com/oauth2/token',
  endSessionEndpoint: 'https://ismsflow-1.auth.eu-central-1.amazoncognito.com/logout',
  logoutStyle: 'cognito',
  scope: 'openid email profile',
}

/** A browser stand-in: a storage map and the URLs the client sent the browser to. */
function environment() {
  const store = new Map<string, string>()
  const visited: URL[] = []
  const env: OidcEnvironment = {
    storage: {
      getItem: (k) => store.get(k) ?? null,
      setItem: (k, v) => void store.set(k, v),
      removeItem: (k) => void store.delete(k),
    },
    assign: (url) => void visited.push(new URL(url)),
    origin: 'https://d111.cloudfront.net',
    now: () => Date.now(),
  }
  return { env, store, visited }
}

describe('OidcClient', () => {
  it('starts the code flow with S256 PKCE, state and nonce, keeping only one-time values in session storage', async () => {
    const { env, store, visited } = environment()
    await new OidcClient(SETTINGS, env).signIn('/risks/42?tab=plan')
    const url = visited[0]
    expect(url.origin + url.pathname).toBe(SETTINGS.authorizationEndpoint)
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'web-client',
      redirect_uri: 'https://d111.cloudfront.net/auth/callback',
      scope: 'openid email profile',
      code_challenge_method: 'S256',
    })
    const pending = JSON.parse([...store.values()][0])
    expect(pending).toMatchObject({ returnTo: '/risks/42?tab=plan' })
    expect(url.searchParams.get('state')).toBe(pending.state)
    expect(url.searchParams.get('nonce')).toBe(pending.nonce)
    // The challenge is the verifier's SHA-256, never the verifier itself.
    expect(url.searchParams.get('code_challenge')).not.toBe(pending.verifier)
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('never returns to another site after sign-in', async () => {
    const { env, store } = environment()
    await new OidcClient(SETTINGS, env).signIn('//evil.test/x')
    expect(JSON.parse([...store.values()][0]).returnTo).toBe('/')
  })

  it('refuses an answer without a sign-in in progress or with another state, before any request', async () => {
    const { env } = environment()
    const client = new OidcClient(SETTINGS, env)
    const answer = new URL('https://d111.cloudfront.net/auth/callback?code=abc&state=forged')
    await expect(client.completeSignIn(answer)).rejects.toBeInstanceOf(SignInError)
    await client.signIn('/')
    await expect(client.completeSignIn(answer)).rejects.toBeInstanceOf(SignInError)
    expect(client.signedIn).toBe(false)
    expect(await client.token()).toBeNull()
  })

  it("signs out at Cognito's /logout with client_id and logout_uri", () => {
    const { env, visited } = environment()
    new OidcClient(SETTINGS, env).signOut()
    expect(visited[0].href).toBe(
      `${SETTINGS.endSessionEndpoint}?client_id=web-client&logout_uri=${encodeURIComponent('https://d111.cloudfront.net/')}`,
    )
  })

  it('signs out at a standard provider with post_logout_redirect_uri', () => {
    const { env, visited } = environment()
    new OidcClient(
      { ...SETTINGS, logoutStyle: 'oidc', endSessionEndpoint: 'https://op.test/session/end' },
      env,
    ).signOut()
    expect(Object.fromEntries(visited[0].searchParams)).toEqual({
      client_id: 'web-client',
      post_logout_redirect_uri: 'https://d111.cloudfront.net/',
    })
  })
})

describe('api client with a bearer token', () => {
  it('sends Authorization: Bearer <ID token> on every request and no CSRF token', async () => {
    const calls: RequestInit[] = []
    const api = createApi({
      fetch: (async (_url: string, init: RequestInit) => {
        calls.push(init)
        return new Response('{}', { status: 200 })
      }) as unknown as typeof fetch,
    })
    api.configure({ bearer: async () => 'eyJ.id.token' })
    await api.get('/api/session')
    await api.post('/api/x', {})
    for (const c of calls)
      expect((c.headers as Record<string, string>).authorization).toBe('Bearer eyJ.id.token')
    expect(await api.authHeaders()).toEqual({ authorization: 'Bearer eyJ.id.token' })
  })
})
