import { Hono } from 'hono'
import { z } from 'zod'
import {
  ConflictError,
  conflict,
  type FieldErrors,
  ForbiddenError,
  notFound,
  validationError,
} from '../../domain/errors.js'
import {
  heatMap,
  heatMapOfCells,
  materialChange,
  mayAccept,
  mayDecide,
  planProblems,
  type RiskMatrix,
  riskProblems,
  scoreRisk,
  snapshotOf,
  targetScore,
  toIsoDate,
  treatmentPlanSchema,
  validateRisk,
} from '../../domain/risk/index.js'
import { queryWords } from '../../domain/search-terms.js'
import { isOpen } from '../../domain/tasks.js'
import {
  heatCells,
  memberRisks,
  openRiskCount,
  type RiskListRead,
  riskPage,
  riskRowPage,
} from '../../store/risk-list.js'
import {
  createRisk,
  currentSnapshot,
  loadRiskSettings,
  RISK,
  type RiskData,
  type RiskRecord,
  toRisk,
} from '../../store/risk-register.js'
import { ensureSearchIndexed, findInIndex } from '../../store/search-index.js'
import { notOpen } from '../../store/tasks.js'
import { requireAuth, requireRole } from '../auth/index.js'
import type { AppEnv, Deps, Principal } from '../env.js'
import { exportPages } from '../export-pages.js'
import { namesOf, orgPeople } from '../people.js'
import { completeTask, workableTask } from '../task-completion.js'
import { jsonBody, queryParams } from '../validate.js'
import { mayRead, readsWholeRegister } from './risks/access.js'
import { exportRows, registerCsv, registerXlsx } from './risks/export.js'
import { filterAndSort, type RiskListQuery, riskListQuery } from './risks/query.js'
import { riskSettingsRoute } from './risks/settings.js'
import { historyView, riskDetail, riskRow } from './risks/views.js'
import { DECISION_KINDS, startTreatment, stopTreatment } from './risks/workflow.js'

/** Statuses a person sets; the others belong to the approval workflow. */
const MANUAL_STATUSES = ['identified', 'assessed', 'closed'] as const
/** Statuses during which only closing is allowed (a process is running or holds). */
const PROCESS_STATUSES = ['in-approval', 'approved', 'accepted']

const anyJson = z.record(z.string(), z.unknown(), 'must be a JSON object')
/** The `expectedVersion` of a risk edit. */
export const versionSchema = z.int('must be a whole number').min(1, 'must be at least 1')
/** Body of `POST /api/risks/:id/submit`. */
export const submitBody = z.strictObject({
  expectedVersion: versionSchema,
  note: z.string().max(4000).optional(),
})
/** Body of `POST /api/risks/:id/decision`. */
export const decisionBody = z.strictObject({
  taskId: z.string().min(1, 'is required').max(100),
  outcome: z.enum(['approve', 'reject', 'request-changes'], 'must be approve, reject or request-changes'),
  comment: z.string().trim().max(4000, 'must be at most 4000 characters').optional(),
})

const actorOf = (p: Principal) => ({ userId: p.userId, name: p.name })

/** Splits `expectedVersion` off a body; a missing or malformed one is a field error. */
function splitVersion(body: Record<string, unknown>, fields: FieldErrors, required: boolean) {
  const { expectedVersion, ...rest } = body
  if (expectedVersion === undefined && !required) return { version: undefined, rest }
  const v = versionSchema.safeParse(expectedVersion)
  if (!v.success) fields.expectedVersion = v.error.issues[0]?.message ?? 'is invalid'
  return { version: v.success ? v.data : undefined, rest }
}

/** Field errors for people who are not members of the organisation. */
function memberProblems(ids: Record<string, unknown>, members: Set<string>): FieldErrors {
  const fields: FieldErrors = {}
  for (const [field, id] of Object.entries(ids))
    if (typeof id === 'string' && id && !members.has(id))
      fields[field] = 'is not a member of this organisation'
  return fields
}

