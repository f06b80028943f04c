/**
 * Certification projects: create (target, level, audit date, optional own milestone plan),
 * read with the plan, move the audit date (re-plans what is not done), mark a milestone done,
 * and change title or Stage 1 threshold.
 */
import { randomUUID } from 'node:crypto'
import type { Context } from 'hono'
import { z } from 'zod'
import {
  PROTOTYPE_LABELS,
  parseCertificationTemplate,
  planMilestones,
  STANDARDS,
  TISAX_MODULES,
} from '../../../domain/certification/index.js'
import {
  ConflictError,
  conflict,
  InternalError,
  notFound,
  ValidationError,
  validationError,
} from '../../../domain/errors.js'
import { isIsoDate } from '../../../domain/risk/calendar.js'
import { isOpen, type Task } from '../../../domain/tasks.js'
import {
  CERT_TYPES,
  type CertProject,
  certificationTemplate,
  dueAtOf,
  projectPlan,
  projectTemplate,
  type TisaxModule,
} from '../../../store/certification.js'
import { decisionInForce } from '../../../store/obligation-decisions.js'
import type { OrgRecords, StoredRecord } from '../../../store/records.js'
import type { AppEnv } from '../../env.js'
import { rollbackFailed } from '../../errors.js'
import { jsonBody } from '../../validate.js'
import { type CertContext, certContext, people } from './context.js'

/** The workflow every project runs (`workflows/certification.asl.json`). */
export const CERTIFICATION_WORKFLOW = 'certification'

/** Readiness a project needs for Stage 1 unless set otherwise. */
export const DEFAULT_STAGE1_THRESHOLD = 75

const dateField = z.string().refine(isIsoDate, 'must be a date written YYYY-MM-DD')

/** Body of `POST /api/certification/projects`. */
export const createBody = z.strictObject({
  standard: z.enum(STANDARDS, `must be one of ${STANDARDS.join(', ')}`),
  auditDate: dateField,
  title: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters').optional(),
  assessmentLevel: z.enum(['AL2', 'AL3'], 'must be AL2 or AL3').optional(),
  tisaxModules: z.array(z.enum(TISAX_MODULES)).min(1).max(3).optional(),
  /** TISAX prototype protection: the labels sought (parts, vehicles, test-vehicles, events). */
  prototypeLabels: z
    .array(z.enum(PROTOTYPE_LABELS, `must be one of ${PROTOTYPE_LABELS.join(', ')}`))
    .min(1, 'choose at least one label')
    .optional(),
  stage1Threshold: z
    .int('must be a whole number')
    .min(0, 'must be at least 0')
    .max(100, 'must be at most 100')
    .optional(),
  /** A project-specific milestone plan (same format as `workflows/certification/*.json`). */
  template: z.unknown().optional(),
  /** Start the workflow (default true). */
  startWorkflow: z.boolean().optional(),
})

/** Body of `PUT …/projects/:id/audit-date`. */
export const moveBody = z.strictObject({
  auditDate: dateField,
  version: z.int('must be a whole number').min(1),
  reason: z.string().trim().max(1000, 'must be at most 1000 characters').optional(),
})

/** Body of `PATCH …/projects/:id`. */
export const patchBody = z.strictObject({
  version: z.int('must be a whole number').min(1),
  title: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters').optional(),
  stage1Threshold: z
    .int('must be a whole number')
    .min(0, 'must be at least 0')
    .max(100, 'must be at most 100')
    .optional(),
})

/** Body of `POST …/projects/:id/milestones/:milestoneId/done`. */
export const doneBody = z.strictObject({ on: dateField.optional() })

/**
 * The TISAX level and modules the organisation's obligation decision in force names, if any:
 * the newest one not superseded (read by key). Not the one changed last: recording a new
 * decision marks the one before as superseded after it, and a superseded decision's follow-ups
 * go on being updated, so the decision changed last is often one no longer in force.
 */
export async function tisaxFromDecision(org: OrgRecords) {
  const latest = await decisionInForce(org)
  if (!latest) return undefined
  const d: Record<string, any> = latest.data ?? {}
  const t = d.tisax ?? d.decision?.tisax ?? d.result?.tisax
  const level = t?.assessmentLevel ?? t?.minimumLevel
  if (level !== 'AL2' && level !== 'AL3') return undefined
  const ids = new Set<string>((t.objectives ?? []).map((o: { id?: string }) => o?.id))
  const modules: TisaxModule[] = ['information-security']
  if (ids.has('prototype')) modules.push('prototype-protection')
  if (ids.has('data') || ids.has('special-data')) modules.push('data-protection')
  return { level: level as 'AL2' | 'AL3', modules, decisionId: latest.id }
}

/** The project as the API shows it: data, version, plan and phase. */
export function projectView(rec: StoredRecord<CertProject>, today: string) {
  const p = rec.data
  const plan = projectPlan(p, today)
  const t = projectTemplate(p)
  const phase = p.certificate ? 'certified' : p.gate || p.done[t.anchorId] ? 'certification' : 'preparation'
  const { template: _own, ...data } = p
  return {
    project: {
      ...data,
      version: rec.version,
      createdAt: rec.createdAt,
      customTemplate: p.template !== undefined,
    },
    templateTitle: t.title,
    anchorId: t.anchorId,
    phase,
    plan,
    next:
      plan.milestones.filter((m) => m.status !== 'done').sort((a, b) => (a.due < b.due ? -1 : 1))[0] ?? null,
  }
}

