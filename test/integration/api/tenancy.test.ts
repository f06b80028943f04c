import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiHarness, type SignedIn, scanAll } from './support.js'

describe('organisations, roles and tenant separation', () => {
  let h: Awaited<ReturnType<typeof apiHarness>>
  let iso: SignedIn
  let hafenMember: SignedIn
  let member: SignedIn
  let auditor: SignedIn
  beforeAll(async () => {
    h = await apiHarness()
    ;[iso, hafenMember, member, auditor] = await Promise.all([
      h.signIn('iso@demo.ismsflow.test'),
      h.signIn('member@hafenstadt.ismsflow.test'),
      h.signIn('member@demo.ismsflow.test'),
      h.signIn('auditor@demo.ismsflow.test'),
    ])
  })
  afterAll(async () => h.close())

  it('gives each demo person their roles in their organisations', async () => {
    expect(hafenMember.body.principal).toMatchObject({ orgId: 'hafenstadt', roles: ['member'] })
    expect(hafenMember.body.principal.memberships.map((m) => m.orgId)).toEqual(['hafenstadt'])
    expect(member.body.principal).toMatchObject({ orgId: 'nordlicht', roles: ['member'] })
    expect(auditor.body.principal).toMatchObject({ orgId: 'nordlicht', roles: ['auditor'] })
  })

  it('lets the ISO act in either organisation by x-org-id', async () => {
    for (const [orgId, name] of [
      ['nordlicht', 'Nordlicht Maschinenbau GmbH'],
      ['hafenstadt', 'Hafenstadt Logistik AG'],
    ]) {
      const res = await h.request('/api/orgs/current', { auth: iso, headers: { 'x-org-id': orgId } })
      expect(res.status).toBe(200)
      expect((await res.json()).organisation).toMatchObject({ id: orgId, name })
    }
  })

  it('switches the organisation with a cookie the next requests follow', async () => {
    const res = await h.request('/api/session/org', {
      method: 'POST',
      auth: iso,
      body: { orgId: 'nordlicht' },
    })
    expect(res.status).toBe(200)
    expect((await res.json()).principal).toMatchObject({ orgId: 'nordlicht', roles: ['iso'] })
    const orgCookie = (res.headers.get('set-cookie') ?? '').split(';')[0]
    expect(orgCookie).toBe('ismsflow_org=nordlicht')
    const next = await h.request('/api/orgs/current', { auth: iso, headers: { cookie: orgCookie } })
    expect((await next.json()).organisation.id).toBe('nordlicht')
  })

  it('refuses a switch to an organisation the person is not a member of, writing nothing', async () => {
    const before = await scanAll(h)
    const res = await h.request('/api/session/org', {
      method: 'POST',
      auth: hafenMember,
      body: { orgId: 'nordlicht' },
    })
    expect(res.status).toBe(403)
    expect(res.headers.get('set-cookie')).toBeNull()
    expect(await scanAll(h)).toEqual(before)
  })

  it('refuses a member of one organisation naming the other, by header or by a planted cookie', async () => {
    const byHeader = await h.request('/api/orgs/current', {
      auth: hafenMember,
      headers: { 'x-org-id': 'nordlicht' },
    })
    expect(byHeader.status).toBe(403)
    expect(JSON.stringify(await byHeader.json())).not.toContain('Nordlicht Maschinenbau')
    const audit = await h.request('/api/audit', { auth: hafenMember, headers: { 'x-org-id': 'nordlicht' } })
    expect(audit.status).toBe(403)
    // A cookie the server never set is ignored: the person stays in their own organisation.
    const planted = await h.request('/api/orgs/current', {
      auth: hafenMember,
      headers: { cookie: 'ismsflow_org=nordlicht' },
    })
    expect((await planted.json()).organisation.id).toBe('hafenstadt')
  })

  it('lets iso, management and auditor read the audit log, not members; each sees only its organisation', async () => {
    expect((await h.request('/api/audit', { auth: member })).status).toBe(403)
    expect((await h.request('/api/audit', { auth: hafenMember })).status).toBe(403)
    const res = await h.request('/api/audit?limit=200', { auth: auditor })
    expect(res.status).toBe(200)
    const { items } = (await res.json()) as { items: { orgId: string; action: string }[] }
    expect(items.length).toBeGreaterThan(0)
    expect(new Set(items.map((i) => i.orgId))).toEqual(new Set(['nordlicht']))
    const hafen = await h.request('/api/audit?limit=200', {
      auth: iso,
      headers: { 'x-org-id': 'hafenstadt' },
    })
    const hafenItems = (await hafen.json()).items as { orgId: string }[]
    expect(new Set(hafenItems.map((i) => i.orgId))).toEqual(new Set(['hafenstadt']))
  })

  it('requireRole answers 403 naming the role', async () => {
    const res = await h.request('/api/audit', { auth: member })
    expect((await res.json()).error).toMatchObject({
      code: 'forbidden',
      message: 'This needs the role iso or auditor or management.',
    })
  })
})
