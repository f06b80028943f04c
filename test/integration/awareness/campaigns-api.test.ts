import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MINIMAL_SEED } from '../../../infra/local/seed/index.js'
import { type Client, startTestStack } from '../../support/stack.js'

const DAY = 86_400_000

interface TaskItem {
  id: string
  kind: string
  status: string
  formId: string
  priority: number
  title: { en: string }
  subject?: { id: string }
}
interface Row {
  id: string
  reference?: string
  status: string
  completionRate: number
}
interface Line {
  userId: string
  managerName?: string
  status?: string
}
type Items<T> = { items: T[] }

describe('awareness campaigns: register, campaign page, acknowledgement moves the rate, escalation to the manager', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let mgmt: Client
  let member: Client
  let auditor: Client
  let otherOrg: Client
  let isoHafenstadt: Client

  beforeAll(async () => {
    // The demo organisations and their people: the campaigns here are this file's own (the
    // demo's campaign has its own stack below), and the six-day jump fires only their timers.
    t = await startTestStack({ seedSteps: MINIMAL_SEED })
    iso = await t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht')
    mgmt = await t.signIn('management@demo.ismsflow.test')
    member = await t.signIn('member@demo.ismsflow.test')
    auditor = await t.signIn('auditor@demo.ismsflow.test')
    otherOrg = await t.signIn('member@hafenstadt.ismsflow.test')
    isoHafenstadt = await t.signIn('iso@demo.ismsflow.test', undefined, 'hafenstadt')
  })
  afterAll(async () => t?.close())

  const dueDate = (days: number) =>
    new Date(t.stack.clock.now().getTime() + days * DAY).toISOString().slice(0, 10)
  const openTask = (client: Client, campaignId: string, kind = 'awareness-acknowledgement') =>
    t.eventually(async () => {
      const res = await client.get<Items<TaskItem>>('/api/tasks?view=mine')
      return res.body.items?.find(
        (x) => x.subject?.id === campaignId && x.kind === kind && x.status === 'open',
      )
    })
  const campaign = (client: Client, id: string) => client.get(`/api/awareness/campaigns/${id}`)

  it('reporting lines: the ISO names a manager; fields are named; other organisations reach nobody', async () => {
    const set = await iso.call('PUT', `/api/awareness/reporting-lines/${member.userId}`, {
      managerUserId: mgmt.userId,
    })
    expect(set.status).toBe(200)
    expect(set.body).toMatchObject({ managerUserId: mgmt.userId, managerName: 'Martin Brandt' })
    const lines = await iso.get<Items<Line>>('/api/awareness/reporting-lines')
    expect(lines.body.items.find((x) => x.userId === member.userId)?.managerName).toBe('Martin Brandt')
    // Auditors take part in no campaign: not listed.
    expect(lines.body.items.some((x) => x.userId === auditor.userId)).toBe(false)

    const self = await iso.call('PUT', `/api/awareness/reporting-lines/${member.userId}`, {
      managerUserId: member.userId,
    })
    expect(self.body.error.fields).toHaveProperty('managerUserId')
    const stranger = await iso.call('PUT', `/api/awareness/reporting-lines/${member.userId}`, {
      managerUserId: otherOrg.userId,
    })
    expect(stranger.status).toBe(400)
    expect(stranger.body.error.fields).toHaveProperty('managerUserId')
    const missing = await iso.call('PUT', `/api/awareness/reporting-lines/${member.userId}`, {})
    expect(missing.body.error.fields).toHaveProperty('managerUserId')
    expect(
      (await member.call('PUT', `/api/awareness/reporting-lines/${member.userId}`, { managerUserId: null }))
        .status,
    ).toBe(403)
    // Hafenstadt's ISO cannot set lines for Nordlicht's people.
    expect(
      (
        await isoHafenstadt.call('PUT', `/api/awareness/reporting-lines/${member.userId}`, {
          managerUserId: null,
        })
      ).status,
    ).toBe(404)
  })

  it('start → register at 0 % → the member acknowledges → the rate moves → the campaign closes at 100 %', async () => {
    const started = await iso.post('/api/awareness/campaigns', {
      kind: 'policy',
      title: {
        en: 'Acknowledge the access control policy v2',
        de: 'Zugriffskontrollrichtlinie v2 zur Kenntnis nehmen',
      },
      reference: 'ISMS-RL-04 v2.0',
      audience: { type: 'people', userIds: [member.userId, mgmt.userId] },
      dueDate: dueDate(10),
    })
    expect(started.status).toBe(201)
    const id = started.body.campaign.id
    const register = await iso.get<Items<Row>>('/api/awareness/campaigns')
    expect(register.status).toBe(200)
    expect(register.body.items.find((x) => x.id === id)).toMatchObject({
      status: 'running',
      total: 2,
      acknowledged: 0,
      completionRate: 0,
      reference: 'ISMS-RL-04 v2.0',
    })
    // Auditors and management read the register (evidence for A.6.3); members do not.
    expect(
      (await auditor.get<Items<Row>>('/api/awareness/campaigns')).body.items.some((x) => x.id === id),
    ).toBe(true)
    expect((await mgmt.get('/api/awareness/campaigns')).status).toBe(200)
    expect((await member.get('/api/awareness/campaigns')).status).toBe(403)
    // A person of the campaign reads their own line only; another organisation gets 404.
    const own = await member.get<{ people: Line[] }>(`/api/awareness/campaigns/${id}`)
    expect(own.status).toBe(200)
    expect(own.body.people.map((x) => x.userId)).toEqual([member.userId])
    expect((await campaign(otherOrg, id)).status).toBe(404)
    expect((await campaign(isoHafenstadt, id)).status).toBe(404)
    expect(
      (await isoHafenstadt.get<Items<Row>>('/api/awareness/campaigns')).body.items.some((x) => x.id === id),
    ).toBe(false)

    const mine = await openTask(member, id)
    expect(
      (
        await member.post(`/api/tasks/${mine.id}/complete`, {
          answers: { acknowledgement: { name: 'Mia Keller', at: new Date().toISOString() } },
        })
      ).status,
    ).toBe(200)
    const half = await t.eventually(async () => {
      const c = (await campaign(iso, id)).body
      return c.acknowledged === 1 && c
    })
    expect(half.completionRate).toBe(0.5)
    expect(half.people.find((x: Line) => x.userId === member.userId)).toMatchObject({
      status: 'acknowledged',
    })
    expect(half.people.find((x: Line) => x.userId === mgmt.userId)).toMatchObject({ status: 'open' })

    const theirs = await openTask(mgmt, id)
    await mgmt.post(`/api/tasks/${theirs.id}/complete`, {
      answers: { acknowledgement: { name: 'Martin Brandt', at: new Date().toISOString() } },
    })
    const closed = await t.eventually(async () => {
      const c = (await campaign(auditor, id)).body
      return c.status === 'closed' && c
    })
    expect(closed.completionRate).toBe(1)
    expect(closed.closedAt).toBeTruthy()
  })

  it('a training records the quiz score; a new version follows the earlier campaign; an unknown one is named', async () => {
    const body = {
      kind: 'training',
      title: { en: 'Security basics 2027' },
      audience: { type: 'people', userIds: [member.userId] },
      dueDate: dueDate(20),
    }
    const first = await iso.post('/api/awareness/campaigns', body)
    const id = first.body.campaign.id
    const task = await openTask(member, id)
    expect(task.formId).toBe('awareness-training')
    await member.post(`/api/tasks/${task.id}/complete`, {
      answers: {
        phishing: 'report',
        incident: 'tomorrow',
        acknowledgement: { name: 'Mia Keller', at: new Date().toISOString() },
      },
    })
    const done = await t.eventually(async () => {
      const c = (await campaign(iso, id)).body
      return c.status === 'closed' && c
    })
    expect(done.people[0].score).toEqual({ correct: 1, of: 2 })

    const next = await iso.post('/api/awareness/campaigns', {
      ...body,
      title: { en: 'Security basics 2027, version 2' },
      follows: id,
    })
    expect(next.status).toBe(201)
    expect((await campaign(iso, next.body.campaign.id)).body.follows).toBe(id)
    const bad = await iso.post('/api/awareness/campaigns', { ...body, follows: 'awareness-nothing' })
    expect(bad.body.error.fields).toHaveProperty('follows')
  })

  it('not acknowledged in time: the task expires, the manager gets the escalation, the line says so', async () => {
    await iso.call('PUT', `/api/awareness/reporting-lines/${member.userId}`, { managerUserId: mgmt.userId })
    const started = await iso.post('/api/awareness/campaigns', {
      kind: 'phishing',
      title: { en: 'Phishing lesson: invoice fraud' },
      audience: { type: 'people', userIds: [member.userId] },
      dueDate: dueDate(2),
    })
    const id = started.body.campaign.id
    const task = await openTask(member, id)
    // Due in 2 days, escalated 3 days after that.
    await t.stack.clock.advance(6 * DAY)
    // Sessions end meanwhile: everyone signs in again.
    iso = await t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht')
    mgmt = await t.signIn('management@demo.ismsflow.test')
    member = await t.signIn('member@demo.ismsflow.test')
    const esc = await openTask(mgmt, id, 'awareness-escalation')
    expect(esc.priority).toBe(9)
    const overdue = await t.eventually(async () => {
      const c = (await campaign(iso, id)).body
      return c.people[0].status === 'overdue' && c
    })
    expect(overdue.overdue).toBe(1)
    expect(
      await t.eventually(
        async () => (await member.get(`/api/tasks/${task.id}`)).body.task.status === 'expired',
      ),
    ).toBe(true)
    await mgmt.post(`/api/tasks/${esc.id}/complete`, { answers: { followUp: 'reminded' } })
    const closed = await t.eventually(async () => {
      const c = (await campaign(iso, id)).body
      return c.status === 'closed' && c
    })
    expect(closed.completionRate).toBe(0)
    expect(closed.people[0]).toMatchObject({ status: 'escalated', followUp: { answer: 'reminded' } })
  })
})

describe('the demo campaign', () => {
  it('runs at 70 % on Nordlicht, with the member’s task waiting and the earlier version closed', async () => {
    const t = await startTestStack()
    try {
      const iso = await t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht')
      const member = await t.signIn('member@demo.ismsflow.test')
      const items = (await iso.get<Items<Row>>('/api/awareness/campaigns')).body.items
      expect(items.map((x) => [x.reference, x.status, x.completionRate])).toEqual([
        ['ISMS-LL-01 v3.0', 'running', 0.7],
        ['ISMS-LL-01 v2.1', 'closed', 0.9],
      ])
      const task = await t.eventually(async () => {
        const res = await member.get<Items<TaskItem>>('/api/tasks?view=mine')
        return res.body.items?.find((x) => x.subject?.id === items[0].id && x.status === 'open')
      })
      expect(task.title.en).toBe('Acknowledge the information security policy v3.0')
      expect((await iso.get(`/api/awareness/campaigns/${items[0].id}`)).body.follows).toBe(items[1].id)
    } finally {
      await t.close()
    }
  })
})