/** `GET /projects`: every project of the organisation, newest audit first. */
export async function listProjects(c: Context<AppEnv>) {
  const ctx = certContext(c)
  const items = (await ctx.recs.projects()).map((r) => {
    const v = projectView(r, ctx.today)
    return {
      id: r.id,
      title: r.data.title,
      standard: r.data.standard,
      assessmentLevel: r.data.assessmentLevel ?? null,
      auditDate: r.data.auditDate,
      phase: v.phase,
      milestones: v.plan.milestones.length,
      done: v.plan.milestones.filter((m) => m.status === 'done').length,
      atRisk: v.plan.milestones.filter((m) => m.atRisk).length,
      late: v.plan.milestones.filter((m) => m.late && m.status !== 'done').length,
      next: v.next ? { id: v.next.id, title: v.next.title, due: v.next.due } : null,
    }
  })
  items.sort((a, b) => (a.auditDate < b.auditDate ? 1 : -1))
  return c.json({ items })
}

/** `POST /projects` (ISO): validates everything before writing anything, then starts the workflow. */
export async function createProject(c: Context<AppEnv>) {
  const ctx = certContext(c)
  const body = await jsonBody(c, createBody)
  const fields: Record<string, string> = {}
  let template = certificationTemplate(body.standard)
  if (body.template !== undefined) {
    try {
      template = parseCertificationTemplate(body.template)
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err
      const named = Object.fromEntries(Object.entries(err.fields ?? {}).map(([k, v]) => [`template.${k}`, v]))
      throw validationError(named, 'The milestone template is invalid.')
    }
    if (template.standard !== body.standard)
      fields['template.standard'] = `must be ${body.standard}, the project's standard`
    const forms = await ctx.deps.forms()
    template.milestones.forEach((m, i) => {
      if (m.completes.formId && !forms.get(m.completes.formId))
        fields[`template.milestones.${i}.completes.formId`] = `"${m.completes.formId}" is not a known form`
    })
  }
  let level = body.assessmentLevel
  let levelSource: CertProject['levelSource']
  let modules = body.tisaxModules
  if (body.standard === 'tisax') {
    const fromDecision = await tisaxFromDecision(ctx.recs.org)
    levelSource = level ? 'chosen' : fromDecision ? 'obligation-decision' : undefined
    level ??= fromDecision?.level
    modules ??= fromDecision?.modules ?? ['information-security']
    if (!level)
      fields.assessmentLevel =
        'choose AL2 or AL3: no obligation decision of this organisation names a TISAX level yet'
    if (body.prototypeLabels && !modules.includes('prototype-protection'))
      fields.prototypeLabels = 'applies when the prototype-protection module is in scope'
    else if (body.prototypeLabels && new Set(body.prototypeLabels).size !== body.prototypeLabels.length)
      fields.prototypeLabels = 'names a label twice'
  } else {
    if (body.prototypeLabels) fields.prototypeLabels = 'applies to TISAX only'
    if (body.assessmentLevel) fields.assessmentLevel = 'applies to TISAX only'
    if (body.tisaxModules) fields.tisaxModules = 'applies to TISAX only'
  }
  if (Object.keys(fields).length > 0) throw validationError(fields)
  // The domain names an audit date in the past (or not a date) as `auditDate`.
  planMilestones(template, body.auditDate, {}, ctx.today)

  const id = `cp-${randomUUID().slice(0, 8)}`
  const data: CertProject = {
    id,
    title: body.title ?? template.title.en,
    standard: body.standard,
    ...(body.standard === 'tisax' ? { assessmentLevel: level, levelSource, tisaxModules: modules } : {}),
    ...(body.standard === 'tisax' && body.prototypeLabels ? { prototypeLabels: body.prototypeLabels } : {}),
    templateId: template.id,
    templateVersion: template.version,
    auditDate: body.auditDate,
    auditDateMoves: [],
    done: {},
    completions: {},
    stage1Threshold: body.stage1Threshold ?? DEFAULT_STAGE1_THRESHOLD,
    audits: {},
    evidenceConfirmations: {},
    createdByName: ctx.p.name,
    ...(body.template !== undefined ? { template } : {}),
  }
  const org = ctx.recs.org
  let rec = await org.create(CERT_TYPES.project, id, data, { actor: ctx.actor })
  if (body.startWorkflow !== false) {
    try {
      const started = await ctx.deps.workflows.start(
        CERTIFICATION_WORKFLOW,
        { orgId: ctx.p.orgId, projectId: id },
        `cert-${ctx.p.orgId}-${id}`,
      )
      rec = await org.update(
        CERT_TYPES.project,
        id,
        {
          ...data,
          workflow: { executionArn: started.executionArn, startedAt: ctx.deps.now().toISOString() },
        },
        { actor: ctx.actor, expectedVersion: rec.version, action: 'cert-project.workflow-started' },
      )
    } catch (err) {
      await org
        .remove(CERT_TYPES.project, id, { actor: ctx.actor, action: 'cert-project.rollback' })
        .catch(rollbackFailed(c.get('requestId'), 'the certification project'))
      throw new InternalError(
        'The certification workflow could not be started, so the project was not saved.',
        {
          cause: err,
        },
      )
    }
  }
  return c.json(projectView(rec, ctx.today), 201)
}

