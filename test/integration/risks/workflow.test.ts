import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashPassword } from '../../../functions/api/auth/password.js'
import { addDays, addMonths, toIsoDate } from '../../../functions/domain/risk/index.js'
import { isOpen } from '../../../functions/domain/tasks.js'
import { RISK, type RiskData } from '../../../functions/store/risk-register.js'
import { DEMO_PASSWORD, MINIMAL_SEED } from '../../../infra/local/seed/index.js'
import { workflowMoving } from '../../../web/src/pages/risks/risk-logic.js'
import { type Client, startTestStack } from '../../support/stack.js'

const DAY = 86_400_000

describe('risk treatment workflow on the local engine', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let mgmt: Client
  let member: Client
  /** ISO and management at once: submits, so may not decide. */
  let dora: Client
  let isoHafenstadt: Client

  const today = () => toIsoDate(t.stack.clock.now())
  const org = () => t.stack.deps.records.forOrg('nordlicht')
  const stored = async (id: string) => (await org().require<RiskData>(RISK, id)).data

  /** The open task of a kind for a risk, once the engine created it. */
  const openTask = (riskId: string, kind: string) =>
    t.eventually(async () =>
      (await t.stack.deps.taskStore.list('nordlicht')).find(
        (x) => x.data.subject?.id === riskId && x.data.kind === kind && isOpen(x.data),
      ),
    )
  const noOpenTask = async (riskId: string, kind: string) =>
    !(await t.stack.deps.taskStore.list('nordlicht')).some(
      (x) => x.data.subject?.id === riskId && x.data.kind === kind && isOpen(x.data),
    )

  const createRisk = async (over: Record<string, unknown> = {}) => {
    const res = await iso.post('/api/risks', {
      title: 'Credential stuffing against the supplier portal',
      description: 'Attackers reuse leaked passwords to log in as suppliers and change bank details.',
      category: 'supplier',
      assets: ['Supplier portal'],
      threat: 'Credential stuffing',
      vulnerability: 'Password-only sign-in',
      ownerId: 'demo-management',
      likelihood: 4,
      impact: 4,
      ...over,
    })
    expect(res.status).toBe(201)
    return res.body.risk.id as string
  }
  const putPlan = async (id: string, plan: Record<string, unknown>, who = iso) => {
    const version = (await who.get(`/api/risks/${id}`)).body.risk.version
    const res = await who.call('PUT', `/api/risks/${id}/plan`, { expectedVersion: version, ...plan })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return res.body
  }
  const submit = async (id: string, who = iso) => {
    const version = (await who.get(`/api/risks/${id}`)).body.risk.version
    return who.post(`/api/risks/${id}/submit`, { expectedVersion: version })
  }
  const mitigation = (
    measures: { id: string; ownerId?: string; dueDate?: string; description?: string }[],
    over = {},
  ) => ({
    option: 'mitigate',
    targetLikelihood: 2,
    targetImpact: 4,
    justification: 'MFA stops reused passwords.',
    measures: measures.map((m) => ({
      description: `Measure ${m.id}`,
      ownerId: 'demo-member',
      dueDate: addDays(today(), 60),
      ...m,
    })),
    ...over,
  })
  const decide = (who: Client, id: string, taskId: string, outcome: string, comment?: string) =>
    who.post(`/api/risks/${id}/decision`, { taskId, outcome, ...(comment ? { comment } : {}) })

  /** Sessions end after a few hours: after a jump in time, people sign in again. */
  const signInAgain = async () => {
    ;[iso, mgmt, member] = await Promise.all([
      t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht'),
      t.signIn('management@demo.ismsflow.test'),
      t.signIn('member@demo.ismsflow.test'),
    ])
  }

  beforeAll(async () => {
    t = await startTestStack({ seedSteps: MINIMAL_SEED })
    await t.stack.deps.identity.createUser({
      id: 'test-dora',
      email: 'dora@demo.ismsflow.test',
      name: 'Dora Lang',
      passwordHash: await hashPassword(DEMO_PASSWORD),
    })
    await t.stack.deps.identity.addMembership({
      userId: 'test-dora',
      orgId: 'nordlicht',
      roles: ['iso', 'management'],
    })
    ;[iso, mgmt, member, dora, isoHafenstadt] = await Promise.all([
      t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht'),
      t.signIn('management@demo.ismsflow.test'),
      t.signIn('member@demo.ismsflow.test'),
      t.signIn('dora@demo.ismsflow.test'),
      t.signIn('iso@demo.ismsflow.test', undefined, 'hafenstadt'),
    ])
  })
  afterAll(async () => t?.close())

  it('four-eyes: whoever submitted may not decide, by either path; nothing is written', async () => {
    const id = await createRisk()
    await putPlan(id, mitigation([{ id: 'mfa' }]))
    const started = await submit(id, dora)
    expect(started.status).toBe(202)
    const task = await openTask(id, 'risk-approval')
    expect(task.data).toMatchObject({
      requestedBy: 'test-dora',
      excludedUserIds: ['test-dora'],
      candidateRole: 'management',
    })
    const before = await org().require<RiskData>(RISK, id)
    const own = await decide(dora, id, task.id, 'approve')
    expect(own.status).toBe(403)
    expect(own.body.error).toMatchObject({ code: 'forbidden', fields: { taskId: 'four_eyes_requester' } })
    const generic = await dora.post(`/api/tasks/${task.id}/complete`, {
      answers: { decision: { outcome: 'approve' } },
    })
    expect(generic.status).toBe(403)
    expect((await org().require<RiskData>(RISK, id)).version).toBe(before.version)
    expect((await t.stack.deps.taskStore.require('nordlicht', task.id)).data.status).toBe('open')
    // Someone else may.
    expect((await decide(mgmt, id, task.id, 'approve', 'Go ahead.')).status).toBe(200)
    await openTask(id, 'risk-measure')
    expect((await stored(id)).decisions).toMatchObject([
      { outcome: 'approve', by: 'demo-management', status: 'recorded' },
    ])
  })

  it('outdated snapshot: a decision on a risk changed since submission is refused (409 by the API, by the step otherwise)', async () => {
    const id = await createRisk({ title: 'Unpatched ERP application server' })
    await putPlan(id, mitigation([{ id: 'patch' }]))
    expect((await submit(id)).status).toBe(202)
    const task = await openTask(id, 'risk-approval')
    const frozenHash = task.data.context.hash
    // The ISO edits the plan after submitting: the pending snapshot is outdated.
    await putPlan(
      id,
      mitigation([{ id: 'patch' }], { justification: 'Monthly patch window agreed with production.' }),
    )
    const view = await mgmt.get(`/api/risks/${id}`)
    expect(view.body.pendingOutdated).toBe(true)
    expect(view.body.currentHash).not.toBe(frozenHash)
    const before = await org().require<RiskData>(RISK, id)
    const res = await decide(mgmt, id, task.id, 'approve')
    expect(res.status).toBe(409)
    expect(res.body.error.message).toContain('Outdated snapshot')
    expect(res.body.error.fields).toEqual({ snapshot: 'outdated_snapshot' })
    expect((await org().require<RiskData>(RISK, id)).version).toBe(before.version)
    // Through the generic task page the decision reaches the workflow, whose step refuses it.
    expect(
      (await mgmt.post(`/api/tasks/${task.id}/complete`, { answers: { decision: { outcome: 'approve' } } }))
        .status,
    ).toBe(200)
    const revision = await openTask(id, 'risk-revision')
    expect(revision.data.context).toMatchObject({ code: 'outdated_snapshot', status: 'refused' })
    const data = await stored(id)
    expect(data.decisions).toMatchObject([
      { status: 'refused', code: 'outdated_snapshot', outcome: 'approve' },
    ])
    expect(data.rounds).toMatchObject([{ round: 1, status: 'outdated' }])
    expect(data.approval).toBeUndefined()
    // Resubmission: round 2 shows what changed since round 1.
    expect((await submit(id)).status).toBe(202)
    const second = await openTask(id, 'risk-approval')
    expect(second.data.context).toMatchObject({ round: 2, reason: 'resubmission' })
    expect((second.data.context.changes as { path: string }[]).map((c) => c.path)).toEqual([
      'plan.justification',
    ])
    expect((await decide(mgmt, id, second.id, 'approve', 'Fine now.')).status).toBe(200)
    await t.eventually(async () => (await stored(id)).status === 'approved')
  })

  it('accept above the appetite without the right is refused; with the right it is accepted', async () => {
    const id = await createRisk({
      title: 'Loss of CAD data of OEM prototypes',
      likelihood: 3,
      impact: 4,
      category: 'information-security',
    })
    await putPlan(id, {
      option: 'accept',
      targetLikelihood: 3,
      targetImpact: 4,
      justification: 'Encryption project starts next year.',
      measures: [],
    })
    expect((await submit(id)).status).toBe(202)
    const task = await openTask(id, 'risk-approval')
    expect(task.data.context.appetite).toEqual({ maxAcceptableLevel: 'medium', targetWithinAppetite: false })
    const before = await org().require<RiskData>(RISK, id)
    const res = await decide(mgmt, id, task.id, 'approve')
    expect(res.status).toBe(403)
    expect(res.body.error.fields).toEqual({ outcome: 'above_appetite' })
    expect(res.body.error.message).toContain('above the risk appetite')
    expect((await org().require<RiskData>(RISK, id)).version).toBe(before.version)
    // The generic path: the step refuses and puts the decision before management again, with the reason.
    expect(
      (await mgmt.post(`/api/tasks/${task.id}/complete`, { answers: { decision: { outcome: 'approve' } } }))
        .status,
    ).toBe(200)
    const again = await t.eventually(async () => {
      const x = await openTask(id, 'risk-approval')
      return x.id !== task.id && x
    })
    expect(again.data.context.refusal).toMatchObject({ status: 'refused', code: 'above_appetite' })
    expect((await stored(id)).decisions).toMatchObject([{ status: 'refused', code: 'above_appetite' }])
    expect((await stored(id)).status).toBe('in-approval')
    // The ISO grants the right; the same decision is now recorded.
    const settings = (await iso.get('/api/risks/settings')).body
    const put = await iso.call('PUT', '/api/risks/settings', {
      expectedVersion: settings.version,
      matrix: settings.matrix,
      appetite: settings.appetite,
      acceptAboveAppetite: ['demo-management'],
    })
    expect(put.status).toBe(200)
    expect(
      (await decide(mgmt, id, again.id, 'approve', 'Accepted until the encryption project.')).status,
    ).toBe(200)
    const data = await t.eventually(async () => {
      const d = await stored(id)
      return d.status === 'accepted' && d
    })
    expect(data.acceptance).toMatchObject({
      decidedOn: today(),
      expiresOn: addMonths(today(), 12),
      status: 'active',
      by: 'demo-management',
    })
    // Reset for the other tests.
    const now = (await iso.get('/api/risks/settings')).body
    await iso.call('PUT', '/api/risks/settings', {
      expectedVersion: now.version,
      matrix: now.matrix,
      appetite: now.appetite,
      acceptAboveAppetite: [],
    })
  })

  it('changes requested twice, then approved: numbered rounds, measures done by their owners, verified, treated', async () => {
    const id = await createRisk({
      title: 'Phishing leads to mailbox takeover',
      likelihood: 4,
      impact: 3,
      category: 'cyber',
    })
    await putPlan(
      id,
      mitigation([{ id: 'awareness', description: 'Phishing awareness training for all staff' }], {
        targetLikelihood: 2,
        targetImpact: 3,
      }),
    )
    expect((await submit(id)).status).toBe(202)
    const r1 = await openTask(id, 'risk-approval')
    expect(r1.data.context).toMatchObject({
      round: 1,
      reason: 'submission',
      changes: [],
      previousRound: null,
    })
    expect((await decide(mgmt, id, r1.id, 'request-changes')).status).toBe(400) // a comment is required
    expect(
      (await decide(mgmt, id, r1.id, 'request-changes', 'Add MFA, training alone is not enough.')).status,
    ).toBe(200)
    const rev1 = await openTask(id, 'risk-revision')
    expect(rev1.data.context).toMatchObject({
      status: 'changes-requested',
      comment: 'Add MFA, training alone is not enough.',
    })
    expect((await stored(id)).status).toBe('treatment-planned')
    // A second submit while the plan waits for the ISO continues the same execution as round 2.
    await putPlan(
      id,
      mitigation(
        [
          { id: 'awareness', description: 'Phishing awareness training for all staff' },
          { id: 'mfa', description: 'MFA for Microsoft 365', ownerId: 'demo-iso' },
        ],
        { targetLikelihood: 2, targetImpact: 3 },
      ),
    )
    const again = await submit(id)
    expect(again.body).toMatchObject({ resubmitted: true, executionArn: rev1.data.workflow.executionArn })
    const r2 = await openTask(id, 'risk-approval')
    expect(r2.data.context.round).toBe(2)
    expect(
      (r2.data.context.changes as { path: string; kind: string }[]).map((c) => `${c.kind} ${c.path}`),
    ).toEqual(['added plan.measures.mfa'])
    expect(r2.data.context.previousRound).toMatchObject({
      round: 1,
      status: 'changes-requested',
      decision: { comment: 'Add MFA, training alone is not enough.' },
    })
    expect(
      (await decide(mgmt, id, r2.id, 'request-changes', 'Give the MFA rollout a cost estimate.')).status,
    ).toBe(200)
    await openTask(id, 'risk-revision')
    await putPlan(
      id,
      mitigation(
        [
          { id: 'awareness', description: 'Phishing awareness training for all staff' },
          { id: 'mfa', description: 'MFA for Microsoft 365', ownerId: 'demo-iso', costEur: 12000 } as never,
        ],
        { targetLikelihood: 2, targetImpact: 3 },
      ),
    )
    expect((await submit(id)).body.resubmitted).toBe(true)
    const r3 = await openTask(id, 'risk-approval')
    expect(r3.data.context.round).toBe(3)
    expect((r3.data.context.changes as { path: string }[]).map((c) => c.path)).toEqual([
      'plan.measures.mfa.costEur',
    ])
    expect((await decide(mgmt, id, r3.id, 'approve', 'Approved with budget.')).status).toBe(200)

    // One implementation task per measure owner.
    const awareness = await t.eventually(async () => {
      const tasks = (await t.stack.deps.taskStore.list('nordlicht')).filter(
        (x) => x.data.subject?.id === id && x.data.kind === 'risk-measure' && isOpen(x.data),
      )
      return tasks.length === 2 && tasks
    })
    expect(awareness.map((x) => x.data.assigneeUserId).sort()).toEqual(['demo-iso', 'demo-member'])
    const memberTask = awareness.find((x) => x.data.assigneeUserId === 'demo-member')!
    const isoTask = awareness.find((x) => x.data.assigneeUserId === 'demo-iso')!
    expect(memberTask.data.dueAt).toBe(`${addDays(today(), 60)}T23:59:59.000Z`)
    // The member sees the risk and completes their measure; the ISO theirs.
    expect((await member.get(`/api/risks/${id}`)).status).toBe(200)
    expect(
      (
        await member.post(`/api/tasks/${memberTask.id}/complete`, {
          answers: { summary: 'All 180 staff trained, quiz passed.' },
        })
      ).status,
    ).toBe(200)
    expect(
      (
        await iso.post(`/api/tasks/${isoTask.id}/complete`, {
          answers: { summary: 'MFA enforced by conditional access.' },
        })
      ).status,
    ).toBe(200)
    const verify = await openTask(id, 'risk-verification')
    expect(verify.data.prefill).toEqual({ residualLikelihood: 2, residualImpact: 3 })
    // A residual above the inherent value is refused by the step; the task opens again with the problem.
    expect(
      (
        await iso.post(`/api/tasks/${verify.id}/complete`, {
          answers: {
            residualLikelihood: 5,
            residualImpact: 3,
            effectiveness: 'Phishing simulation: 2 % click rate.',
          },
        })
      ).status,
    ).toBe(200)
    const verifyAgain = await t.eventually(async () => {
      const x = await openTask(id, 'risk-verification')
      return x.id !== verify.id && x
    })
    expect(verifyAgain.data.context.problems).toEqual({
      residualLikelihood: 'must not exceed the inherent likelihood (4)',
    })
    expect(
      (
        await iso.post(`/api/tasks/${verifyAgain.id}/complete`, {
          answers: {
            residualLikelihood: 2,
            residualImpact: 3,
            effectiveness: 'Phishing simulation: 2 % click rate.',
          },
        })
      ).status,
    ).toBe(200)
    const done = await t.eventually(async () => {
      const d = await stored(id)
      return d.status === 'treated' && d
    })
    expect(done.rounds.map((r) => [r.round, r.status])).toEqual([
      [1, 'changes-requested'],
      [2, 'changes-requested'],
      [3, 'approved'],
    ])
    expect(done.decisions.map((d) => d.comment)).toEqual([
      'Add MFA, training alone is not enough.',
      'Give the MFA rollout a cost estimate.',
      'Approved with budget.',
    ])
    expect(done.measureProgress).toMatchObject({
      awareness: { status: 'done', completedBy: 'demo-member' },
      mfa: { status: 'done', completedBy: 'demo-iso' },
    })
    expect(done).toMatchObject({ residualLikelihood: 2, residualImpact: 3, verification: { by: 'demo-iso' } })
    const detail = (await iso.get(`/api/risks/${id}`)).body
    expect(detail.row.residual).toMatchObject({ score: 6, level: 'medium' })
    expect(detail.execution).toBeNull()
    expect(detail.history.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining([
        'risk.create',
        'risk.plan',
        'risk.submit',
        'risk.round',
        'risk.decision',
        'risk.measure',
        'risk.verify',
      ]),
    )
  })

  it('the register follows every step of the workflow in its index; the risk page answers the next task or a moving workflow', async () => {
    const id = await createRisk({ title: 'Index follows the workflow', likelihood: 4, impact: 3 })
    /** The risk's row in the register as `who` pages it with `query`, and the page's total. */
    const listed = async (who: Client, query: string) => {
      const res = await who.get(`/api/risks?limit=200&closed=include&${query}`)
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      const rows: { id: string; status: string; residual: { score: number } }[] = res.body.items
      expect(res.body.total).toBe(rows.length)
      return rows.find((r) => r.id === id)
    }
    /** Where the risk stands in the index: in its status's list and in no other, for the ISO and the measure owner. */
    const standsAt = async (status: string, memberSees: boolean) => {
      expect(await listed(iso, `status=${status}`)).toMatchObject({ status })
      for (const other of ['treatment-planned', 'in-approval', 'approved', 'treated'].filter(
        (s) => s !== status,
      ))
        expect(await listed(iso, `status=${other}`)).toBeUndefined()
      expect(Boolean(await listed(member, `status=${status}`))).toBe(memberSees)
    }
    /** The page's invariant: the next task is there, or the workflow is between two steps (the page reads again). */
    const pageShowsNextOrMoving = async (kind: string) => {
      const view = (await iso.get(`/api/risks/${id}`)).body
      const next = view.openTasks.some((x: { kind: string }) => x.kind === kind)
      expect(next || workflowMoving(view), JSON.stringify(view.openTasks)).toBe(true)
    }

    await putPlan(id, mitigation([{ id: 'm1' }], { targetLikelihood: 2, targetImpact: 3 }))
    await standsAt('treatment-planned', true)
    expect((await submit(id)).status).toBe(202)
    await pageShowsNextOrMoving('risk-approval')
    const approval = await openTask(id, 'risk-approval')
    await standsAt('in-approval', true)
    expect((await decide(mgmt, id, approval.id, 'approve')).status).toBe(200)
    await pageShowsNextOrMoving('risk-measure')
    const measure = await openTask(id, 'risk-measure')
    await standsAt('approved', true)
    expect(
      (
        await member.post(`/api/tasks/${measure.id}/complete`, {
          answers: { summary: 'Signed firmware only, checked on every machine.' },
        })
      ).status,
    ).toBe(200)
    // The e2e journey's moment: the measure owner's completion has returned, the verification
    // task is written by the workflow a moment later. The page must not settle on "no task".
    await pageShowsNextOrMoving('risk-verification')
    const verify = await openTask(id, 'risk-verification')
    expect((await iso.get(`/api/risks/${id}`)).body.openTasks).toMatchObject([{ id: verify.id }])
    expect((await iso.post(`/api/tasks/${verify.id}/claim`, {})).status).toBe(200)
    expect(
      (
        await iso.post(`/api/tasks/${verify.id}/complete`, {
          answers: {
            residualLikelihood: 2,
            residualImpact: 3,
            effectiveness: 'Tried an unsigned image: refused and logged.',
          },
        })
      ).status,
    ).toBe(200)
    await t.eventually(async () => (await stored(id)).status === 'treated')
    await standsAt('treated', true)
    // The residual score's sort and the level filter read the new cells, not the ones before.
    expect(await listed(iso, 'status=treated&sort=residual')).toMatchObject({ residual: { score: 6 } })
    expect(await listed(iso, 'view=residual&level=medium')).toBeDefined()
    expect(await listed(iso, 'view=residual&level=high')).toBeUndefined()
    expect(await listed(iso, 'view=inherent&level=high')).toBeDefined()
    // Another organisation's ISO: not in their register, whatever the filter.
    const other = await isoHafenstadt.get('/api/risks?limit=200&closed=include&status=treated')
    expect(other.status).toBe(200)
    expect(other.body.items.map((r: { title: string }) => r.title)).not.toContain(
      'Index follows the workflow',
    )
  })

  it('bad input: another organisation cannot submit or decide on the risk', async () => {
    const id = await createRisk({ title: 'Data centre power failure' })
    await putPlan(id, mitigation([{ id: 'ups' }]))
    expect((await isoHafenstadt.post(`/api/risks/${id}/submit`, { expectedVersion: 2 })).status).toBe(404)
    expect((await stored(id)).rounds).toEqual([])
    expect(await noOpenTask(id, 'risk-approval')).toBe(true)
  })

  it('an overdue measure escalates to the risk owner, then to management', async () => {
    const id = await createRisk({
      title: 'Cloud storage bucket misconfiguration',
      ownerId: 'demo-management',
      category: 'cyber',
    })
    await putPlan(
      id,
      mitigation([{ id: 'scan', description: 'Weekly configuration scan', dueDate: addDays(today(), 2) }]),
    )
    expect((await submit(id)).status).toBe(202)
    const approval = await openTask(id, 'risk-approval')
    expect((await decide(mgmt, id, approval.id, 'approve', 'Do it this week.')).status).toBe(200)
    const measure = await openTask(id, 'risk-measure')
    expect(measure.data.assigneeUserId).toBe('demo-member')
    await t.stack.clock.advance(4 * DAY)
    const toOwner = await openTask(id, 'risk-measure-escalation')
    expect(toOwner.data).toMatchObject({
      assigneeUserId: 'demo-management',
      priority: 8,
      context: { escalated: 'risk-owner' },
    })
    expect(await noOpenTask(id, 'risk-measure')).toBe(true)
    expect((await t.stack.deps.taskStore.require('nordlicht', measure.id)).data.status).toBe('expired')
    expect((await stored(id)).measureProgress.scan).toMatchObject({ status: 'open', escalated: 'risk-owner' })
    await t.stack.clock.advance(8 * DAY)
    const toManagement = await t.eventually(async () => {
      const x = await openTask(id, 'risk-measure-escalation')
      return x.id !== toOwner.id && x
    })
    expect(toManagement.data).toMatchObject({
      candidateRole: 'management',
      priority: 9,
      context: { escalated: 'management' },
    })
    expect((await stored(id)).measureProgress.scan.escalated).toBe('management')
    await signInAgain()
    expect(
      (
        await mgmt.post(`/api/tasks/${toManagement.id}/complete`, {
          answers: { summary: 'Scan set up by the cloud team.' },
        })
      ).status,
    ).toBe(200)
    await openTask(id, 'risk-verification')
    expect((await stored(id)).measureProgress.scan).toMatchObject({
      status: 'done',
      completedBy: 'demo-management',
    })
  })

  it('an acceptance holds for 12 months; eleven months on, the re-approval round opens', async () => {
    const id = await createRisk({
      title: 'Key-person dependency in IT',
      category: 'personnel',
      likelihood: 2,
      impact: 4,
    })
    await putPlan(id, {
      option: 'accept',
      targetLikelihood: 2,
      targetImpact: 4,
      justification: 'A second admin is hired next year.',
      measures: [],
    })
    expect((await submit(id)).status).toBe(202)
    const approval = await openTask(id, 'risk-approval')
    expect(approval.data.context.appetite).toEqual({
      maxAcceptableLevel: 'medium',
      targetWithinAppetite: true,
    })
    expect((await decide(mgmt, id, approval.id, 'approve', 'Accepted for one year.')).status).toBe(200)
    const accepted = await t.eventually(async () => {
      const d = await stored(id)
      return d.status === 'accepted' && d
    })
    const decidedOn = today()
    expect(accepted.acceptance).toMatchObject({
      decidedOn,
      expiresOn: addMonths(decidedOn, 12),
      reapprovalOn: addDays(addMonths(decidedOn, 12), -30),
    })
    await t.stack.clock.advance(300 * DAY)
    await new Promise((r) => setTimeout(r, 300))
    expect(await noOpenTask(id, 'risk-reapproval')).toBe(true)
    // 11 months and a few days after the decision the Wait is over (30 days before expiry).
    const target = Date.parse(`${addDays(addMonths(decidedOn, 11), 3)}T12:00:00Z`)
    await t.stack.clock.advance(target - t.stack.clock.nowMs())
    await signInAgain()
    const reapproval = await openTask(id, 'risk-reapproval')
    expect(reapproval.data.context).toMatchObject({ round: 2, reason: 'reapproval', changes: [] })
    expect(reapproval.data.dueAt).toBe(`${addMonths(decidedOn, 12)}T23:59:59.000Z`)
    expect(reapproval.data.excludedUserIds).toEqual(['demo-iso'])
    const data = await stored(id)
    expect(data.rounds.map((r) => [r.round, r.reason, r.status])).toEqual([
      [1, 'submission', 'accepted'],
      [2, 'reapproval', 'pending'],
    ])
    // The acceptance still holds while the re-approval is pending.
    expect(data.acceptance?.status).toBe('active')
  })
})
