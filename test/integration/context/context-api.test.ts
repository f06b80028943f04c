import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Client, startTestStack } from '../../support/stack.js'

interface Party {
  id: string
  version: number
  name: string
  ownerUserId: string
  addressed: string
}
interface Issue {
  id: string
  version: number
  kind: string
  title: string
}
interface Section {
  id: string
  empty: boolean
  lines: { en: string; de: string }[]
  counts?: Record<string, number>
}
type Items<T> = { items: T[] }

describe('context of the organisation: interested parties, issues, climate; the review package reads them', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let mgmt: Client
  let member: Client
  let auditor: Client
  let otherOrg: Client
  let isoHafenstadt: Client

  beforeAll(async () => {
    t = await startTestStack()
    iso = await t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht')
    mgmt = await t.signIn('management@demo.ismsflow.test')
    member = await t.signIn('member@demo.ismsflow.test')
    auditor = await t.signIn('auditor@demo.ismsflow.test')
    otherOrg = await t.signIn('member@hafenstadt.ismsflow.test')
    isoHafenstadt = await t.signIn('iso@demo.ismsflow.test', undefined, 'hafenstadt')
  })
  afterAll(async () => t?.close())

  const nextYear = () => new Date(t.stack.clock.now().getTime() + 365 * 86_400_000).toISOString().slice(0, 10)

  it('the demo register: realistic parties, issues and the climate decision; members see the parties they own', async () => {
    const all = await auditor.get<Items<Party>>('/api/context/parties')
    expect(all.status).toBe(200)
    const names = all.body.items.map((p) => p.name)
    expect(names).toEqual(
      expect.arrayContaining([
        'OEM customers (automotive)',
        'BSI (Federal Office for Information Security)',
        'Staff',
        'Cyber insurer',
        'Data protection authority (ULD Schleswig-Holstein)',
      ]),
    )
    const mine = await member.get<Items<Party>>('/api/context/parties')
    expect(mine.body.items.length).toBeGreaterThan(0)
    expect(mine.body.items.every((p) => p.ownerUserId === member.userId)).toBe(true)
    const issues = await mgmt.get<Items<Issue>>('/api/context/issues')
    expect(issues.body.items.some((i) => i.kind === 'external')).toBe(true)
    expect((await member.get('/api/context/issues')).status).toBe(403)
    expect((await auditor.get('/api/context/climate')).body.climate).toMatchObject({ relevant: 'yes' })
  })

  it('the ISO adds, changes and removes a party; fields are named; a double add is refused at the name', async () => {
    const body = {
      name: 'Landesamt für Umwelt',
      category: 'authorities',
      requirements: 'Reporting of incidents at the paint shop’s emission monitoring.',
      addressed: 'partly',
      how: 'Emission data backed up daily; reporting channel documented.',
      ownerUserId: iso.userId,
      nextReviewOn: nextYear(),
    }
    const created = await iso.post('/api/context/parties', body)
    expect(created.status).toBe(201)
    const again = await iso.post('/api/context/parties', body)
    expect(again.status).toBe(400)
    expect(again.body.error.fields).toHaveProperty('name')

    const bad = await iso.post('/api/context/parties', {
      name: '',
      category: 'aliens',
      requirements: '',
      addressed: 'maybe',
      how: '',
      ownerUserId: otherOrg.userId,
      nextReviewOn: 'soon',
    })
    expect(bad.status).toBe(400)
    expect(Object.keys(bad.body.error.fields)).toEqual(
      expect.arrayContaining(['name', 'category', 'requirements', 'addressed', 'how', 'nextReviewOn']),
    )
    const stranger = await iso.post('/api/context/parties', {
      ...body,
      name: 'Other',
      ownerUserId: otherOrg.userId,
    })
    expect(stranger.body.error.fields).toHaveProperty('ownerUserId')

    const id = created.body.id
    const changed = await iso.call('PUT', `/api/context/parties/${id}`, {
      ...body,
      addressed: 'yes',
      version: 1,
    })
    expect(changed.status).toBe(200)
    expect(changed.body.addressed).toBe('yes')
    const stale = await iso.call('PUT', `/api/context/parties/${id}`, { ...body, version: 1 })
    expect(stale.status).toBe(409)
    // Roles: management and members do not write; another organisation reaches nothing.
    expect((await mgmt.post('/api/context/parties', { ...body, name: 'X' })).status).toBe(403)
    expect((await member.get(`/api/context/parties/${id}`)).status).toBe(404)
    expect((await otherOrg.get(`/api/context/parties/${id}`)).status).toBe(404)
    expect((await isoHafenstadt.get(`/api/context/parties/${id}`)).status).toBe(404)
    expect(
      (await isoHafenstadt.call('PUT', `/api/context/parties/${id}`, { ...body, version: 2 })).status,
    ).toBe(404)
    expect((await isoHafenstadt.call('DELETE', `/api/context/parties/${id}`)).status).toBe(404)
    expect((await isoHafenstadt.get<Items<Party>>('/api/context/parties')).body.items).toEqual([])
    expect((await iso.call('DELETE', `/api/context/parties/${id}`)).status).toBe(204)
    expect((await iso.get(`/api/context/parties/${id}`)).status).toBe(404)
  })

  it('issues and the climate decision: named fields, roles, other organisations', async () => {
    const created = await iso.post('/api/context/issues', {
      kind: 'external',
      title: 'Energy prices double',
      effect: 'Pressure to cut the IT budget.',
    })
    expect(created.status).toBe(201)
    const bad = await iso.post('/api/context/issues', { kind: 'sideways', title: '', effect: '' })
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(['effect', 'kind', 'title'])
    expect((await isoHafenstadt.get(`/api/context/issues/${created.body.id}`)).status).toBe(404)
    expect(
      (await auditor.post('/api/context/issues', { kind: 'internal', title: 'x', effect: 'y' })).status,
    ).toBe(403)

    const noReason = await iso.call('PUT', '/api/context/climate', { relevant: 'maybe' })
    expect(Object.keys(noReason.body.error.fields).sort()).toEqual(['reasoning', 'relevant'])
    expect((await mgmt.call('PUT', '/api/context/climate', { relevant: 'no', reasoning: 'x' })).status).toBe(
      403,
    )
    expect((await isoHafenstadt.get('/api/context/climate')).body.climate).toBeNull()
  })

  it('the management review package fills inputs b), c) and e) from the register', async () => {
    const pkg = await mgmt.get<{ package: { sections: Section[] } }>('/api/reviews/management-package')
    const parties = pkg.body.package.sections.find((s) => s.id === 'interested-parties')
    expect(parties?.empty).toBe(false)
    const text = parties?.lines.map((l) => l.en).join('\n') ?? ''
    expect(text).toMatch(/interested parties in the register/)
    expect(text).toMatch(/e\) Feedback from interested parties/)
    expect(text).toContain('OEM customers (automotive)')
    expect(text).not.toMatch(/does not record interested parties/)
    const issues = pkg.body.package.sections.find((s) => s.id === 'issues')
    const issueText = issues?.lines.map((l) => l.en).join('\n') ?? ''
    expect(issueText).toMatch(/Context \(4\.1\)/)
    expect(issueText).toMatch(/Climate change is a relevant issue/)
    expect(pkg.body.package.sections.find((s) => s.id === 'interested-parties')?.lines[0].de).toMatch(
      /interessierte Parteien im Register/,
    )
  })
})
