/**
 * The Statement of Applicability of a project: the task list grouped by theme, one control
 * with its evidence and linked risks, the ISO's decision per control (the domain's SoA rules),
 * and the owner's implementation status.
 */

import type { Context } from 'hono'
import { z } from 'zod'
import {
  additionalRequirements,
  IMPLEMENTATION_STATUSES,
  INCLUSION_REASONS,
  type SoaEntry,
  TARGET_MATURITY,
  validateSoaEntry,
} from '../../../domain/certification/index.js'
import type { ControlView } from '../../../domain/contracts/certification.js'
import { forbidden, notFound, validationError } from '../../../domain/errors.js'
import {
  CERT_TYPES,
  type CertProject,
  controlCatalogue,
  type SoaRecord,
} from '../../../store/certification.js'
import { fileRefsOf } from '../../../store/evidence-files.js'
import type { StoredRecord } from '../../../store/records.js'
import { flagUnjustifiedInclusions } from '../../../store/soa-justifications.js'
import type { AppEnv } from '../../env.js'
import { jsonBody } from '../../validate.js'
import { type CertContext, certContext, isIso, namesOf, people, readsAll } from './context.js'
import { controlRow, evidenceView, soaByTheme } from './views.js'

/** The TISAX rules of a project's SoA: the additional requirements its level asks for, the target maturity. */
export const tisaxRules = (project: Pick<CertProject, 'standard' | 'assessmentLevel'>) =>
  project.standard === 'tisax'
    ? { needs: additionalRequirements(project.assessmentLevel), targetMaturity: TARGET_MATURITY }
    : undefined

/** Body of `PUT …/projects/:id/soa/:controlId`: the SoA decision. */
export const decisionBody = z.strictObject({
  applicable: z.boolean('must be true or false'),
  justification: z.string().max(5000, 'must be at most 5000 characters').optional(),
  inclusionReasons: z
    .array(z.enum(INCLUSION_REASONS, `must be one of ${INCLUSION_REASONS.join(', ')}`))
    .optional(),
  status: z.enum(IMPLEMENTATION_STATUSES, `must be one of ${IMPLEMENTATION_STATUSES.join(', ')}`),
  ownerId: z.string().trim().min(1).max(200).nullable().optional(),
  riskIds: z.array(z.string().min(1).max(200)).max(200, 'has at most 200 entries').optional(),
  /** The control's title in the organisation's own words (the official title from its licensed copy). */
  officialTitle: z.string().trim().max(300, 'must be at most 300 characters').optional(),
  /** TISAX: maturity 0–5 (target 3). */
  maturity: z.int('must be a whole number').min(0, 'must be 0 to 5').max(5, 'must be 0 to 5').optional(),
  /** TISAX: additional requirements for high / very high protection needs, as the level asks. */
  additionalRequirements: z.record(z.string(), z.unknown()).optional(),
  /** The entry's version when changing an existing decision (409 when someone changed it meanwhile). */
  version: z.int().min(1).optional(),
})

/** Body of `PATCH …/projects/:id/soa/:controlId/status`. */
export const statusBody = z.strictObject({
  status: z.enum(IMPLEMENTATION_STATUSES, `must be one of ${IMPLEMENTATION_STATUSES.join(', ')}`),
  version: z.int().min(1).optional(),
})

/** The control of a project's catalogue named in the path (404 when the catalogue has no such control). */
export function catalogueControl(project: CertProject, controlId: string) {
  const catalogue = controlCatalogue(project)
  const control = catalogue.controls.find((x) => x.id === controlId)
  if (!control) throw notFound('Control')
  return { catalogue, control }
}

/** 403 unless the person reads the whole project or owns this control. */
export function assertMayRead(ctx: CertContext, entry: SoaRecord | undefined) {
  if (readsAll(ctx.p) || (entry?.ownerId !== undefined && entry.ownerId === ctx.p.userId)) return
  throw forbidden('You can see the controls you own; this one is not yours.')
}

