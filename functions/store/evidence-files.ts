/**
 * Evidence files in S3 beside an audited metadata record in the table. Bytes never pass
 * through the API: a browser uploads with a presigned POST whose policy fixes the key, the
 * content type, the size range (at most 25 MB), the SHA-256 and the file's metadata; the API
 * then confirms the object (HEAD for size, type and checksum, the first bytes for the type's
 * magic) and downloads are presigned GETs served as attachments. Keys are built here from the
 * organisation id (`orgs/<org>/evidence/<file id>`), so no caller can name another
 * organisation's object. The same code runs on AWS and against the embedded object store.
 */
import { createHash, randomUUID } from 'node:crypto'
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3'
import { createPresignedPost } from '@aws-sdk/s3-presigned-post'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import {
  EVIDENCE_FILE_TYPES,
  MAGIC_BYTES,
  MAX_EVIDENCE_FILE_BYTES,
  magicMatches,
} from '../domain/certification/evidence-files.js'
import type { Actor, Records } from './records.js'

export { MAX_EVIDENCE_FILE_BYTES }

/** Record type of the metadata. */
export const EVIDENCE_FILE_TYPE = 'evidence-file'

/** How long an upload form stays valid. */
export const UPLOAD_SECONDS = 15 * 60
/** How long a download link stays valid. */
export const DOWNLOAD_SECONDS = 5 * 60

/** What is known of a stored file (never its bytes). */
export interface EvidenceFileMeta {
  id: string
  projectId: string
  controlId: string
  name: string
  contentType: string
  size: number
  /** Hex SHA-256 of the bytes (checked by S3 on upload). */
  sha256: string
  uploadedBy: string
  uploadedByName?: string
  uploadedAt: string
}

/** A file to announce before the browser uploads it. */
export interface EvidenceUploadInput {
  projectId: string
  controlId: string
  name: string
  contentType: string
  size: number
  /** Hex SHA-256 the browser computed. */
  sha256: string
}

/** A file stored from the server (demo seed, migration). */
export interface EvidenceFileInput {
  projectId: string
  controlId: string
  name: string
  contentType: string
  bytes: Uint8Array
}

/** Where and how the browser uploads: POST `fields` and then the file (last) as multipart to `url`. */
export interface EvidenceUpload {
  fileId: string
  url: string
  fields: Record<string, string>
  expiresAt: string
  maxBytes: number
}

/** Why an uploaded object was refused (named for the `file` field); the object is removed. */
export class EvidenceFileRejected extends Error {
  constructor(
    readonly reason: 'missing' | 'size' | 'type' | 'checksum',
    message: string,
  ) {
    super(message)
    this.name = 'EvidenceFileRejected'
  }
}

/** Evidence files of an organisation: announce, confirm, store, read, link, remove. */
/** The evidence files named by records' evidence items (`fileRef`), each once: what `metas` reads. */
export function fileRefsOf(
  records: readonly ({ evidence?: readonly { fileRef?: string }[] } | undefined)[],
): string[] {
  const refs = new Set<string>()
  for (const r of records) for (const item of r?.evidence ?? []) if (item.fileRef) refs.add(item.fileRef)
  return [...refs]
}

export interface EvidenceFiles {
  /** A presigned POST for a new file of `orgId` (the size and type are the caller's checks). */
  presignUpload(orgId: string, file: EvidenceUploadInput, actor: Actor): Promise<EvidenceUpload>
  /**
   * Confirms an uploaded object: size, type (declared and by its first bytes) and SHA-256 as
   * announced; writes the metadata record (a repeat answers the same record). Throws
   * `EvidenceFileRejected` (the object is removed) or answers undefined when nothing was uploaded.
   */
  confirm(orgId: string, fileId: string, actor: Actor): Promise<EvidenceFileMeta | undefined>
  /** Stores a file from the server (the seed and the migration). */
  put(orgId: string, file: EvidenceFileInput, actor: Actor, id?: string): Promise<EvidenceFileMeta>
  meta(orgId: string, id: string): Promise<EvidenceFileMeta | undefined>
  /** The metadata of several files by id, those that exist, in one read per 100 (a control's or a project's evidence). */
  metas(orgId: string, ids: readonly string[]): Promise<Map<string, EvidenceFileMeta>>
  /** A presigned GET answering the file as an attachment (`nosniff` types only as themselves). */
  downloadUrl(orgId: string, meta: EvidenceFileMeta): Promise<string>
  remove(orgId: string, id: string, actor: Actor): Promise<void>
}

