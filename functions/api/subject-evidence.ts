/**
 * Evidence files attached to a record other than a certification control (a manager's training
 * certificate, an incident's evidence), through the one evidence store: the browser announces
 * the file, uploads it straight to the bucket with the presigned POST and the API confirms it
 * (size, type by its first bytes, SHA-256). The file's metadata names its subject (`projectId`
 * holds the subject's type, `controlId` its id), so a file of one record never answers for
 * another; keys always carry the organisation. Routes check who may see the subject first.
 */
import type { Context } from 'hono'
import { z } from 'zod'
import {
  EVIDENCE_FILE_TYPES,
  evidenceTypeOf,
  MAX_EVIDENCE_FILE_BYTES,
} from '../domain/certification/index.js'
import { notFound, PayloadTooLargeError, validationError } from '../domain/errors.js'
import { safeFileName } from '../domain/text-safety.js'
import {
  DOWNLOAD_SECONDS,
  type EvidenceFileMeta,
  EvidenceFileRejected,
  isEvidenceFileId,
} from '../store/evidence-files.js'
import type { Actor } from '../store/records.js'
import type { AppEnv, Deps } from './env.js'

const TYPE_NAMES = 'PDF, PNG, JPEG, DOCX, XLSX, ZIP, TXT or CSV'

/** The record a file belongs to. */
export interface EvidenceSubject {
  type: string
  id: string
}

/** Body announcing a file: its name, exact size, type and hex SHA-256. */
export const announceBody = z.strictObject({
  name: z.string().min(1, 'is required').max(500, 'must be at most 500 characters'),
  size: z.int('must be a whole number').min(0, 'must not be negative'),
  contentType: z.string().max(200, 'must be at most 200 characters'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be the hex SHA-256 of the file'),
})

const tooLarge = () =>
  new PayloadTooLargeError(
    `The file is larger than ${MAX_EVIDENCE_FILE_BYTES / (1024 * 1024)} MB. Upload a smaller file.`,
    { fields: { file: `must be at most ${MAX_EVIDENCE_FILE_BYTES} bytes` } },
  )

/** Answers where the browser uploads a file for `subject` (a presigned POST), after checking size and type. */
export async function announceEvidence(
  deps: Deps,
  orgId: string,
  subject: EvidenceSubject,
  body: z.infer<typeof announceBody>,
  actor: Actor,
) {
  if (body.size > MAX_EVIDENCE_FILE_BYTES) throw tooLarge()
  if (body.size === 0) throw validationError({ file: 'the file is empty' })
  const name = safeFileName(body.name)
  const contentType = evidenceTypeOf(name, body.contentType)
  if (!contentType)
    throw validationError({ file: `must be a ${TYPE_NAMES} file` }, `Upload a ${TYPE_NAMES} file.`)
  const upload = await deps.evidenceFiles.presignUpload(
    orgId,
    {
      projectId: subject.type,
      controlId: subject.id,
      name,
      contentType,
      size: body.size,
      sha256: body.sha256,
    },
    actor,
  )
  return { ...upload, contentType, accepted: Object.keys(EVIDENCE_FILE_TYPES) }
}

/** Confirms an uploaded file of `subject` (404 when nothing was uploaded or it belongs elsewhere). */
export async function confirmEvidence(
  deps: Deps,
  orgId: string,
  subject: EvidenceSubject,
  fileId: string,
  actor: Actor,
): Promise<EvidenceFileMeta> {
  if (!isEvidenceFileId(fileId)) throw notFound('Upload')
  let meta: EvidenceFileMeta | undefined
  try {
    meta = await deps.evidenceFiles.confirm(orgId, fileId, actor)
  } catch (err) {
    if (err instanceof EvidenceFileRejected)
      throw err.reason === 'size'
        ? tooLarge()
        : validationError({ file: err.message }, 'The uploaded file was refused.')
    throw err
  }
  if (!meta || meta.projectId !== subject.type || meta.controlId !== subject.id) throw notFound('Upload')
  return meta
}

/** The short-lived presigned GET of a file of `subject` (an attachment); 404 when it belongs elsewhere. */
async function presignedDownload(
  c: Context<AppEnv>,
  orgId: string,
  subject: EvidenceSubject,
  fileId: string,
) {
  const files = c.get('deps').evidenceFiles
  const meta = await files.meta(orgId, fileId)
  if (!meta || meta.projectId !== subject.type || meta.controlId !== subject.id) throw notFound('File')
  c.header('cache-control', 'private, no-store')
  return files.downloadUrl(orgId, meta)
}

/** A redirect to a short-lived presigned GET of a file of `subject` (an attachment). */
export async function evidenceDownload(
  c: Context<AppEnv>,
  orgId: string,
  subject: EvidenceSubject,
  fileId: string,
) {
  return c.redirect(await presignedDownload(c, orgId, subject, fileId), 302)
}

/**
 * The same presigned GET as JSON (`{url, expiresInSeconds}`), for a page that signs its
 * requests with a bearer token (on AWS): it fetches the link, then navigates to it.
 */
export async function evidenceLink(
  c: Context<AppEnv>,
  orgId: string,
  subject: EvidenceSubject,
  fileId: string,
) {
  const url = await presignedDownload(c, orgId, subject, fileId)
  return c.json({ url, expiresInSeconds: DOWNLOAD_SECONDS })
}

/** Removes a file of `subject` (nothing when it is not one). */
export async function removeEvidence(
  deps: Deps,
  orgId: string,
  subject: EvidenceSubject,
  fileId: string,
  actor: Actor,
) {
  const files = deps.evidenceFiles
  const meta = await files.meta(orgId, fileId)
  if (!meta || meta.projectId !== subject.type || meta.controlId !== subject.id) throw notFound('File')
  await files.remove(orgId, fileId, actor)
}
