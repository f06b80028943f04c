/**
 * `/api/management-duties`: the management's duties under § 38 BSIG.
 * - Approval of the risk-management measures (§ 38 Abs. 1 BSIG, § 30 BSIG): the ISO asks for
 *   it; the current measure set (every measure of the risk register's plans) is frozen with its
 *   hash and the generic `approval` workflow runs — management decides through the one task
 *   completion path, four-eyes (never the requester). The same set twice asks once.
 * - Training (§ 38 Abs. 3 BSIG): a record per manager (last training, next due date, the
 *   certificate as an evidence file), written by the ISO or the manager; the hourly reminder
 *   sweep reminds the manager before it is due.
 * The ISO, management and auditors read; members do not. Each organisation sees only its own.
 */
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { conflict, forbidden, notFound, validationError } from '../../domain/errors.js'
import {
  MANAGEMENT_TRAINING,
  MEASURE_APPROVAL,
  type MeasureApprovalData,
  measureApprovalTitle,
  measureSet,
  measureSetHash,
  nextTrainingDue,
  type TrainingData,
  trainingBody,
  trainingProblems,
  trainingState,
  trainingStateText,
} from '../../domain/management/index.js'
import { RISK, type RiskData } from '../../store/risk-register.js'
import { isUnknownExecution } from '../../workflow-client.js'
import { requireAuth, requireRole } from '../auth/index.js'
import type { AppEnv, Deps, Principal } from '../env.js'
import { orgPeople } from '../people.js'
import {
  announceBody,
  announceEvidence,
  confirmEvidence,
  evidenceDownload,
  evidenceLink,
} from '../subject-evidence.js'
import { jsonBody } from '../validate.js'
import { executionIdOf } from './workflows/executions.js'
import { startGeneric } from './workflows/start.js'

const today = (deps: Deps) => deps.now().toISOString().slice(0, 10)
const actorOf = (p: Principal) => ({ userId: p.userId, name: p.name })

/** The organisation's current measure set (one page of risks through the record list). */
async function currentMeasures(deps: Deps, orgId: string) {
  const page = await deps.records.forOrg(orgId).list<RiskData>(RISK, { limit: 500 })
  return measureSet(page.items.map((r) => ({ id: r.id, ...r.data })))
}

/**
 * Asks management to approve the current measure set (§ 38 Abs. 1 BSIG): freezes it with its
 * hash and starts the generic approval (four-eyes: the requester never decides). The same set
 * asked for again answers the first request (`created` false). Used by the route and the seed.
 */
export async function requestMeasureApproval(
  deps: Deps,
  orgId: string,
  actor: { userId: string; name: string },
) {
  const items = await currentMeasures(deps, orgId)
  if (items.length === 0)
    throw conflict(
      'There are no risk-treatment measures to approve yet; plan them in the risk register first.',
      {
        measures: 'none planned',
      },
    )
  const hash = measureSetHash(items)
  const id = hash.slice(0, 16)
  const org = deps.records.forOrg(orgId)
  const known = await org.get<MeasureApprovalData>(MEASURE_APPROVAL, id)
  if (known) return { rec: known, created: false, hash }
  const started = await startGeneric(
    deps,
    orgId,
    actor,
    {
      type: 'approval',
      title: measureApprovalTitle(items.length),
      requestedBy: actor.userId,
      dueInDays: 14,
      context: {
        requestedByName: actor.name,
        reference: '§ 38 Abs. 1 BSIG, § 30 BSIG',
        details: items
          .map(
            (i) => `${i.riskId} · ${i.description} (${i.dueDate}, ${i.status === 'done' ? 'done' : 'open'})`,
          )
          .join('\n'),
        measureSetHash: hash,
      },
    },
    `measures-${orgId.slice(0, 40)}-${id}`,
  )
  const data: MeasureApprovalData = {
    hash,
    items,
    requestedBy: actor.userId,
    requestedByName: actor.name,
    requestedAt: deps.now().toISOString(),
    executionArn: started.executionArn,
    executionId: executionIdOf(started.executionArn),
  }
  // A double click: the refused create answers the approval the other request wrote.
  const { rec } = await org.createOrGet<MeasureApprovalData>(MEASURE_APPROVAL, id, data, {
    actor,
    action: 'measure-approval.request',
  })
  return { rec, created: true, hash }
}

