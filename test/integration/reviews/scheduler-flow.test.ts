import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Clock, createClock } from '../../../infra/local/clock.js'
import { seed } from '../../../infra/local/seed/index.js'
import { organisations } from '../../../infra/local/seed/steps/organisations.js'
import { type Client, startTestStack } from '../../support/stack.js'
import { wholeTask } from '../../support/tasks.js'

/**
 * A quarterly risk review end to end on the local scheduler and engine, with one data folder
 * across restarts: it fires at its time, is performed and signed off, its action becomes a
 * task; the next cycle carries the answers forward and shows what changed; the process is
 * stopped across a due time and the missed review fires exactly once on start; not done by
 * its due date it reminds, then escalates to management; stopped across two due times, the
 * latest fires and the earlier one is recorded as missed.
 */
describe('periodic review on the local scheduler and engine (restarts on one data folder)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ismsflow-reviews-'))
  const Q2 = '2027-04-01T07:00:00.000Z' // 09:00 Europe/Berlin (summer time)
  const Q3 = '2027-07-01T07:00:00.000Z'
  const Q4 = '2027-10-01T07:00:00.000Z'
  const Q1 = '2028-01-01T08:00:00.000Z' // 09:00 Europe/Berlin (winter time)
  const ids = { q2: 'risk-review_20270401T0700Z', q3: 'risk-review_20270701T0700Z' }
  let t: Awaited<ReturnType<typeof startTestStack>> | undefined

  const clockAt = (iso: string): Clock => createClock({ offsetMs: Date.parse(iso) - Date.now() })
  const start = async (iso: string) => {
    t = await startTestStack({ dataDir, clock: clockAt(iso), seed: false })
    await seed(t.stack.deps, { steps: [organisations] })
    return t
  }
  const stop = async () => {
    await t?.close()
    t = undefined
  }
  const advanceTo = async (iso: string) => {
    await t!.stack.clock.advance(Math.max(0, Date.parse(iso) - t!.stack.clock.nowMs()))
    await t!.stack.scheduler.idle()
  }
  const signIn = (who: string) => t!.signIn(`${who}@demo.ismsflow.test`, undefined, 'nordlicht')
  const openTask = (c: Client, kind: string, reviewId: string, view = 'all') =>
    t!.eventually(async () => {
      const res = await c.get(`/api/tasks?view=${view}`)
      const row = res.body.items?.find(
        (x: any) =>
          x.kind === kind && x.subject?.id === reviewId && (x.status === 'open' || x.status === 'claimed'),
      )
      return wholeTask(c, row)
    })
  const review = (c: Client, id: string) => c.get(`/api/reviews/${id}`).then((r) => r.body.review)
  const risks = () => t!.stack.deps.records.forOrg('nordlicht')
  const actor = { userId: 'demo-iso', name: 'Ines Sommer' }

  beforeAll(async () => {
    await start('2027-03-20T10:00:00Z')
  })
  afterAll(async () => {
    await stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('fires the quarterly risk review at its time; it is performed, signed off and recorded with its period', async () => {
    await risks().create(
      'risk',
      'R-100',
      {
        title: 'Phishing of design office staff',
        status: 'assessed',
        likelihood: 3,
        impact: 4,
        ownerId: 'demo-iso',
      },
      { actor },
    )
    const created = await (await signIn('iso')).post('/api/reviews/programme', { kind: 'risk-review' })
    expect(created.status).toBe(201)
    expect(created.body.entry.schedule.nextDue.at).toBe(Q2)

    await advanceTo('2027-04-01T06:59:00Z')
    expect(t!.stack.scheduler.fired()).toHaveLength(0)
    await advanceTo('2027-04-01T07:00:05Z')
    expect(t!.stack.scheduler.fired().map((o) => [o.id, o.late])).toEqual([
      ['nordlicht_risk-review_20270401T0700Z', false],
    ])
    // Sessions end when the clock jumps: sign in again.
    const iso = await signIn('iso')
    const mgmt = await signIn('management')
    const task = await openTask(iso, 'review', ids.q2, 'unclaimed')
    expect(task).toMatchObject({
      formId: 'review-risk-review',
      candidateRole: 'iso',
      dueAt: '2027-05-01T07:00:00.000Z',
    })
    expect(task.prefill ?? {}).toEqual({})
    expect(JSON.stringify(task.context.changes)).toMatch(/1 risk added: R-100/)

    // Bad answers are refused naming the field; nothing moves.
    const bad = await iso.post(`/api/tasks/${task.id}/complete`, { answers: { changesAssessed: 'maybe' } })
    expect(bad.status).toBe(400)
    const done = await iso.post(`/api/tasks/${task.id}/complete`, {
      answers: {
        changesAssessed: 'yes',
        registerComplete: 'yes',
        treatmentStatus: 'on-track',
        withinAppetite: 'yes',
        outcome: 'effective',
        summary: 'First quarterly review: phishing risk added and assessed.',
        actions: 'Run a phishing awareness session for the design office',
        actionsAssignee: 'iso',
        actionsDueOn: '2027-05-15',
      },
    })
    expect(done.status).toBe(200)

    // Four-eyes: the ISO cannot sign off; management does.
    const signOff = await openTask(mgmt, 'review-sign-off', ids.q2)
    expect(signOff.excludedUserIds).toContain('demo-iso')
    expect(signOff.context.answers.summary).toMatch(/First quarterly review/)
    expect(
      (
        await mgmt.post(`/api/tasks/${signOff.id}/complete`, {
          answers: { decision: { outcome: 'approve' } },
        })
      ).status,
    ).toBe(200)

    const rec = await t!.eventually(async () => {
      const r = await review(iso, ids.q2)
      return r?.status === 'completed' && r
    })
    expect(rec).toMatchObject({
      signedOff: true,
      signOff: { outcome: 'approve', byName: 'Martin Brandt' },
      performedByName: 'Ines Sommer',
      period: { from: '2027-01-01T08:00:00.000Z', to: Q2 },
      nextDue: { at: Q3 },
      late: false,
      overdue: false,
    })
    expect(rec.actionList).toHaveLength(1)
    expect(rec.actionList[0]).toMatchObject({
      title: 'Run a phishing awareness session for the design office',
      status: 'open',
    })
    const action = await openTask(iso, 'review-action', ids.q2)
    expect(action.dueAt).toBe('2027-05-15T23:59:59.000Z')

    const entry = (await iso.get('/api/reviews/programme/risk-review')).body.entry
    expect(entry.lastResult).toMatchObject({ id: ids.q2, status: 'completed', signedOff: true })
    expect(entry.schedule.nextDue.at).toBe(Q3)
  })

  it('stopped across the next due time, fires the missed review exactly once on start; it carries the last answers forward and shows what changed', async () => {
    // Between the cycles: a risk is re-scored, another added.
    await risks().mutate('risk', 'R-100', (d: any) => ({ ...d, likelihood: 5 }), { actor })
    await risks().create(
      'risk',
      'R-101',
      {
        title: 'Loss of the CAD licence server',
        status: 'identified',
        likelihood: 2,
        impact: 3,
        ownerId: 'demo-iso',
      },
      { actor },
    )
    await advanceTo('2027-04-10T10:00:00Z')
    await stop()

    await start('2027-07-03T10:00:00Z')
    expect(t!.stack.scheduler.fired().map((o) => [o.id, o.late, o.missed])).toEqual([
      ['nordlicht_risk-review_20270701T0700Z', true, []],
    ])
    const iso = await signIn('iso')
    const task = await openTask(iso, 'review', ids.q3, 'unclaimed')
    expect(task.context.previousReviewId).toBe(ids.q2)
    expect(task.context.late).toBe(true)
    expect(task.prefill).toMatchObject({
      summary: 'First quarterly review: phishing risk added and assessed.',
      outcome: 'effective',
    })
    expect(task.prefill).not.toHaveProperty('actions')
    const changes = JSON.stringify(task.context.changes)
    expect(changes).toMatch(/1 risk added: R-101/)
    expect(changes).toMatch(/1 risk re-scored: R-100 .*\(12 → 20\)/)

    // The action of the first cycle is still open after the restart.
    await openTask(iso, 'review-action', ids.q2)

    // A second restart with no due time in between fires nothing.
    await advanceTo('2027-07-03T12:00:00Z')
    await stop()
    await start('2027-07-03T14:00:00Z')
    expect(t!.stack.scheduler.fired()).toEqual([])
    const cycles = (await (await signIn('iso')).get('/api/reviews?entry=risk-review')).body.items
    expect(cycles.map((c: any) => [c.id, c.status])).toEqual([
      [ids.q3, 'open'],
      [ids.q2, 'completed'],
    ])
    const runs = await t!.stack.scheduler.runs('nordlicht', 'risk-review')
    expect(runs.map((r) => [r.scheduledAt, r.status])).toEqual([
      [Q3, 'fired'],
      [Q2, 'fired'],
    ])
  })

  it('not done by its due date, reminds the performer, then escalates to management; the miss stays on the record', async () => {
    const first = await openTask(await signIn('iso'), 'review', ids.q3, 'unclaimed')
    await advanceTo('2027-07-31T07:01:00Z')
    let iso = await signIn('iso')
    const late = await openTask(iso, 'review-overdue', ids.q3)
    expect(late.priority).toBe(5)
    expect(late.title.en).toBe('Overdue: Risk review')
    expect((await iso.get(`/api/tasks/${first.id}`)).body.task.status).toBe('expired')
    const outbox = await t!.stack.deps.notifications.list('nordlicht')
    expect(outbox.some((n) => n.kind === 'overdue' && n.ref?.id === ids.q3)).toBe(true)
    expect(await review(iso, ids.q3)).toMatchObject({ status: 'overdue', overdue: true })

    await advanceTo('2027-08-08T08:00:00Z')
    iso = await signIn('iso')
    const mgmt = await signIn('management')
    const escalated = await openTask(mgmt, 'review-escalation', ids.q3)
    expect(escalated).toMatchObject({ candidateRole: 'management', priority: 9 })
    const rec = await t!.eventually(async () => {
      const r = await review(iso, ids.q3)
      return r?.status === 'escalated' && r
    })
    expect(rec.overdueAt).toBe('2027-07-31T07:00:00.000Z')
    expect(rec.escalatedAt).toBeTruthy()
    const outbox2 = await t!.stack.deps.notifications.list('nordlicht')
    expect(outbox2.some((n) => n.kind === 'escalation' && n.to.role === 'management')).toBe(true)
  })

  it('stopped across two due times, fires only the latest on start and records the earlier one as missed', async () => {
    await stop()
    await start('2028-01-03T10:00:00Z')
    expect(t!.stack.scheduler.fired().map((o) => [o.scheduledAt, o.late, o.missed])).toEqual([
      [Q1, true, [Q4]],
    ])
    const iso = await signIn('iso')
    const q1 = 'risk-review_20280101T0800Z'
    await openTask(iso, 'review', q1, 'unclaimed')
    const cycles = (await iso.get('/api/reviews?entry=risk-review')).body.items
    expect(cycles.map((c: any) => [c.id, c.status])).toEqual([
      [q1, 'open'],
      ['risk-review_20271001T0700Z', 'missed'],
      [ids.q3, 'escalated'],
      [ids.q2, 'completed'],
    ])
    const entry = (await iso.get('/api/reviews/programme/risk-review')).body.entry
    expect(entry.missed).toBe(1)
    expect(entry.lastResult.id).toBe(ids.q2)
  })
})