/** The status problem of an edit, if any (workflow statuses are not set by hand). */
function statusProblem(current: string, next: string): string | undefined {
  if (next === current) return undefined
  if (!(MANUAL_STATUSES as readonly string[]).includes(next))
    return `is set by the approval workflow; you may choose ${MANUAL_STATUSES.join(', ')}`
  if (next !== 'closed' && PROCESS_STATUSES.includes(current))
    return `cannot change to ${next} while the risk is ${current}; close it or submit a new plan`
  return undefined
}

async function readable(deps: Deps, p: Principal, id: string): Promise<RiskRecord> {
  const rec = await deps.records.forOrg(p.orgId).get<RiskData>(RISK, id)
  if (!rec || !mayRead(p, rec.data)) throw notFound('Risk')
  return rec
}

/** Risks a text query finds at most (by the words of the search index). */
const FOUND_LIMIT = 200

/**
 * One page of the register as the query asks: through the list index (one key-condition read in
 * the sort's stream, filters on the entries), or, with a text, the risks whose words begin with
 * it (the search index, at most `FOUND_LIMIT`), filtered and sorted as the register does.
 */
async function registerPage(
  deps: Deps,
  p: Principal,
  query: RiskListQuery,
  options: { records?: boolean } = {},
) {
  const org = deps.records.forOrg(p.orgId)
  const [{ settings }, people] = await Promise.all([loadRiskSettings(org), orgPeople(deps, p.orgId)])
  const names = namesOf(people)
  if (query.q) {
    await ensureSearchIndexed(org)
    const ids = await findInIndex(org, 'risk', queryWords(query.q), FOUND_LIMIT)
    const recs = [...(await org.getMany<RiskData>(RISK, ids)).values()].filter((r) => mayRead(p, r.data))
    const rows = filterAndSort(
      recs.map((r) => riskRow(r, settings, names)),
      { ...query, q: undefined },
    )
    return { rows, recs: inRowOrder(recs, rows), total: rows.length, cursor: undefined, settings, names }
  }
  if (!readsWholeRegister(p)) {
    // A member's register: their own risks (their stream), filtered and sorted, a page at a time.
    const recs = (await memberRisks(org, p.userId)).filter((r) => mayRead(p, r.data))
    const rows = filterAndSort(
      recs.map((r) => riskRow(r, settings, names)),
      query,
    )
    const from = offsetOf(query.cursor)
    const next = from + query.limit
    const page = rows.slice(from, next)
    return {
      rows: page,
      recs: inRowOrder(recs, page),
      total: rows.length,
      cursor: next < rows.length ? String(next) : undefined,
      settings,
      names,
    }
  }
  const read: RiskListRead = {
    sort: query.sort,
    order: query.order,
    status: query.status,
    closed: query.closed,
    category: query.category,
    option: query.option,
    owner: query.owner,
    level: query.level
      ? { attr: query.view === 'inherent' ? 'ic' : 'rc', cells: levelCells(settings.matrix, query.level) }
      : undefined,
    limit: query.limit,
    cursor: query.cursor,
  }
  if (options.records) {
    const page = await riskPage(org, read)
    return {
      rows: page.items.map((r) => riskRow(r, settings, names)),
      recs: page.items,
      total: page.total,
      cursor: 'cursor' in page ? page.cursor : undefined,
      settings,
      names,
    }
  }
  // The rows as the list index's entries keep them: no read of the risks.
  const page = await riskRowPage(org, read)
  return {
    rows: page.items.map((r) => riskRow({ id: r.id, ...r.row }, settings, names)),
    recs: [],
    total: page.total,
    cursor: 'cursor' in page ? page.cursor : undefined,
    settings,
    names,
  }
}

/** The records of `rows`, in the rows' order. */
const inRowOrder = (recs: readonly RiskRecord[], rows: readonly { id: string }[]) => {
  const byId = new Map(recs.map((r) => [r.id, r]))
  return rows.flatMap((r) => byId.get(r.id) ?? [])
}

/**
 * The register as an export lists it: every page of the query (`registerPage`, a page at a time
 * through the list index), at most `EXPORT_MAX` risks.
 */
async function exportListing(deps: Deps, p: Principal, query: RiskListQuery) {
  let last: Awaited<ReturnType<typeof registerPage>> | undefined
  const { rows: recs } = await exportPages(async (cursor) => {
    last = await registerPage(deps, p, { ...query, limit: EXPORT_PAGE, cursor }, { records: true })
    return { rows: last.recs, cursor: last.cursor }
  })
  const settings = last?.settings ?? (await loadRiskSettings(deps.records.forOrg(p.orgId))).settings
  return { recs, settings, names: last?.names ?? {} }
}