/** What the approval workflow answers when it ends. */
const approvalOutput = z.looseObject({
  outcome: z.string().optional(),
  rounds: z
    .array(
      z.looseObject({
        byName: z.string().optional(),
        at: z.string().optional(),
        comment: z.string().optional(),
      }),
    )
    .optional(),
})

/** An approval with its state read from its execution (pending, approved, rejected, ended). */
export async function approvalView(
  deps: Deps,
  rec: { id: string; data: MeasureApprovalData },
  currentHash: string,
) {
  // An execution the engine no longer knows reads as ended; any other failure is the request's.
  const d = await deps.workflows.describe(rec.data.executionArn).catch((err) => {
    if (isUnknownExecution(err)) return undefined
    throw err
  })
  const output = approvalOutput.safeParse(d?.output ? JSON.parse(d.output) : {}).data ?? {}
  const state =
    d?.status === 'RUNNING' ? 'pending' : d?.status === 'SUCCEEDED' ? (output.outcome ?? 'ended') : 'ended'
  const last = output.rounds?.at(-1)
  return {
    id: rec.id,
    state,
    hash: rec.data.hash,
    current: rec.data.hash === currentHash,
    measures: rec.data.items,
    requestedBy: rec.data.requestedByName,
    requestedAt: rec.data.requestedAt,
    executionId: rec.data.executionId,
    ...(last ? { decidedBy: last.byName, decidedAt: last.at, comment: last.comment } : {}),
  }
}

/** The managers of the organisation (role management) with their training state. */
async function trainings(deps: Deps, orgId: string) {
  const [people, recs] = await Promise.all([
    orgPeople(deps, orgId),
    deps.records.forOrg(orgId).list<TrainingData>(MANAGEMENT_TRAINING, { limit: 200 }),
  ])
  const day = today(deps)
  return people
    .filter((p) => p.roles.includes('management'))
    .map((p) => {
      const rec = recs.items.find((r) => r.id === p.userId)?.data
      const state = trainingState(rec, day)
      return {
        userId: p.userId,
        name: p.name,
        state,
        stateText: trainingStateText(state),
        record: rec ?? null,
      }
    })
}

/** A manager of the organisation, or 404 (also for another organisation's person). */
async function requireManager(deps: Deps, p: Principal, userId: string) {
  const m = (await orgPeople(deps, p.orgId)).find(
    (x) => x.userId === userId && x.roles.includes('management'),
  )
  if (!m) throw notFound('The manager')
  return m
}

/** The ISO writes every manager's record; a manager their own. */
function assertMayWrite(p: Principal, userId: string) {
  if (!p.roles.includes('iso') && p.userId !== userId)
    throw forbidden('The ISO or the manager themself records a training.')
}

