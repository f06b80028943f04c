import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { IncidentData } from '../../../functions/domain/incidents/index.js'
import { isOpen } from '../../../functions/domain/tasks.js'
import { INCIDENT } from '../../../functions/store/incidents.js'
import { MINIMAL_SEED, obligationDecisionOnly } from '../../../infra/local/seed/index.js'
import { type Client, startTestStack } from '../../support/stack.js'

const HOUR = 3_600_000

describe('incident workflow on the local engine (injected clock)', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let member: Client
  let auditor: Client
  let hafenstadt: Client

  const now = () => t.stack.clock.now()
  const org = () => t.stack.deps.records.forOrg('nordlicht')
  const stored = async (id: string) => (await org().require<IncidentData>(INCIDENT, id)).data
  const openTask = (id: string, kind: string) =>
    t.eventually(async () =>
      (await t.stack.deps.taskStore.list('nordlicht')).find(
        (x) => x.data.subject?.id === id && x.data.kind === kind && isOpen(x.data),
      ),
    )
  const openKinds = async (id: string) =>
    (await t.stack.deps.taskStore.list('nordlicht'))
      .filter((x) => x.data.subject?.id === id && isOpen(x.data))
      .map((x) => x.data.kind)
      .sort()
  const outbox = async () => t.stack.deps.notifications.list('nordlicht', 1000)
  const deadline = async (id: string, kind: string, who = iso) =>
    (await who.get(`/api/incidents/${id}`)).body.deadlines.find((d: { kind: string }) => d.kind === kind)

  const report = async (over: Record<string, unknown> = {}, who = member) => {
    const res = await who.post('/api/incidents', {
      title: `Ransomware on the file server ${Math.random().toString(36).slice(2, 7)}`,
      awareAt: new Date(now().getTime() - HOUR).toISOString().replace('Z', '+00:00'),
      description: 'Files on \\\\fs01 encrypted; ransom note found.',
      ...over,
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body.id as string
  }
  const complete = async (taskId: string, answers: Record<string, unknown>, who = iso) => {
    const res = await who.post(`/api/tasks/${taskId}/complete`, { answers })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
  }
  const triage = async (id: string, answers: Record<string, unknown>) => {
    const task = await openTask(id, 'incident-triage')
    await complete(task.id, {
      severeDisruption: 'no',
      financialLoss: 'no',
      harmToOthers: 'no',
      malicious: 'yes',
      crossBorder: 'no',
      ...answers,
    })
  }
  const SIGNIFICANT = { severeDisruption: 'yes', significant: 'yes', personalDataBreach: 'no' }
  const sendReport = async (id: string, kind: string, extra: Record<string, unknown> = {}) => {
    const task = await openTask(id, `incident-${kind}`)
    expect(task.data.prefill?.draft).toContain('Meldende Einrichtung / Reporting entity: Nordlicht')
    await complete(task.id, {
      draft: String(task.data.prefill?.draft),
      channel: 'bsi-portal',
      reference: `BSI-${kind}`,
      ...extra,
    })
    await t.eventually(async () => (await deadline(id, kind))?.status === 'done')
  }
  const signInAll = async () => {
    ;[iso, member, auditor, hafenstadt] = await Promise.all([
      t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht'),
      t.signIn('member@demo.ismsflow.test'),
      t.signIn('auditor@demo.ismsflow.test'),
      t.signIn('member@hafenstadt.ismsflow.test'),
    ])
  }

  beforeAll(async () => {
    t = await startTestStack({ seedSteps: [...MINIMAL_SEED, obligationDecisionOnly] })
    await signInAll()
  })
  // Sessions end after a few hours: after a jump in time, people sign in again.
  beforeEach(async () => signInAll())
  afterAll(async () => t?.close())

  it('a member reports; the clocks run provisionally; other tenants get 404; bad awareAt is named', async () => {
    const bad = await member.post('/api/incidents', { title: 'Phishing', awareAt: '2026-01-01T10:00:00' })
    expect(bad.status).toBe(400)
    expect(bad.body.error.fields.awareAt).toMatch(/time zone/)
    const future = await member.post('/api/incidents', {
      title: 'Phishing',
      awareAt: new Date(now().getTime() + 2 * HOUR).toISOString(),
    })
    expect(future.body.error.fields).toEqual({ awareAt: 'may not be in the future' })

    const body = {
      title: 'Lost laptop with customer list',
      awareAt: new Date(now().getTime() - HOUR).toISOString(),
    }
    const first = await member.post('/api/incidents', body)
    expect(first.status).toBe(201)
    // A retried request finds the same incident.
    const again = await member.post('/api/incidents', body)
    expect(again.status).toBe(200)
    expect(again.body.id).toBe(first.body.id)
    const id = first.body.id
    const mine = await member.get(`/api/incidents/${id}`)
    expect(mine.status).toBe(200)
    expect(
      mine.body.deadlines.map((d: { kind: string; provisional: boolean }) => [d.kind, d.provisional]),
    ).toEqual([
      ['nis2-early-warning', true],
      ['nis2-notification', true],
    ])
    expect((await auditor.get(`/api/incidents/${id}`)).status).toBe(200)
    expect((await hafenstadt.get(`/api/incidents/${id}`)).status).toBe(404)
    expect(
      (await hafenstadt.get('/api/incidents')).body.items.map((r: { id: string }) => r.id),
    ).not.toContain(id)
    expect((await auditor.post('/api/incidents', body)).status).toBe(403)
  })

  it('significant with personal data: each clock a task due to the minute; 50 %/90 % reminders; sent in time', async () => {
    const id = await report({ personalDataBreach: true })
    await triage(id, {
      ...SIGNIFICANT,
      personalDataBreach: 'yes',
      gdprRisk: 'risk',
      assessment: 'Encrypted by LockBit variant',
    })
    await t.eventually(async () => (await openKinds(id)).length === 3)
    expect(await openKinds(id)).toEqual([
      'incident-gdpr-authority',
      'incident-nis2-early-warning',
      'incident-nis2-notification',
    ])
    const aware = Date.parse((await stored(id)).awareAt)
    const ew = await openTask(id, 'incident-nis2-early-warning')
    expect(ew.data.dueAt).toBe(new Date(aware + 24 * HOUR).toISOString())
    expect(ew.data.title.en).toContain('§32(1) no. 1 BSIG')
    // 12 h after awareness: the 50 % reminder of the 24 h clock, once.
    await t.stack.clock.advance(aware + 12 * HOUR + 60_000 - now().getTime())
    await signInAll()
    await t.eventually(async () =>
      (await outbox()).some(
        (n) =>
          n.ref?.id.startsWith(`${id}/`) &&
          n.subject.en.startsWith('50 %') &&
          n.subject.en.includes('§32(1) no. 1'),
      ),
    )
    await sendReport(id, 'nis2-early-warning')
    const done = await deadline(id, 'nis2-early-warning')
    expect(done.words.en).toMatch(/^sent 1\d h \d+ min early$/)
    await sendReport(id, 'nis2-notification')
    await sendReport(id, 'gdpr-authority', { channel: 'authority-portal' })
    // The final report: one month after the notification, its task comes next.
    const final = await openTask(id, 'incident-nis2-final-report')
    expect(final.data.prefill).toMatchObject({ reportType: 'final' })
    expect((await stored(id)).timeline.map((e) => e.what)).toContain('reminder')
  })

  it('a late report: escalation to management when due; the report is recorded as late', async () => {
    const id = await report()
    await triage(id, SIGNIFICANT)
    await openTask(id, 'incident-nis2-early-warning')
    await t.stack.clock.advance(24 * HOUR)
    await signInAll()
    await t.eventually(async () =>
      (await outbox()).some(
        (n) => n.ref?.id.startsWith(`${id}/`) && n.kind === 'escalation' && n.to.role === 'management',
      ),
    )
    expect((await deadline(id, 'nis2-early-warning')).status).toBe('overdue')
    await signInAll()
    await sendReport(id, 'nis2-early-warning')
    expect((await deadline(id, 'nis2-early-warning')).words.en).toMatch(/^sent 1 h( \d+ min)? late$/)
  })

  it('not significant: the NIS2 clocks stop with the reason; reclassified later, they start from awareAt and show late at once', async () => {
    const id = await report()
    await triage(id, {
      significant: 'no',
      notSignificantReason: 'Single workstation, no service affected',
      personalDataBreach: 'no',
    })
    await openTask(id, 'incident-close')
    const stopped = (await iso.get(`/api/incidents/${id}`)).body.deadlines
    expect(stopped.map((d: { status: string }) => d.status)).toEqual(['stopped', 'stopped'])
    expect(stopped[0].stoppedReason).toBe('Single workstation, no service affected')
    await t.stack.clock.advance(30 * HOUR)
    await signInAll()
    const res = await iso.post(`/api/incidents/${id}/classification`, { significant: true })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.deadlines.find((d: { kind: string }) => d.kind === 'nis2-early-warning')).toMatchObject({
      status: 'overdue',
    })
    const ew = await openTask(id, 'incident-nis2-early-warning')
    expect(Date.parse(ew.data.dueAt!)).toBeLessThan(now().getTime())
    await t.eventually(async () =>
      (await outbox()).some((n) => n.ref?.id.startsWith(`${id}/`) && n.kind === 'escalation'),
    )
    // And back: not significant stops the open report tasks.
    const back = await iso.post(`/api/incidents/${id}/classification`, {
      significant: false,
      reason: 'Forensics: no impact after all',
    })
    expect(back.status).toBe(200)
    await t.eventually(async () => !(await openKinds(id)).some((k) => k.startsWith('incident-nis2')))
  })

  it('still ongoing after a month: a progress report, then the final report one month after closing', async () => {
    const id = await report()
    await triage(id, SIGNIFICANT)
    await sendReport(id, 'nis2-early-warning')
    await sendReport(id, 'nis2-notification')
    const month = await openTask(id, 'incident-nis2-final-report')
    await t.stack.clock.advance(Date.parse(month.data.dueAt!) - now().getTime() - HOUR)
    await signInAll()
    await complete(month.id, {
      draft: 'Progress: restore 80 % done',
      channel: 'bsi-portal',
      reportType: 'progress',
    })
    await t.eventually(async () => (await deadline(id, 'nis2-progress-report'))?.status === 'done')
    const close = await openTask(id, 'incident-close')
    const closed = await iso.post(`/api/incidents/${id}/close`, {
      lessonsLearned: 'Offline backups saved us; MFA on VPN now.',
    })
    expect(closed.status, JSON.stringify(closed.body)).toBe(200)
    expect((await t.stack.deps.taskStore.require('nordlicht', close.id)).data.status).toBe('completed')
    const final = await openTask(id, 'incident-nis2-final-report')
    const closedAt = (await stored(id)).closedAt!
    expect(final.data.dueAt).toBe((await deadline(id, 'nis2-final-report')).dueAt)
    expect(Date.parse(final.data.dueAt!)).toBeGreaterThan(Date.parse(closedAt) + 27 * 24 * HOUR)
    await sendReport(id, 'nis2-final-report')
    const exec = (await stored(id)).execution!.arn
    await t.eventually(async () => (await t.stack.deps.workflows.describe(exec)).status === 'SUCCEEDED')
    // A sent report is never unsent: a correction is a new entry.
    const first = (await stored(id)).reports[0]
    const corr = await iso.post(`/api/incidents/${id}/corrections`, {
      correctionOf: first.id,
      sentAt: now().toISOString(),
      channel: 'bsi-portal',
      note: 'Corrected the number of affected systems.',
    })
    expect(corr.status).toBe(201)
    expect(corr.body.reports).toHaveLength((await stored(id)).reports.length)
    expect(corr.body.reports[0]).toEqual(first)
  })

  it('DORA financial entity: initial 4 h after classification as major, then intermediate and final', async () => {
    const id = await report()
    await org().mutate<IncidentData>(
      INCIDENT,
      id,
      (d) => ({ ...d, regime: { ...d.regime, doraFinancialEntity: true } }),
      { actor: { userId: 'test' } },
    )
    await triage(id, SIGNIFICANT)
    const initial = await openTask(id, 'incident-dora-initial')
    const classifiedAt = (await stored(id)).classification.classifiedAt!
    expect(initial.data.dueAt).toBe(new Date(Date.parse(classifiedAt) + 4 * HOUR).toISOString())
    expect(await openKinds(id)).toEqual(['incident-dora-initial'])
    await sendReport(id, 'dora-initial')
    const inter = await openTask(id, 'incident-dora-intermediate')
    const sentAt = (await deadline(id, 'dora-initial')).doneAt
    expect(inter.data.dueAt).toBe(new Date(Date.parse(sentAt) + 72 * HOUR).toISOString())
    await sendReport(id, 'dora-intermediate')
    await openTask(id, 'incident-dora-final')
  })

  it('the register: one page by the index, filters and CSV; members see only their own', async () => {
    const all = await iso.get('/api/incidents')
    expect(all.status).toBe(200)
    expect(all.body.items.length).toBeGreaterThan(3)
    const sig = await iso.get('/api/incidents?significant=true&open=true')
    expect(
      sig.body.items.every(
        (r: { significant: boolean; status: string }) => r.significant && r.status !== 'closed',
      ),
    ).toBe(true)
    const year = now().getUTCFullYear()
    expect((await iso.get(`/api/incidents?year=${year - 5}`)).body.items).toEqual([])
    expect((await iso.get('/api/incidents?year=abc')).body.error.fields.year).toBeDefined()
    const csv = await iso.call('GET', '/api/incidents/export.csv?lang=de')
    expect(csv.status).toBe(200)
    expect(String(csv.body)).toContain('Erheblich')
    // The ISO's own incident is not the member's.
    const own = await report({}, iso)
    expect((await member.get(`/api/incidents/${own}`)).status).toBe(404)
    expect((await member.get('/api/incidents')).body.items.map((r: { id: string }) => r.id)).not.toContain(
      own,
    )
  })
})
