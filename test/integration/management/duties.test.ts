import { createHash } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { MANAGEMENT_TRAINING } from '../../../functions/domain/management/index.js'
import { addDays, toIsoDate } from '../../../functions/domain/risk/calendar.js'
import { isOpen } from '../../../functions/domain/tasks.js'
import { sweepReminders } from '../../../functions/steps/task-reminders.js'
import { type Client, startTestStack } from '../../support/stack.js'

describe('management duties under § 38 BSIG (local stack)', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let management: Client
  let member: Client
  let auditor: Client
  let isoHafenstadt: Client
  let memberHafenstadt: Client
  const today = () => toIsoDate(t.stack.clock.now())

  const signInAll = async () => {
    ;[iso, management, member, auditor, isoHafenstadt, memberHafenstadt] = await Promise.all([
      t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht'),
      t.signIn('management@demo.ismsflow.test'),
      t.signIn('member@demo.ismsflow.test'),
      t.signIn('auditor@demo.ismsflow.test'),
      t.signIn('iso@demo.ismsflow.test', undefined, 'hafenstadt'),
      t.signIn('member@hafenstadt.ismsflow.test'),
    ])
  }
  beforeAll(async () => {
    t = await startTestStack()
    await signInAll()
  })
  beforeEach(async () => signInAll())
  afterAll(async () => t?.close())

  it('the demo: Martin Brandt’s training is due soon, with its certificate; auditors read it and download it', async () => {
    const res = await auditor.get('/api/management-duties')
    expect(res.status).toBe(200)
    const martin = res.body.trainings.find((x: { userId: string }) => x.userId === 'demo-management')
    expect(martin).toMatchObject({ state: 'due-soon', record: { nextDueOn: addDays(today(), 12) } })
    expect(martin.stateText.de).toContain('§ 38 Abs. 3 BSIG')
    const file = await auditor.get('/api/management-duties/trainings/demo-management/certificate')
    expect(file.status).toBe(200)
    expect(String(file.body)).toMatch(/^%PDF/)
    // Pages signed in with a bearer token fetch the signed link as JSON, then open it.
    const link = await auditor.get<{ url: string; expiresInSeconds: number }>(
      '/api/management-duties/trainings/demo-management/certificate/link',
    )
    expect(link.status).toBe(200)
    expect(link.body.expiresInSeconds).toBe(300)
    expect(await (await fetch(link.body.url)).text()).toMatch(/^%PDF/)
  })

  it('roles and tenants: members do not read; another organisation sees only its own and gets 404 for ours', async () => {
    expect((await member.get('/api/management-duties')).status).toBe(403)
    expect((await memberHafenstadt.get('/api/management-duties')).status).toBe(403)
    const other = await isoHafenstadt.get('/api/management-duties')
    expect(other.status).toBe(200)
    expect(other.body.trainings.map((x: { userId: string }) => x.userId)).not.toContain('demo-management')
    expect(
      (await isoHafenstadt.get('/api/management-duties/trainings/demo-management/certificate')).status,
    ).toBe(404)
    expect(
      (await isoHafenstadt.get('/api/management-duties/trainings/demo-management/certificate/link')).status,
    ).toBe(404)
    expect(
      (await member.get('/api/management-duties/trainings/demo-management/certificate/link')).status,
    ).toBe(403)
    expect(
      (
        await isoHafenstadt.call('PUT', '/api/management-duties/trainings/demo-management', {
          title: 'x',
          lastTrainingOn: today(),
        })
      ).status,
    ).toBe(404)
    expect((await member.call('PUT', '/api/management-duties/trainings/demo-management', {})).status).toBe(
      403,
    )
    expect((await auditor.post('/api/management-duties/approvals', {})).status).toBe(403)
  })

  it('a manager records their own training; bad input is named; the ISO may record it too', async () => {
    const bad = await management.call('PUT', '/api/management-duties/trainings/demo-management', {
      title: '',
      lastTrainingOn: addDays(today(), 3),
      colour: 'red',
    })
    expect(bad.status).toBe(400)
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(['colour', 'title'])
    const future = await management.call('PUT', '/api/management-duties/trainings/demo-management', {
      title: 'NIS2 für Geschäftsleiter',
      lastTrainingOn: addDays(today(), 3),
    })
    expect(future.body.error.fields).toEqual({ lastTrainingOn: 'may not be in the future' })
    const order = await management.call('PUT', '/api/management-duties/trainings/demo-management', {
      title: 'NIS2 für Geschäftsleiter',
      lastTrainingOn: today(),
      nextDueOn: addDays(today(), -1),
    })
    expect(order.body.error.fields).toEqual({ nextDueOn: 'must be after the last training' })
    const ok = await management.call('PUT', '/api/management-duties/trainings/demo-management', {
      title: 'NIS2 für Geschäftsleiter (Auffrischung)',
      lastTrainingOn: today(),
    })
    expect(ok.status, JSON.stringify(ok.body)).toBe(200)
    expect(ok.body.training).toMatchObject({ state: 'current', nextDueOn: addDays(today(), 365) })
    // A new training does not keep the old certificate.
    expect(ok.body.training.certificate).toBeUndefined()
    // Not a manager: 404.
    expect(
      (
        await iso.call('PUT', '/api/management-duties/trainings/demo-member', {
          title: 'x',
          lastTrainingOn: today(),
        })
      ).status,
    ).toBe(404)
  })

  it('the certificate goes through the evidence store: announced, uploaded to the bucket, confirmed, downloaded', async () => {
    const bytes = new TextEncoder().encode('%PDF-1.4\nTeilnahmebescheinigung\n%%EOF\n')
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    const base = '/api/management-duties/trainings/demo-management/certificate/uploads'
    const wrong = await management.post(base, {
      name: 'x.exe',
      size: bytes.byteLength,
      contentType: 'application/x',
      sha256,
    })
    expect(wrong.status).toBe(400)
    expect(wrong.body.error.fields).toHaveProperty('file')
    const start = await management.post<{ fileId: string; url: string; fields: Record<string, string> }>(
      base,
      {
        name: 'bescheinigung.pdf',
        size: bytes.byteLength,
        contentType: 'application/pdf',
        sha256,
      },
    )
    expect(start.status, JSON.stringify(start.body)).toBe(201)
    const form = new FormData()
    for (const [k, v] of Object.entries(start.body.fields)) form.append(k, v)
    form.append('file', new Blob([bytes]), 'bescheinigung.pdf')
    expect((await fetch(start.body.url, { method: 'POST', body: form })).status).toBe(204)
    // Another organisation cannot confirm it.
    expect((await isoHafenstadt.post(`${base}/${start.body.fileId}`, {})).status).toBe(404)
    const done = await management.post(`${base}/${start.body.fileId}`, {})
    expect(done.status, JSON.stringify(done.body)).toBe(201)
    expect(done.body.training.certificate).toMatchObject({ name: 'bescheinigung.pdf' })
    const again = await management.post(`${base}/${start.body.fileId}`, {})
    expect(again.status).toBe(200)
    const file = await auditor.get('/api/management-duties/trainings/demo-management/certificate')
    expect(String(file.body)).toContain('Teilnahmebescheinigung')
  })

  it('the hourly reminder sweep reminds a manager before the training is due, once', async () => {
    await iso.call('PUT', '/api/management-duties/trainings/demo-management', {
      title: 'NIS2 für Geschäftsleiter',
      lastTrainingOn: addDays(today(), -300),
      nextDueOn: addDays(today(), 10),
    })
    const deps = t.stack.deps
    const sweep = () =>
      sweepReminders({
        records: deps.records,
        tasks: deps.taskStore,
        workflows: deps.workflows,
        notifications: deps.notifications,
        now: deps.now,
        orgIds: ['nordlicht'],
      })
    await sweep()
    const reminders = (await deps.notifications.list('nordlicht', 1000)).filter(
      (n) => n.ref?.type === MANAGEMENT_TRAINING,
    )
    expect(reminders).toHaveLength(1)
    expect(reminders[0]).toMatchObject({ kind: 'reminder', to: { userId: 'demo-management' } })
    expect(reminders[0].subject.de).toContain('§ 38 Abs. 3 BSIG')
    await sweep()
    expect(
      (await deps.notifications.list('nordlicht', 1000)).filter((n) => n.ref?.type === MANAGEMENT_TRAINING),
    ).toHaveLength(1)
  })

  it('management approves the current measure set through the approval workflow (four-eyes); the same set asks once', async () => {
    const first = await iso.post('/api/management-duties/approvals', {})
    expect(first.status, JSON.stringify(first.body)).toBe(201)
    expect(first.body.approval).toMatchObject({ state: 'pending', current: true })
    expect(first.body.approval.measures.length).toBeGreaterThan(0)
    const again = await iso.post('/api/management-duties/approvals', {})
    expect(again.status).toBe(200)
    expect(again.body.approval.id).toBe(first.body.approval.id)
    const task = await t.eventually(async () =>
      (await t.stack.deps.taskStore.list('nordlicht')).find(
        (x) => x.data.context.measureSetHash === first.body.approval.hash && isOpen(x.data),
      ),
    )
    expect(task.data).toMatchObject({
      kind: 'approval',
      candidateRole: 'management',
      requestedBy: iso.userId,
    })
    expect(task.data.title.de).toContain('§ 38 Abs. 1 BSIG')
    // The requester does not decide (the ISO holds no management role either way).
    expect(
      (await iso.post(`/api/tasks/${task.id}/complete`, { answers: { decision: { outcome: 'approve' } } }))
        .status,
    ).not.toBe(200)
    const decided = await management.post(`/api/tasks/${task.id}/complete`, {
      answers: {
        decision: { outcome: 'approve', comment: 'Gebilligt in der Sitzung der Geschäftsführung.' },
      },
    })
    expect(decided.status, JSON.stringify(decided.body)).toBe(200)
    const after = await t.eventually(async () => {
      const r = await auditor.get('/api/management-duties')
      return r.body.approval?.state === 'approved' ? r.body : undefined
    })
    expect(after.approval).toMatchObject({ current: true, decidedBy: 'Martin Brandt' })
  })
})
