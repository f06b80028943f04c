import { readdirSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { temporaryPasswordFor } from '../../../functions/api/accounts/provider-accounts.js'
import { oidcConfig } from '../../../functions/config.js'
import { type LocalOidcProvider, startOidcProvider } from '../../e2e/support/oidc-provider.js'
import { apiHarness } from './support.js'

const CLIENT = 'test-client-id'
const ISO_SUB = '11111111-2222-3333-4444-555555555555'
/** The user pool's password policy (infra/aws/auth.ts): 12+ characters, upper, lower, digit, symbol. */
const POOL_POLICY = /^(?=.*[A-Z])(?=.*[a-z])(?=.*\d)(?=.*[^A-Za-z0-9]).{12,}$/

type Harness = Awaited<ReturnType<typeof apiHarness>>

/** The messages to `email`, oldest first, with quoted-printable soft breaks undone. */
const mailsTo = (h: Harness, email: string) =>
  readdirSync(h.deps.config.mailDir)
    .filter((n) => n.endsWith('.eml'))
    .sort()
    .map((n) => readFileSync(join(h.deps.config.mailDir, n), 'utf8').replace(/=\r?\n/g, ''))
    .filter((m) => m.includes(email))

const linkIn = (mail: string | undefined) => {
  const m = /\/invitations\/([A-Za-z0-9_-]{43})/.exec(mail ?? '')
  if (!m) throw new Error('no invitation link in the message')
  return m[1]
}

/** Signing keys published as the user pool publishes its own; ID tokens with Cognito's claims. */
async function idTokens() {
  const { publicKey, privateKey } = await generateKeyPair('RS256')
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }
  const server: Server = createServer((req, res) => {
    if (req.url !== '/pool/.well-known/jwks.json') return void res.writeHead(404).end()
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const issuer = `http://127.0.0.1:${port}/pool`
  const token = (claims: { sub: string; email: string; email_verified?: boolean }) =>
    new SignJWT({ token_use: 'id', email_verified: true, 'cognito:username': claims.sub, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience(CLIENT)
      .setSubject(claims.sub)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey)
  return { issuer, token, close: () => new Promise<void>((r) => server.close(() => r())) }
}

/** The API in Cognito mode with its user pool port pointed at the local provider's admin API. */
async function cognitoHarness(pool: LocalOidcProvider, issuer: string, seed = true) {
  return apiHarness({
    seed,
    config: {
      authMode: 'cognito',
      cognitoUserPoolId: pool.userPool.userPoolId,
      cognitoEndpoint: pool.userPool.endpoint,
      oidc: oidcConfig({
        region: 'eu-central-1',
        clientId: CLIENT,
        issuer,
        domain: 'https://ismsflow-test.auth.eu-central-1.amazoncognito.com',
      }),
    },
  })
}

describe('invitations on AWS: the invitation creates the sign-in at the user pool', () => {
  let pool: LocalOidcProvider
  let keys: Awaited<ReturnType<typeof idTokens>>
  let h: Harness
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` })
  let iso: Record<string, string>

  beforeAll(async () => {
    pool = await startOidcProvider({ clientId: CLIENT, accounts: [] })
    pool.serve('http://127.0.0.1:1')
    keys = await idTokens()
    h = await cognitoHarness(pool, keys.issuer)
    await h.deps.identity.bindSubject('demo-iso', keys.issuer, ISO_SUB)
    iso = bearer(await keys.token({ sub: ISO_SUB, email: 'iso@demo.ismsflow.test' }))
  })
  afterAll(async () => {
    await h?.close()
    await keys?.close()
    await pool?.close()
  })

  it('creates the account with AdminCreateUser (e-mail verified, Cognito silent) and sends our e-mail, without a password in it', async () => {
    const res = await h.request('/api/orgs/current/invitations', {
      method: 'POST',
      headers: iso,
      body: { email: 'Nora.Neu@Nordlicht.example', roles: ['member'], name: 'Nora Neu' },
    })
    expect(res.status).toBe(201)
    expect(await res.json()).toMatchObject({ mail: { status: 'sent' } })

    const [create] = pool.userPool.requests.filter(
      (r) => r.operation === 'AdminCreateUser' && r.body.Username === 'nora.neu@nordlicht.example',
    )
    expect(create.signed).toBe(true)
    expect(create.body).toEqual({
      UserPoolId: pool.userPool.userPoolId,
      Username: 'nora.neu@nordlicht.example',
      TemporaryPassword: expect.stringMatching(POOL_POLICY),
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: 'nora.neu@nordlicht.example' },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'name', Value: 'Nora Neu' },
      ],
    })
    const account = pool.account('nora.neu@nordlicht.example')
    expect(account).toMatchObject({ emailVerified: true, status: 'FORCE_CHANGE_PASSWORD' })

    const [mail] = mailsTo(h, 'nora.neu@nordlicht.example')
    const token = linkIn(mail)
    // The temporary password is the link's (shown on its page), never in the message.
    expect(create.body.TemporaryPassword).toBe(temporaryPasswordFor(token))
    expect(mail).not.toContain(temporaryPasswordFor(token))
  })

  it("shows the temporary password on the link's page while the person has not chosen their own", async () => {
    const token = linkIn(mailsTo(h, 'nora.neu@nordlicht.example').at(-1))
    const res = await h.request(`/api/invitations/${token}`)
    expect(res.status).toBe(200)
    const page = await res.json()
    expect(page).toMatchObject({
      organisation: { name: 'Nordlicht Maschinenbau GmbH' },
      email: 'nora.neu@nordlicht.example',
      roles: ['member'],
      temporaryPassword: temporaryPasswordFor(token),
    })
    // The page's password is the one the user pool holds (set again: the latest link works).
    expect(pool.accountByEmail('nora.neu@nordlicht.example')?.password).toBe(page.temporaryPassword)
  })

  it('asks no password on accepting: only the sign-in the invitation created may accept, and it is bound by sub', async () => {
    const token = linkIn(mailsTo(h, 'nora.neu@nordlicht.example').at(-1))
    const account = pool.account('nora.neu@nordlicht.example')
    const accept = (headers: Record<string, string> = {}, body: unknown = {}) =>
      h.request(`/api/invitations/${token}/accept`, { method: 'POST', body, headers })

    // Not signed in: sign in first (no password form here).
    const anonymous = await accept({}, { name: 'Nora Neu', password: 'a-password-of-ours' })
    expect(anonymous.status).toBe(401)
    expect((await anonymous.json()).error.message).toBe('Sign in as nora.neu@nordlicht.example, then accept.')

    // Another account at the provider with the same (verified) address: not the invited sign-in.
    const other = await accept(
      bearer(await keys.token({ sub: '99999999-0000-4000-8000-000000000000', email: account.email })),
    )
    expect(other.status).toBe(403)

    const mine = bearer(await keys.token({ sub: account.sub, email: account.email }))
    const ok = await accept(mine)
    expect(ok.status).toBe(200)
    const { userId } = await ok.json()
    expect((await h.deps.identity.userBySubject(keys.issuer, account.sub))?.id).toBe(userId)
    // A double click answers the same.
    expect((await accept(mine)).status).toBe(200)

    const session = await h.request('/api/session', { headers: mine })
    expect(await session.json()).toMatchObject({
      principal: {
        userId,
        email: 'nora.neu@nordlicht.example',
        memberships: [{ orgId: 'nordlicht', roles: ['member'] }],
      },
    })
  })

  it('finds an existing sign-in for a second invitation (no new account) and shows no password once the person has their own', async () => {
    const account = pool.account('nora.neu@nordlicht.example')
    account.status = 'CONFIRMED'
    const before = pool.userPool.requests.length
    const res = await h.request('/api/orgs/current/invitations', {
      method: 'POST',
      headers: { ...iso, 'x-org-id': 'hafenstadt' },
      body: { email: 'nora.neu@nordlicht.example', roles: ['auditor'] },
    })
    expect(res.status).toBe(201)
    // AdminCreateUser answers UsernameExistsException; the account is read instead.
    const ops = pool.userPool.requests.slice(before).map((r) => r.operation)
    expect(ops).toEqual(['AdminCreateUser', 'AdminGetUser'])
    expect(pool.accountByEmail('nora.neu@nordlicht.example')?.sub).toBe(account.sub)

    const token = linkIn(mailsTo(h, 'nora.neu@nordlicht.example').at(-1))
    const page = await (await h.request(`/api/invitations/${token}`)).json()
    expect(page.organisation.name).toBe('Hafenstadt Logistik AG')
    expect(page.temporaryPassword).toBeUndefined()
    const mine = bearer(await keys.token({ sub: account.sub, email: account.email }))
    expect(
      (await h.request(`/api/invitations/${token}/accept`, { method: 'POST', body: {}, headers: mine }))
        .status,
    ).toBe(200)
  })

  it('keeps an invitation whose sign-in could not be created as "not sent", to retry', async () => {
    await pool.close()
    const res = await h.request('/api/orgs/current/invitations', {
      method: 'POST',
      headers: iso,
      body: { email: 'offline@nordlicht.example', roles: ['member'] },
    })
    expect(res.status).toBe(201)
    const inv = await res.json()
    expect(inv.mail).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^sign-in not created: /),
    })
    expect(mailsTo(h, 'offline@nordlicht.example')).toEqual([])
  })
})

describe('set-up on AWS: the first ISO gets a sign-in at the user pool', () => {
  let pool: LocalOidcProvider
  let keys: Awaited<ReturnType<typeof idTokens>>
  let h: Harness

  beforeAll(async () => {
    pool = await startOidcProvider({ clientId: CLIENT, accounts: [] })
    pool.serve('http://127.0.0.1:1')
    keys = await idTokens()
    h = await cognitoHarness(pool, keys.issuer, false)
  })
  afterAll(async () => {
    await h?.close()
    await keys?.close()
    await pool?.close()
  })

  it('needs an e-mail address, not a password (400 naming the field)', async () => {
    const res = await h.request('/api/setup', {
      method: 'POST',
      body: { orgName: 'Werft Süd GmbH', name: 'Sina Stein', password: 'no-passwords-here' },
    })
    expect(res.status).toBe(400)
    expect((await res.json()).error.fields).toMatchObject({ email: expect.any(String) })
    expect(pool.userPool.requests).toEqual([])
  })

  it('creates the ISO at the user pool, binds them by sub and answers the temporary password once; then 409', async () => {
    const res = await h.request('/api/setup', {
      method: 'POST',
      body: {
        orgName: 'Werft Süd GmbH',
        name: 'Sina Stein',
        email: 'Sina@Werft-Sued.example',
        language: 'de',
      },
    })
    expect(res.status).toBe(201)
    const body = await res.json()
    const account = pool.account('sina@werft-sued.example')
    expect(body).toEqual({
      organisation: { id: expect.stringMatching(/^werft-sud-gmbh-/), name: 'Werft Süd GmbH' },
      signIn: { email: 'sina@werft-sued.example', temporaryPassword: account.password },
    })
    expect(body.signIn.temporaryPassword).toMatch(POOL_POLICY)
    expect(pool.userPool.requests[0]).toMatchObject({
      operation: 'AdminCreateUser',
      body: { MessageAction: 'SUPPRESS', Username: 'sina@werft-sued.example' },
    })

    // Signed in at the managed login (after choosing a password), the ISO's session.
    const token = await keys.token({ sub: account.sub, email: account.email })
    const session = await h.request('/api/session', { headers: { authorization: `Bearer ${token}` } })
    expect(await session.json()).toMatchObject({
      principal: { name: 'Sina Stein', memberships: [{ orgId: body.organisation.id, roles: ['iso'] }] },
    })
    expect(await (await h.request('/api/setup')).json()).toEqual({ needed: false })

    const again = await h.request('/api/setup', {
      method: 'POST',
      body: { orgName: 'Zweite GmbH', name: 'Eve', email: 'eve@example.org' },
    })
    expect(again.status).toBe(409)
    expect(pool.accountByEmail('eve@example.org')).toBeUndefined()
  })
})
