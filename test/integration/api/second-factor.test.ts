import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { totpCode } from '../../../functions/api/auth/totp.js'
import { DEMO_PASSWORD } from '../../../infra/local/seed/index.js'
import { apiHarness, type SignedIn } from './support.js'

const AUDITOR = 'auditor@demo.ismsflow.test'

describe('the optional second factor (TOTP) of local sign-in', () => {
  let h: Awaited<ReturnType<typeof apiHarness>>
  let auditor: SignedIn
  let secret = ''
  let recoveryCodes: string[] = []

  /** Signs in from `ip` (the socket's peer, as the Node server sees it). */
  const signIn = (body: Record<string, string>, ip = '198.51.100.7') =>
    h.request(
      '/api/session',
      { method: 'POST', body: { email: AUDITOR, password: DEMO_PASSWORD, ...body } },
      { incoming: { socket: { remoteAddress: ip } } },
    )
  /** The code an authenticator app shows now (the harness's clock). */
  const codeNow = () => totpCode(secret, h.deps.now())

  beforeAll(async () => {
    h = await apiHarness()
    auditor = await h.signIn(AUDITOR)
  })
  afterAll(async () => h?.close())

  it('sets up with a QR code of the otpauth:// URI, and turns on only with a right code', async () => {
    const started = await h.request('/api/account/totp', { method: 'POST', auth: auditor, body: {} })
    expect(started.status).toBe(201)
    const setup = await started.json()
    secret = setup.secret
    expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(setup.uri).toBe(
      `otpauth://totp/ismsflow:auditor%40demo.ismsflow.test?issuer=ismsflow&secret=${secret}&algorithm=SHA1&digits=6&period=30`,
    )
    expect(setup.qrSvg).toMatch(/^<svg[^>]*viewBox/)
    // Not on until confirmed: sign-in asks nothing yet.
    expect((await signIn({})).status).toBe(200)

    const wrong = await h.request('/api/account/totp/confirm', {
      method: 'POST',
      auth: auditor,
      body: { code: '000000' === codeNow() ? '111111' : '000000' },
    })
    expect(wrong.status).toBe(400)
    expect((await wrong.json()).error.fields).toEqual({ code: 'is not correct' })

    const ok = await h.request('/api/account/totp/confirm', {
      method: 'POST',
      auth: auditor,
      body: { code: codeNow() },
    })
    expect(ok.status).toBe(200)
    ;({ recoveryCodes } = await ok.json())
    expect(recoveryCodes).toHaveLength(10)
    for (const c of recoveryCodes) expect(c).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/)
    const account = await (await h.request('/api/account', { auth: auditor })).json()
    expect(account.totp).toEqual({ enabled: true, recoveryCodesLeft: 10 })
    // Stored sealed and hashed: no secret, no recovery code in the profile.
    const stored = JSON.stringify(await h.deps.identity.getUser('demo-auditor'))
    expect(stored).not.toContain(secret)
    for (const c of recoveryCodes) expect(stored).not.toContain(c)
  })

  it('asks for the code after the right password; a code works once', async () => {
    const asked = await signIn({})
    expect(asked.status).toBe(401)
    expect((await asked.json()).error.fields).toEqual({ code: 'is required' })
    expect(asked.headers.get('set-cookie')).toBeNull()
    // A wrong password says nothing about the code.
    const wrongPassword = await signIn({ password: 'not the password' })
    expect((await wrongPassword.json()).error.fields ?? {}).toEqual({})

    // The first code was used to confirm: the next step's code signs in, once.
    h.advance(30_000)
    const code = codeNow()
    const ok = await signIn({ code })
    expect(ok.status).toBe(200)
    expect(ok.headers.get('set-cookie')).toMatch(/^ismsflow_session=/)
    const again = await signIn({ code })
    expect(again.status).toBe(401)
    expect((await again.json()).error.fields).toEqual({ code: 'is not correct' })
  })

  it('takes each recovery code once (with or without the dash, any case)', async () => {
    const [first, second] = recoveryCodes
    expect((await signIn({ code: first.toUpperCase() })).status).toBe(200)
    expect((await signIn({ code: first })).status).toBe(401)
    expect((await signIn({ code: second.replace('-', '') })).status).toBe(200)
    const account = await (await h.request('/api/account', { auth: auditor })).json()
    expect(account.totp.recoveryCodesLeft).toBe(8)
  })

  it('throttles wrong codes like wrong passwords: that IP waits, another IP still signs in', async () => {
    h.advance(60_000)
    for (let i = 0; i < 5; i++) expect((await signIn({ code: '123456' }, '203.0.113.9')).status).toBe(401)
    const blocked = await signIn({ code: codeNow() }, '203.0.113.9')
    expect(blocked.status).toBe(429)
    expect((await signIn({ code: codeNow() }, '192.0.2.44')).status).toBe(200)
  })

  it('does not sign in from a reset link when the second factor is on', async () => {
    const { linkToken } = await import('../../../functions/api/accounts/tokens.js')
    const token = linkToken()
    await h.deps.identity.createOneTimeToken({
      token,
      purpose: 'password-reset',
      userId: 'demo-auditor',
      ttlSeconds: 3600,
    })
    const res = await h.request(`/api/password-reset/${token}`, {
      method: 'POST',
      body: { password: 'ein neues langes Passwort' },
    })
    expect(res.status).toBe(200)
    expect((await res.json()).principal).toBeNull()
    expect(res.headers.get('set-cookie')).toBeNull()
  })

  it('turns off only with the password', async () => {
    // The reset ended every session: sign in again, with a recovery code.
    const again = await signIn(
      { password: 'ein neues langes Passwort', code: recoveryCodes[2] },
      '192.0.2.45',
    )
    expect(again.status).toBe(200)
    const body = await again.json()
    auditor = {
      cookie: (again.headers.get('set-cookie') ?? '').split(';')[0],
      csrfToken: body.csrfToken,
      body,
    }
    const wrong = await h.request('/api/account/totp/disable', {
      method: 'POST',
      auth: auditor,
      body: { password: 'wrong' },
    })
    expect(wrong.status).toBe(400)
    const off = await h.request('/api/account/totp/disable', {
      method: 'POST',
      auth: auditor,
      body: { password: 'ein neues langes Passwort' },
    })
    expect(off.status).toBe(200)
    expect((await off.json()).totp).toEqual({ enabled: false, recoveryCodesLeft: 0 })
    expect((await signIn({ password: 'ein neues langes Passwort' }, '192.0.2.45')).status).toBe(200)
  })

  it('is off on AWS, where Cognito’s MFA applies', async () => {
    const other = await apiHarness({ config: { authMode: 'cognito' }, seed: false })
    try {
      const res = await other.request('/api/account/totp', { method: 'POST', body: {} })
      expect(res.status).toBe(404)
    } finally {
      await other.close()
    }
  })
})