/** Risks an export reads per page (the register's largest page). */
const EXPORT_PAGE = 200

/** Where a member's page begins: the previous page's cursor (a count of rows), else the first row. */
const offsetOf = (cursor?: string) => (cursor && /^\d{1,6}$/.test(cursor) ? Number(cursor) : 0)

/** The cells (`<likelihood>#<impact>`) the matrix gives a level. */
function levelCells(matrix: RiskMatrix, level: string): string[] {
  const cells: string[] = []
  for (let l = 1; l <= matrix.likelihood.length; l++)
    for (let i = 1; i <= matrix.impact.length; i++)
      if (scoreRisk(l, i, matrix).level === level) cells.push(`${l}#${i}`)
  return cells
}

/** Audit entry for an export of the register. */
const logExport = (deps: Deps, p: Principal, note: string) =>
  deps.records
    .forOrg(p.orgId)
    .audit({ actor: actorOf(p), action: 'risk.export', type: RISK, id: 'register', note })

const attachment = (name: string) => `attachment; filename="${name}"`

/**
 * `/api/risks`: the register (list, filters, sort, heat map, CSV/XLSX export), one risk with its
 * plan, rounds, decisions and history, edits with `expectedVersion`, the treatment plan, the
 * submission that starts `risk-treatment`, management's decision with its checks, and the
 * organisation's matrix and appetite (`/settings`). The ISO edits, management decides, members
 * see the risks and measures they own, auditors read.
 */
