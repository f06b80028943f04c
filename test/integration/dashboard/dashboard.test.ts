import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Dashboard,
  type DashboardCardData,
  dashboardSchema,
} from '../../../functions/domain/dashboard.js'
import { type Client, startTestStack } from '../../support/stack.js'

/** The demo's figures, read through `GET /api/dashboard` per role and checked against the full lists. */
describe('home dashboard API on the demo data', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let isoHafen: Client
  let mgmt: Client
  let member: Client
  let auditor: Client
  let hafenMember: Client

  beforeAll(async () => {
    t = await startTestStack()
    ;[iso, isoHafen, mgmt, member, auditor, hafenMember] = await Promise.all([
      t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht'),
      t.signIn('iso@demo.ismsflow.test', undefined, 'hafenstadt'),
      t.signIn('management@demo.ismsflow.test'),
      t.signIn('member@demo.ismsflow.test'),
      t.signIn('auditor@demo.ismsflow.test'),
      t.signIn('member@hafenstadt.ismsflow.test'),
    ])
  }, 180_000)
  afterAll(async () => t?.close())

  const dashboardOf = async (client: Client) => {
    const res = await client.get('/api/dashboard')
    expect(res.status).toBe(200)
    return dashboardSchema.parse(res.body)
  }
  type Card<K> = Extract<DashboardCardData, { kind: K }>
  const card = <K extends DashboardCardData['kind']>(d: Dashboard, kind: K): Card<K> => {
    const found = d.cards.find((c): c is Card<K> => c.kind === kind)
    if (!found) throw new Error(`no ${kind} card`)
    return found
  }
  const waitingTotal = async (client: Client) =>
    (await client.get<{ total: number }>('/api/tasks?view=waiting&limit=1')).body.total
  interface TaskRow {
    id: string
    status: string
    dueAt?: string
  }
  interface RiskRow {
    id: string
    status: string
    withinAppetite?: boolean
  }

  it('the ISO: due and overdue work, readiness, open incidents with the next clock, risks above appetite, activity', async () => {
    const d = await dashboardOf(iso)
    expect(d).toMatchObject({ orgId: 'nordlicht', roles: ['iso'] })
    expect(d.cards.map((c) => c.kind)).toEqual(['due', 'certification', 'incidents', 'risks', 'activity'])

    // Due within 7 days: the BSI notification (about 6 h), the profile update (1 day), the policy
    // approval (5 days) and the next certification milestone; nothing overdue.
    const due = card(d, 'due')
    expect(due).toMatchObject({ overdue: 0, dueSoon: 4, atLeast: false, url: '/calendar' })
    expect(due.items.map((i) => i.type)).toEqual(['task', 'task', 'milestone', 'task'])
    expect(due.items[0].title.en).toMatch(/^Incident notification to the BSI within 72 h/)
    expect(due.items.map((i) => i.title.en)).toContain('Approve the information security policy v2')
    expect(due.items[2]).toMatchObject({ id: 'cp-nordlicht-iso27001.risk-treatment', overdue: false })
    // Every open task due in the window is there (the full list, read the slow way, agrees).
    const all = (await iso.get<{ items: TaskRow[] }>('/api/tasks?view=all&limit=200')).body.items
    const inWindow = all.filter(
      (x) => (x.status === 'open' || x.status === 'claimed') && x.dueAt && x.dueAt <= due.until,
    )
    expect(
      due.items
        .filter((i) => i.type === 'task')
        .map((i) => i.id)
        .sort(),
    ).toEqual(inWindow.map((x) => x.id).sort())

    // Readiness is the project page's figure.
    const cert = card(d, 'certification')
    expect(cert.projects).toHaveLength(1)
    const project = cert.projects[0]
    const readiness = await iso.get(`/api/certification/projects/${project.id}/readiness`)
    expect(project).toMatchObject({
      id: 'cp-nordlicht-iso27001',
      readiness: readiness.body.score,
      stage1Threshold: 75,
      milestonesDone: 5,
      milestonesTotal: 25,
      milestonesLate: 0,
      nextMilestone: { due: due.items[2].dueAt },
    })
    expect(project.readiness).toBe(47)
    expect(project.daysToAudit).toBeGreaterThan(140)

    // One open incident: the ransomware, its 72 h notification next (due in about 6 h).
    const incidents = card(d, 'incidents')
    expect(incidents).toMatchObject({ scope: 'open', count: 1 })
    expect(incidents.items[0]).toMatchObject({
      id: 'INC-DEMO-002',
      significant: true,
      overdueClocks: 0,
      nextClock: { kind: 'nis2-notification', overdue: false },
    })
    const hours = (Date.parse(incidents.items[0].nextClock?.dueAt ?? '') - Date.now()) / 3_600_000
    expect(hours).toBeGreaterThan(4)
    expect(hours).toBeLessThan(7)

    // Risks above the appetite ("Medium"): the register's own judgement agrees.
    const register = (await iso.get<{ items: RiskRow[] }>('/api/risks')).body.items
    const above = register.filter((r) => r.withinAppetite === false && r.status !== 'closed').map((r) => r.id)
    const risks = card(d, 'risks')
    expect(risks).toMatchObject({
      count: 6,
      atLeast: false,
      maxAcceptableLevel: { en: 'Medium', de: 'Mittel' },
    })
    expect(above).toHaveLength(6)
    expect(risks.items).toHaveLength(5)
    expect(risks.items[0]).toMatchObject({ id: 'R-001', level: { en: 'Critical' }, score: 20 })
    for (const r of risks.items) expect(above).toContain(r.id)

    // Recent activity in words, no sign-ins.
    const activity = card(d, 'activity')
    expect(activity.items.length).toBeGreaterThan(0)
    for (const a of activity.items) {
      expect(a.text.en).not.toMatch(/signed in/)
      expect(a.text.de.length).toBeGreaterThan(0)
    }
  })

  it('management: decisions waiting (the inbox count), risks above appetite, audit date and readiness, significant incidents', async () => {
    const d = await dashboardOf(mgmt)
    expect(d.cards.map((c) => c.kind)).toEqual(['waiting', 'certification', 'incidents', 'risks'])
    const waiting = card(d, 'waiting')
    // The three approvals and the awareness acknowledgement of the demo.
    expect(waiting).toMatchObject({ decisions: true, count: 4, atLeast: false, url: '/' })
    expect(waiting.count).toBe(await waitingTotal(mgmt))
    expect(waiting.items.map((i) => i.title.en)).toEqual(
      expect.arrayContaining([
        'Approve the information security policy v2',
        'Approve the remote-work rules for the design office',
        'Approve the treatment of risk R-002: Credential stuffing against the supplier portal',
      ]),
    )
    expect(card(d, 'certification').projects[0]).toMatchObject({ readiness: 47 })
    expect(card(d, 'incidents')).toMatchObject({ scope: 'significant', count: 1 })
    expect(card(d, 'risks').count).toBe(6)
  })

  it('the auditor: what they may read and the state of the certification, without readiness', async () => {
    const d = await dashboardOf(auditor)
    expect(d.cards.map((c) => c.kind)).toEqual(['certification', 'reading'])
    expect(card(d, 'certification').projects[0]).toMatchObject({
      readiness: null,
      milestonesDone: 5,
      milestonesTotal: 25,
    })
    const links = card(d, 'reading').links.map((l) => l.url)
    expect(links).toEqual([
      '/certification/cp-nordlicht-iso27001/soa',
      '/certification/cp-nordlicht-iso27001/evidence-index',
      '/risks',
      '/reviews',
      '/incidents',
      '/audit',
    ])
    // Every link is a page the auditor can read: its API answers.
    expect((await auditor.get('/api/certification/projects/cp-nordlicht-iso27001/soa')).status).toBe(200)
    expect((await auditor.get('/api/audit')).status).toBe(200)
  })

  it('a member: their own tasks and the report action', async () => {
    const d = await dashboardOf(member)
    expect(d.cards.map((c) => c.kind)).toEqual(['waiting', 'report'])
    const waiting = card(d, 'waiting')
    expect(waiting).toMatchObject({ decisions: false, count: 4 })
    expect(waiting.count).toBe(await waitingTotal(member))
    expect(waiting.items[0].title.en).toBe('Update the organisation profile')
    expect(card(d, 'report')).toEqual({ kind: 'report', url: '/incidents/new' })
  })

  it('follows writes: a decision taken leaves the count, a new risk above the appetite joins it', async () => {
    const before = card(await dashboardOf(mgmt), 'waiting')
    const task = before.items.find(
      (i) => i.title.en === 'Approve the remote-work rules for the design office',
    )
    if (!task) throw new Error('the remote-work approval does not wait for management')
    expect((await mgmt.post(`/api/tasks/${task.id}/claim`)).status).toBe(200)
    expect(card(await dashboardOf(mgmt), 'waiting').count).toBe(before.count)
    const done = await mgmt.post(`/api/tasks/${task.id}/complete`, {
      answers: { decision: { outcome: 'approve' } },
    })
    expect(done.status).toBe(200)
    const after = card(await dashboardOf(mgmt), 'waiting')
    expect(after.count).toBe(before.count - 1)
    expect(after.items.map((i) => i.id)).not.toContain(task.id)
    expect(after.count).toBe(await waitingTotal(mgmt))

    const created = await iso.post('/api/risks', {
      title: 'Flooding of the server room',
      category: 'physical',
      ownerId: 'demo-management',
      likelihood: 5,
      impact: 5,
    })
    expect(created.status).toBe(201)
    const risks = card(await dashboardOf(iso), 'risks')
    expect(risks.count).toBe(7)
    expect(risks.items[0]).toMatchObject({ id: created.body.risk.id, score: 25 })
    // Closed: out of the card.
    const cur = (await iso.get(`/api/risks/${created.body.risk.id}`)).body.risk
    const closed = await iso.call('PUT', `/api/risks/${cur.id}`, {
      title: cur.title,
      category: cur.category,
      ownerId: cur.ownerId,
      likelihood: 5,
      impact: 5,
      status: 'closed',
      expectedVersion: cur.version,
    })
    expect(closed.status).toBe(200)
    expect(card(await dashboardOf(iso), 'risks').count).toBe(6)
  })

  it('keeps tenants apart: each organisation’s dashboard holds only its own records', async () => {
    const nordlicht = await dashboardOf(iso)
    const hafen = await dashboardOf(isoHafen)
    expect(hafen.orgId).toBe('hafenstadt')
    const ids = (d: typeof hafen) => JSON.stringify(d.cards)
    expect(ids(hafen)).not.toContain('INC-DEMO-002')
    expect(ids(hafen)).not.toContain('cp-nordlicht-iso27001')
    for (const i of card(nordlicht, 'due').items.filter((x) => x.type === 'task'))
      expect(ids(hafen)).not.toContain(i.id)

    const hm = await dashboardOf(hafenMember)
    expect(hm).toMatchObject({ orgId: 'hafenstadt', roles: ['member'] })
    expect(card(hm, 'waiting').count).toBe(await waitingTotal(hafenMember))
    const memberTasks = card(await dashboardOf(member), 'waiting').items.map((i) => i.id)
    for (const id of memberTasks) expect(JSON.stringify(hm.cards)).not.toContain(id)
    // Another organisation's dashboard is not theirs to read.
    const other = await hafenMember.call('GET', '/api/dashboard', undefined, { 'x-org-id': 'nordlicht' })
    expect(other.status).toBe(403)
    expect(JSON.stringify(other.body)).not.toContain('INC-DEMO-002')
  })

  it('indexes an organisation’s older records once (written before the index existed)', async () => {
    const before = await dashboardOf(iso)
    // Remove every index entry of the organisation and the mark that it was indexed.
    const { deps, clients } = t.stack
    const found: Record<string, unknown>[] = []
    let start: Record<string, unknown> | undefined
    do {
      const page = await clients.doc.send(
        new QueryCommand({
          TableName: deps.config.tableName,
          KeyConditionExpression: 'pk = :pk',
          FilterExpression: 'kind = :k',
          ExpressionAttributeValues: { ':pk': 'ORG#nordlicht', ':k': 'kept' },
          ExclusiveStartKey: start,
        }),
      )
      found.push(...(page.Items ?? []))
      start = page.LastEvaluatedKey
    } while (start)
    expect(found.length).toBeGreaterThan(10)
    found.push({ pk: 'ORG#nordlicht', sk: 'WORKINDEXED#v1' })
    for (const i of found)
      await clients.doc.send(
        new DeleteCommand({ TableName: deps.config.tableName, Key: { pk: i.pk, sk: i.sk } }),
      )
    const after = await dashboardOf(iso)
    const figures = (d: typeof before) =>
      d.cards.map((c) => [
        c.kind,
        'count' in c ? c.count : undefined,
        'dueSoon' in c ? c.dueSoon : undefined,
        'overdue' in c ? c.overdue : undefined,
        'items' in c ? c.items.map((i) => ('id' in i ? i.id : i.at)) : undefined,
      ])
    expect(figures(after)).toEqual(figures(before))
  })

  it('shows a new organisation its empty cards, in plain figures', async () => {
    const created = await iso.post('/api/orgs', { name: 'Werft Süd GmbH' })
    expect(created.status).toBe(201)
    const orgId: string = created.body.id
    const res = await iso.call('GET', '/api/dashboard', undefined, { 'x-org-id': orgId })
    expect(res.status).toBe(200)
    const d = dashboardSchema.parse(res.body)
    expect(card(d, 'due')).toMatchObject({ overdue: 0, dueSoon: 0, items: [] })
    expect(card(d, 'certification').projects).toEqual([])
    expect(card(d, 'incidents')).toMatchObject({ count: 0, items: [] })
    expect(card(d, 'risks')).toMatchObject({ count: 0, items: [] })
  })

  it('is described in the OpenAPI document', async () => {
    const doc = (await iso.get('/api/openapi.json')).body
    expect(doc.paths['/api/dashboard'].get.responses['200']).toBeDefined()
    expect(doc.components.schemas.Dashboard.properties.cards).toBeDefined()
  })
})
