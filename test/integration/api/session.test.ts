import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SIGN_IN_FAILED } from '../../../functions/api/auth/sign-in.js'
import { DEMO_PASSWORD } from '../../../infra/local/seed/index.js'
import { apiHarness } from './support.js'

describe('sign-in and sessions (local mode)', () => {
  let h: Awaited<ReturnType<typeof apiHarness>>
  beforeAll(async () => {
    h = await apiHarness()
  })
  afterAll(async () => h.close())

  it('signs in with the demo password and answers the principal, memberships and a CSRF token', async () => {
    const res = await h.request('/api/session', {
      method: 'POST',
      body: { email: 'ISO@demo.ismsflow.test', password: DEMO_PASSWORD },
    })
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body.principal).toMatchObject({
      userId: 'demo-iso',
      email: 'iso@demo.ismsflow.test',
      // The first organisation the person joined, not the first by name.
      orgId: 'nordlicht',
      roles: ['iso'],
    })
    expect(body.principal.memberships.map((m: { orgId: string }) => m.orgId)).toEqual([
      'hafenstadt',
      'nordlicht',
    ])
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{40,}$/)
    expect(body.authMode).toBe('local')
  })

  it('sets an httpOnly, SameSite=Lax session cookie, Secure only on https', async () => {
    const res = await h.request('/api/session', {
      method: 'POST',
      body: { email: 'member@demo.ismsflow.test', password: DEMO_PASSWORD },
    })
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/^ismsflow_session=[A-Za-z0-9_-]{40,};/)
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Lax/)
    expect(cookie).toMatch(/Path=\//)
    expect(cookie).toMatch(/Max-Age=43200/)
    expect(cookie).not.toMatch(/Secure/)
    const https = await h.request('/api/session', {
      method: 'POST',
      body: { email: 'member@demo.ismsflow.test', password: DEMO_PASSWORD },
      headers: { 'x-forwarded-proto': 'https' },
    })
    expect(https.headers.get('set-cookie')).toMatch(/Secure/)
  })

  it('answers one generic 401 for a wrong password and for an unknown e-mail', async () => {
    const wrong = await h.request('/api/session', {
      method: 'POST',
      body: { email: 'auditor@demo.ismsflow.test', password: 'nope' },
    })
    const unknown = await h.request('/api/session', {
      method: 'POST',
      body: { email: 'nobody@demo.ismsflow.test', password: 'nope' },
    })
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    const [a, b] = [await wrong.json(), await unknown.json()]
    expect(a.error).toMatchObject({ code: 'unauthenticated', message: SIGN_IN_FAILED })
    expect(b.error).toMatchObject({ code: 'unauthenticated', message: SIGN_IN_FAILED })
    expect(wrong.headers.get('set-cookie')).toBeNull()
  })

  it('slows an account from the IP that failed 5 times (even the right password), for 15 minutes; another IP still signs in', async () => {
    const email = 'management@demo.ismsflow.test'
    const stranger = { incoming: { socket: { remoteAddress: '192.0.2.66' } } }
    const office = { incoming: { socket: { remoteAddress: '198.51.100.20' } } }
    for (let i = 0; i < 5; i++)
      expect(
        (
          await h.request(
            '/api/session',
            { method: 'POST', body: { email, password: `wrong-${i}` } },
            stranger,
          )
        ).status,
      ).toBe(401)
    const limited = await h.request(
      '/api/session',
      { method: 'POST', body: { email, password: DEMO_PASSWORD } },
      stranger,
    )
    expect(limited.status).toBe(429)
    expect((await limited.json()).error.code).toBe('rate_limited')
    expect(limited.headers.get('retry-after')).toBe('900')
    // The real person, from their own IP, is not locked out by the stranger's guesses.
    expect(
      (await h.request('/api/session', { method: 'POST', body: { email, password: DEMO_PASSWORD } }, office))
        .status,
    ).toBe(200)
    h.advance(15 * 60_000)
    expect(
      (
        await h.request(
          '/api/session',
          { method: 'POST', body: { email, password: DEMO_PASSWORD } },
          stranger,
        )
      ).status,
    ).toBe(200)
  })

  it('rate-limits an IP address across e-mail addresses', async () => {
    const env = { incoming: { socket: { remoteAddress: '203.0.113.7' } } }
    const guesses = Array.from({ length: 20 }, (_, i) =>
      h.request(
        '/api/session',
        { method: 'POST', body: { email: `guess${i}@example.test`, password: 'x' } },
        env,
      ),
    )
    expect((await Promise.all(guesses)).map((r) => r.status)).toEqual(Array(20).fill(401))
    const fromIp = await h.request(
      '/api/session',
      { method: 'POST', body: { email: 'member@demo.ismsflow.test', password: DEMO_PASSWORD } },
      env,
    )
    expect(fromIp.status).toBe(429)
    const elsewhere = await h.request(
      '/api/session',
      { method: 'POST', body: { email: 'member@demo.ismsflow.test', password: DEMO_PASSWORD } },
      { incoming: { socket: { remoteAddress: '198.51.100.1' } } },
    )
    expect(elsewhere.status).toBe(200)
  })

  /** `GET /api/session` for nobody: 200 with `principal: null` (an anonymous page logs no error). */
  const nobody = async (init: Parameters<typeof h.request>[1] = {}) => {
    const res = await h.request('/api/session', init)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ principal: null, csrfToken: null, authMode: 'local' })
  }

  it('says nobody is signed in without a session, with a forged one and with an expired one; other routes answer 401', async () => {
    await nobody()
    const forgedCookie = { headers: { cookie: 'ismsflow_session=forged-token-value' } }
    await nobody(forgedCookie)
    const forged = await h.request('/api/tasks', forgedCookie)
    expect(forged.status).toBe(401)
    expect((await forged.json()).error.code).toBe('unauthenticated')
    const s = await h.signIn('auditor@demo.ismsflow.test')
    expect((await h.request('/api/session', { auth: s })).status).toBe(200)
    h.advance(12 * 60 * 60_000 + 1000)
    await nobody({ auth: s })
    expect((await h.request('/api/tasks', { auth: s })).status).toBe(401)
  })

  it('signs out only with the CSRF token; afterwards the cookie is worthless', async () => {
    const s = await h.signIn('member@demo.ismsflow.test')
    const noToken = await h.request('/api/session', {
      method: 'DELETE',
      auth: s,
      csrf: false,
      headers: { origin: 'http://localhost' },
    })
    expect(noToken.status).toBe(403)
    expect((await noToken.json()).error.fields).toEqual({ 'x-csrf-token': 'is missing' })
    const wrongToken = await h.request('/api/session', {
      method: 'DELETE',
      auth: s,
      headers: { 'x-csrf-token': 'x'.repeat(43), origin: 'http://localhost' },
    })
    expect(wrongToken.status).toBe(403)
    expect((await h.request('/api/session', { auth: s })).status).toBe(200)
    const out = await h.request('/api/session', {
      method: 'DELETE',
      auth: s,
      headers: { origin: 'http://localhost' },
    })
    expect(out.status).toBe(204)
    expect(out.headers.get('set-cookie')).toMatch(/ismsflow_session=;.*Max-Age=0/)
    await nobody({ auth: s })
    expect((await h.request('/api/tasks', { auth: s })).status).toBe(401)
  })

  it('refuses a cross-site form post by its origin', async () => {
    const res = await h.request('/api/session', {
      method: 'POST',
      body: 'email=iso@demo.ismsflow.test&password=demo1234!',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
    })
    expect(res.status).toBe(403)
    expect((await res.json()).error.code).toBe('forbidden')
  })

  it('records the sign-in in the organisation audit log', async () => {
    const s = await h.signIn('auditor@demo.ismsflow.test')
    const res = await h.request('/api/audit?limit=5', { auth: s })
    expect(res.status).toBe(200)
    const { items } = await res.json()
    // The log is the current organisation's (Nordlicht), each entry in words.
    expect(items[0]).toMatchObject({ action: 'session.sign-in', actor: { userId: 'demo-auditor' } })
    expect(items[0].text.en).toMatch(/signed in/i)
  })
})
