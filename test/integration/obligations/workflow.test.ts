import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashPassword } from '../../../functions/api/auth/password.js'
import { DECISION_RECORD, type DecisionRecord } from '../../../functions/domain/assessments/index.js'
import { isOpen } from '../../../functions/domain/tasks.js'
import type { TaskRecord } from '../../../functions/store/tasks.js'
import { DEMO_PASSWORD, MINIMAL_SEED } from '../../../infra/local/seed/index.js'
import { obligations } from '../../../infra/local/seed/steps/obligations.js'
import { type Client, startTestStack } from '../../support/stack.js'

const DAY = 86_400_000

/** Hafenstadt's answers: a courier (Annex II) with a holding; it says its IT runs independently. */
const HAFENSTADT_ANSWERS = {
  sectors: ['postal'],
  actPostal: ['postal.courier'],
  hasNegligible: 'no',
  employees: 140,
  annualTurnover: 32_000_000,
  balanceSheet: 21_000_000,
  linkedExists: 'yes',
  linkedCount: 1,
  linked1Name: 'Hafenstadt Holding SE',
  linked1Employees: 2600,
  linked1Turnover: 480_000_000,
  linked1Balance: 350_000_000,
  partnerExists: 'no',
  itIndependent: 'yes',
  publicAdministration: 'no',
  personsProcessing: 12,
  otherPublicBody: 'no',
  monitoring: 'no',
  specialCategories: 'no',
  dpia: 'no',
  commercialTransfer: 'no',
  automotiveBusiness: 'no',
}

