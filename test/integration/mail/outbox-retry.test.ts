import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deliverNotification, type NotifyDeps, notify } from '../../../functions/mail/index.js'
import { handler as taskReminders } from '../../../functions/steps/task-reminders.js'
import {
  MAX_DELIVERY_ATTEMPTS,
  type Notification,
  notificationId,
  retryDelayMs,
} from '../../../functions/store/notifications.js'
import { MINIMAL_SEED } from '../../../infra/local/seed/index.js'
import { tasks } from '../../../infra/local/seed/steps/tasks.js'
import { type Client, startTestStack } from '../../support/stack.js'

const MINUTE = 60_000

describe('the outbox: a failed e-mail is tried again by the hourly sweep, with backoff, never twice', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let isoHafenstadt: Client
  let member: Client

  beforeAll(async () => {
    // The outbox is the subject, not the demo: its people and its approvals (they make the
    // organisations ones the hourly sweep visits), none of the other features' workflows, so the
    // clock jumps (a day at most) fire few timers besides this file's own.
    t = await startTestStack({ seedSteps: [...MINIMAL_SEED, tasks] })
  })
  afterAll(async () => {
    mendMail()
    await t?.close()
  })

  const signInAll = async () => {
    ;[iso, isoHafenstadt, member] = await Promise.all([
      t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht'),
      t.signIn('iso@demo.ismsflow.test', undefined, 'hafenstadt'),
      t.signIn('member@demo.ismsflow.test'),
    ])
  }
  const mailDir = () => t.stack.mailDir
  /**
   * The file transport's real failure: its folder is a file (writing the message fails with
   * the transport's MailError, as a full disk or a refused SMTP server would).
   */
  const breakMail = () => {
    mkdirSync(mailDir(), { recursive: true })
    renameSync(mailDir(), `${mailDir()}.away`)
    writeFileSync(mailDir(), 'not a folder')
  }
  function mendMail() {
    try {
      rmSync(mailDir())
      renameSync(`${mailDir()}.away`, mailDir())
    } catch {
      // Not broken.
    }
  }
  const deps = (): NotifyDeps => ({
    identity: t.stack.deps.identity,
    mail: t.stack.deps.mail,
    notifications: t.stack.deps.notifications,
    publicUrl: t.stack.deps.config.publicUrl,
    now: t.stack.deps.now,
  })
  /** The hourly sweep's step with the stack's deps, as the stack's timer runs it. */
  const hourly = () =>
    taskReminders.invoke({ scheduledTime: new Date(t.stack.clock.nowMs()).toISOString() }, t.stack.deps)
  const stored = async (key: string, orgId = 'nordlicht') =>
    (await t.stack.deps.records.forOrg(orgId).get<Notification>('notification', notificationId(key)))?.data
  /** The .eml files whose text names `title`. */
  const mailsAbout = (title: string) =>
    readdirSync(mailDir())
      .filter((n) => n.endsWith('.eml'))
      .map((n) => readFileSync(join(mailDir(), n), 'utf8').replace(/=\r?\n/g, ''))
      .filter((m) => m.includes(title))
  /** A task-assigned message for Mia Keller (member), about a task titled `title`. */
  const assigned = (title: string) => ({
    kind: 'assigned' as const,
    to: { userId: 'demo-member' },
    subject: { en: `New task: ${title}`, de: `Neue Aufgabe: ${title}` },
    body: { en: 'A task was assigned to you.', de: 'Ihnen wurde eine Aufgabe zugewiesen.' },
    ref: { type: 'task', id: `outbox-${title.replace(/\W+/g, '-')}` },
    data: { title: { en: title, de: title } },
  })

  it('an e-mail that failed once is sent by the next sweep after its backoff, exactly once', async () => {
    const title = 'Outbox check one'
    const key = 'nordlicht:outbox-test:one'
    breakMail()
    expect(await notify(deps(), 'nordlicht', key, assigned(title))).toBe(true)
    const first = await stored(key)
    expect(first).toMatchObject({ status: 'retrying', attempts: 1, mailed: 0, sentTo: [] })
    expect(first?.lastError).toMatch(/Writing the message/)
    // The stack's clock runs on in real time: the next attempt is 30 minutes after this one.
    const wait = Date.parse(first?.nextAttemptAt ?? '') - Date.parse(first?.lastAttemptAt ?? '')
    expect(Math.abs(wait - retryDelayMs(1))).toBeLessThan(MINUTE)
    mendMail()

    // Before its backoff has passed, a sweep leaves it.
    await hourly()
    expect(await stored(key)).toMatchObject({ status: 'retrying', attempts: 1 })
    expect(mailsAbout(title)).toHaveLength(0)

    // After it, the next sweep sends it (the stack's own hourly sweep may be the one).
    await t.stack.clock.advance(retryDelayMs(1) + MINUTE)
    await hourly()
    const sent = await t.eventually(async () => {
      const n = await stored(key)
      return n?.status === 'sent' && n
    })
    expect(sent).toMatchObject({ attempts: 2, mailed: 1, sentTo: ['demo-member'] })
    expect(sent.lastError).toBeUndefined()
    expect(mailsAbout(title)).toHaveLength(1)

    // Later sweeps and a direct attempt send nothing more.
    await t.stack.clock.advance(3 * 60 * MINUTE)
    await hourly()
    expect(await deliverNotification(deps(), 'nordlicht', notificationId(key))).toBeUndefined()
    expect(mailsAbout(title)).toHaveLength(1)
    // Every step is in the audit log, in words.
    const history = await t.stack.deps.records
      .forOrg('nordlicht')
      .history('notification', notificationId(key))
    expect(history.map((h) => h.action)).toEqual([
      'notification.create',
      'notification.sending',
      'notification.retrying',
      'notification.sending',
      'notification.sent',
    ])
  })

  it('two processes delivering the same notification at once send it once (a conditional claim)', async () => {
    const title = 'Outbox check two'
    const key = 'nordlicht:outbox-test:two'
    // Written by a step that may not send (its e-mail not tried yet), then delivered by three at once.
    expect(await t.stack.deps.notifications.enqueue('nordlicht', key, assigned(title))).toBe(true)
    const outcomes = await Promise.all(
      [1, 2, 3].map(() => deliverNotification(deps(), 'nordlicht', notificationId(key))),
    )
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1)
    expect(outcomes.filter((o) => o === undefined)).toHaveLength(2)
    expect(mailsAbout(title)).toHaveLength(1)
    expect(await stored(key)).toMatchObject({ status: 'sent', attempts: 1, mailed: 1 })
  })

  it('a send cut off by a crash is given up once its claim runs out, not sent again', async () => {
    const title = 'Outbox check three'
    const key = 'nordlicht:outbox-test:three'
    await t.stack.deps.notifications.enqueue('nordlicht', key, assigned(title))
    // A process claims it and dies before it settles.
    expect(await t.stack.deps.notifications.claim('nordlicht', notificationId(key))).toBeDefined()
    await hourly()
    expect(await stored(key)).toMatchObject({ status: 'sending', attempts: 1 })
    await t.stack.clock.advance(16 * MINUTE)
    await hourly()
    const failed = await stored(key)
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 })
    expect(failed?.lastError).toMatch(/interrupted/)
    expect(mailsAbout(title)).toHaveLength(0)
  })

  it(`after ${MAX_DELIVERY_ATTEMPTS} failed attempts it stays failed, the ISO sees it, and it is never sent later`, async () => {
    const title = 'Outbox check four'
    const key = 'nordlicht:outbox-test:four'
    breakMail()
    await notify(deps(), 'nordlicht', key, assigned(title))
    expect(await stored(key)).toMatchObject({ status: 'retrying', attempts: 1 })
    for (let attempt = 2; attempt <= MAX_DELIVERY_ATTEMPTS; attempt++) {
      await t.stack.clock.advance(retryDelayMs(attempt - 1) + MINUTE)
      await hourly()
      const n = await t.eventually(async () => {
        const cur = await stored(key)
        return cur?.attempts === attempt && cur.status !== 'sending' && cur
      })
      expect(n.status).toBe(attempt === MAX_DELIVERY_ATTEMPTS ? 'failed' : 'retrying')
    }
    mendMail()
    await t.stack.clock.advance(24 * 60 * MINUTE)
    await hourly()
    const failed = await stored(key)
    expect(failed).toMatchObject({ status: 'failed', attempts: MAX_DELIVERY_ATTEMPTS, mailed: 0 })
    expect(failed?.nextAttemptAt).toBeUndefined()
    expect(mailsAbout(title)).toHaveLength(0)

    // The ISO sees it in the outbox, with the reason; nobody else does.
    await signInAll()
    const list = await iso.get('/api/notifications?limit=200')
    expect(list.status).toBe(200)
    const item = list.body.items.find((x: { id: string }) => x.id === notificationId(key))
    expect(item).toMatchObject({
      status: 'failed',
      attempts: MAX_DELIVERY_ATTEMPTS,
      maxAttempts: MAX_DELIVERY_ATTEMPTS,
      toName: 'Mia Keller',
    })
    expect(item.lastError).toMatch(/Writing the message/)
    const other = await isoHafenstadt.get('/api/notifications?limit=200')
    expect(other.status).toBe(200)
    expect(other.body.items.map((x: { id: string }) => x.id)).not.toContain(notificationId(key))
    expect((await member.get('/api/notifications')).status).toBe(403)
  })
})
