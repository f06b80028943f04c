/**
 * Evidence of a control: a link (JSON) or a file (multipart, at most 5 MB, 413 above), removal,
 * and download of a stored file. Evidence is checked with the domain's SoA rules before anything
 * is stored; a stored file whose entry then fails to save is removed again.
 */
import { randomUUID } from 'node:crypto'
import type { Context } from 'hono'
import { z } from 'zod'
import { evidenceItemSchema, soaEntryProblems, soaEntrySchema } from '../../../domain/certification/index.js'
import { AppError, conflict, forbidden, notFound, validationError } from '../../../domain/errors.js'
import { zodFields } from '../../../domain/zod-fields.js'
import { CERT_TYPES, type CertProject, type SoaRecord } from '../../../store/certification.js'
import { MAX_EVIDENCE_FILE_BYTES } from '../../../store/evidence-files.js'
import type { StoredRecord } from '../../../store/records.js'
import type { AppEnv } from '../../env.js'
import { jsonBody } from '../../validate.js'
import { type CertContext, certContext, isIso, readsAll } from './context.js'
import { assertMayRead, assertMayWork, catalogueControl, controlView } from './soa.js'

/** The upload path (the app's JSON body limit does not apply; this route has its own). */
export const EVIDENCE_UPLOAD_PATH = /^\/api\/certification\/projects\/[^/]+\/soa\/[^/]+\/evidence\/file$/

/** The body limit of an upload: the file plus room for the form fields. */
export const MAX_UPLOAD_BODY_BYTES = MAX_EVIDENCE_FILE_BYTES + 64 * 1024

const tooLarge = () =>
  new AppError(
    'payload_too_large',
    `The file is larger than ${MAX_EVIDENCE_FILE_BYTES / (1024 * 1024)} MB. Upload a smaller file or link to it.`,
    {
      fields: { file: `must be at most ${MAX_EVIDENCE_FILE_BYTES} bytes` },
    },
  )

/** The answer of the upload route when the body is over the limit. */
export const uploadTooLarge = (c: Context) => {
  const e = tooLarge()
  return c.json({ error: { code: e.code, message: e.message, fields: e.fields } }, 413)
}

const linkBody = z.strictObject({
  title: z.string(),
  date: z.string(),
  url: z.string(),
  freshnessMonths: z.int().optional(),
})

/** Content types a browser may open; anything else downloads as octet-stream. */
const SAFE_TYPES = new Set(['application/pdf', 'image/png', 'image/jpeg', 'text/plain', 'text/csv'])

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
  rec: StoredRecord<SoaRecord>,
  isKnown: (id: string) => boolean,
  item: unknown,
) {
  const parsed = evidenceItemSchema.safeParse(item)
  if (!parsed.success) throw validationError(zodFields(parsed.error), 'The evidence has invalid fields.')
  const { projectId: _p, ...entry } = rec.data
  const candidate = { ...entry, evidence: [...entry.evidence, parsed.data] }
  const n = candidate.evidence.length - 1
  const problems = soaEntryProblems(candidate, { today: ctx.today, isKnownControl: isKnown })
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
  const { entry } = withItem(ctx, rec, catalogue.isKnown, { id: `ev-${randomUUID().slice(0, 12)}`, ...body })
  const saved = await save(ctx, project, rec, entry, 'cert-soa.evidence-link')
  return c.json(await controlView(ctx, project, rec.data.controlId, saved), 201)
}

/** `POST /projects/:id/soa/:controlId/evidence/file` (ISO or owner): multipart `file`, `title?`, `date?`, `freshnessMonths?`. */
export async function uploadFile(c: Context<AppEnv>) {
  const ctx = certContext(c)
  const type = c.req.header('content-type') ?? ''
  if (!type.toLowerCase().startsWith('multipart/form-data'))
    throw new AppError(
      'unsupported_media_type',
      'Send the file as multipart/form-data with the field "file".',
    )
  const { project, catalogue, rec } = await loadForEvidence(
    ctx,
    c.req.param('id')!,
    c.req.param('controlId')!,
  )
  const form = await c.req.parseBody()
  const file = form.file
  if (!(file instanceof File)) throw validationError({ file: 'choose a file to upload' })
  if (file.size > MAX_EVIDENCE_FILE_BYTES) throw tooLarge()
  if (file.size === 0) throw validationError({ file: 'the file is empty' })
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined)
  const months = text(form.freshnessMonths)
  const name = file.name.replace(/[\\/\r\n"]/g, '_').slice(0, 200) || 'evidence'
  const item = (id: string, fileRef: string) => ({
    id,
    title: text(form.title) ?? name,
    date: text(form.date) ?? ctx.today,
    fileRef,
    ...(months !== undefined ? { freshnessMonths: Number(months) } : {}),
  })
  // Check everything with a placeholder reference before storing the bytes.
  withItem(ctx, rec, catalogue.isKnown, item('check', 'pending'))
  const meta = await ctx.files.put(
    ctx.p.orgId,
    {
      projectId: project.id,
      controlId: rec.data.controlId,
      name,
      contentType: file.type || 'application/octet-stream',
      bytes: new Uint8Array(await file.arrayBuffer()),
    },
    ctx.actor,
  )
  try {
    const { entry } = withItem(ctx, rec, catalogue.isKnown, item(`ev-${randomUUID().slice(0, 12)}`, meta.id))
    const saved = await save(ctx, project, rec, entry, 'cert-soa.evidence-file')
    return c.json(await controlView(ctx, project, rec.data.controlId, saved), 201)
  } catch (err) {
    await ctx.files.remove(ctx.p.orgId, meta.id, ctx.actor).catch(() => {})
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

/** `GET /projects/:id/files/:fileId`: the file, always as an attachment; owners only their controls' files. */
export async function downloadFile(c: Context<AppEnv>) {
  const ctx = certContext(c)
  const project = (await ctx.recs.project(c.req.param('id')!)).data
  const found = await ctx.files.get(ctx.p.orgId, c.req.param('fileId')!)
  if (!found || found.meta.projectId !== project.id) throw notFound('File')
  if (!readsAll(ctx.p) && !isIso(ctx.p)) {
    const entry = await ctx.recs.soaEntry(project.id, found.meta.controlId)
    if (entry?.data.ownerId !== ctx.p.userId)
      throw forbidden('You can open the evidence of the controls you own.')
  }
  const type = SAFE_TYPES.has(found.meta.contentType) ? found.meta.contentType : 'application/octet-stream'
  const ascii = found.meta.name.replace(/[^\x20-\x7e]/g, '_')
  return new Response(Buffer.from(found.bytes), {
    headers: {
      'content-type': type,
      'content-length': String(found.bytes.byteLength),
      'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(found.meta.name)}`,
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    },
  })
}