describe('obligation assessment workflow on the local engine', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let isoN: Client
  let auditorN: Client
  let isoH: Client
  let mgmtH: Client
  let memberH: Client
  let firstId: string

  const tasksOf = (orgId: string) => t.stack.deps.taskStore.list(orgId)
  /** The open task of a kind in an organisation that matches, once the engine created it. */
  const openTask = (orgId: string, kind: string, match: (x: TaskRecord) => boolean = () => true) =>
    t.eventually(async () =>
      (await tasksOf(orgId)).find((x) => x.data.kind === kind && isOpen(x.data) && match(x)),
    )
  const complete = (who: Client, taskId: string, answers: Record<string, unknown>) =>
    who.post(`/api/tasks/${taskId}/complete`, { answers })
  const record = (orgId: string, id: string) =>
    t.stack.deps.records.forOrg(orgId).get<DecisionRecord>(DECISION_RECORD, id)

  const signInAll = async () => {
    ;[isoN, auditorN, isoH, mgmtH, memberH] = await Promise.all([
      t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht'),
      t.signIn('auditor@demo.ismsflow.test'),
      t.signIn('iso@demo.ismsflow.test', undefined, 'hafenstadt'),
      t.signIn('hanne@hafenstadt.ismsflow.test'),
      t.signIn('member@hafenstadt.ismsflow.test'),
    ])
  }

  beforeAll(async () => {
    // The demo organisations and Nordlicht's obligations (the subject here), none of the demo's
    // other workflows: the jump of eleven months fires only this feature's timers.
    t = await startTestStack({ seedSteps: [...MINIMAL_SEED, obligations] })
    await t.stack.deps.identity.createUser({
      id: 'test-hafen-management',
      email: 'hanne@hafenstadt.ismsflow.test',
      name: 'Hanne Voss',
      passwordHash: await hashPassword(DEMO_PASSWORD),
    })
    await t.stack.deps.identity.addMembership({
      userId: 'test-hafen-management',
      orgId: 'hafenstadt',
      roles: ['management'],
    })
    await signInAll()
  })
  afterAll(async () => t?.close())

  it('demo: Nordlicht has last year’s decision with its follow-ups, and this year’s re-assessment open pre-filled', async () => {
    const q = await openTask('nordlicht', 'obligation-questionnaire')
    const list = await isoN.get('/api/assessments')
    expect(list.status).toBe(200)
    expect(list.body.items).toHaveLength(1)
    const last = list.body.items[0]
    expect(last).toMatchObject({
      sequence: 1,
      current: true,
      outcome: {
        nis2: { category: 'important', de: 'wichtige Einrichtung' },
        dpo: true,
        tisax: { level: 'AL3' },
      },
      followUps: { total: 5, open: 2, done: 3 },
    })
    expect(Date.parse(last.decidedAt)).toBeLessThan(t.stack.clock.nowMs() - 300 * DAY)
    expect(list.body.inProgress).toMatchObject([{ stage: 'obligation-questionnaire', taskId: q.id }])
    expect(q.data.candidateRole).toBe('iso')
    expect(q.data.prefill).toMatchObject({ employees: 182, autoConfidentiality: 'strictly-confidential' })
    expect(q.data.context.previous).toMatchObject({ id: last.id, sequence: 1 })
    const followUps = (await tasksOf('nordlicht')).filter(
      (x) => x.data.kind === 'obligation-follow-up' && isOpen(x.data),
    )
    expect(followUps.map((x) => (x.data.context.followUp as { id: string }).id).sort()).toEqual([
      'risk-measures',
      'tisax-assessment',
    ])
    const detail = await auditorN.get(`/api/assessments/${last.id}`)
    expect(detail.status).toBe(200)
    expect(detail.body.decision.nis2.reasons.length).toBeGreaterThan(0)
    expect(detail.body.acknowledgement).toMatchObject({ typedName: 'Martin Brandt' })
    expect(detail.body.openTasks).toHaveLength(2)
  })

  it('bad input: unknown fields, roles, a second assessment while one runs, a missing diff side', async () => {
    const unknown = await isoH.post('/api/assessments', { colour: 'blue' })
    expect(unknown.status).toBe(400)
    expect(unknown.body.error.fields).toHaveProperty('colour')
    const assignee = await isoH.post('/api/assessments', { assigneeUserId: 'test-hafen-management' })
    expect(assignee.status).toBe(400)
    expect(assignee.body.error.fields).toHaveProperty('assigneeUserId')
    expect((await auditorN.post('/api/assessments', {})).status).toBe(403)
    const busy = await isoN.post('/api/assessments', {})
    expect(busy.status).toBe(409)
    const diff = await isoN.get('/api/assessments/diff?a=x')
    expect(diff.status).toBe(400)
    expect(diff.body.error.fields).toHaveProperty('b')
    expect((await isoN.get('/api/assessments/no-such-decision')).status).toBe(404)
    // Nothing was started in Hafenstadt by the refused requests.
    expect((await tasksOf('hafenstadt')).some((x) => x.data.kind.startsWith('obligation'))).toBe(false)
  })

  it('cross-tenant: another organisation’s decision is 404 and starts nothing', async () => {
    const nordlichtId = (await isoN.get('/api/assessments')).body.items[0].id
    expect((await memberH.get(`/api/assessments/${nordlichtId}`)).status).toBe(404)
    expect((await isoH.get(`/api/assessments/diff?a=${nordlichtId}&b=${nordlichtId}`)).status).toBe(404)
    const start = await isoH.post('/api/assessments', { previousDecisionId: nordlichtId })
    expect(start.status).toBe(404)
    expect((await tasksOf('hafenstadt')).some((x) => x.data.kind.startsWith('obligation'))).toBe(false)
    expect((await isoH.get('/api/assessments')).body.items).toEqual([])
  })

  it('fill → evaluate → review → acknowledge → record → follow-ups', async () => {
    const started = await isoH.post('/api/assessments', {})
    expect(started.status, JSON.stringify(started.body)).toBe(202)
    expect(started.body.previousDecisionId).toBeNull()
    firstId = started.body.assessmentId

    // Fill: the questionnaire is the ISO's own task.
    const q = await openTask('hafenstadt', 'obligation-questionnaire')
    expect(q.data.assigneeUserId).toBe('demo-iso')
    const filled = await complete(isoH, q.id, HAFENSTADT_ANSWERS)
    expect(filled.status, JSON.stringify(filled.body)).toBe(200)

    // Evaluate: the review shows the decision and the open judgement.
    const review1 = await openTask('hafenstadt', 'obligation-review')
    expect(review1.data.prefill).toEqual({ judgementsOpen: ['it-independence'] })
    expect(review1.data.context.summary).toContain('important entity (wichtige Einrichtung)')
    expect((review1.data.context.decision as { judgements: unknown[] }).judgements).toHaveLength(1)

    // An adjustment without its justification is refused by the form check (nothing continues).
    const noReason = await complete(isoH, review1.id, {
      judgementsOpen: ['it-independence'],
      itIndependenceConfirmed: 'yes',
      judgementNotes: 'Separate tenant.',
      outcome: 'adjust',
      adjustments: ['dpo'],
      adjustDpo: 'yes',
    })
    expect(noReason.status).toBe(400)
    expect(noReason.body.error.fields).toHaveProperty(['answers.justification'])

    // Leaving the judgement unresolved (a tampered carrier) is refused by the step: the review opens again.
    const skipped = await complete(isoH, review1.id, { judgementsOpen: ['none'], outcome: 'confirm' })
    expect(skipped.status).toBe(200)
    const review2 = await openTask('hafenstadt', 'obligation-review', (x) => x.id !== review1.id)
    expect(review2.data.context.refusal).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'itIndependenceConfirmed' })]),
    )

    // Review: the IT is not independent (group figures count) and the DPO is adjusted with a justification.
    const justification = 'The works council agreement requires a DPO for the telematics data of drivers.'
    const reviewComment = 'Please register with the BSI this quarter.'
    const reviewed = await complete(isoH, review2.id, {
      judgementsOpen: ['it-independence'],
      itIndependenceConfirmed: 'no',
      judgementNotes: 'Shared Active Directory and network with the holding.',
      outcome: 'adjust',
      adjustments: ['dpo'],
      adjustDpo: 'yes',
      justification,
      comment: reviewComment,
    })
    expect(reviewed.status, JSON.stringify(reviewed.body)).toBe(200)

    // Acknowledge: management signs with a typed name.
    const ack = await openTask('hafenstadt', 'obligation-acknowledgement')
    expect(ack.data.candidateRole).toBe('management')
    expect(ack.data.context.adjustments).toMatchObject([{ conclusion: 'dpo', to: 'true', source: 'iso' }])
    expect(
      (
        await complete(isoH, ack.id, {
          acknowledgement: { name: 'Ines Sommer', at: new Date().toISOString() },
        })
      ).status,
    ).toBe(403)
    // Management reads the ISO's note for management before signing.
    expect((ack.data.context.review as { comment?: unknown }).comment).toBe(reviewComment)
    // Someone else's name is refused at its field, in the person's language.
    const wrongName = await mgmtH.call(
      'POST',
      `/api/tasks/${ack.id}/complete`,
      { answers: { acknowledgement: { name: 'Someone Else', at: new Date().toISOString() } } },
      { 'accept-language': 'de-DE' },
    )
    expect(wrongName.status).toBe(400)
    expect(wrongName.body.error.fields).toEqual({
      'answers.acknowledgement': 'Geben Sie Ihren eigenen Namen so ein, wie er in ismsflow steht: Hanne Voss',
    })
    const signed = await complete(mgmtH, ack.id, {
      acknowledgement: { name: 'Hanne Voss', at: new Date().toISOString() },
      comment: 'Registration this quarter, please.',
    })
    expect(signed.status, JSON.stringify(signed.body)).toBe(200)

    // Record: a dated, versioned decision with inputs, reasons, adjustments and signatures.
    const rec = await t.eventually(() => record('hafenstadt', firstId))
    const d = rec.data
    expect(d).toMatchObject({
      sequence: 1,
      previousDecisionId: null,
      inputs: { answers: { linked1Name: 'Hafenstadt Holding SE' }, filledBy: { userId: 'demo-iso' } },
      profile: { itIndependentOfGroup: true },
      judgements: [{ id: 'it-independence', resolution: 'rejected' }],
      adjustments: [{ conclusion: 'dpo', from: 'false', to: 'true', source: 'iso', justification }],
      review: { outcome: 'adjust', justification, by: { userId: 'demo-iso' } },
      acknowledgement: {
        typedName: 'Hanne Voss',
        comment: 'Registration this quarter, please.',
        by: { userId: 'test-hafen-management' },
      },
      outcome: { nis2: { category: 'important' }, dpo: true, tisax: { relevant: false } },
    })
    expect(d.evaluated.dpo.required).toBe(false)
    expect(d.decision.dpo.reasons[0]!.text.en).toContain(justification)
    expect(d.decision.size.groupFiguresAdded).toBe(true)
    expect(d.decision.judgements).toEqual([])
    expect(d.decidedAt).toBe(d.acknowledgement.by.at)
    const months = (iso: string) => {
      const x = new Date(iso)
      return x.getUTCFullYear() * 12 + x.getUTCMonth()
    }
    expect(months(d.reassessAt) - months(d.decidedAt)).toBe(11)
    // The registration with the BSI is its own workflow's (below), not a second follow-up task.
    expect(d.followUps.map((f) => f.id)).not.toContain('bsi-registration')
    expect(d.followUps.map((f) => f.id)).not.toContain('registration-extra-data')
    expect(d.followUps.map((f) => f.id)).toEqual(
      expect.arrayContaining(['incident-reporting', 'management-duties', 'risk-measures', 'dpo-appointment']),
    )

    // Follow-ups: one task per duty, due from the decision.
    const followUps = await t.eventually(async () => {
      const open = (await tasksOf('hafenstadt')).filter(
        (x) => x.data.kind === 'obligation-follow-up' && isOpen(x.data),
      )
      return open.length === d.followUps.length ? open : undefined
    })
    expect(followUps.some((x) => /Register with the BSI/.test(x.data.title.en))).toBe(false)
    // The one task to register: the bsi-registration workflow's, due three months after the decision.
    const regTask = await t.eventually(async () =>
      (await tasksOf('hafenstadt')).find((x) => x.data.kind === 'bsi-registration' && isOpen(x.data)),
    )
    expect(regTask.data.candidateRole).toBe('iso')
    expect(months(regTask.data.dueAt ?? '') - months(d.decidedAt)).toBe(3)
    const training = followUps.find(
      (x) => (x.data.context.followUp as { id: string }).id === 'management-duties',
    )!
    expect(training.data.candidateRole).toBe('management')
    const reporting = followUps.find(
      (x) => (x.data.context.followUp as { id: string }).id === 'incident-reporting',
    )!
    expect(
      (
        await complete(isoH, reporting.id, {
          outcome: 'done',
          note: 'Procedure PR-07 with 24 h / 72 h / 1 month.',
        })
      ).status,
    ).toBe(200)
    const updated = await t.eventually(async () => {
      const r = await record('hafenstadt', firstId)
      return r?.data.followUps.find((f) => f.id === 'incident-reporting')?.status === 'done' ? r : undefined
    })
    expect(updated.version).toBeGreaterThan(rec.version)
    expect(updated.data.followUps.find((f) => f.id === 'incident-reporting')!.completed).toMatchObject({
      userId: 'demo-iso',
      note: 'Procedure PR-07 with 24 h / 72 h / 1 month.',
    })

    // History and cross-tenant reads.
    const list = await memberH.get('/api/assessments')
    expect(list.body.items).toMatchObject([{ id: firstId, sequence: 1, current: true, adjustments: 1 }])
    expect((await isoN.get(`/api/assessments/${firstId}`)).status).toBe(404)
    const nordlichtId = (await isoN.get('/api/assessments')).body.items[0].id
    expect((await isoN.get(`/api/assessments/diff?a=${nordlichtId}&b=${firstId}`)).status).toBe(404)
  })

  it('11 months later the next assessment opens pre-filled; overdue duties went to management; the diff shows what changed', async () => {
    const before = await record('hafenstadt', firstId)
    expect(before).toBeDefined()
    await t.stack.clock.advance(
      before!.data.reassessAt ? Date.parse(before!.data.reassessAt) - t.stack.clock.nowMs() + DAY : 0,
    )
    await signInAll()

    const next = await openTask('hafenstadt', 'obligation-questionnaire')
    expect(next.data.workflow.executionArn).not.toContain(firstId)
    expect(next.data.context.previous).toMatchObject({ id: firstId, sequence: 1 })
    expect(next.data.prefill).toMatchObject({ linked1Name: 'Hafenstadt Holding SE', employees: 140 })
    expect(next.data.candidateRole).toBe('iso')

    // Management's training and supervision (§38) was due after 3 months and not done: escalated to management.
    const escalation = await openTask(
      'hafenstadt',
      'obligation-follow-up-escalation',
      (x) => (x.data.context.followUp as { id: string }).id === 'management-duties',
    )
    expect(escalation.data).toMatchObject({ candidateRole: 'management', priority: 8 })
    const noted = await t.eventually(async () => {
      const r = await record('hafenstadt', firstId)
      return r?.data.followUps.find((f) => f.id === 'management-duties')?.escalatedAt ? r : undefined
    })
    expect(noted.data.followUps.find((f) => f.id === 'incident-reporting')!.escalatedAt).toBeUndefined()

    // Re-assess with changed facts: more staff, IT now shared with the holding.
    const answers = { ...(next.data.prefill as Record<string, unknown>), employees: 265, itIndependent: 'no' }
    expect((await complete(isoH, next.id, answers)).status).toBe(200)
    const review = await openTask('hafenstadt', 'obligation-review')
    expect(review.data.prefill).toEqual({ judgementsOpen: ['none'] })
    const changes = review.data.context.changes as { facts: { field: string; from: unknown; to: unknown }[] }
    expect(changes.facts).toEqual(
      expect.arrayContaining([
        { field: 'employees', from: 140, to: 265 },
        { field: 'itIndependentOfGroup', from: true, to: false },
      ]),
    )
    expect((await complete(isoH, review.id, { judgementsOpen: ['none'], outcome: 'confirm' })).status).toBe(
      200,
    )
    const ack = await openTask('hafenstadt', 'obligation-acknowledgement')
    expect(
      (
        await complete(mgmtH, ack.id, {
          acknowledgement: { name: 'Hanne Voss', at: new Date().toISOString() },
        })
      ).status,
    ).toBe(200)

    const list = await t.eventually(async () => {
      const l = await isoH.get('/api/assessments')
      return l.body.items.length === 2 && l.body.items[1].supersededBy ? l : undefined
    })
    const [second, first] = list.body.items
    expect(second).toMatchObject({ sequence: 2, previousDecisionId: firstId, current: true })
    expect(first).toMatchObject({ id: firstId, supersededBy: second.id, current: false })
    const secondRec = (await record('hafenstadt', second.id))!.data
    // Done follow-ups are carried over, open ones are not opened twice.
    expect(secondRec.followUps.find((f) => f.id === 'incident-reporting')).toMatchObject({
      status: 'done',
      carriedFrom: firstId,
    })
    expect(secondRec.followUps.find((f) => f.id === 'management-duties')).toMatchObject({
      status: 'open',
      carriedFrom: firstId,
    })

    const diff = await isoH.get(`/api/assessments/diff?a=${firstId}&b=${second.id}`)
    expect(diff.status).toBe(200)
    expect(diff.body.a).toMatchObject({ id: firstId, sequence: 1 })
    expect(diff.body.diff.facts).toEqual(expect.arrayContaining([{ field: 'employees', from: 140, to: 265 }]))
    // The DPO was an adjustment last time; this time the rules decide (12 people): not required.
    expect(diff.body.diff.conclusions.find((c: { id: string }) => c.id === 'dpo')).toMatchObject({
      changed: true,
      from: { en: 'required' },
      to: { en: 'not required' },
    })
    expect(diff.body.diff.duties.removed.map((x: { id: string }) => x.id)).toEqual([])
  })
})
