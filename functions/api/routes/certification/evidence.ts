/**
 * Evidence of a control: a link, a file, removal, and download of a stored file. Files go
 * straight between the browser and S3: `uploads` answers a presigned POST (at most 25 MB, the
 * accepted types only), the browser uploads, and confirming the upload checks the object and
 * adds it as evidence; a download redirects to a presigned GET (attachment, `nosniff`).
 * Evidence is checked with the domain's SoA rules before anything is stored.
 */
import { randomUUID } from 'node:crypto'
import type { Context } from 'hono'
import { z } from 'zod'
import {
  EVIDENCE_FILE_TYPES,
  evidenceItemSchema,
  evidenceTypeOf,
  MAX_EVIDENCE_FILE_BYTES,
  soaEntryProblems,
  soaEntrySchema,
} from '../../../domain/certification/index.js'
import {
  conflict,
  forbidden,
  notFound,
  PayloadTooLargeError,
  validationError,
} from '../../../domain/errors.js'
import { safeFileName } from '../../../domain/text-safety.js'
import { zodFields } from '../../../domain/zod-fields.js'
import { CERT_TYPES, type CertProject, type SoaRecord } from '../../../store/certification.js'
import { DOWNLOAD_SECONDS, EvidenceFileRejected, isEvidenceFileId } from '../../../store/evidence-files.js'
import type { StoredRecord } from '../../../store/records.js'
import type { AppEnv } from '../../env.js'
import { rollbackFailed } from '../../errors.js'
import { jsonBody } from '../../validate.js'
import { type CertContext, certContext, isIso, readsAll } from './context.js'
import { assertMayRead, assertMayWork, catalogueControl, controlView, tisaxRules } from './soa.js'

const tooLarge = () =>
  new PayloadTooLargeError(
    `The file is larger than ${MAX_EVIDENCE_FILE_BYTES / (1024 * 1024)} MB. Upload a smaller file or link to it.`,
    { fields: { file: `must be at most ${MAX_EVIDENCE_FILE_BYTES} bytes` } },
  )

const TYPE_NAMES = 'PDF, PNG, JPEG, DOCX, XLSX, ZIP, TXT or CSV'

/** Body of `POST …/soa/:controlId/evidence`: a link as evidence. */
export const linkBody = z.strictObject({
  title: z.string(),
  date: z.string(),
  url: z.string(),
  freshnessMonths: z.int().optional(),
})

async function loadForEvidence(ctx: CertContext, projectId: string, controlId: string) {
  const project = (await ctx.recs.project(projectId)).data
  const { catalogue } = catalogueControl(project, controlId)
  const rec = await ctx.recs.soaEntry(project.id, controlId)
  assertMayRead(ctx, rec?.data)
  assertMayWork(ctx, rec?.data)
  if (!rec)
    throw conflict('Decide whether the control applies before adding evidence.', {
      controlId: 'is not decided yet',
    })
  if (!rec.data.applicable)
    throw conflict('The control is excluded; evidence belongs to applicable controls.', {
      controlId: 'is excluded',
    })
  return { project, catalogue, rec }
}

/** Checks an item against the item schema and the entry's rules (400 naming the body's field). */
function withItem(
  ctx: CertContext,
  project: CertProject,
  rec: StoredRecord<SoaRecord>,
  isKnown: (id: string) => boolean,
  item: unknown,
) {
  const parsed = evidenceItemSchema.safeParse(item)
  if (!parsed.success) throw validationError(zodFields(parsed.error), 'The evidence has invalid fields.')
  const { projectId: _p, ...entry } = rec.data
  const candidate = { ...entry, evidence: [...entry.evidence, parsed.data] }
  const n = candidate.evidence.length - 1
  const problems = soaEntryProblems(candidate, {
    today: ctx.today,
    isKnownControl: isKnown,
    tisax: tisaxRules(project),
  })
  if (Object.keys(problems).length > 0) {
    const prefix = `evidence.${n}.`
    const named = Object.fromEntries(
      Object.entries(problems).map(([k, v]) => [k.startsWith(prefix) ? k.slice(prefix.length) : k, v]),
    )
    throw validationError(named, 'The evidence has invalid fields.')
  }
  return { entry: soaEntrySchema.parse(candidate) }
}

