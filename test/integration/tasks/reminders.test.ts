import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { handler as taskReminders } from '../../../functions/steps/task-reminders.js'
import { taskOrgs } from '../../../functions/store/task-orgs.js'
import { MINIMAL_SEED } from '../../../infra/local/seed/index.js'
import { type Client, startTestStack } from '../../support/stack.js'

const DAY = 86_400_000

describe('task reminders: the hourly sweep writes each reminder to the outbox once', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  /** The sweep's step with the stack's deps, as the stack's hourly timer runs it. */
  const sweep = (event: unknown) => taskReminders.invoke(event, t.stack.deps)
  let iso: Client
  let member: Client

  beforeAll(async () => {
    t = await startTestStack({ seedSteps: MINIMAL_SEED })
    iso = await t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht')
    member = await t.signIn('member@demo.ismsflow.test')
  })
  afterAll(async () => t?.close())

  /** Sessions last 12 hours of the stack's clock: sign in again after jumping days ahead. */
  const signInAgain = async () => {
    iso = await t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht')
    member = await t.signIn('member@demo.ismsflow.test')
  }
  const outbox = async (orgId = 'nordlicht') => t.stack.deps.notifications.list(orgId, 1000)
  /** What the hourly schedule passes: the time it fired (the stack's clock). */
  const hourly = () => ({ scheduledTime: new Date(t.stack.clock.nowMs()).toISOString() })
  /** The reminders of a task in the outbox (the "assigned" message is checked on its own). */
  const forTask = async (taskId: string) =>
    (await outbox()).filter((n) => n.ref?.id === taskId && n.kind !== 'assigned').map((n) => n.kind)
  /** The .eml files to `email`, as text (quoted-printable soft breaks undone). */
  const mailsTo = (email: string) =>
    readdirSync(t.stack.mailDir)
      .filter((n) => n.endsWith('.eml'))
      .sort()
      .map((n) => readFileSync(join(t.stack.mailDir, n), 'utf8').replace(/=\r?\n/g, ''))
      .filter((m) => m.includes(`<${email}>`))

  it('reminds before the due date, on the day and once overdue; repeated sweeps write nothing new', async () => {
    const { executionArn } = await t.stack.deps.workflows.start(
      'questionnaire',
      {
        orgId: 'nordlicht',
        formId: 'sample-onboarding',
        title: { en: 'Confirm the security contact', de: 'Sicherheitskontakt bestätigen' },
        assignee: { userId: member.userId },
        requestedBy: iso.userId,
        dueInDays: 2,
        escalateAfterSeconds: 30 * 86_400,
      },
      'reminder-test',
    )
    // And one in Hafenstadt, due tomorrow.
    const hafenstadtRun = await t.stack.deps.workflows.start(
      'questionnaire',
      {
        orgId: 'hafenstadt',
        formId: 'sample-onboarding',
        title: { en: 'Hafenstadt profile', de: 'Profil Hafenstadt' },
        assignee: { role: 'member' },
        requestedBy: iso.userId,
        dueInDays: 1,
      },
      'reminder-test-hafenstadt',
    )
    const task = await t.eventually(async () => {
      const res = await member.get('/api/tasks?view=mine')
      return res.body.items.find((x: any) => x.workflow.executionArn === executionArn)
    })

    await t.eventually(async () =>
      (await t.stack.deps.taskStore.list('hafenstadt')).some(
        (r) => r.data.workflow.executionArn === hafenstadtRun.executionArn,
      ),
    )
    // The step notes an organisation for the sweep just after it writes the task: wait for both notes.
    await t.eventually(async () => {
      const orgs = await taskOrgs(t.stack.deps.records)
      return orgs.includes('nordlicht') && orgs.includes('hafenstadt')
    })

    // Two days before the due date: inside the three-day window.
    const first = await sweep(hourly())
    expect(first.orgs).toBeGreaterThanOrEqual(2)
    expect(first.written).toBeGreaterThan(0)
    expect(first.written).toBe(first.due)
    expect(await forTask(task.id)).toEqual(['reminder'])
    // Both went out by e-mail through the outbox: the task assigned to Mia, and the reminder.
    const assigned = (await outbox()).find((n) => n.ref?.id === task.id && n.kind === 'assigned')
    expect(assigned).toMatchObject({ status: 'sent', mailed: 1 })
    expect((await outbox()).find((n) => n.ref?.id === task.id && n.kind === 'reminder')).toMatchObject({
      status: 'sent',
    })
    const toMia = mailsTo('member@demo.ismsflow.test')
    expect(toMia.some((m) => m.includes('Subject: New task: Confirm the security contact'))).toBe(true)
    expect(toMia.some((m) => m.includes('Subject: Due soon: Confirm the security contact'))).toBe(true)
    expect(
      toMia.every((m) => m.includes(`/tasks/${task.id}`) || !m.includes('Confirm the security contact')),
    ).toBe(true)
    const again = await sweep(hourly())
    expect(again).toMatchObject({ orgs: first.orgs, due: first.due, written: 0 })
    expect(await forTask(task.id)).toEqual(['reminder'])

    // On the due day the stack's hourly sweep (on the shared clock) writes "due today" by itself.
    await t.stack.clock.advance(2 * DAY + 60_000)
    await t.eventually(async () => (await forTask(task.id)).includes('due-today'))
    // Once the stack's own sweep (which also e-mails, so it takes a moment) is through, a sweep finds nothing new.
    await t.eventually(async () => (await sweep(hourly())).written === 0)
    expect((await forTask(task.id)).sort()).toEqual(['due-today', 'reminder'])

    // The next day it is overdue: one more, once.
    await t.stack.clock.advance(DAY)
    await t.eventually(async () => (await forTask(task.id)).includes('overdue'))
    await sweep(hourly())
    await sweep(hourly())
    expect((await forTask(task.id)).sort()).toEqual(['due-today', 'overdue', 'reminder'])

    const reminder = (await outbox()).find((n) => n.ref?.id === task.id && n.kind === 'overdue')!
    expect(reminder).toMatchObject({
      to: { userId: member.userId },
      subject: {
        en: 'Overdue: Confirm the security contact',
        de: 'Überfällig: Sicherheitskontakt bestätigen',
      },
      // E-mailed to Mia (the outbox is the one path to people).
      status: 'sent',
      mailed: 1,
    })
    expect(
      mailsTo('member@demo.ismsflow.test').some((m) =>
        m.includes('Subject: Overdue: Confirm the security contact'),
      ),
    ).toBe(true)

    // Every reminder in the outbox exists once per task and kind (the Monday digest names no task).
    const keys = (await outbox()).filter((n) => n.kind !== 'digest').map((n) => `${n.ref?.id}:${n.kind}`)
    expect(new Set(keys).size).toBe(keys.length)

    // The ISO reads the outbox with names; Hafenstadt's reminders stay in Hafenstadt's outbox.
    await signInAgain()
    const page = (await iso.get('/api/notifications')).body.items
    expect(page.find((n: any) => n.ref?.id === task.id && n.kind === 'overdue')).toMatchObject({
      toName: 'Mia Keller',
    })
    const hafenstadt = await outbox('hafenstadt')
    expect(hafenstadt.length).toBeGreaterThan(0)
    expect(hafenstadt.some((n) => n.ref?.id === task.id)).toBe(false)
    expect(page.some((n: any) => hafenstadt.some((h) => h.id === n.id))).toBe(false)
    const theirs = (
      await (await t.signIn('iso@demo.ismsflow.test', undefined, 'hafenstadt')).get('/api/notifications')
    ).body.items
    expect(theirs.map((n: any) => n.id).sort()).toEqual(hafenstadt.map((n) => n.id).sort())
  })

  it('sends nothing for a completed task and refuses bad sweep input by name', async () => {
    const { executionArn } = await t.stack.deps.workflows.start(
      'questionnaire',
      {
        orgId: 'nordlicht',
        formId: 'questionnaire-escalation',
        title: { en: 'Decide quickly', de: 'Schnell entscheiden' },
        assignee: { userId: member.userId },
        requestedBy: iso.userId,
        dueInDays: 1,
      },
      'reminder-test-done',
    )
    const task = await t.eventually(async () => {
      const res = await member.get('/api/tasks?view=mine')
      return res.body.items.find((x: any) => x.workflow.executionArn === executionArn)
    })
    expect(
      (await member.post(`/api/tasks/${task.id}/complete`, { answers: { action: 'close' } })).status,
    ).toBe(200)
    await sweep(hourly())
    expect(await forTask(task.id)).toEqual([])
    await expect(sweep({ ...hourly(), orgIds: ['Not An Org'] })).rejects.toMatchObject({
      fields: { 'orgIds.0': 'must be an organisation id' },
    })
    await expect(sweep({ ...hourly(), daysBefore: 0 })).rejects.toMatchObject({ code: 'validation_failed' })
    await expect(sweep({})).rejects.toMatchObject({
      code: 'validation_failed',
      name: 'Step.InvalidInput',
      message: expect.stringMatching(/^task-reminders: invalid input \(scheduledTime: /),
    })
    // An EventBridge rule's envelope is accepted: its time is the scheduled time.
    await expect(
      sweep({ 'detail-type': 'Scheduled Event', source: 'aws.events', time: '2026-03-01T10:00:00Z' }),
    ).resolves.toMatchObject({
      written: 0,
    })
  })
})