/** 403 unless the person is the ISO or owns this control (evidence and status). */
export function assertMayWork(ctx: CertContext, entry: SoaRecord | undefined) {
  if (isIso(ctx.p) || (entry?.ownerId !== undefined && entry.ownerId === ctx.p.userId)) return
  throw forbidden('Only the ISO and the control owner can change evidence and status.')
}

/** `GET /projects/:id/soa`: themes with their controls in task-list form; members see their own controls. */
export async function getSoa(c: Context<AppEnv>) {
  const ctx = certContext(c)
  const project = (await ctx.recs.project(c.req.param('id')!)).data
  const catalogue = controlCatalogue(project)
  // Entries decided before inclusions needed a justification are flagged once (no-op after).
  await flagUnjustifiedInclusions(ctx.recs.org)
  const entries = await ctx.recs.soa(project.id)
  const nameOf = await namesOf(ctx.deps, ctx.p.orgId)
  const all = readsAll(ctx.p)
  const themes = soaByTheme(
    catalogue,
    entries,
    ctx.today,
    nameOf,
    (_, e) => all || e?.ownerId === ctx.p.userId,
  )
  const controls = themes.flatMap((t) => t.controls)
  return c.json({
    projectId: project.id,
    standard: project.standard,
    scope: all ? 'all' : 'own',
    counts: {
      controls: controls.length,
      decided: controls.filter((x) => x.decided).length,
      excluded: controls.filter((x) => x.applicable === false).length,
      justificationMissing: controls.filter((x) => x.justificationMissing).length,
      completed: controls.filter((x) => x.status === 'completed').length,
    },
    themes,
  })
}

/** The full view of one control: catalogue text, the entry, evidence with freshness and files, risks. */
export async function controlView(
  ctx: CertContext,
  project: CertProject,
  controlId: string,
  rec: StoredRecord<SoaRecord> | undefined,
): Promise<ControlView> {
  const { catalogue, control } = catalogueControl(project, controlId)
  const nameOf = await namesOf(ctx.deps, ctx.p.orgId)
  const files = await ctx.files.metas(ctx.p.orgId, fileRefsOf([rec?.data]))
  const risks = await ctx.recs.linkedRisks(rec?.data.riskIds ?? [])
  const row = controlRow(control, rec, ctx.today, nameOf)
  return {
    projectId: project.id,
    control: { ...control, themeTitle: catalogue.themes.find((t) => t.id === control.theme)?.title },
    row,
    entry: rec
      ? { ...rec.data, version: rec.version, updatedAt: rec.updatedAt, updatedBy: nameOf(rec.updatedBy) }
      : null,
    evidence: (rec?.data.evidence ?? []).map((e) =>
      evidenceView(e, ctx.today, e.fileRef ? files.get(e.fileRef) : undefined),
    ),
    risks: (rec?.data.riskIds ?? []).map((id) => ({
      id,
      title: risks.get(id)?.title ?? null,
      treatment: risks.get(id)?.treatment ?? null,
    })),
    /** TISAX projects: the protection needs whose additional requirements apply, and the target maturity. */
    tisax: tisaxRules(project) ?? null,
    mayDecide: isIso(ctx.p),
    mayWork: isIso(ctx.p) || (rec?.data.ownerId !== undefined && rec.data.ownerId === ctx.p.userId),
  }
}

/** `GET /projects/:id/soa/:controlId`. */
export async function getControl(c: Context<AppEnv>) {
  const ctx = certContext(c)
  const project = (await ctx.recs.project(c.req.param('id')!)).data
  const controlId = c.req.param('controlId')!
  catalogueControl(project, controlId)
  await flagUnjustifiedInclusions(ctx.recs.org)
  const rec = await ctx.recs.soaEntry(project.id, controlId)
  assertMayRead(ctx, rec?.data)
  return c.json(await controlView(ctx, project, controlId, rec))
}

