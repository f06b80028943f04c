import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_BODY_BYTES } from '../../../functions/api/app.js'
import { apiHarness, type SignedIn, scanAll } from './support.js'

describe('bad input at the session and audit boundaries', () => {
  let h: Awaited<ReturnType<typeof apiHarness>>
  let iso: SignedIn
  beforeAll(async () => {
    h = await apiHarness()
    iso = await h.signIn('iso@demo.ismsflow.test')
  })
  afterAll(async () => h.close())

  const signIn = (body: unknown, headers?: Record<string, string>) =>
    h.request('/api/session', { method: 'POST', body, headers })
  const error = async (res: Response) =>
    ((await res.json()) as { error: { code: string; fields?: Record<string, string> } }).error

  it('answers 400 for malformed JSON', async () => {
    const res = await signIn('{"email": "iso@demo.ismsflow.test", ')
    expect(res.status).toBe(400)
    expect((await error(res)).fields).toEqual({ '(body)': 'is not valid JSON' })
  })

  it('answers 400 naming fields of the wrong type', async () => {
    const res = await signIn({ email: 42, password: ['demo1234!'] })
    expect(res.status).toBe(400)
    const e = await error(res)
    expect(e.code).toBe('validation_failed')
    expect(Object.keys(e.fields ?? {}).sort()).toEqual(['email', 'password'])
  })

  it('answers 400 naming unknown fields', async () => {
    const res = await signIn({ email: 'iso@demo.ismsflow.test', password: 'demo1234!', remember: true })
    expect(res.status).toBe(400)
    expect((await error(res)).fields).toEqual({ remember: 'is not a known field' })
  })

  it('answers 400 naming a missing field', async () => {
    const res = await signIn({ email: 'iso@demo.ismsflow.test' })
    expect(res.status).toBe(400)
    expect(Object.keys((await error(res)).fields ?? {})).toEqual(['password'])
  })

  it('answers 413 for an oversized body and 415 for a body that is not JSON', async () => {
    const big = await signIn({ email: 'iso@demo.ismsflow.test', password: 'x'.repeat(MAX_BODY_BYTES + 10) })
    expect(big.status).toBe(413)
    expect((await error(big)).code).toBe('payload_too_large')
    const text = await signIn('email=x', { 'content-type': 'text/plain', origin: 'http://localhost' })
    expect(text.status).toBe(415)
  })

  it('answers 400 naming a malformed x-org-id and unknown or wrong query parameters', async () => {
    const org = await h.request('/api/orgs/current', { auth: iso, headers: { 'x-org-id': 'ORG#nordlicht' } })
    expect(org.status).toBe(400)
    expect((await error(org)).fields).toEqual({ 'x-org-id': 'is not an organisation id' })
    const unknown = await h.request('/api/audit?order=asc', { auth: iso })
    expect(unknown.status).toBe(400)
    expect((await error(unknown)).fields).toEqual({ order: 'is not a known field' })
    const limit = await h.request('/api/audit?limit=5000', { auth: iso })
    expect(limit.status).toBe(400)
    expect(Object.keys((await error(limit)).fields ?? {})).toEqual(['limit'])
  })

  it('writes nothing for a refused org switch body', async () => {
    const before = await scanAll(h)
    const res = await h.request('/api/session/org', {
      method: 'POST',
      auth: iso,
      body: { orgId: 'nordlicht', role: 'iso' },
    })
    expect(res.status).toBe(400)
    expect((await error(res)).fields).toEqual({ role: 'is not a known field' })
    expect(res.headers.get('set-cookie')).toBeNull()
    expect(await scanAll(h)).toEqual(before)
  })

  it('refuses control characters, text-direction overrides and lone surrogates, naming the field', async () => {
    // A right-to-left override would make "invoice\u202Efdp.exe" read as "invoiceexe.pdf".
    const rlo = await signIn({ email: 'iso@demo.ismsflow.test\u202Efdp.exe', password: 'demo1234!' })
    expect(rlo.status).toBe(400)
    expect((await error(rlo)).fields).toEqual({
      email: 'contains a text-direction override (U+202E); remove it',
    })
    const nul = await signIn({ email: 'iso@demo.ismsflow.test', password: 'demo\u00001234!' })
    expect(nul.status).toBe(400)
    expect((await error(nul)).fields).toEqual({
      password: 'contains a control character (U+0000); remove it',
    })
    // A lone surrogate is valid JSON but not text.
    const lone = await signIn('{"email":"iso@demo.ismsflow.test","password":"demo\\ud800"}')
    expect(lone.status).toBe(400)
    expect((await error(lone)).fields).toEqual({
      password: 'contains an invalid character (a lone surrogate); remove it',
    })
    const query = await h.request(`/api/audit?type=${encodeURIComponent('risk\u0007')}`, { auth: iso })
    expect(query.status).toBe(400)
    expect((await error(query)).fields).toMatchObject({
      type: 'contains a control character (U+0007); remove it',
    })
  })

  it('answers API JSON with Cache-Control: no-store and a Permissions-Policy', async () => {
    const res = await h.request('/api/session', { auth: iso })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('permissions-policy')).toMatch(/camera=\(\)/)
    expect(res.headers.get('permissions-policy')).toMatch(/geolocation=\(\)/)
  })
})