const FILE_ID = /^ef-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** True for an id this store issues. */
export const isEvidenceFileId = (id: string) => FILE_ID.test(id)

/** Content types a browser may show as themselves; the rest download as octet-stream. */
const SAFE_TYPES = new Set(['application/pdf', 'image/png', 'image/jpeg', 'text/plain', 'text/csv'])

const hexToB64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64')
const b64ToHex = (b64: string) => Buffer.from(b64, 'base64').toString('hex')

/** The `Content-Disposition` of a download: attachment, an ASCII fallback and the UTF-8 name. */
export function attachmentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

/** Evidence files in `bucket` (see the module comment). */
export function s3EvidenceFiles(options: {
  s3: S3Client
  bucket: string
  records: Records
  now: () => Date
}): EvidenceFiles {
  const { s3, bucket, records, now } = options
  /** The only place keys are made: the organisation id is validated and always part of it. */
  const keyOf = (orgId: string, id: string) => {
    records.forOrg(orgId) // validates the organisation id
    if (!isEvidenceFileId(id)) throw new RangeError('not an evidence file id')
    return `orgs/${orgId}/evidence/${id}`
  }

  async function head(key: string) {
    try {
      return await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }))
    } catch (err) {
      if (err instanceof NotFound || err instanceof NoSuchKey) return undefined
      throw err
    }
  }

  async function firstBytes(key: string): Promise<Uint8Array> {
    const out = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${MAGIC_BYTES - 1}` }),
    )
    return out.Body ? await out.Body.transformToByteArray() : new Uint8Array()
  }

  const removeObject = (key: string) => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }))

  return {
    async presignUpload(orgId, file, actor) {
      const fileId = `ef-${randomUUID()}`
      const key = keyOf(orgId, fileId)
      const fields: Record<string, string> = {
        'Content-Type': file.contentType,
        'x-amz-checksum-sha256': hexToB64(file.sha256),
        'x-amz-meta-project': file.projectId,
        'x-amz-meta-control': file.controlId,
        'x-amz-meta-name': encodeURIComponent(file.name),
        'x-amz-meta-uploaded-by': actor.userId,
        'x-amz-meta-size': String(file.size),
      }
      const post = await createPresignedPost(s3, {
        Bucket: bucket,
        Key: key,
        // Every field is fixed by the policy; the size is exactly the announced one.
        Conditions: [
          ['content-length-range', file.size, Math.min(file.size, MAX_EVIDENCE_FILE_BYTES)],
          ...Object.entries(fields).map(([k, v]) => ({ [k]: v })),
        ],
        Fields: fields,
        Expires: UPLOAD_SECONDS,
      })
      return {
        fileId,
        url: post.url,
        fields: post.fields,
        expiresAt: new Date(now().getTime() + UPLOAD_SECONDS * 1000).toISOString(),
        maxBytes: MAX_EVIDENCE_FILE_BYTES,
      }
    },

    async confirm(orgId, fileId, actor) {
      const key = keyOf(orgId, fileId)
      const o = records.forOrg(orgId)
      const known = await o.get<EvidenceFileMeta>(EVIDENCE_FILE_TYPE, fileId)
      if (known) return known.data
      const h = await head(key)
      if (!h) return undefined
      const m = h.Metadata ?? {}
      const reject = async (reason: EvidenceFileRejected['reason'], message: string) => {
        await removeObject(key)
        return new EvidenceFileRejected(reason, message)
      }
      const size = h.ContentLength ?? -1
      if (size <= 0 || size > MAX_EVIDENCE_FILE_BYTES || String(size) !== m.size)
        throw await reject('size', `must be between 1 byte and ${MAX_EVIDENCE_FILE_BYTES} bytes`)
      const type = h.ContentType ?? ''
      if (!(type in EVIDENCE_FILE_TYPES) || !magicMatches(type, await firstBytes(key)))
        throw await reject(
          'type',
          'the file content does not match its type (PDF, PNG, JPEG, DOCX, XLSX, ZIP, TXT or CSV)',
        )
      if (!h.ChecksumSHA256) throw await reject('checksum', 'was uploaded without its SHA-256')
      const meta: EvidenceFileMeta = {
        id: fileId,
        projectId: m.project ?? '',
        controlId: m.control ?? '',
        name: decodeURIComponent(m.name ?? 'evidence'),
        contentType: type,
        size,
        sha256: b64ToHex(h.ChecksumSHA256),
        uploadedBy: m['uploaded-by'] ?? actor.userId,
        uploadedByName: actor.name,
        uploadedAt: now().toISOString(),
      }
      try {
        await o.create(EVIDENCE_FILE_TYPE, fileId, meta, { actor, action: 'evidence-file.upload' })
      } catch (err) {
        // A doubled confirmation: the first one wrote the record.
        const again = await o.get<EvidenceFileMeta>(EVIDENCE_FILE_TYPE, fileId)
        if (again) return again.data
        throw err
      }
      return meta
    },

    async put(orgId, file, actor, id = `ef-${randomUUID()}`) {
      if (file.bytes.byteLength > MAX_EVIDENCE_FILE_BYTES)
        throw new RangeError(`evidence file is larger than ${MAX_EVIDENCE_FILE_BYTES} bytes`)
      const key = keyOf(orgId, id)
      const digest = createHash('sha256').update(file.bytes).digest()
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: file.bytes,
          ContentType: file.contentType,
          ChecksumSHA256: digest.toString('base64'),
          Metadata: {
            project: file.projectId,
            control: file.controlId,
            name: encodeURIComponent(file.name),
            'uploaded-by': actor.userId,
            size: String(file.bytes.byteLength),
          },
        }),
      )
      const meta: EvidenceFileMeta = {
        id,
        projectId: file.projectId,
        controlId: file.controlId,
        name: file.name,
        contentType: file.contentType,
        size: file.bytes.byteLength,
        sha256: digest.toString('hex'),
        uploadedBy: actor.userId,
        uploadedByName: actor.name,
        uploadedAt: now().toISOString(),
      }
      const o = records.forOrg(orgId)
      const existing = await o.get<EvidenceFileMeta>(EVIDENCE_FILE_TYPE, id)
      if (existing) return existing.data
      await o.create(EVIDENCE_FILE_TYPE, id, meta, { actor, action: 'evidence-file.upload' })
      return meta
    },

    async meta(orgId, id) {
      if (!isEvidenceFileId(id)) return undefined
      return (await records.forOrg(orgId).get<EvidenceFileMeta>(EVIDENCE_FILE_TYPE, id))?.data
    },

    async metas(orgId, ids) {
      const found = await records
        .forOrg(orgId)
        .getMany<EvidenceFileMeta>(EVIDENCE_FILE_TYPE, ids.filter(isEvidenceFileId))
      return new Map([...found.values()].map((rec) => [rec.id, rec.data]))
    },

    async downloadUrl(orgId, meta) {
      return getSignedUrl(
        s3,
        new GetObjectCommand({
          Bucket: bucket,
          Key: keyOf(orgId, meta.id),
          ResponseContentDisposition: attachmentDisposition(meta.name),
          ResponseContentType: SAFE_TYPES.has(meta.contentType)
            ? meta.contentType
            : 'application/octet-stream',
          ResponseCacheControl: 'private, no-store',
        }),
        // The SDK's clock (its skew correction) as for every other request it signs.
        {
          expiresIn: DOWNLOAD_SECONDS,
          signingDate: new Date(Date.now() + (s3.config.systemClockOffset ?? 0)),
        },
      )
    },

    async remove(orgId, id, actor) {
      if (!isEvidenceFileId(id)) return
      const o = records.forOrg(orgId)
      if (await o.get(EVIDENCE_FILE_TYPE, id))
        await o.remove(EVIDENCE_FILE_TYPE, id, { actor, action: 'evidence-file.remove' })
      await removeObject(keyOf(orgId, id))
    },
  }
}
