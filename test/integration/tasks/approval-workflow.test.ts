import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { completeTask } from '../../../functions/api/task-completion.js'
import { MINIMAL_SEED } from '../../../infra/local/seed/index.js'
import { type Client, startTestStack } from '../../support/stack.js'
import { wholeTask } from '../../support/tasks.js'

const title = {
  en: 'Approve the information security policy v2',
  de: 'Informationssicherheitsleitlinie v2 freigeben',
}

describe('human tasks on the local engine: the generic approval workflow', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let mgmt: Client
  let member: Client
  let otherOrg: Client

  beforeAll(async () => {
    t = await startTestStack({ seedSteps: MINIMAL_SEED })
    iso = await t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht')
    mgmt = await t.signIn('management@demo.ismsflow.test')
    member = await t.signIn('member@demo.ismsflow.test')
    otherOrg = await t.signIn('member@hafenstadt.ismsflow.test')
  })
  afterAll(async () => t?.close())

  const start = (input: Record<string, unknown>, name?: string) =>
    t.stack.deps.workflows.start(
      'approval',
      { orgId: 'nordlicht', title, context: { policy: 'ISMS-POL-01', version: 2 }, ...input },
      name,
    )

  const openTaskOf = (client: Client, executionArn: string, view = 'unclaimed') =>
    t.eventually(async () => {
      const res = await client.get(`/api/tasks?view=${view}`)
      const row = res.body.items?.find(
        (x: any) =>
          x.workflow.executionArn === executionArn && (x.status === 'open' || x.status === 'claimed'),
      )
      return wholeTask(client, row)
    })

  it('creates a task, lets management claim, draft and decide; changes requested start a new round; the workflow continues once', async () => {
    const { executionArn } = await start({ requestedBy: iso.userId, dueInDays: 7 })
    const task = await openTaskOf(mgmt, executionArn)
    expect(task).toMatchObject({
      kind: 'approval',
      formId: 'approval',
      candidateRole: 'management',
      status: 'open',
    })
    expect(JSON.stringify(task)).not.toMatch(/token/i)

    // A member sees nothing of it in their queues and cannot act on it.
    expect(
      (await member.get('/api/tasks?view=unclaimed')).body.items.some((x: any) => x.id === task.id),
    ).toBe(false)
    expect((await member.post(`/api/tasks/${task.id}/claim`)).status).toBe(404)
    // Another organisation cannot see it at all.
    expect((await otherOrg.get(`/api/tasks/${task.id}`)).status).toBe(404)

    expect((await mgmt.post(`/api/tasks/${task.id}/claim`)).status).toBe(200)
    const draft = await mgmt.post(`/api/tasks/${task.id}/draft`, {
      answers: { decision: { outcome: 'request-changes' } },
    })
    expect(draft.status).toBe(200)
    const reloaded = await mgmt.get(`/api/tasks/${task.id}`)
    expect(reloaded.body.task.draft.answers.decision.outcome).toBe('request-changes')
    expect(reloaded.body.form.id).toBe('approval')

    // A comment is required to request changes: the field is named.
    const missing = await mgmt.post(`/api/tasks/${task.id}/complete`, {
      answers: { decision: { outcome: 'request-changes' } },
    })
    expect(missing.status).toBe(400)
    expect(Object.keys(missing.body.error.fields).join()).toMatch(/answers\.decision/)

    const done = await mgmt.post(`/api/tasks/${task.id}/complete`, {
      answers: { decision: { outcome: 'request-changes', comment: 'Add the scope section.' } },
    })
    expect(done.status).toBe(200)
    // A second submit (another tab, a double click) is refused and names who completed it.
    const again = await mgmt.post(`/api/tasks/${task.id}/complete`, {
      answers: { decision: { outcome: 'approve' } },
    })
    expect(again.status).toBe(409)
    expect(again.body.error.message).toMatch(/already completed by .+ at /)

    // Round 2: the requester revises, management approves.
    const revise = await openTaskOf(iso, executionArn, 'mine')
    expect(revise.kind).toBe('revision')
    expect(
      (
        await iso.post(`/api/tasks/${revise.id}/complete`, {
          answers: { changes: 'Added section 2 (scope).' },
        })
      ).status,
    ).toBe(200)
    const round2 = await openTaskOf(mgmt, executionArn)
    expect(round2.context.round).toBe(2)
    expect(round2.context.rounds[0]).toMatchObject({
      outcome: 'request-changes',
      comment: 'Add the scope section.',
    })
    expect(
      (
        await mgmt.post(`/api/tasks/${round2.id}/complete`, {
          answers: { decision: { outcome: 'approve', comment: 'Fine now.' } },
        })
      ).status,
    ).toBe(200)

    const finished = await t.stack.engine.awaitExecution(executionArn)
    expect(finished.status).toBe('SUCCEEDED')
    expect(JSON.parse(finished.output!)).toMatchObject({
      outcome: 'approved',
      rounds: [{ round: 1 }, { round: 2, outcome: 'approve' }],
    })
  })

  it('refuses a decision by the requester (four-eyes) and writes nothing', async () => {
    const { executionArn } = await start({ requestedBy: mgmt.userId })
    const task = await openTaskOf(mgmt, executionArn)
    const res = await mgmt.post(`/api/tasks/${task.id}/complete`, {
      answers: { decision: { outcome: 'approve' } },
    })
    expect(res.status).toBe(403)
    expect(res.body.error.message).toMatch(/Four-eyes/)
    expect((await mgmt.get(`/api/tasks/${task.id}`)).body.task.status).toBe('open')
  })

  it('rejects a tampered task id and unknown answers', async () => {
    expect((await mgmt.get('/api/tasks/t-doesnotexist')).status).toBe(404)
    const { executionArn } = await start({ requestedBy: iso.userId })
    const task = await openTaskOf(mgmt, executionArn)
    const res = await mgmt.post(`/api/tasks/${task.id}/complete`, {
      answers: { decision: { outcome: 'approve' }, injected: 'x' },
    })
    expect(res.status).toBe(400)
    expect(Object.keys(res.body.error.fields)).toContain('answers.injected')
  })

  it('expires a task that times out and opens the escalation task with high priority', async () => {
    const { executionArn } = await start({ requestedBy: iso.userId, escalateAfterSeconds: 3600 })
    const task = await openTaskOf(mgmt, executionArn)
    await t.stack.clock.advance(3601_000)
    const escalation = await t.eventually(async () => {
      const res = await mgmt.get('/api/tasks?view=unclaimed')
      return res.body.items.find(
        (x: any) => x.workflow.executionArn === executionArn && x.kind === 'escalation-approval',
      )
    })
    expect(escalation.priority).toBe(9)
    expect(escalation.title.en).toMatch(/^Overdue approval/)
    const old = await t.eventually(async () => {
      const r = await mgmt.get(`/api/tasks/${task.id}`)
      return r.body.task.status === 'expired' && r.body.task
    })
    expect(old.closedReason).toBe('TIMED_OUT')
    const late = await mgmt.post(`/api/tasks/${task.id}/complete`, {
      answers: { decision: { outcome: 'approve' } },
    })
    expect(late.status).toBe(409)
    expect(late.body.error.message).toMatch(/expired/)
  })

  it('a draft saved while the decision is sent does not refuse it; a decision already taken does', async () => {
    const { executionArn } = await start({ requestedBy: iso.userId }, 'approval-draft-race')
    const task = await openTaskOf(mgmt, executionArn)
    expect((await mgmt.post(`/api/tasks/${task.id}/claim`)).status).toBe(200)
    // The decision is read (as the route does) and the form's draft save lands before it is written.
    const read = await t.stack.deps.taskStore.require('nordlicht', task.id)
    const draft = await mgmt.post(`/api/tasks/${task.id}/draft`, {
      answers: { decision: { outcome: 'approve' } },
    })
    expect(draft.status).toBe(200)
    expect(draft.body.version).toBeGreaterThan(read.version)
    const martin = {
      userId: mgmt.userId,
      name: 'Martin Brandt',
      orgId: 'nordlicht',
      roles: ['management' as const],
    }
    const done = await completeTask(t.stack.deps, martin, read, {
      decision: { outcome: 'approve', comment: 'Fine.' },
    })
    expect(done.data).toMatchObject({ status: 'completed', result: { completedBy: mgmt.userId } })
    expect(done.data.draft).toBeUndefined()
    const finished = await t.stack.engine.awaitExecution(executionArn)
    expect(JSON.parse(finished.output ?? 'null')).toMatchObject({ outcome: 'approved' })
    // The same stale read once more: the task is closed now, so the answer names who decided.
    await expect(
      completeTask(t.stack.deps, martin, read, { decision: { outcome: 'approve' } }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/already completed by Martin Brandt/) })
  })
})
