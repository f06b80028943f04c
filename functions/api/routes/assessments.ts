import { randomBytes } from 'node:crypto'
import { Hono } from 'hono'
import { z } from 'zod'
import {
  ASSESSMENT_WORKFLOW,
  DECISION_RECORD,
  type DecisionRecord,
  diffDecisions,
  IN_PROGRESS_KINDS,
} from '../../domain/assessments/index.js'
import { conflict, notFound, validationError } from '../../domain/errors.js'
import { decisionInForce, decisionPage } from '../../store/obligation-decisions.js'
import { requireAuth, requireRole } from '../auth/index.js'
import type { AppEnv, Deps, Principal } from '../env.js'
import { pageCursor, pageLimit } from '../page-query.js'
import { jsonBody, queryParams } from '../validate.js'
import { decisionDetail, decisionRow, inProgress } from './assessments/views.js'

const decisionId = z
  .string('is required')
  .trim()
  .min(1, 'is required')
  .max(120, 'must be at most 120 characters')

/** Body of `POST /api/assessments`. */
export const startBody = z.strictObject({
  /** The decision to pre-fill from; left out: the latest one; `null`: start blank. */
  previousDecisionId: decisionId.nullable().optional(),
  /** Who fills in the questionnaire (an ISO or member of the organisation); default: whoever starts it. */
  assigneeUserId: z.string().trim().min(1, 'is required').max(100).optional(),
})

/** Query of `GET /api/assessments`: one page of the decisions. */
export const listQuery = z.strictObject({ limit: pageLimit().default(50), cursor: pageCursor() })

/** Query of `GET /api/assessments/diff`. */
export const diffQuery = z.strictObject({ a: decisionId, b: decisionId })

/** Roles that may fill in the questionnaire. */
const FILLERS = ['iso', 'member']

/** `<org>-oa-<yyyymmddHHMMSS>-<hex>`: a new assessment's execution name and later its decision id. */
export const assessmentName = (orgId: string, now: Date) =>
  `${orgId.slice(0, 40)}-oa-${now.toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${randomBytes(3).toString('hex')}`

async function requireDecision(deps: Deps, p: Principal, id: string) {
  const rec = await deps.records.forOrg(p.orgId).get<DecisionRecord>(DECISION_RECORD, id)
  if (!rec) throw notFound('Decision')
  return rec
}

/**
 * `/api/assessments`: obligation assessments as workflows and the organisation's recorded
 * decisions. Everyone in the organisation reads; the ISO and members start an assessment.
 * - `POST /` starts `obligation-assessment` (pre-filled from the latest decision unless
 *   `previousDecisionId` says otherwise); 409 while another assessment is in progress.
 * - `GET /` one page of the history of decisions, newest first (`limit`, `cursor`; with the
 *   total), and the assessments in progress.
 * - `GET /diff?a=&b=` what changed from decision `a` to decision `b`.
 * - `GET /:id` one decision record with its follow-ups and audit history.
 * An id of another organisation answers 404.
 */
export const assessments = new Hono<AppEnv>()
  .use(requireAuth)
  .get('/', async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const org = deps.records.forOrg(p.orgId)
    const q = queryParams(c, listQuery)
    const [page, inForce, tasks] = await Promise.all([
      decisionPage(org, q),
      decisionInForce(org),
      deps.taskStore.openOfKinds(p.orgId, IN_PROGRESS_KINDS),
    ])
    return c.json({
      items: page.items.map((r) => decisionRow(r, inForce?.id)),
      ...(page.cursor ? { cursor: page.cursor } : {}),
      total: page.total,
      inProgress: inProgress(tasks),
    })
  })
  .get('/diff', async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const q = queryParams(c, diffQuery)
    const [a, b] = await Promise.all([requireDecision(deps, p, q.a), requireDecision(deps, p, q.b)])
    const side = (r: typeof a) => ({
      id: r.id,
      sequence: r.data.sequence,
      decidedAt: r.data.decidedAt,
      summary: r.data.summary,
      outcome: r.data.outcome,
    })
    return c.json({
      a: side(a),
      b: side(b),
      diff: diffDecisions(
        { decision: a.data.decision, profile: a.data.profile },
        { decision: b.data.decision, profile: b.data.profile },
      ),
    })
  })
  .get('/:id', async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const org = deps.records.forOrg(p.orgId)
    const rec = await requireDecision(deps, p, c.req.param('id'))
    const history = await org.history(DECISION_RECORD, rec.id)
    const tasksAbout = (id: string) => deps.taskStore.forSubject(p.orgId, DECISION_RECORD, id)
    return c.json(await decisionDetail(org, rec, tasksAbout, history))
  })
  .post('/', requireRole('iso', 'member'), async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const org = deps.records.forOrg(p.orgId)
    const body = await jsonBody(c, startBody)
    const assigneeUserId = body.assigneeUserId ?? p.userId
    if (body.assigneeUserId !== undefined) {
      const members = await deps.identity.orgMembers(p.orgId)
      const m = members.find((x) => x.userId === assigneeUserId)
      if (!m?.roles.some((r) => FILLERS.includes(r)))
        throw validationError({ assigneeUserId: 'must be an ISO or member of this organisation' })
    }
    let previousDecisionId: string | null
    if (body.previousDecisionId === undefined) previousDecisionId = (await decisionInForce(org))?.id ?? null
    else if (body.previousDecisionId === null) previousDecisionId = null
    else previousDecisionId = (await requireDecision(deps, p, body.previousDecisionId)).id
    const running = inProgress(await deps.taskStore.openOfKinds(p.orgId, IN_PROGRESS_KINDS))[0]
    if (running)
      throw conflict(
        'An obligation assessment is already in progress; finish or close it before starting another.',
        { assessment: running.assessmentId ?? running.taskId },
      )
    const name = assessmentName(p.orgId, deps.now())
    const input = {
      orgId: p.orgId,
      requestedBy: p.userId,
      assignee: { userId: assigneeUserId },
      previousDecisionId,
    }
    const started = await deps.workflows.start(ASSESSMENT_WORKFLOW, input, name)
    await org.audit({
      actor: { userId: p.userId, name: p.name },
      action: 'obligation-assessment.start',
      type: 'obligation-assessment',
      id: name,
      after: input,
    })
    return c.json({ assessmentId: name, executionArn: started.executionArn, previousDecisionId }, 202)
  })
