import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cognitoVerifier } from '../../../functions/api/auth/cognito.js'
import { apiHarness } from './support.js'

const POOL = 'eu-central-1_TestPool1'
const CLIENT = 'test-client-id'
const ISSUER = `https://cognito-idp.eu-central-1.amazonaws.com/${POOL}`

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
function sign(key: KeyObject, claims: Record<string, unknown>, kid = 'test-key') {
  const head = b64({ alg: 'RS256', kid, typ: 'JWT' })
  const body = b64(claims)
  const sig = createSign('RSA-SHA256').update(`${head}.${body}`).sign(key).toString('base64url')
  return `${head}.${body}.${sig}`
}

describe('Cognito mode: ID tokens yield the same principal', () => {
  let h: Awaited<ReturnType<typeof apiHarness>>
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const nowS = () => Math.floor(Date.now() / 1000)
  const claims = (email: string, extra: Record<string, unknown> = {}) => ({
    sub: '11111111-2222-3333-4444-555555555555',
    email,
    iss: ISSUER,
    aud: CLIENT,
    token_use: 'id',
    iat: nowS(),
    exp: nowS() + 3600,
    ...extra,
  })
  beforeAll(async () => {
    h = await apiHarness({
      config: { authMode: 'cognito', cognitoUserPoolId: POOL, cognitoClientId: CLIENT },
    })
    const jwk = publicKey.export({ format: 'jwk' })
    cognitoVerifier(h.deps.config).cacheJwks({
      keys: [{ ...jwk, kid: 'test-key', alg: 'RS256', use: 'sig' } as never],
    })
  })
  afterAll(async () => h.close())

  const bearer = (token: string, headers: Record<string, string> = {}) => ({
    headers: { authorization: `Bearer ${token}`, ...headers },
  })

  it('accepts a valid ID token and resolves memberships from the store', async () => {
    const res = await h.request('/api/session', bearer(sign(privateKey, claims('iso@demo.ismsflow.test'))))
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body).toMatchObject({
      authMode: 'cognito',
      csrfToken: null,
      principal: { userId: 'demo-iso', orgId: 'nordlicht', roles: ['iso'] },
    })
    const org = await h.request(
      '/api/orgs/current',
      bearer(sign(privateKey, claims('iso@demo.ismsflow.test')), { 'x-org-id': 'hafenstadt' }),
    )
    expect((await org.json()).organisation.id).toBe('hafenstadt')
  })

  it('refuses a token signed by another key, an expired token and an access token with 401 (the session says nobody)', async () => {
    for (const token of [
      sign(other.privateKey, claims('iso@demo.ismsflow.test')),
      sign(privateKey, claims('iso@demo.ismsflow.test', { exp: nowS() - 60 })),
      sign(privateKey, claims('iso@demo.ismsflow.test', { token_use: 'access' })),
      sign(privateKey, claims('iso@demo.ismsflow.test', { aud: 'another-client' })),
    ]) {
      const res = await h.request('/api/tasks', bearer(token))
      expect(res.status).toBe(401)
      // Asking who is signed in is not an error: nobody is.
      const who = await h.request('/api/session', bearer(token))
      expect(who.status).toBe(200)
      expect((await who.json()).principal).toBeNull()
    }
    expect((await h.request('/api/tasks')).status).toBe(401)
    expect((await (await h.request('/api/session')).json()).principal).toBeNull()
  })

  it('answers 403 for a valid token of someone without an ismsflow account', async () => {
    const res = await h.request('/api/session', bearer(sign(privateKey, claims('stranger@example.test'))))
    expect(res.status).toBe(403)
  })

  it('keeps the organisation boundary and needs no CSRF token for bearer requests', async () => {
    const token = sign(privateKey, claims('member@hafenstadt.ismsflow.test'))
    expect((await h.request('/api/orgs/current', bearer(token, { 'x-org-id': 'nordlicht' }))).status).toBe(
      403,
    )
    const sw = await h.request('/api/session/org', {
      method: 'POST',
      body: { orgId: 'hafenstadt' },
      ...bearer(token),
    })
    expect(sw.status).toBe(200)
  })

  it('turns password sign-in off', async () => {
    const res = await h.request('/api/session', {
      method: 'POST',
      body: { email: 'iso@demo.ismsflow.test', password: 'demo1234!' },
    })
    expect(res.status).toBe(404)
  })
})