export const managementDuties = new Hono<AppEnv>()
  .use(requireAuth)
  .get('/', requireRole('iso', 'management', 'auditor'), async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const items = await currentMeasures(deps, p.orgId)
    const hash = measureSetHash(items)
    const approvals = (
      await deps.records.forOrg(p.orgId).list<MeasureApprovalData>(MEASURE_APPROVAL, { limit: 50 })
    ).items.sort((a, b) => (a.data.requestedAt < b.data.requestedAt ? 1 : -1))
    return c.json({
      measures: { count: items.length, hash },
      approval: approvals[0] ? await approvalView(deps, approvals[0], hash) : null,
      trainings: await trainings(deps, p.orgId),
    })
  })
  .post('/approvals', requireRole('iso'), async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const { rec, created, hash } = await requestMeasureApproval(deps, p.orgId, actorOf(p))
    return c.json({ approval: await approvalView(deps, rec, hash) }, created ? 201 : 200)
  })
  .put('/trainings/:userId', requireRole('iso', 'management'), async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const userId = c.req.param('userId')
    const manager = await requireManager(deps, p, userId)
    assertMayWrite(p, userId)
    const body = await jsonBody(c, trainingBody)
    const problems = trainingProblems(body, today(deps))
    if (Object.keys(problems).length > 0) throw validationError(problems)
    const org = deps.records.forOrg(p.orgId)
    const prev = await org.get<TrainingData>(MANAGEMENT_TRAINING, userId)
    const data: TrainingData = {
      userId,
      name: manager.name,
      title: body.title,
      ...(body.provider ? { provider: body.provider } : {}),
      lastTrainingOn: body.lastTrainingOn,
      nextDueOn: nextTrainingDue(body.lastTrainingOn, body.nextDueOn),
      // A new training needs its own certificate; the same one keeps it.
      ...(prev?.data.certificate && prev.data.lastTrainingOn === body.lastTrainingOn
        ? { certificate: prev.data.certificate }
        : {}),
      updatedBy: p.userId,
      updatedByName: p.name,
    }
    const opts = { actor: actorOf(p), action: 'management-training.record' }
    const saved = prev
      ? await org.update<TrainingData>(MANAGEMENT_TRAINING, userId, data, {
          ...opts,
          expectedVersion: prev.version,
        })
      : await org.create<TrainingData>(MANAGEMENT_TRAINING, userId, data, opts)
    const state = trainingState(saved.data, today(deps))
    return c.json(
      { training: { ...saved.data, state, stateText: trainingStateText(state) } },
      prev ? 200 : 201,
    )
  })
  .post('/trainings/:userId/certificate/uploads', requireRole('iso', 'management'), async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const userId = c.req.param('userId')
    await requireManager(deps, p, userId)
    assertMayWrite(p, userId)
    const body = await jsonBody(c, announceBody)
    if (!(await deps.records.forOrg(p.orgId).get(MANAGEMENT_TRAINING, userId)))
      throw conflict('Record the training before its certificate.', { training: 'is not recorded yet' })
    const upload = await announceEvidence(
      deps,
      p.orgId,
      { type: MANAGEMENT_TRAINING, id: userId },
      body,
      actorOf(p),
    )
    return c.json(upload, 201)
  })
  .post('/trainings/:userId/certificate/uploads/:fileId', requireRole('iso', 'management'), async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const userId = c.req.param('userId')
    await requireManager(deps, p, userId)
    assertMayWrite(p, userId)
    const org = deps.records.forOrg(p.orgId)
    const rec = await org.get<TrainingData>(MANAGEMENT_TRAINING, userId)
    if (!rec)
      throw conflict('Record the training before its certificate.', { training: 'is not recorded yet' })
    const meta = await confirmEvidence(
      deps,
      p.orgId,
      { type: MANAGEMENT_TRAINING, id: userId },
      c.req.param('fileId'),
      actorOf(p),
    )
    const certificate = {
      fileId: meta.id,
      name: meta.name,
      size: meta.size,
      contentType: meta.contentType,
      uploadedAt: meta.uploadedAt,
    }
    if (rec.data.certificate?.fileId === meta.id) return c.json({ training: rec.data })
    const saved = await org.update<TrainingData>(
      MANAGEMENT_TRAINING,
      userId,
      { ...rec.data, certificate },
      { actor: actorOf(p), action: 'management-training.certificate', expectedVersion: rec.version },
    )
    return c.json({ training: saved.data }, 201)
  })
  .get('/trainings/:userId/certificate', requireRole('iso', 'management', 'auditor'), async (c) => {
    const { orgId, subject, fileId } = await certificateOf(c)
    return evidenceDownload(c, orgId, subject, fileId)
  })
  .get('/trainings/:userId/certificate/link', requireRole('iso', 'management', 'auditor'), async (c) => {
    const { orgId, subject, fileId } = await certificateOf(c)
    return evidenceLink(c, orgId, subject, fileId)
  })

/** The stored certificate of the training of `:userId` in the caller's organisation (404 when none). */
async function certificateOf(c: Context<AppEnv>) {
  const p = c.get('principal')
  const userId = c.req.param('userId') ?? ''
  const rec = await c.get('deps').records.forOrg(p.orgId).get<TrainingData>(MANAGEMENT_TRAINING, userId)
  if (!rec?.data.certificate) throw notFound('The certificate')
  return {
    orgId: p.orgId,
    subject: { type: MANAGEMENT_TRAINING, id: userId },
    fileId: rec.data.certificate.fileId,
  }
}
