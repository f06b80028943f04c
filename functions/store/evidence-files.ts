/**
 * Evidence files behind one small interface. This implementation keeps a file in the single
 * table as binary chunks (each item well under DynamoDB's 400 KB limit) beside an audited
 * metadata record, so the embedded store and DynamoDB behave the same and in-memory test
 * stacks need no folder. On AWS the same interface would be implemented on S3 (metadata
 * record here, bytes under `s3://<bucket>/<org>/<id>`, uploads through pre-signed URLs,
 * because Lambda payloads stop at 6 MB); callers would not change.
 */
import { createHash, randomUUID } from 'node:crypto'
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import type { Actor, Records } from './records.js'

/** The largest evidence file accepted (5 MB); larger uploads answer 413. */
export const MAX_EVIDENCE_FILE_BYTES = 5 * 1024 * 1024

/** Bytes per stored chunk. */
const CHUNK_BYTES = 300 * 1024

/** Record type of the metadata. */
export const EVIDENCE_FILE_TYPE = 'evidence-file'

/** What is known of a stored file (never its bytes). */
export interface EvidenceFileMeta {
  id: string
  projectId: string
  controlId: string
  name: string
  contentType: string
  size: number
  sha256: string
  chunks: number
  uploadedBy: string
  uploadedByName?: string
  uploadedAt: string
}

/** A file to store. */
export interface EvidenceFileInput {
  projectId: string
  controlId: string
  name: string
  contentType: string
  bytes: Uint8Array
}

/** Where evidence files live: put, read, remove, per organisation. */
export interface EvidenceFiles {
  /** Stores a file; throws RangeError when it is larger than `MAX_EVIDENCE_FILE_BYTES`. */
  put(orgId: string, file: EvidenceFileInput, actor: Actor): Promise<EvidenceFileMeta>
  meta(orgId: string, id: string): Promise<EvidenceFileMeta | undefined>
  /** The file with its bytes, or undefined (also for an id of another organisation). */
  get(orgId: string, id: string): Promise<{ meta: EvidenceFileMeta; bytes: Uint8Array } | undefined>
  remove(orgId: string, id: string, actor: Actor): Promise<void>
}

const chunkSk = (id: string, n: number) => `EVIDENCE-CHUNK#${id}#${String(n).padStart(3, '0')}`

/** Evidence files in the single table (see the module comment). */
export function tableEvidenceFiles(options: {
  doc: DynamoDBDocumentClient
  tableName: string
  records: Records
  now: () => Date
}): EvidenceFiles {
  const { doc, tableName, records, now } = options
  const pk = (orgId: string) => {
    records.forOrg(orgId) // validates the organisation id
    return `ORG#${orgId}`
  }

  /** Every chunk item of a file in order (a query page stops at 1 MB, so this follows the pages). */
  async function chunkItems(orgId: string, id: string, keysOnly = false) {
    const items: Record<string, unknown>[] = []
    let start: Record<string, unknown> | undefined
    do {
      const out = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :s)',
          ExpressionAttributeValues: { ':pk': pk(orgId), ':s': `EVIDENCE-CHUNK#${id}#` },
          ProjectionExpression: keysOnly ? 'pk, sk' : undefined,
          ExclusiveStartKey: start,
          ConsistentRead: true,
        }),
      )
      items.push(...(out.Items ?? []))
      start = out.LastEvaluatedKey
    } while (start)
    return items
  }

  async function removeChunks(orgId: string, id: string) {
    for (const item of await chunkItems(orgId, id, true))
      await doc.send(new DeleteCommand({ TableName: tableName, Key: { pk: item.pk, sk: item.sk } }))
  }

  return {
    async put(orgId, file, actor) {
      if (file.bytes.byteLength > MAX_EVIDENCE_FILE_BYTES)
        throw new RangeError(`evidence file is larger than ${MAX_EVIDENCE_FILE_BYTES} bytes`)
      const id = `ef-${randomUUID()}`
      const chunks = Math.max(1, Math.ceil(file.bytes.byteLength / CHUNK_BYTES))
      const meta: EvidenceFileMeta = {
        id,
        projectId: file.projectId,
        controlId: file.controlId,
        name: file.name,
        contentType: file.contentType,
        size: file.bytes.byteLength,
        sha256: createHash('sha256').update(file.bytes).digest('hex'),
        chunks,
        uploadedBy: actor.userId,
        uploadedByName: actor.name,
        uploadedAt: now().toISOString(),
      }
      try {
        for (let n = 0; n < chunks; n++) {
          const part = file.bytes.subarray(n * CHUNK_BYTES, (n + 1) * CHUNK_BYTES)
          await doc.send(
            new PutCommand({
              TableName: tableName,
              Item: { pk: pk(orgId), sk: chunkSk(id, n), kind: 'evidence-chunk', data: part },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          )
        }
        // The metadata last: a file is visible only once every chunk is written.
        await records
          .forOrg(orgId)
          .create(EVIDENCE_FILE_TYPE, id, meta, { actor, action: 'evidence-file.upload' })
      } catch (err) {
        await removeChunks(orgId, id).catch(() => {})
        throw err
      }
      return meta
    },
    async meta(orgId, id) {
      return (await records.forOrg(orgId).get<EvidenceFileMeta>(EVIDENCE_FILE_TYPE, id))?.data
    },
    async get(orgId, id) {
      const rec = await records.forOrg(orgId).get<EvidenceFileMeta>(EVIDENCE_FILE_TYPE, id)
      if (!rec) return undefined
      const parts = (await chunkItems(orgId, id)).map((i) => i.data as Uint8Array)
      if (parts.length !== rec.data.chunks) return undefined
      const bytes = new Uint8Array(rec.data.size)
      let at = 0
      for (const p of parts) {
        bytes.set(p, at)
        at += p.byteLength
      }
      return { meta: rec.data, bytes }
    },
    async remove(orgId, id, actor) {
      const o = records.forOrg(orgId)
      if (!(await o.get(EVIDENCE_FILE_TYPE, id))) return
      await o.remove(EVIDENCE_FILE_TYPE, id, { actor, action: 'evidence-file.remove' })
      await removeChunks(orgId, id)
    },
  }
}
