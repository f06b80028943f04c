import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { handler as humanTask } from '../../../functions/steps/human-task.js'
import { sweepReminders } from '../../../functions/steps/task-reminders.js'
import { apiHarness } from '../api/support.js'

const DAY = 86_400_000
/** A secret the task carries in its context: no message may contain it. */
const DETAIL = 'Ransomware auf dem Fileserver FS-02 (vertraulich)'

/** An .eml as text: folded header lines joined, RFC 2047 words and quoted-printable decoded. */
function readable(eml: string): string {
  const bytes = (qp: string) =>
    Buffer.from(
      qp.replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(Number.parseInt(hex, 16))),
      'latin1',
    ).toString('utf8')
  return bytes(
    eml
      .replace(/\r?\n[ \t]+/g, ' ')
      .replace(/=\?UTF-8\?Q\?([^?]*)\?=\s?/gi, (_, w: string) => w.replace(/_/g, ' '))
      .replace(/=\r?\n/g, ''),
  )
}

/**
 * Every message of a task's life goes out through the one mail module, in the recipient's
 * language, as plain text and HTML, with a link to the task and no details: read from the
 * `.eml` files the file transport writes.
 */
describe('task messages, read from the .eml files', () => {
  let h: Awaited<ReturnType<typeof apiHarness>>
  /** The messages to `email`, oldest first, readable: headers unfolded, encoded words and quoted-printable decoded. */
  const mailsTo = (email: string) =>
    readdirSync(h.deps.config.mailDir)
      .filter((n) => n.endsWith('.eml'))
      .sort()
      .map((n) => readable(readFileSync(join(h.deps.config.mailDir, n), 'utf8')))
      .filter((m) => m.includes(`<${email}>`))
  const withSubject = (email: string, subject: string) =>
    mailsTo(email).filter((m) => m.includes(`Subject: ${subject}`))
  /** Plain text and HTML, the link to the task, none of its details. */
  const wellFormed = (mail: string, taskId: string) => {
    expect(mail).toMatch(/Content-Type: multipart\/alternative/)
    expect(mail).toMatch(/Content-Type: text\/plain; charset=utf-8/)
    expect(mail).toMatch(/Content-Type: text\/html; charset=utf-8/)
    expect(mail).toContain(`${h.deps.config.publicUrl}/tasks/${taskId}`)
    expect(mail).not.toContain('FS-02')
  }
  const mailing = () => ({
    identity: h.deps.identity,
    mail: h.deps.mail,
    publicUrl: h.deps.config.publicUrl,
  })

  beforeAll(async () => {
    h = await apiHarness()
    // Mia (member) reads German; everyone else English.
    await h.deps.identity.updateUser('demo-member', { language: 'de' })
  })
  afterAll(async () => {
    await h?.close()
  })

  const startTask = (over: Record<string, unknown>) =>
    humanTask.invoke(
      {
        taskToken: `token-${Math.random().toString(36).slice(2)}`,
        orgId: 'nordlicht',
        kind: 'approval',
        title: { en: 'Approve the backup policy', de: 'Sicherungsrichtlinie freigeben' },
        formId: 'approval',
        assignee: { userId: 'demo-iso' },
        dueInDays: 5,
        context: { incident: DETAIL },
        workflow: {
          name: 'approval',
          executionArn: 'arn:aws:states:x:1:execution:approval:m1',
          stateName: 'Approve',
        },
        ...over,
      },
      h.deps,
    )

  it('tells the named assignee of a new task, once, in their language', async () => {
    const { taskId } = await startTask({ assignee: { userId: 'demo-member' } })
    const [mail, ...more] = withSubject(
      'member@demo.ismsflow.test',
      'Neue Aufgabe: Sicherungsrichtlinie freigeben',
    )
    expect(more).toEqual([])
    wellFormed(mail, taskId)
    expect(mail).toContain('Content-Language: de')
  })

  it('tells the person a task is delegated to (each delegation), and the English reader in English', async () => {
    const { taskId } = await startTask({})
    const iso = await h.signIn('iso@demo.ismsflow.test')
    const toMember = await h.request(`/api/tasks/${taskId}/delegate`, {
      method: 'POST',
      auth: iso,
      body: { toUserId: 'demo-member' },
    })
    expect(toMember.status).toBe(200)
    const [de] = withSubject(
      'member@demo.ismsflow.test',
      'Neue Aufgabe: Sicherungsrichtlinie freigeben',
    ).filter((m) => m.includes(taskId))
    wellFormed(de, taskId)

    const member = await h.signIn('member@demo.ismsflow.test')
    const toManager = await h.request(`/api/tasks/${taskId}/delegate`, {
      method: 'POST',
      auth: member,
      body: { toUserId: 'demo-management' },
    })
    expect(toManager.status).toBe(200)
    const [en] = withSubject('management@demo.ismsflow.test', 'New task: Approve the backup policy').filter(
      (m) => m.includes(taskId),
    )
    wellFormed(en, taskId)
    expect(en).toContain('Content-Language: en')
  })

  it('announces an escalation to everyone holding the role, once', async () => {
    const { taskId } = await startTask({
      kind: 'escalation-approval',
      title: { en: 'Overdue approval: Backup policy', de: 'Überfällige Freigabe: Sicherungsrichtlinie' },
      assignee: { role: 'management' },
      context: { escalated: true, incident: DETAIL },
    })
    const [mail, ...more] = withSubject(
      'management@demo.ismsflow.test',
      'Escalated: Overdue approval: Backup policy',
    )
    expect(more).toEqual([])
    wellFormed(mail, taskId)
    // Not to people without the role.
    expect(mailsTo('member@demo.ismsflow.test').some((m) => m.includes(taskId))).toBe(false)
  })

  it('reminds the day before: "due tomorrow" in German and English, once', async () => {
    const { taskId } = await startTask({
      assignee: { userId: 'demo-member' },
      dueAt: new Date(h.deps.now().getTime() + DAY + 60_000).toISOString(),
    })
    const sweep = () =>
      sweepReminders({
        records: h.deps.records,
        tasks: h.deps.taskStore,
        workflows: h.deps.workflows,
        notifications: h.deps.notifications,
        now: h.deps.now,
        orgIds: ['nordlicht'],
        ...mailing(),
      })
    await sweep()
    await sweep()
    const mails = withSubject(
      'member@demo.ismsflow.test',
      'Morgen fällig: Sicherungsrichtlinie freigeben',
    ).filter((m) => m.includes(taskId))
    expect(mails).toHaveLength(1)
    wellFormed(mails[0], taskId)
    expect(mails[0]).toContain('ist morgen fällig')
  })

  it('sends the weekly digest on Mondays to those who did not turn it off (account page)', async () => {
    // Mia turns the digest off on her account page (a digest sent before, when the file runs on a Monday, stays sent).
    const digestsToMia = () =>
      mailsTo('member@demo.ismsflow.test').filter((m) => m.includes('Subject: Ihre Woche bei')).length
    const before = digestsToMia()
    const member = await h.signIn('member@demo.ismsflow.test')
    const off = await h.request('/api/account', {
      method: 'PATCH',
      auth: member,
      body: { digest: false },
    })
    expect(off.status).toBe(200)
    // Both have a task waiting.
    await startTask({ assignee: { userId: 'demo-iso' } })
    await startTask({ assignee: { userId: 'demo-member' } })
    // To the next Monday.
    const now = h.deps.now()
    h.advance(((8 - now.getUTCDay()) % 7 || 7) * DAY)
    await sweepReminders({
      records: h.deps.records,
      tasks: h.deps.taskStore,
      workflows: h.deps.workflows,
      notifications: h.deps.notifications,
      now: h.deps.now,
      orgIds: ['nordlicht'],
      ...mailing(),
    })
    const digest = mailsTo('iso@demo.ismsflow.test').filter((m) => m.includes('Subject: Your week at'))
    expect(digest).toHaveLength(1)
    expect(digest[0]).toContain(`${h.deps.config.publicUrl}/account`)
    expect(digest[0]).not.toContain('FS-02')
    expect(digestsToMia()).toBe(before)
  })
})