/** `GET /projects/:id`. */
export async function getProject(c: Context<AppEnv>) {
  const ctx = certContext(c)
  const rec = await ctx.recs.project(c.req.param('id')!)
  return c.json(projectView(rec, ctx.today))
}

/** `PATCH /projects/:id` (ISO): title, Stage 1 threshold. */
export async function patchProject(c: Context<AppEnv>) {
  const ctx = certContext(c)
  const body = await jsonBody(c, patchBody)
  const rec = await ctx.recs.project(c.req.param('id')!)
  const next = {
    ...rec.data,
    ...(body.title !== undefined ? { title: body.title } : {}),
    ...(body.stage1Threshold !== undefined ? { stage1Threshold: body.stage1Threshold } : {}),
  }
  const saved = await ctx.recs.org.update(CERT_TYPES.project, rec.id, next, {
    actor: ctx.actor,
    expectedVersion: body.version,
  })
  return c.json(projectView(saved, ctx.today))
}

/**
 * `PUT /projects/:id/audit-date` (ISO): moves the audit date. Milestones not done are planned
 * again from it (done ones keep their dates), and open milestone tasks get their new due dates.
 */
export async function moveAuditDate(c: Context<AppEnv>) {
  const ctx = certContext(c)
  const body = await jsonBody(c, moveBody)
  const rec = await ctx.recs.project(c.req.param('id')!)
  const t = projectTemplate(rec.data)
  if (rec.data.done[t.anchorId])
    throw conflict('The audit is recorded as held; its date can no longer move.', {
      auditDate: 'the audit is done',
    })
  planMilestones(t, body.auditDate, { done: rec.data.done }, ctx.today)
  const next: CertProject = {
    ...rec.data,
    auditDate: body.auditDate,
    auditDateMoves: [
      ...rec.data.auditDateMoves,
      {
        from: rec.data.auditDate,
        to: body.auditDate,
        at: ctx.deps.now().toISOString(),
        by: ctx.p.userId,
        reason: body.reason,
      },
    ],
  }
  const saved = await ctx.recs.org.update(CERT_TYPES.project, rec.id, next, {
    actor: ctx.actor,
    expectedVersion: body.version,
    action: 'cert-project.audit-date-moved',
  })
  const moved = await retimeOpenTasks(ctx, saved.data)
  return c.json({ ...projectView(saved, ctx.today), tasksMoved: moved })
}

/** Gives open milestone tasks of the project the due dates of the new plan; returns how many moved. */
async function retimeOpenTasks(ctx: CertContext, project: CertProject): Promise<number> {
  const plan = new Map(projectPlan(project, ctx.today).milestones.map((m) => [m.id, m]))
  let moved = 0
  for (const rec of await ctx.deps.taskStore.forSubject(ctx.p.orgId, 'cert-project', project.id)) {
    const task: Task = rec.data
    if (!isOpen(task)) continue
    const m = plan.get(String(task.context.milestoneId ?? ''))
    if (!m || m.status === 'done' || task.kind === 'certification-corrective-action') continue
    const dueAt = dueAtOf(m.due)
    if (task.dueAt === dueAt) continue
    try {
      await ctx.deps.taskStore.transition(
        rec,
        { dueAt, context: { ...task.context, due: m.due } },
        ctx.actor,
        'task.due-moved',
      )
      moved++
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err
    }
  }
  return moved
}

/** `POST /projects/:id/milestones/:milestoneId/done` (ISO): records a milestone done outside a task. */
export async function markMilestoneDone(c: Context<AppEnv>) {
  const ctx = certContext(c)
  const body = await jsonBody(c, doneBody)
  const rec = await ctx.recs.project(c.req.param('id')!)
  const milestoneId = c.req.param('milestoneId')!
  const t = projectTemplate(rec.data)
  if (!t.milestones.some((m) => m.id === milestoneId)) throw notFound('Milestone')
  if (rec.data.done[milestoneId])
    throw conflict(`The milestone was already recorded done on ${rec.data.done[milestoneId].on}.`)
  const on = body.on ?? ctx.today
  if (on > ctx.today) throw validationError({ on: 'must not be in the future' })
  const saved = await ctx.recs.markDone(
    rec.id,
    milestoneId,
    on,
    { by: ctx.p.userId, byName: ctx.p.name, at: ctx.deps.now().toISOString() },
    ctx.actor,
  )
  return c.json(projectView(saved, ctx.today))
}

/** `GET /people` (ISO): members of the organisation, to choose owners. */
export async function listPeople(c: Context<AppEnv>) {
  const ctx = certContext(c)
  return c.json({ items: await people(ctx.deps, ctx.p.orgId) })
}
