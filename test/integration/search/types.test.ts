import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Client, startTestStack } from '../../support/stack.js'

/**
 * The search over every type, through the real API on the local stack with the demo seed
 * (engine, scheduler, workflows): what each role finds, and nothing across organisations.
 */
describe('search across risks, controls, tasks, reviews and incidents', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let member: Client
  let auditor: Client
  let management: Client
  let isoInHafenstadt: Client
  let hafenstadtMember: Client

  const PROJECT = 'cp-nordlicht-iso27001'
  const search = async (who: Client, q: string) => {
    const res = await who.get<Answer>(`/api/search?q=${encodeURIComponent(q)}`)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return res.body
  }
  type Answer = {
    total: number
    groups: {
      type: string
      count: number
      items: { id: string; ref?: string; href: string; title: { en: string } }[]
    }[]
  }
  /** One type's group (every type is always answered). */
  const groupOf = (answer: Answer, type: string) => {
    const g = answer.groups.find((x) => x.type === type)
    if (!g) throw new Error(`no ${type} group`)
    return g
  }
  const found = async (who: Client, q: string, type: string) => groupOf(await search(who, q), type).items
  const types = async (who: Client, q: string) =>
    (await search(who, q)).groups.filter((g) => g.count > 0).map((g) => g.type)

  beforeAll(async () => {
    t = await startTestStack()
    ;[iso, member, auditor, management, isoInHafenstadt, hafenstadtMember] = await Promise.all([
      t.signIn('iso@demo.ismsflow.test'),
      t.signIn('member@demo.ismsflow.test'),
      t.signIn('auditor@demo.ismsflow.test'),
      t.signIn('management@demo.ismsflow.test'),
      t.signIn('iso@demo.ismsflow.test', undefined, 'hafenstadt'),
      t.signIn('member@hafenstadt.ismsflow.test'),
    ])
  }, 120_000)
  afterAll(async () => t?.close())

  it('finds every type in the demo: "Ransomware" and "backup" on Nordlicht', async () => {
    // The incident's report tasks are created by its workflow shortly after the seed.
    await t.eventually(async () => (await types(iso, 'Ransomware')).length === 5, 30_000)
    const answer = await search(iso, 'Ransomware')
    expect(answer.groups.map((g) => g.type)).toEqual(['risk', 'control', 'task', 'review', 'incident'])
    expect(groupOf(answer, 'risk').items[0]).toMatchObject({
      ref: 'R-001',
      href: '/risks/R-001',
    })
    expect(groupOf(answer, 'control').items.map((i) => i.href)).toContain(
      `/certification/${PROJECT}/soa/A.5.26`,
    )
    expect(groupOf(answer, 'incident').items[0].href).toMatch(/^\/incidents\/INC-/)
    expect(groupOf(answer, 'review').items[0].href).toMatch(/^\/reviews\/risk-review/)
    expect(groupOf(answer, 'task').items[0].href).toMatch(/^\/tasks\//)
    expect(await types(iso, 'backup')).toEqual(expect.arrayContaining(['risk', 'control', 'incident']))
    // A control by its id and catalogue title, in either language.
    expect((await found(iso, 'A.8.13', 'control')).map((i) => i.ref)).toEqual(['A.8.13'])
    expect((await found(iso, 'Wiederherstellung', 'control')).map((i) => i.ref)).toEqual(['A.8.13'])
  })

  it('finds a control by the justification just written, and forgets the old one', async () => {
    const path = `/api/certification/projects/${PROJECT}/soa/A.5.4`
    const decide = (justification: string, version?: number) =>
      iso.call('PUT', path, {
        applicable: true,
        justification,
        inclusionReasons: ['business'],
        status: 'partial',
        ownerId: 'demo-iso',
        ...(version ? { version } : {}),
      })
    const first = await decide('Leitung prüft Quallenbefall quarterly')
    expect(first.status, JSON.stringify(first.body)).toBe(200)
    expect((await found(iso, 'quallenbef', 'control')).map((i) => i.ref)).toEqual(['A.5.4'])
    // Members find the controls they own only; auditors and management read the whole SoA.
    expect(await found(member, 'quallenbefall', 'control')).toEqual([])
    expect((await found(auditor, 'quallenbefall', 'control')).length).toBe(1)
    expect((await found(management, 'quallenbefall', 'control')).length).toBe(1)
    const second = await decide('Leitung prüft Sturmflut quarterly', first.body.entry.version)
    expect(second.status, JSON.stringify(second.body)).toBe(200)
    expect(await found(iso, 'quallenbefall', 'control')).toEqual([])
    expect((await found(iso, 'sturmflut', 'control')).map((i) => i.ref)).toEqual(['A.5.4'])
    // Owned by the member now: they find it.
    await iso.call('PUT', path, {
      applicable: true,
      justification: 'Leitung prüft Sturmflut quarterly',
      inclusionReasons: ['business'],
      status: 'partial',
      ownerId: 'demo-member',
    })
    expect((await found(member, 'sturmflut', 'control')).map((i) => i.ref)).toEqual(['A.5.4'])
  })

  it('finds an incident and its triage task, each by who may see it', async () => {
    const awareAt = new Date(t.stack.clock.now().getTime() - 3_600_000).toISOString()
    const reported = await member.post('/api/incidents', {
      title: 'Kraken im Kühlwasser der Presse',
      awareAt,
      description: 'Seltsame Tentakel im Kühlkreislauf.',
    })
    expect(reported.status, JSON.stringify(reported.body)).toBe(201)
    const id: string = reported.body.id
    for (const who of [member, iso, auditor, management])
      expect((await found(who, 'kraken', 'incident')).map((i) => i.id)).toEqual([id])
    expect((await found(iso, 'tentakel kühlkreislauf', 'incident')).map((i) => i.id)).toEqual([id])
    expect((await found(iso, id, 'incident')).map((i) => i.id)).toEqual([id])
    // The ISO's triage task (a task for the ISO role): the ISO finds it, the member does not.
    const tasks = await t.eventually(async () => {
      const items = await found(iso, 'kraken', 'task')
      return items.length > 0 ? items : undefined
    })
    expect(tasks[0].title.en).toBe('Triage the security incident: Kraken im Kühlwasser der Presse')
    expect(await found(member, 'kraken', 'task')).toEqual([])
    expect((await found(auditor, 'kraken', 'task')).length).toBe(1)

    // One the ISO reports: the member finds it only once assigned to it.
    const other = await iso.post('/api/incidents', { title: 'Oktopus im Serverraum', awareAt })
    expect(other.status, JSON.stringify(other.body)).toBe(201)
    expect(await found(member, 'oktopus', 'incident')).toEqual([])
    const assigned = await iso.post(`/api/incidents/${other.body.id}/assignees`, { userId: 'demo-member' })
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200)
    expect((await found(member, 'oktopus', 'incident')).map((i) => i.id)).toEqual([other.body.id])
  })

  it('finds tasks and review cycles only for those who may see them', async () => {
    // Measure tasks are assigned to their owners; the member sees their own.
    const mine = await found(member, 'implement measure', 'task')
    expect(mine.length).toBeGreaterThan(0)
    for (const task of mine) {
      const res = await member.get(task.href.replace(/^\/tasks\//, '/api/tasks/'))
      expect(res.status).toBe(200)
    }
    const all = await found(iso, 'implement measure', 'task')
    expect(all.length).toBeGreaterThan(mine.length)
    // Review cycles: the ISO performs the risk review; auditors read the programme; the member does not.
    expect((await found(iso, 'risk review', 'review')).length).toBeGreaterThan(0)
    expect((await found(auditor, 'risk review', 'review')).length).toBeGreaterThan(0)
    expect(await found(member, 'risk review', 'review')).toEqual([])
  })

  it('never finds anything of another organisation', async () => {
    expect((await search(hafenstadtMember, 'ransomware')).total).toBe(0)
    expect((await search(hafenstadtMember, 'kraken')).total).toBe(0)
    // The ISO of both organisations finds in Hafenstadt nothing of Nordlicht.
    expect((await search(isoInHafenstadt, 'kraken')).total).toBe(0)
    expect((await search(isoInHafenstadt, 'A.8.13')).total).toBe(0)
    // A member of Hafenstadt cannot search Nordlicht at all.
    const res = await hafenstadtMember.call('GET', '/api/search?q=kraken', undefined, {
      'x-org-id': 'nordlicht',
    })
    expect(res.status).toBe(403)
  })
})