/** Owner and risk links must exist in this organisation (400 naming the field). */
async function checkLinks(ctx: CertContext, entry: Pick<SoaEntry, 'ownerId' | 'riskIds'>) {
  const fields: Record<string, string> = {}
  if (entry.ownerId) {
    const member = (await people(ctx.deps, ctx.p.orgId)).find((x) => x.userId === entry.ownerId)
    if (!member) fields.ownerId = 'is not a member of this organisation'
    else if (member.roles.length === 1 && member.roles[0] === 'auditor')
      fields.ownerId = 'an auditor cannot own a control'
  }
  if (entry.riskIds.length > 0) {
    const known = await ctx.recs.linkedRisks(entry.riskIds)
    entry.riskIds.forEach((id, i) => {
      if (!known.has(id)) fields[`riskIds.${i}`] = `"${id}" is not a risk of this organisation`
    })
  }
  if (Object.keys(fields).length > 0) throw validationError(fields)
}

/**
 * `PUT /projects/:id/soa/:controlId` (ISO): decides a control. The domain's rules apply (an
 * exclusion needs a justification, an inclusion a reason and an owner, …); nothing is written
 * when any field fails.
 */
export async function putDecision(c: Context<AppEnv>) {
  const ctx = certContext(c)
  const body = await jsonBody(c, decisionBody)
  const project = (await ctx.recs.project(c.req.param('id')!)).data
  const controlId = c.req.param('controlId')!
  const { catalogue } = catalogueControl(project, controlId)
  const existing = await ctx.recs.soaEntry(project.id, controlId)
  const entry = validateSoaEntry(
    {
      controlId,
      applicable: body.applicable,
      justification: body.justification ?? '',
      inclusionReasons: body.inclusionReasons ?? [],
      status: body.status,
      ...(body.ownerId ? { ownerId: body.ownerId } : {}),
      riskIds: body.riskIds ?? [],
      evidence: existing?.data.evidence ?? [],
      ...(body.officialTitle ? { officialTitle: body.officialTitle } : {}),
      ...(body.maturity !== undefined ? { maturity: body.maturity } : {}),
      ...(body.additionalRequirements ? { additionalRequirements: body.additionalRequirements } : {}),
    },
    { today: ctx.today, isKnownControl: catalogue.isKnown, tisax: tisaxRules(project) },
  )
  await checkLinks(ctx, entry)
  const data: SoaRecord = { ...entry, projectId: project.id }
  const id = ctx.recs.soaRecordId(project.id, controlId)
  const opts = { actor: ctx.actor, action: 'cert-soa.decide' }
  const saved = existing
    ? await ctx.recs.org.update(CERT_TYPES.soa, id, data, {
        ...opts,
        expectedVersion: body.version ?? existing.version,
      })
    : await ctx.recs.org.create(CERT_TYPES.soa, id, data, opts)
  return c.json(await controlView(ctx, project, controlId, saved))
}

/** `PATCH /projects/:id/soa/:controlId/status` (ISO or owner): the implementation status. */
export async function patchStatus(c: Context<AppEnv>) {
  const ctx = certContext(c)
  const body = await jsonBody(c, statusBody)
  const project = (await ctx.recs.project(c.req.param('id')!)).data
  const controlId = c.req.param('controlId')!
  const { catalogue } = catalogueControl(project, controlId)
  const existing = await ctx.recs.soaEntry(project.id, controlId)
  assertMayRead(ctx, existing?.data)
  assertMayWork(ctx, existing?.data)
  if (!existing) throw validationError({ status: 'decide whether the control applies first' })
  const { projectId: _p, ...entry } = existing.data
  const next = validateSoaEntry(
    { ...entry, status: body.status },
    { today: ctx.today, isKnownControl: catalogue.isKnown, tisax: tisaxRules(project) },
  )
  const saved = await ctx.recs.org.update(
    CERT_TYPES.soa,
    existing.id,
    { ...next, projectId: project.id },
    { actor: ctx.actor, action: 'cert-soa.status', expectedVersion: body.version ?? existing.version },
  )
  return c.json(await controlView(ctx, project, controlId, saved))
}