async function save(
  ctx: CertContext,
  project: CertProject,
  rec: StoredRecord<SoaRecord>,
  entry: SoaRecord | Omit<SoaRecord, 'projectId'>,
  action: string,
) {
  return ctx.recs.org.update(
    CERT_TYPES.soa,
    rec.id,
    { ...entry, projectId: project.id },
    { actor: ctx.actor, action, expectedVersion: rec.version },
  )
}

/** `POST /projects/:id/soa/:controlId/evidence` (ISO or owner): a link with its date and freshness. */
export async function addLink(c: Context<AppEnv>) {
  const ctx = certContext(c)
  const body = await jsonBody(c, linkBody)
  const { project, catalogue, rec } = await loadForEvidence(
    ctx,
    c.req.param('id')!,
    c.req.param('controlId')!,
  )
  const { entry } = withItem(ctx, project, rec, catalogue.isKnown, {
    id: `ev-${randomUUID().slice(0, 12)}`,
    ...body,
  })
  const saved = await save(ctx, project, rec, entry, 'cert-soa.evidence-link')
  return c.json(await controlView(ctx, project, rec.data.controlId, saved), 201)
}

const itemFields = {
  title: z.string().optional(),
  date: z.string().optional(),
  freshnessMonths: z.int().optional(),
}

/** Body of `POST …/soa/:controlId/evidence/uploads`: the file announced. */
export const uploadBody = z.strictObject({
  name: z.string().min(1).max(500),
  size: z.int().min(0),
  contentType: z.string().max(200),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be the hex SHA-256 of the file'),
  ...itemFields,
})

/** Body of `POST …/soa/:controlId/evidence/uploads/:fileId`. */
export const confirmBody = z.strictObject(itemFields)

/** The evidence item a file becomes (title defaults to the name, date to today). */
function fileItem(
  ctx: CertContext,
  body: z.infer<typeof confirmBody>,
  name: string,
  id: string,
  fileRef: string,
) {
  const text = (v: string | undefined) => (v !== undefined && v.trim() !== '' ? v.trim() : undefined)
  return {
    id,
    title: text(body.title) ?? name,
    date: text(body.date) ?? ctx.today,
    fileRef,
    ...(body.freshnessMonths !== undefined ? { freshnessMonths: body.freshnessMonths } : {}),
  }
}

/**
 * `POST /projects/:id/soa/:controlId/evidence/uploads` (ISO or owner): announces a file (name,
 * size, type, SHA-256, and the evidence fields) and answers where the browser uploads it
 * (a presigned POST). Size, type and the evidence fields are checked first.
 */
export async function startUpload(c: Context<AppEnv>) {
  const ctx = certContext(c)
  const body = await jsonBody(c, uploadBody)
  const { project, catalogue, rec } = await loadForEvidence(
    ctx,
    c.req.param('id')!,
    c.req.param('controlId')!,
  )
  if (body.size > MAX_EVIDENCE_FILE_BYTES) throw tooLarge()
  if (body.size === 0) throw validationError({ file: 'the file is empty' })
  const name = safeFileName(body.name)
  const contentType = evidenceTypeOf(name, body.contentType)
  if (!contentType)
    throw validationError({ file: `must be a ${TYPE_NAMES} file` }, `Upload a ${TYPE_NAMES} file.`)
  withItem(ctx, project, rec, catalogue.isKnown, fileItem(ctx, body, name, 'check', 'pending'))
  const upload = await ctx.files.presignUpload(
    ctx.p.orgId,
    {
      projectId: project.id,
      controlId: rec.data.controlId,
      name,
      contentType,
      size: body.size,
      sha256: body.sha256,
    },
    ctx.actor,
  )
  return c.json({ ...upload, contentType, accepted: Object.keys(EVIDENCE_FILE_TYPES) }, 201)
}

/**
 * `POST /projects/:id/soa/:controlId/evidence/uploads/:fileId` (ISO or owner): after the
 * browser's upload, checks the object (size, type by its first bytes, SHA-256) and adds it as
 * evidence. A repeat answers the control view with the evidence added once.
 */