export const risks = new Hono<AppEnv>()
  .use(requireAuth)
  .route('/settings', riskSettingsRoute)
  .get('/', async (c) => {
    const p = c.get('principal')
    const query = queryParams(c, riskListQuery)
    const { rows, total, cursor, settings } = await registerPage(c.get('deps'), p, query)
    return c.json({
      items: rows,
      total,
      ...(cursor ? { cursor } : {}),
      matrix: settings.matrix,
      appetite: settings.appetite,
    })
  })
  .get('/people', async (c) => {
    const p = c.get('principal')
    return c.json({ items: await orgPeople(c.get('deps'), p.orgId) })
  })
  .get('/heatmap', async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const org = deps.records.forOrg(p.orgId)
    const { settings } = await loadRiskSettings(org)
    if (readsWholeRegister(p)) {
      // The whole register: counts from the list index's counters, each cell's first ids.
      const [inherent, residual, total] = await Promise.all([
        heatCells(org, 'inherent'),
        heatCells(org, 'residual'),
        openRiskCount(org),
      ])
      return c.json({
        matrix: settings.matrix,
        inherent: heatMapOfCells(inherent, settings.matrix, 'inherent'),
        residual: heatMapOfCells(residual, settings.matrix, 'residual'),
        total,
      })
    }
    // A member: their own risks (their stream).
    const open = (await memberRisks(org, p.userId))
      .filter((r) => mayRead(p, r.data) && r.data.status !== 'closed')
      .map((r) => toRisk(r.id, r.data))
    return c.json({
      matrix: settings.matrix,
      inherent: heatMap(open, settings.matrix, 'inherent'),
      residual: heatMap(open, settings.matrix, 'residual'),
      total: open.length,
    })
  })
  .get('/export.csv', async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const query = queryParams(c, riskListQuery)
    const { recs, settings, names } = await exportListing(deps, p, query)
    const csv = registerCsv(
      exportRows(recs, { matrix: settings.matrix, lang: query.lang, names }),
      query.lang,
    )
    await logExport(deps, p, `csv, ${recs.length} risks`)
    c.header('content-type', 'text/csv; charset=utf-8')
    c.header('content-disposition', attachment(`risk-register-${p.orgId}-${toIsoDate(deps.now())}.csv`))
    return c.body(csv)
  })
  .get('/export.xlsx', async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const query = queryParams(c, riskListQuery)
    const { recs, settings, names } = await exportListing(deps, p, query)
    const orgName = p.memberships.find((m) => m.orgId === p.orgId)?.orgName ?? p.orgId
    const bytes = await registerXlsx(
      exportRows(recs, { matrix: settings.matrix, lang: query.lang, names }),
      query.lang,
      {
        orgName,
        at: deps.now(),
      },
    )
    await logExport(deps, p, `xlsx, ${recs.length} risks`)
    c.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    c.header('content-disposition', attachment(`risk-register-${p.orgId}-${toIsoDate(deps.now())}.xlsx`))
    return c.body(bytes as unknown as ArrayBuffer)
  })
  .post('/', requireRole('iso'), async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const org = deps.records.forOrg(p.orgId)
    const body = await jsonBody(c, anyJson)
    const [{ settings }, people] = await Promise.all([loadRiskSettings(org), orgPeople(deps, p.orgId)])
    const fields = riskProblems(body, settings.matrix)
    Object.assign(fields, memberProblems({ ownerId: body.ownerId }, new Set(people.map((x) => x.userId))))
    const status = body.status ?? 'identified'
    if (!fields.status && status !== 'identified' && status !== 'assessed')
      fields.status = 'a new risk starts as identified or assessed'
    if (Object.keys(fields).length > 0) throw validationError(fields, 'The risk has invalid fields.')
    const rec = await createRisk(org, validateRisk(body, settings.matrix), actorOf(p))
    return c.json(riskDetail(rec, settings, namesOf(people)), 201)
  })
  .get('/:id', async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const rec = await readable(deps, p, c.req.param('id'))
    const org = deps.records.forOrg(p.orgId)
    const [{ settings }, people, history, taskRecs] = await Promise.all([
      loadRiskSettings(org),
      orgPeople(deps, p.orgId),
      org.history(RISK, rec.id),
      // The risk's own tasks, by key (the index's stream of its subject), not the organisation's.
      deps.taskStore.forSubject(p.orgId, RISK, rec.id),
    ])
    const openTasks = taskRecs
      .filter((t) => isOpen(t.data))
      .map((t) => ({
        id: t.id,
        kind: t.data.kind,
        title: t.data.title,
        assigneeUserId: t.data.assigneeUserId,
        candidateRole: t.data.candidateRole,
        dueAt: t.data.dueAt,
        requestedBy: t.data.requestedBy,
        excludedUserIds: t.data.excludedUserIds,
        context: DECISION_KINDS.includes(t.data.kind as never) ? t.data.context : undefined,
      }))
    return c.json({
      ...riskDetail(rec, settings, namesOf(people)),
      history: historyView(history),
      openTasks,
      matrix: settings.matrix,
      appetite: settings.appetite,
    })
  })
  .put('/:id', requireRole('iso'), async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const org = deps.records.forOrg(p.orgId)
    const rec = await org.require<RiskData>(RISK, c.req.param('id'), 'Risk')
    const body = await jsonBody(c, anyJson)
    const fields: FieldErrors = {}
    const { version, rest } = splitVersion(body, fields, true)
    const [{ settings }, people] = await Promise.all([loadRiskSettings(org), orgPeople(deps, p.orgId)])
    Object.assign(fields, riskProblems(rest, settings.matrix))
    Object.assign(fields, memberProblems({ ownerId: rest.ownerId }, new Set(people.map((x) => x.userId))))
    const nextStatus = (rest.status as string | undefined) ?? rec.data.status
    const sp = fields.status ? undefined : statusProblem(rec.data.status, nextStatus)
    if (sp) fields.status = sp
    if (Object.keys(fields).length > 0) throw validationError(fields, 'The risk has invalid fields.')
    if (version !== rec.version)
      throw conflict(
        `The risk was changed by someone else (version ${rec.version}, you had ${version}); reload it.`,
        {
          expectedVersion: `expected ${rec.version}`,
        },
      )
    const risk = validateRisk({ ...rest, status: nextStatus }, settings.matrix)
    const next: RiskData = { ...rec.data, ...risk }
    const change = materialChange(rec.data, next)
    if (change.changed && next.approval && !next.approval.outdated)
      next.approval = {
        ...next.approval,
        outdated: { at: deps.now().toISOString(), by: p.userId, fields: change.fields },
      }
    const closing = next.status === 'closed' && rec.data.status !== 'closed'
    const execution = rec.data.execution
    if (closing) delete next.execution
    const saved = await org.update<RiskData>(RISK, rec.id, next, {
      actor: actorOf(p),
      action: closing ? 'risk.close' : 'risk.update',
      expectedVersion: rec.version,
    })
    if (closing && execution)
      await stopTreatment(deps, p.orgId, execution.arn, actorOf(p), 'The risk was closed.')
    return c.json({
      ...riskDetail(saved, settings, namesOf(people)),
      materialChange: change,
      approvalOutdated: Boolean(saved.data.approval?.outdated),
      /** After a material change of an approved risk the ISO is offered a new round. */
      offerNewRound: Boolean(saved.data.approval?.outdated) && saved.data.status !== 'closed',
    })
  })
  .put('/:id/plan', requireRole('iso'), async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const org = deps.records.forOrg(p.orgId)
    const rec = await org.require<RiskData>(RISK, c.req.param('id'), 'Risk')
    const body = await jsonBody(c, anyJson)
    const fields: FieldErrors = {}
    const { version, rest } = splitVersion(body, fields, true)
    const [{ settings }, people] = await Promise.all([loadRiskSettings(org), orgPeople(deps, p.orgId)])
    Object.assign(fields, planProblems(rest, rec.data, { matrix: settings.matrix }))
    const members = new Set(people.map((x) => x.userId))
    const measures = Array.isArray(rest.measures) ? (rest.measures as { ownerId?: unknown }[]) : []
    Object.assign(
      fields,
      memberProblems(
        Object.fromEntries(measures.map((m, i) => [`measures.${i}.ownerId`, m?.ownerId])),
        members,
      ),
    )
    if (Object.keys(fields).length > 0)
      throw validationError(fields, 'The treatment plan has invalid fields.')
    if (rec.data.status === 'closed')
      throw conflict('The risk is closed; reopen it before planning a treatment.')
    if (version !== rec.version)
      throw conflict(
        `The risk was changed by someone else (version ${rec.version}, you had ${version}); reload it.`,
        {
          expectedVersion: `expected ${rec.version}`,
        },
      )
    const plan = treatmentPlanSchema.parse(rest)
    const next: RiskData = { ...rec.data, plan }
    if (next.status === 'identified' || next.status === 'assessed') next.status = 'treatment-planned'
    const approved = next.approval
    if (approved && !approved.outdated) {
      const before = JSON.stringify(snapshotOf(toRisk(rec.id, rec.data), rec.data.plan).plan)
      if (before !== JSON.stringify(snapshotOf(toRisk(rec.id, next), plan).plan))
        next.approval = {
          ...approved,
          outdated: { at: deps.now().toISOString(), by: p.userId, fields: ['plan'] },
        }
    }
    const saved = await org.update<RiskData>(RISK, rec.id, next, {
      actor: actorOf(p),
      action: 'risk.plan',
      expectedVersion: rec.version,
    })
    return c.json({
      ...riskDetail(saved, settings, namesOf(people)),
      approvalOutdated: Boolean(saved.data.approval?.outdated),
      offerNewRound: Boolean(saved.data.approval?.outdated),
    })
  })
  .post('/:id/submit', requireRole('iso'), async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const org = deps.records.forOrg(p.orgId)
    const rec = await org.require<RiskData>(RISK, c.req.param('id'), 'Risk')
    const body = await jsonBody(c, submitBody)
    const { settings } = await loadRiskSettings(org)
    if (!rec.data.plan) throw validationError({ plan: 'add a treatment plan before submitting it' })
    const problems = planProblems(rec.data.plan, rec.data, {
      matrix: settings.matrix,
      today: toIsoDate(deps.now()),
    })
    if (Object.keys(problems).length > 0)
      throw validationError(
        Object.fromEntries(Object.entries(problems).map(([k, v]) => [`plan.${k}`, v])),
        'The treatment plan cannot be submitted yet.',
      )
    if (rec.data.status === 'closed')
      throw conflict('The risk is closed; reopen it before submitting a plan.')
    if (body.expectedVersion !== rec.version)
      throw conflict(
        `The risk was changed by someone else (version ${rec.version}, you had ${body.expectedVersion}); reload it.`,
        {
          expectedVersion: `expected ${rec.version}`,
        },
      )
    const pending = rec.data.rounds.find((r) => r.status === 'pending')
    if (pending)
      throw conflict(`The plan is already waiting for management's decision (round ${pending.round}).`)

    // Sent back earlier: the open revision task carries the resubmission (a new round, same execution).
    const revision = (await deps.taskStore.forSubject(p.orgId, RISK, rec.id)).find(
      (t) => t.data.kind === 'risk-revision' && isOpen(t.data),
    )
    if (revision) {
      await completeTask(
        deps,
        p,
        await workableTask(deps, p, revision.id),
        {
          action: 'resubmit',
          ...(body.note ? { note: body.note } : {}),
        },
        { requestId: c.get('requestId') },
      )
      return c.json({ executionArn: revision.data.workflow.executionArn, resubmitted: true }, 202)
    }
    // An approval in force (measures running, or an acceptance waiting for its re-approval) is superseded.
    if (rec.data.execution)
      await stopTreatment(
        deps,
        p.orgId,
        rec.data.execution.arn,
        actorOf(p),
        'Superseded by a new submission.',
      )
    const people = await orgPeople(deps, p.orgId)
    const started = await startTreatment(
      deps,
      {
        orgId: p.orgId,
        riskId: rec.id,
        requestedBy: p.userId,
        reason: 'submission',
        people: namesOf(people),
      },
      rec.version,
    )
    await org.mutate<RiskData>(
      RISK,
      rec.id,
      (d) => {
        if (d.rounds.every((r) => r.executionArn !== started.executionArn)) d.status = 'in-approval'
        if (d.execution?.arn !== started.executionArn)
          d.execution = {
            arn: started.executionArn,
            name: started.name,
            startedAt: deps.now().toISOString(),
            startedBy: p.userId,
          }
        return d
      },
      { actor: actorOf(p), action: 'risk.submit' },
    )
    return c.json({ executionArn: started.executionArn, resubmitted: false }, 202)
  })
  .post('/:id/decision', requireRole('management'), async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const org = deps.records.forOrg(p.orgId)
    const rec = await org.require<RiskData>(RISK, c.req.param('id'), 'Risk')
    const body = await jsonBody(c, decisionBody)
    const task = await deps.taskStore.get(p.orgId, body.taskId)
    if (!task || task.data.subject?.id !== rec.id || !DECISION_KINDS.includes(task.data.kind as never))
      throw notFound('Approval task')
    if (!isOpen(task.data)) throw notOpen(task.data)
    const fourEyes = mayDecide({
      requesterId: task.data.requestedBy ?? '',
      earlierApproverIds: task.data.excludedUserIds,
      deciderId: p.userId,
    })
    if (!fourEyes.allowed) throw new ForbiddenError(fourEyes.reason.en, { fields: { taskId: fourEyes.code } })
    const { settings } = await loadRiskSettings(org)
    const frozenHash = task.data.context.hash
    if (currentSnapshot(rec.id, rec.data).hash !== frozenHash)
      throw conflict(
        'Outdated snapshot: the risk or its plan changed after it was submitted, so this decision would not be about what is on record. The ISO must submit it again.',
        { snapshot: 'outdated_snapshot' },
      )
    if (body.outcome === 'approve' && rec.data.plan?.option === 'accept') {
      const verdict = mayAccept({
        residual: targetScore(rec.data.plan, settings.matrix),
        appetite: settings.appetite,
        decider: {
          userId: p.userId,
          roles: p.roles,
          acceptAboveAppetite: settings.acceptAboveAppetite.includes(p.userId),
        },
        matrix: settings.matrix,
      })
      if (!verdict.allowed) throw new ForbiddenError(verdict.reason.en, { fields: { outcome: verdict.code } })
    }
    await completeTask(
      deps,
      p,
      await workableTask(deps, p, body.taskId),
      {
        decision: { outcome: body.outcome, ...(body.comment ? { comment: body.comment } : {}) },
      },
      { requestId: c.get('requestId') },
    )
    return c.json({ taskId: body.taskId, outcome: body.outcome, recorded: true })
  })
