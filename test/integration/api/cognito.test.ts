import { readdirSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { Hono } from 'hono'
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { linkSignedInSubject } from '../../../functions/api/auth/index.js'
import type { AppEnv } from '../../../functions/api/env.js'
import { onError } from '../../../functions/api/errors.js'
import { oidcConfig } from '../../../functions/config.js'
import { apiHarness, scanAll } from './support.js'

const CLIENT = 'test-client-id'
const ISO_SUB = '11111111-2222-3333-4444-555555555555'
const HAFENSTADT_SUB = '22222222-2222-3333-4444-555555555555'

/** The invitation link in the newest message to `email` (quoted-printable soft breaks undone). */
function invitationLink(h: Awaited<ReturnType<typeof apiHarness>>, email: string) {
  const dir = h.deps.config.mailDir
  const mail = readdirSync(dir)
    .filter((n) => n.endsWith('.eml'))
    .sort()
    .map((n) => readFileSync(join(dir, n), 'utf8'))
    .filter((m) => m.includes(email))
    .at(-1)
  const m = /\/invitations\/([A-Za-z0-9_-]{43})/.exec((mail ?? '').replace(/=\r?\n/g, ''))
  if (!m) throw new Error(`no invitation link in a mail to ${email}`)
  return m[1]
}

/** A provider's signing keys, published at a JWKS URL on loopback (as the user pool publishes its own). */
async function jwksServer() {
  const good = await generateKeyPair('RS256')
  const other = await generateKeyPair('RS256')
  const jwk = { ...(await exportJWK(good.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }
  const server: Server = createServer((req, res) => {
    if (req.url === '/pool/.well-known/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ keys: [jwk] }))
    } else {
      res.writeHead(404).end()
    }
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pool`
  return { good, other, issuer, close: () => new Promise<void>((r) => server.close(() => r())) }
}

describe('Cognito mode: ID tokens bound by issuer and subject', () => {
  let h: Awaited<ReturnType<typeof apiHarness>>
  let keys: Awaited<ReturnType<typeof jwksServer>>

  /** An ID token with Cognito's claims (`token_use: 'id'`, `cognito:username`, `email_verified`). */
  const token = (claims: JWTPayload, key = keys.good.privateKey, header: Record<string, string> = {}) =>
    new SignJWT({
      token_use: 'id',
      email_verified: true,
      'cognito:username': String(claims.sub ?? ISO_SUB),
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1', ...header })
      .setIssuer(String(claims.iss ?? keys.issuer))
      .setAudience(String(claims.aud ?? CLIENT))
      .setSubject(String(claims.sub ?? ISO_SUB))
      .setIssuedAt()
      .setExpirationTime(typeof claims.exp === 'number' ? claims.exp : '1h')
      .sign(key)

  const bearer = (t: string, headers: Record<string, string> = {}) => ({
    headers: { authorization: `Bearer ${t}`, ...headers },
  })

  beforeAll(async () => {
    keys = await jwksServer()
    h = await apiHarness({
      config: {
        authMode: 'cognito',
        oidc: oidcConfig({
          region: 'eu-central-1',
          clientId: CLIENT,
          issuer: keys.issuer,
          domain: 'https://ismsflow-test.auth.eu-central-1.amazoncognito.com',
        }),
      },
    })
    // As an accepted invitation would have done: the demo ISO and the Hafenstadt member are linked.
    await h.deps.identity.bindSubject('demo-iso', keys.issuer, ISO_SUB)
    await h.deps.identity.bindSubject('demo-hafenstadt-member', keys.issuer, HAFENSTADT_SUB)
  })
  afterAll(async () => {
    await h?.close()
    await keys?.close()
  })

  it('describes the provider at GET /api/config (Cognito endpoints from the managed login domain)', async () => {
    const res = await h.request('/api/config')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      authMode: 'cognito',
      oidc: {
        issuer: keys.issuer,
        clientId: CLIENT,
        authorizationEndpoint: 'https://ismsflow-test.auth.eu-central-1.amazoncognito.com/oauth2/authorize',
        tokenEndpoint: 'https://ismsflow-test.auth.eu-central-1.amazoncognito.com/oauth2/token',
        endSessionEndpoint: 'https://ismsflow-test.auth.eu-central-1.amazoncognito.com/logout',
        logoutStyle: 'cognito',
        scope: 'openid email profile',
      },
    })
    // The page may redeem its code at the provider's token endpoint.
    expect(res.headers.get('content-security-policy')).toMatch(
      /connect-src 'self'[^;]* https:\/\/ismsflow-test\.auth\.eu-central-1\.amazoncognito\.com[;\s]/,
    )
  })

  it('accepts a valid ID token of a linked subject and resolves memberships from the store', async () => {
    const res = await h.request('/api/session', bearer(await token({ email: 'iso@demo.ismsflow.test' })))
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      authMode: 'cognito',
      csrfToken: null,
      principal: { userId: 'demo-iso', orgId: 'nordlicht', roles: ['iso'] },
    })
    const org = await h.request(
      '/api/orgs/current',
      bearer(await token({ email: 'iso@demo.ismsflow.test' }), { 'x-org-id': 'hafenstadt' }),
    )
    expect((await org.json()).organisation.id).toBe('hafenstadt')
  })

  it('finds the person by subject, not by e-mail: a changed e-mail keeps the same person', async () => {
    const res = await h.request('/api/session', bearer(await token({ email: 'new-address@nordlicht.test' })))
    expect(res.status).toBe(200)
    expect((await res.json()).principal.userId).toBe('demo-iso')
  })

  it("gives a token with another person's e-mail but its own subject no memberships (403, nothing written)", async () => {
    const before = await scanAll(h)
    const intruder = await token({
      sub: '99999999-0000-0000-0000-000000000000',
      email: 'iso@demo.ismsflow.test',
    })
    for (const path of ['/api/session', '/api/orgs/current', '/api/tasks?scope=all']) {
      const res = await h.request(path, bearer(intruder))
      expect(res.status, path).toBe(403)
      expect((await res.json()).error.fields).toEqual({ sub: 'is not linked to an ismsflow account' })
    }
    expect(
      (
        await h.request('/api/session/org', {
          method: 'POST',
          body: { orgId: 'nordlicht' },
          ...bearer(intruder),
        })
      ).status,
    ).toBe(403)
    expect(await scanAll(h)).toEqual(before)
  })

  it('refuses an unverified e-mail with 401, even for a linked subject', async () => {
    for (const verified of [false, 'false', undefined]) {
      const t = await token({ email: 'iso@demo.ismsflow.test', email_verified: verified })
      const res = await h.request('/api/session', bearer(t))
      expect(res.status, String(verified)).toBe(401)
      expect((await res.json()).error.fields).toEqual({ email_verified: 'must be true' })
    }
  })

  it('refuses another key, expiry, an access token, another client, another issuer, no e-mail and alg none with 401', async () => {
    const email = 'iso@demo.ismsflow.test'
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({
        sub: ISO_SUB,
        email,
        email_verified: true,
        token_use: 'id',
        iss: keys.issuer,
        aud: CLIENT,
        exp: 9e9,
      }),
    ).toString('base64url')}.`
    for (const t of [
      await token({ email }, keys.other.privateKey),
      await token({ email, exp: Math.floor(Date.now() / 1000) - 60 }),
      await token({ email, token_use: 'access' }),
      await token({ email, aud: 'another-client' }),
      await token({ email, iss: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_Other' }),
      await token({}),
      unsigned,
    ]) {
      const res = await h.request('/api/session', bearer(t))
      expect(res.status).toBe(401)
    }
    // Without any credentials the session says "nobody"; protected routes answer 401.
    const nobody = await h.request('/api/session')
    expect(nobody.status).toBe(200)
    expect((await nobody.json()).principal).toBeNull()
    expect((await h.request('/api/tasks')).status).toBe(401)
    expect((await h.request('/api/tasks', { headers: { authorization: 'Basic abc' } })).status).toBe(401)
  })

  it('keeps the organisation boundary and needs no CSRF token for bearer requests', async () => {
    const t = await token({ sub: HAFENSTADT_SUB, email: 'member@hafenstadt.ismsflow.test' })
    expect((await h.request('/api/orgs/current', bearer(t, { 'x-org-id': 'nordlicht' }))).status).toBe(403)
    const sw = await h.request('/api/session/org', {
      method: 'POST',
      body: { orgId: 'hafenstadt' },
      ...bearer(t),
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

  it('binds a subject once: idempotent, one user per subject, one subject per user and issuer', async () => {
    const { identity } = h.deps
    expect(await identity.bindSubject('demo-iso', keys.issuer, ISO_SUB)).toBe('already')
    await expect(identity.bindSubject('demo-member', keys.issuer, ISO_SUB)).rejects.toMatchObject({
      code: 'conflict',
      fields: { sub: 'is linked to another person' },
    })
    await expect(identity.bindSubject('demo-iso', keys.issuer, 'another-sub')).rejects.toMatchObject({
      code: 'conflict',
      fields: { userId: 'is linked to another sign-in' },
    })
    await expect(identity.bindSubject('nobody', keys.issuer, 'sub-x')).rejects.toMatchObject({
      code: 'not_found',
    })
    expect(await identity.userBySubject(keys.issuer, 'sub-x')).toBeUndefined()
    // Another provider is another namespace.
    expect(await identity.bindSubject('demo-iso', 'https://other.example.test', ISO_SUB)).toBe('bound')
    expect((await identity.subjectOf('demo-iso', keys.issuer))?.sub).toBe(ISO_SUB)
  })

  it('links the signed-in account on accepting an invitation: only for the invited, verified address', async () => {
    // A stand-in for the invitation's accept route: it links the bearer to the invitee.
    const app = new Hono<AppEnv>()
    app.use('*', async (c, next) => {
      c.set('deps', h.deps)
      await next()
    })
    app.onError(onError)
    app.post('/accept/:userId', async (c) => {
      const s = await linkSignedInSubject(c, {
        userId: c.req.param('userId'),
        invitedEmail: 'Auditor@Demo.ismsflow.test',
      })
      return c.json({ sub: s.sub })
    })
    const sub = '33333333-2222-3333-4444-555555555555'
    const call = async (t: string) => app.request('/accept/demo-auditor', { method: 'POST', ...bearer(t) })

    // Before linking: no memberships.
    const signedIn = await token({ sub, email: 'auditor@demo.ismsflow.test' })
    expect((await h.request('/api/session', bearer(signedIn))).status).toBe(403)
    // Someone else's account cannot claim the link.
    const wrong = await call(await token({ sub: 'x-sub', email: 'someone@else.test' }))
    expect(wrong.status).toBe(403)
    expect((await wrong.json()).error.fields).toEqual({ email: 'is not the invited address' })
    expect(
      (await call(await token({ sub, email: 'auditor@demo.ismsflow.test', email_verified: false }))).status,
    ).toBe(401)
    // The invited address, verified: linked; a double click does no harm.
    expect((await call(signedIn)).status).toBe(200)
    expect((await call(signedIn)).status).toBe(200)
    const res = await h.request('/api/session', bearer(signedIn))
    expect(res.status).toBe(200)
    expect((await res.json()).principal).toMatchObject({ userId: 'demo-auditor', roles: ['auditor'] })
  })

  it('accepts an invitation on AWS while signed in with the invited, verified address, linking that sign-in', async () => {
    const iso = await token({ email: 'iso@demo.ismsflow.test' })
    const invited = await h.request('/api/orgs/current/invitations', {
      method: 'POST',
      body: { email: 'Nora.Neu@Nordlicht.Example', roles: ['member'], name: 'Nora Neu' },
      ...bearer(iso, { 'x-org-id': 'nordlicht' }),
    })
    expect(invited.status).toBe(201)
    const link = invitationLink(h, 'nora.neu@nordlicht.example')
    const accept = (headers: Record<string, string> = {}) =>
      h.request(`/api/invitations/${link}/accept`, { method: 'POST', body: {}, headers })
    const nora = await token({ sub: 'nora-sub-0001', email: 'nora.neu@nordlicht.example', name: 'Nora Neu' })

    // Not signed in, signed in as someone else, or with the address unverified: refused, nothing linked.
    expect((await accept()).status).toBe(401)
    const other = await accept(
      bearer(await token({ sub: 'other-sub', email: 'other@nordlicht.example' })).headers,
    )
    expect(other.status).toBe(403)
    const unverified = await token({
      sub: 'nora-sub-0001',
      email: 'nora.neu@nordlicht.example',
      email_verified: false,
    })
    expect((await accept(bearer(unverified).headers)).status).toBe(401)
    expect(await h.deps.identity.userBySubject(keys.issuer, 'nora-sub-0001')).toBeUndefined()

    // Nora, signed in: linked and a member; a double click answers the same.
    const [first, second] = [await accept(bearer(nora).headers), await accept(bearer(nora).headers)]
    expect([first.status, second.status]).toEqual([200, 200])
    const { userId } = await first.json()
    expect((await second.json()).userId).toBe(userId)
    const session = await h.request('/api/session', bearer(nora))
    expect((await session.json()).principal).toMatchObject({
      userId,
      name: 'Nora Neu',
      orgId: 'nordlicht',
      roles: ['member'],
    })
    // Her sign-in, not her address, finds her from now on.
    expect((await h.deps.identity.userBySubject(keys.issuer, 'nora-sub-0001'))?.id).toBe(userId)
  })
})

describe('Cognito mode: the first ISO sets up signed in', () => {
  it('makes the signed-in, verified person the ISO and links their sign-in; once only', async () => {
    const keys = await jwksServer()
    const h = await apiHarness({
      seed: false,
      config: {
        authMode: 'cognito',
        oidc: oidcConfig({
          region: 'eu-central-1',
          clientId: CLIENT,
          issuer: keys.issuer,
          domain: 'https://ismsflow-test.auth.eu-central-1.amazoncognito.com',
        }),
      },
    })
    try {
      const sign = (sub: string, extra: JWTPayload = {}) =>
        new SignJWT({
          token_use: 'id',
          email: 'isa@firma.example',
          email_verified: true,
          name: 'Isa Berg',
          ...extra,
        })
          .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
          .setIssuer(keys.issuer)
          .setAudience(CLIENT)
          .setSubject(sub)
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(keys.good.privateKey)
      const setup = (headers: Record<string, string> = {}, body: unknown = { orgName: 'Firma GmbH' }) =>
        h.request('/api/setup', { method: 'POST', body, headers })
      const isa = { authorization: `Bearer ${await sign('isa-sub')}` }

      // Without a token it is the set-up that makes the sign-in at the user pool: name and e-mail needed.
      const anonymous = await setup()
      expect(anonymous.status).toBe(400)
      expect((await anonymous.json()).error.fields).toMatchObject({
        name: expect.any(String),
        email: expect.any(String),
      })
      const unverified = await setup({
        authorization: `Bearer ${await sign('isa-sub', { email_verified: false })}`,
      })
      expect(unverified.status).toBe(401)
      const bad = await setup(isa, { orgName: 'Firma GmbH', password: 'not here' })
      expect(bad.status).toBe(400)
      expect((await h.request('/api/setup')).status).toBe(200)

      const done = await setup(isa)
      expect(done.status).toBe(201)
      const body = await done.json()
      expect(body.principal).toMatchObject({ email: 'isa@firma.example', name: 'Isa Berg', roles: ['iso'] })
      const session = await h.request('/api/session', { headers: isa })
      expect((await session.json()).principal).toMatchObject({
        userId: body.principal.userId,
        roles: ['iso'],
      })

      expect((await setup(isa)).status).toBe(409)
      expect((await setup({ authorization: `Bearer ${await sign('someone-else')}` })).status).toBe(409)
      expect(await h.deps.identity.userBySubject(keys.issuer, 'someone-else')).toBeUndefined()
    } finally {
      await h.close()
      await keys.close()
    }
  })
})

describe('local mode', () => {
  it('answers GET /api/config with authMode local and no provider', async () => {
    const h = await apiHarness()
    try {
      const res = await h.request('/api/config')
      expect(await res.json()).toEqual({ authMode: 'local', oidc: null })
    } finally {
      await h.close()
    }
  })
})
