import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MINIMAL_SEED } from '../../../infra/local/seed/index.js'
import { type Client, startTestStack } from '../../support/stack.js'

const title = {
  en: 'Acknowledge the information security policy v3',
  de: 'Informationssicherheitsleitlinie v3 zur Kenntnis nehmen',
}

describe('awareness campaign on the local engine: one task per person, escalation, completion rate', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let mgmt: Client
  let member: Client
  let otherOrg: Client
  let isoHafenstadt: Client
  let auditor: Client

  beforeAll(async () => {
    t = await startTestStack({ seedSteps: MINIMAL_SEED })
    iso = await t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht')
    mgmt = await t.signIn('management@demo.ismsflow.test')
    member = await t.signIn('member@demo.ismsflow.test')
    otherOrg = await t.signIn('member@hafenstadt.ismsflow.test')
    isoHafenstadt = await t.signIn('iso@demo.ismsflow.test', undefined, 'hafenstadt')
    auditor = await t.signIn('auditor@demo.ismsflow.test')
  })
  afterAll(async () => t?.close())

  const taskOf = (client: Client, executionArn: string, kind: string) =>
    t.eventually(async () => {
      const res = await client.get('/api/tasks?view=mine')
      return res.body.items?.find(
        (x: any) => x.workflow.executionArn === executionArn && x.kind === kind && x.status !== 'completed',
      )
    })

  const sign = (client: Client, id: string, name: string) =>
    client.post(`/api/tasks/${id}/complete`, {
      answers: { acknowledgement: { name, at: new Date().toISOString() } },
    })

  it('fans out a task per person; each acknowledges their own; the campaign closes at 100 %', async () => {
    const { executionArn } = await t.stack.deps.workflows.start('awareness-campaign', {
      orgId: 'nordlicht',
      requestedBy: iso.userId,
      campaignId: 'it-policy-v3',
      kind: 'policy',
      title,
      people: [{ userId: member.userId }, { userId: mgmt.userId }],
    })
    const mine = await taskOf(member, executionArn, 'awareness-acknowledgement')
    expect(mine).toMatchObject({ formId: 'awareness-acknowledgement', assigneeUserId: member.userId })
    // Another person's task is not theirs to complete; another organisation sees nothing.
    const theirs = await taskOf(mgmt, executionArn, 'awareness-acknowledgement')
    expect((await sign(member, theirs.id, 'Mia Keller')).status).toBe(404)
    expect((await otherOrg.get(`/api/tasks/${mine.id}`)).status).toBe(404)
    // The form names a missing signature.
    const bad = await member.post(`/api/tasks/${mine.id}/complete`, { answers: {} })
    expect(bad.status).toBe(400)
    expect(bad.body.error.fields).toHaveProperty(['answers.acknowledgement'])

    expect((await sign(member, mine.id, 'Mia Keller')).status).toBe(200)
    expect((await sign(mgmt, theirs.id, 'Martin Brandt')).status).toBe(200)
    const done = await t.stack.engine.awaitExecution(executionArn)
    expect(done.status).toBe('SUCCEEDED')
    expect(JSON.parse(done.output!)).toMatchObject({
      campaignId: 'it-policy-v3',
      total: 2,
      acknowledged: 2,
      escalated: 0,
      completionRate: 1,
    })
  })

  it('escalates an overdue acknowledgement to the manager, who may not be the person; it counts as not acknowledged', async () => {
    const { executionArn } = await t.stack.deps.workflows.start('awareness-campaign', {
      orgId: 'nordlicht',
      requestedBy: iso.userId,
      campaignId: 'phishing-2026',
      kind: 'phishing',
      title,
      escalateAfterSeconds: 1,
      people: [{ userId: member.userId, managerUserId: mgmt.userId }],
    })
    const esc = await taskOf(mgmt, executionArn, 'awareness-escalation')
    expect(esc).toMatchObject({ formId: 'awareness-escalation', priority: 9 })
    const missing = await mgmt.post(`/api/tasks/${esc.id}/complete`, { answers: {} })
    expect(missing.body.error.fields).toHaveProperty(['answers.followUp'])
    expect(
      (await mgmt.post(`/api/tasks/${esc.id}/complete`, { answers: { followUp: 'reminded' } })).status,
    ).toBe(200)
    const done = await t.stack.engine.awaitExecution(executionArn)
    expect(JSON.parse(done.output!)).toMatchObject({
      total: 1,
      acknowledged: 0,
      escalated: 1,
      completionRate: 0,
    })
  })

  const dueDate = (days: number) =>
    new Date(t.stack.clock.now().getTime() + days * 86_400_000).toISOString().slice(0, 10)

  it('POST /api/awareness/campaigns: the ISO starts one for a role; the same request twice is one campaign; fields are named', async () => {
    const body = {
      kind: 'training',
      title: { en: 'Security awareness training 2026' },
      reference: 'AW-2026',
      audience: { type: 'role', role: 'member' },
      dueDate: dueDate(14),
    }
    const first = await iso.post('/api/awareness/campaigns', body)
    expect(first.status).toBe(201)
    expect(first.body.campaign.people).toBeGreaterThanOrEqual(1)
    const again = await iso.post('/api/awareness/campaigns', body)
    expect(again.body.campaign.id).toBe(first.body.campaign.id)
    const task = await t.eventually(async () => {
      const res = await member.get('/api/tasks?view=mine')
      return res.body.items?.find((x: any) => x.formId === 'awareness-training' && x.status !== 'completed')
    })
    expect(task.title.en).toBe('Security awareness training 2026')
    // Listed as a workflow; auditors read it.
    const listed = await t.eventually(async () => {
      const items = (await auditor.get('/api/workflows')).body.items
      return items?.find((x: any) => x.workflow === 'awareness-campaign' && x.title.en === body.title.en)
    })
    expect(listed).toBeTruthy()
    expect((await auditor.post('/api/awareness/campaigns', body)).status).toBe(403)
    expect((await member.post('/api/awareness/campaigns', body)).status).toBe(403)

    const bad = await iso.post('/api/awareness/campaigns', {
      kind: 'gossip',
      title: { en: '' },
      audience: { type: 'people', userIds: [] },
      dueDate: 'tomorrow',
    })
    expect(bad.status).toBe(400)
    expect(Object.keys(bad.body.error.fields)).toEqual(
      expect.arrayContaining(['kind', 'title.en', 'audience.userIds', 'dueDate']),
    )
    // Another organisation's ISO cannot reach Nordlicht's people; Nordlicht's task stays invisible there.
    const cross = await isoHafenstadt.post('/api/awareness/campaigns', {
      ...body,
      audience: { type: 'people', userIds: [member.userId] },
    })
    expect(cross.status).toBe(400)
    expect(cross.body.error.fields).toHaveProperty(['audience.userIds'])
    expect((await otherOrg.get(`/api/tasks/${task.id}`)).status).toBe(404)
  })
})