export async function confirmUpload(c: Context<AppEnv>) {
  const ctx = certContext(c)
  const body = await jsonBody(c, confirmBody)
  const fileId = c.req.param('fileId')!
  if (!isEvidenceFileId(fileId)) throw notFound('Upload')
  const { project, catalogue, rec } = await loadForEvidence(
    ctx,
    c.req.param('id')!,
    c.req.param('controlId')!,
  )
  let meta: Awaited<ReturnType<typeof ctx.files.confirm>>
  try {
    meta = await ctx.files.confirm(ctx.p.orgId, fileId, ctx.actor)
  } catch (err) {
    if (err instanceof EvidenceFileRejected)
      throw err.reason === 'size'
        ? tooLarge()
        : validationError({ file: err.message }, 'The uploaded file was refused.')
    throw err
  }
  if (!meta || meta.projectId !== project.id || meta.controlId !== rec.data.controlId)
    throw notFound('Upload')
  if (rec.data.evidence.some((e) => e.fileRef === fileId))
    return c.json(await controlView(ctx, project, rec.data.controlId, rec))
  try {
    const { entry } = withItem(
      ctx,
      project,
      rec,
      catalogue.isKnown,
      fileItem(ctx, body, meta.name, `ev-${randomUUID().slice(0, 12)}`, meta.id),
    )
    const saved = await save(ctx, project, rec, entry, 'cert-soa.evidence-file')
    return c.json(await controlView(ctx, project, rec.data.controlId, saved), 201)
  } catch (err) {
    await ctx.files
      .remove(ctx.p.orgId, meta.id, ctx.actor)
      .catch(rollbackFailed(c.get('requestId'), 'the uploaded file'))
    throw err
  }
}

/** `DELETE /projects/:id/soa/:controlId/evidence/:evidenceId` (ISO or owner); a stored file goes with it. */
export async function removeEvidence(c: Context<AppEnv>) {
  const ctx = certContext(c)
  const { project, rec } = await loadForEvidence(ctx, c.req.param('id')!, c.req.param('controlId')!)
  const evidenceId = c.req.param('evidenceId')!
  const item = rec.data.evidence.find((e) => e.id === evidenceId)
  if (!item) throw notFound('Evidence')
  const { projectId: _p, ...entry } = rec.data
  const saved = await save(
    ctx,
    project,
    rec,
    { ...entry, evidence: entry.evidence.filter((e) => e.id !== evidenceId) },
    'cert-soa.evidence-remove',
  )
  if (item.fileRef) await ctx.files.remove(ctx.p.orgId, item.fileRef, ctx.actor)
  return c.json(await controlView(ctx, project, rec.data.controlId, saved))
}

/**
 * The presigned GET of a stored file (always an attachment, `nosniff`; only PDF, images and
 * text keep their type); owners only their controls' files, another organisation's: 404.
 */
async function presignedDownload(c: Context<AppEnv>) {
  const ctx = certContext(c)
  const project = (await ctx.recs.project(c.req.param('id')!)).data
  const meta = await ctx.files.meta(ctx.p.orgId, c.req.param('fileId')!)
  if (!meta || meta.projectId !== project.id) throw notFound('File')
  if (!readsAll(ctx.p) && !isIso(ctx.p)) {
    const entry = await ctx.recs.soaEntry(project.id, meta.controlId)
    if (entry?.data.ownerId !== ctx.p.userId)
      throw forbidden('You can open the evidence of the controls you own.')
  }
  c.header('cache-control', 'private, no-store')
  return ctx.files.downloadUrl(ctx.p.orgId, meta)
}

/** `GET /projects/:id/files/:fileId`: a redirect to a short-lived presigned GET of the file. */
export async function downloadFile(c: Context<AppEnv>) {
  return c.redirect(await presignedDownload(c), 302)
}

/**
 * `GET /projects/:id/files/:fileId/link`: the same short-lived presigned GET as JSON, for a
 * page that signs its requests with a bearer token (on AWS): it fetches the link with its
 * token, then navigates to it (a navigation carries no `Authorization` header).
 */
export async function downloadLink(c: Context<AppEnv>) {
  const url = await presignedDownload(c)
  return c.json({ url, expiresInSeconds: DOWNLOAD_SECONDS })
}
