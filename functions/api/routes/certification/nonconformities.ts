/**
 * Nonconformities of a project (audit findings) and their corrective actions. The ISO records
 * them; the workflow turns each open one into a corrective-action task after its audit.
 */
import type { Context } from 'hono'
import { z } from 'zod'
import { FINDING_SEVERITIES, severityProblem } from '../../../domain/certification/index.js'
import { ConflictError, conflict, notFound, validationError } from '../../../domain/errors.js'
import { isIsoDate } from '../../../domain/risk/calendar.js'
import {
  CERT_TYPES,
  controlCatalogue,
  NC_SOURCES_EXTRA,
  type NonconformityRecord,
  projectTemplate,
} from '../../../store/certification.js'
import type { AppEnv } from '../../env.js'
import { jsonBody } from '../../validate.js'
import { certContext, namesOf, people } from './context.js'

const dateField = z.string().refine(isIsoDate, 'must be a date written YYYY-MM-DD')

/** Body of `POST …/projects/:id/nonconformities`. */
export const createBody = z.strictObject({
  severity: z.enum(FINDING_SEVERITIES, `must be one of ${FINDING_SEVERITIES.join(', ')}`),
  title: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
  description: z.string().trim().max(5000, 'must be at most 5000 characters').optional(),
  source: z.string().min(1, 'is required').max(80),
  controlId: z.string().min(1).max(20).optional(),
  foundOn: dateField,
  ownerId: z.string().trim().min(1).max(200).optional(),
  dueOn: dateField.optional(),
  correctiveAction: z.string().trim().max(5000, 'must be at most 5000 characters').optional(),
})

/** Body of `PATCH …/projects/:id/nonconformities/:ncId`. */
export const patchBody = z.strictObject({
  version: z.int().min(1),
  status: z.enum(['open', 'in-progress', 'closed'], 'must be open, in-progress or closed').optional(),
  ownerId: z.string().trim().min(1).max(200).nullable().optional(),
  dueOn: dateField.nullable().optional(),
  correctiveAction: z.string().trim().max(5000).optional(),
  rootCause: z.string().trim().max(5000).optional(),
  actionTaken: z.string().trim().max(5000).optional(),
})

/** `GET /projects/:id/nonconformities` (ISO, management). */
export async function listNonconformities(c: Context<AppEnv>) {
  const ctx = certContext(c)
  const project = (await ctx.recs.project(c.req.param('id')!)).data
  const nameOf = await namesOf(ctx.deps, ctx.p.orgId)
  const items = (await ctx.recs.ncs(project.id)).map((r) => ({
    ...r.data,
    version: r.version,
    ownerName: r.data.ownerId ? nameOf(r.data.ownerId) : null,
  }))
  const sources = projectTemplate(project)
    .milestones.filter(
      (m) => m.completes.kind === 'audit' || m.id.includes('audit') || m.id.includes('assessment'),
    )
    .map((m) => ({ id: m.id, title: m.title }))
  return c.json({ items, sources, extraSources: NC_SOURCES_EXTRA })
}

/** `POST /projects/:id/nonconformities` (ISO). */
export async function createNonconformity(c: Context<AppEnv>) {
  const ctx = certContext(c)
  const body = await jsonBody(c, createBody)
  const project = (await ctx.recs.project(c.req.param('id')!)).data
  const fields: Record<string, string> = {}
  const milestoneIds = new Set(projectTemplate(project).milestones.map((m) => m.id))
  if (!milestoneIds.has(body.source) && !(NC_SOURCES_EXTRA as readonly string[]).includes(body.source))
    fields.source = `must be a milestone of the plan or one of ${NC_SOURCES_EXTRA.join(', ')}`
  const severity = severityProblem(projectTemplate(project), body.source, body.severity)
  if (severity) fields.severity = severity
  if (body.controlId && !controlCatalogue(project).isKnown(body.controlId))
    fields.controlId = `"${body.controlId}" is not a control of the catalogue`
  if (body.foundOn > ctx.today) fields.foundOn = 'must not be in the future'
  if (body.dueOn && body.dueOn < body.foundOn) fields.dueOn = 'must not be before the finding'
  if (body.ownerId && !(await people(ctx.deps, ctx.p.orgId)).some((x) => x.userId === body.ownerId))
    fields.ownerId = 'is not a member of this organisation'
  if (Object.keys(fields).length > 0) throw validationError(fields)
  const existing = await ctx.recs.ncs(project.id)
  let n = existing.length + 1
  for (;;) {
    const id = `nc-${String(n).padStart(3, '0')}`
    const data: NonconformityRecord = {
      id,
      projectId: project.id,
      severity: body.severity,
      status: 'open',
      title: body.title,
      description: body.description ?? '',
      source: body.source,
      foundOn: body.foundOn,
      ...(body.controlId ? { controlId: body.controlId } : {}),
      ...(body.ownerId ? { ownerId: body.ownerId } : {}),
      ...(body.dueOn ? { dueOn: body.dueOn } : {}),
      ...(body.correctiveAction ? { correctiveAction: body.correctiveAction } : {}),
    }
    try {
      const rec = await ctx.recs.org.create(CERT_TYPES.nc, ctx.recs.ncRecordId(project.id, id), data, {
        actor: ctx.actor,
      })
      return c.json({ ...rec.data, version: rec.version }, 201)
    } catch (err) {
      if (!(err instanceof ConflictError) || n > existing.length + 20) throw err
      n++
    }
  }
}

/** `PATCH /projects/:id/nonconformities/:ncId` (ISO): status, owner, due date, corrective action; closing needs what was done. */
export async function patchNonconformity(c: Context<AppEnv>) {
  const ctx = certContext(c)
  const body = await jsonBody(c, patchBody)
  const project = (await ctx.recs.project(c.req.param('id')!)).data
  const rec = await ctx.recs.nc(project.id, c.req.param('ncId')!)
  if (!rec) throw notFound('Nonconformity')
  if (rec.data.status === 'closed') throw conflict('The nonconformity is closed.')
  const next: NonconformityRecord = { ...rec.data }
  if (body.status) next.status = body.status
  if (body.ownerId !== undefined) {
    if (body.ownerId === null) delete next.ownerId
    else if (!(await people(ctx.deps, ctx.p.orgId)).some((x) => x.userId === body.ownerId))
      throw validationError({ ownerId: 'is not a member of this organisation' })
    else next.ownerId = body.ownerId
  }
  if (body.dueOn !== undefined) {
    if (body.dueOn === null) delete next.dueOn
    else next.dueOn = body.dueOn
  }
  if (body.correctiveAction !== undefined) next.correctiveAction = body.correctiveAction
  if (next.status === 'closed') {
    if (!body.actionTaken)
      throw validationError({ actionTaken: 'say what was done to close the nonconformity' })
    next.closure = {
      rootCause: body.rootCause ?? '',
      actionTaken: body.actionTaken,
      effectiveOn: ctx.today,
      by: ctx.p.userId,
      byName: ctx.p.name,
      at: ctx.deps.now().toISOString(),
    }
  }
  const saved = await ctx.recs.org.update(CERT_TYPES.nc, rec.id, next, {
    actor: ctx.actor,
    expectedVersion: body.version,
  })
  return c.json({ ...saved.data, version: saved.version })
}
