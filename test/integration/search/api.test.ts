import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiHarness, type SignedIn } from '../api/support.js'

const NL = { 'x-org-id': 'nordlicht' }
const HS = { 'x-org-id': 'hafenstadt' }

const newRisk = (over: Record<string, unknown> = {}) => ({
  title: 'Ausfall der Kühlung im Rechenzentrum',
  description: 'Überhitzung der Server bei Sommerhitze.',
  category: 'physical',
  ownerId: 'demo-management',
  likelihood: 3,
  impact: 4,
  ...over,
})

describe('search API', () => {
  let h: Awaited<ReturnType<typeof apiHarness>>
  let iso: SignedIn
  let member: SignedIn
  let hafenMember: SignedIn
  let coolingId: string
  let memberRiskId: string

  const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as any })
  const search = async (q: string, auth = iso, headers = NL) =>
    json(await h.request(`/api/search?q=${encodeURIComponent(q)}`, { auth, headers }))
  const ids = (body: any, type = 'risk') =>
    (body.groups.find((g: any) => g.type === type)?.items ?? []).map((i: any) => i.id)

  beforeAll(async () => {
    h = await apiHarness()
    ;[iso, member, hafenMember] = await Promise.all([
      h.signIn('iso@demo.ismsflow.test'),
      h.signIn('member@demo.ismsflow.test'),
      h.signIn('member@hafenstadt.ismsflow.test'),
    ])
    const a = await json(
      await h.request('/api/risks', { method: 'POST', auth: iso, body: newRisk(), headers: NL }),
    )
    expect(a.status).toBe(201)
    coolingId = a.body.risk.id
    const b = await json(
      await h.request('/api/risks', {
        method: 'POST',
        auth: iso,
        body: newRisk({
          title: 'Stolen laptop of a field engineer',
          description: '',
          ownerId: 'demo-member',
        }),
        headers: NL,
      }),
    )
    expect(b.status).toBe(201)
    memberRiskId = b.body.risk.id
  })
  afterAll(async () => h.close())

  it('finds a risk by a word of its title, and by the beginning of a word', async () => {
    const res = await search('Rechenzentrum')
    expect(res.status).toBe(200)
    expect(ids(res.body)).toEqual([coolingId])
    expect(res.body.groups[0].items[0]).toMatchObject({
      ref: coolingId,
      title: { en: newRisk().title, de: newRisk().title },
      status: { en: 'Identified', de: 'Identifiziert' },
      href: `/risks/${coolingId}`,
    })
    expect(res.body.groups.map((g: { type: string }) => g.type)).toEqual([
      'risk',
      'control',
      'task',
      'review',
      'incident',
    ])
    expect(res.body.total).toBe(1)
    expect(res.body.groups[0]).toMatchObject({ type: 'risk', count: 1, more: false })
    expect(ids((await search('rechenz')).body)).toEqual([coolingId])
  })

  it('finds a German word with umlauts typed without them, and intersects the words', async () => {
    expect(ids((await search('kuhlung')).body)).toEqual([coolingId])
    expect(ids((await search('UBERHITZUNG server')).body)).toEqual([coolingId])
    expect(ids((await search('kuhlung laptop')).body)).toEqual([])
  })

  it('finds demo risks written before the index (backfill) and a risk by its id', async () => {
    expect((await search('ransomware')).body.groups[0].items.length).toBeGreaterThan(0)
    expect(ids((await search(coolingId)).body)).toContain(coolingId)
  })

  it('follows an edit: the old title no longer finds the risk', async () => {
    const cur = await json(await h.request(`/api/risks/${coolingId}`, { auth: iso, headers: NL }))
    const res = await h.request(`/api/risks/${coolingId}`, {
      method: 'PUT',
      auth: iso,
      headers: NL,
      body: {
        ...newRisk(),
        title: 'Ausfall der Klimaanlage im Rechenzentrum',
        description: '',
        expectedVersion: cur.body.risk.version,
      },
    })
    expect(res.status).toBe(200)
    expect(ids((await search('kühlung')).body)).toEqual([])
    expect(ids((await search('klimaanlage')).body)).toEqual([coolingId])
  })

  it('a member finds only risks they may see', async () => {
    const laptop = ids((await search('laptop', member)).body)
    expect(laptop).toContain(memberRiskId)
    expect(ids((await search('stolen laptop', member)).body)).toEqual([memberRiskId])
    expect(ids((await search('rechenzentrum', member)).body)).toEqual([])
  })

  it('finds nothing of another organisation', async () => {
    const res = await search('rechenzentrum', hafenMember, HS)
    expect(res.status).toBe(200)
    expect(ids(res.body)).toEqual([])
    // The ISO serves both organisations: in Hafenstadt the Nordlicht risk is not found.
    expect(ids((await search('rechenzentrum', iso, HS)).body)).toEqual([])
    // Someone outside Nordlicht cannot search it at all.
    expect((await search('rechenzentrum', hafenMember, NL)).status).toBe(403)
  })

  it('validates q by name', async () => {
    for (const q of ['', 'x'.repeat(101)]) {
      const res = await search(q)
      expect(res.status).toBe(400)
      expect(res.body.error.fields).toHaveProperty('q')
    }
    const none = await json(await h.request('/api/search', { auth: iso, headers: NL }))
    expect(none.status).toBe(400)
    expect(none.body.error.fields).toHaveProperty('q')
  })
})
