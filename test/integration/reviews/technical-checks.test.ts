import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Client, startTestStack } from '../../support/stack.js'

/**
 * Exercises and technical checks on the review programme (issue 17.9) through the API and the
 * engine with the demo seed: Nordlicht's restore test is due next month with the last one
 * passed; a failed restore cannot be submitted without a follow-up action, and with one it
 * is recorded as "follow-up needed" with its action; other organisations see nothing.
 */
describe('backup restore test on the review programme', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let member: Client
  let auditor: Client
  let hafenstadtMember: Client
  let isoHafenstadt: Client

  beforeAll(async () => {
    t = await startTestStack()
    iso = await t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht')
    member = await t.signIn('member@demo.ismsflow.test')
    auditor = await t.signIn('auditor@demo.ismsflow.test')
    hafenstadtMember = await t.signIn('member@hafenstadt.ismsflow.test')
    isoHafenstadt = await t.signIn('iso@demo.ismsflow.test', undefined, 'hafenstadt')
  })
  afterAll(async () => t?.close())

  const berlinMonth = (d: Date) =>
    Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', month: 'numeric' }).format(d))

  it('the demo restore test is due next month; the last one passed; the auditor reads it', async () => {
    const entry = (await iso.get('/api/reviews/programme/backup-restore-test')).body.entry
    expect(entry).toMatchObject({
      kind: 'backup-restore-test',
      cadence: 'quarterly',
      performerRole: 'member',
    })
    const next = new Date(entry.schedule.nextDue.at)
    expect(berlinMonth(next)).toBe((berlinMonth(t.stack.clock.now()) % 12) + 1)
    expect(entry.lastResult).toMatchObject({ status: 'completed', followUpNeeded: false })
    // Members perform it (it is theirs by role); the auditor reads; other organisations get 404.
    expect((await member.get('/api/reviews/programme/backup-restore-test')).status).toBe(200)
    expect((await auditor.get('/api/reviews/programme/backup-restore-test')).status).toBe(200)
    expect((await auditor.post('/api/reviews/programme/backup-restore-test/start', {})).status).toBe(403)
    expect((await hafenstadtMember.get('/api/reviews/programme/backup-restore-test')).status).toBe(404)
    expect((await isoHafenstadt.get(`/api/reviews/${entry.lastResult.id}`)).status).toBe(404)
  })

  it('a failed restore needs a follow-up action; with one the result says so and the action is tracked', async () => {
    const started = await iso.post('/api/reviews/programme/backup-restore-test/start', {})
    expect(started.status).toBe(202)
    const task = await t.eventually(async () => {
      const res = await member.get('/api/tasks?view=all')
      const items: { id: string; formId: string; status: string; subject?: { id: string } }[] =
        res.body.items ?? []
      return items.find((x) => x.subject?.id === started.body.reviewId && x.status !== 'completed')
    })
    expect(task.formId).toBe('review-backup-restore-test')
    const answers = {
      testedOn: t.stack.clock.now().toISOString().slice(0, 10),
      systemsTested: 'ERP database from the nightly backup',
      restoreSucceeded: 'yes',
      dataComplete: 'yes',
      rtoHours: 8,
      restoreHours: 14,
      rpoMet: 'yes',
      summary: 'Restore worked but took 14 hours: the backup server link is 1 Gbit/s.',
    }
    const bad = await member.post(`/api/tasks/${task.id}/complete`, { answers })
    expect(bad.status).toBe(400)
    expect(Object.keys(bad.body.error.fields)).toEqual(['answers.actions'])
    expect((await hafenstadtMember.post(`/api/tasks/${task.id}/complete`, { answers })).status).toBe(404)
    const ok = await member.post(`/api/tasks/${task.id}/complete`, {
      answers: { ...answers, actions: 'Upgrade the backup network to 10 Gbit/s', actionsAssignee: 'iso' },
    })
    expect(ok.status).toBe(200)
    const review = await t.eventually(async () => {
      const r = (await iso.get(`/api/reviews/${started.body.reviewId}`)).body.review
      return r?.status === 'completed' ? r : undefined
    })
    expect(review.followUpNeeded).toBe(true)
    expect(review.actionList).toEqual([
      expect.objectContaining({ title: 'Upgrade the backup network to 10 Gbit/s', status: 'open' }),
    ])
    const listed: { id: string }[] = (await auditor.get('/api/reviews?entry=backup-restore-test')).body.items
    expect(listed.find((x) => x.id === started.body.reviewId)).toMatchObject({ followUpNeeded: true })
  })
})
