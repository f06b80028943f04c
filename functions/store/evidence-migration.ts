/**
 * One-time move of evidence files from the table (older installations kept them as 300 KB
 * chunk items `EVIDENCE-CHUNK#<id>#<n>` beside the metadata record) into the evidence bucket,
 * under the same file id, so links and the metadata stay as they are. Idempotent: a file is
 * put (same key, same bytes) before its chunks are deleted, so an interrupted run repeats
 * harmlessly; once a run finds no chunks it leaves a marker and later starts skip the scan.
 */
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import { EVIDENCE_FILE_TYPE, type EvidenceFileMeta, type EvidenceFiles } from './evidence-files.js'
import { orgIdOfPk } from './keys.js'
import { queryPages, scanPages } from './pages.js'
import type { Records } from './records.js'

const CHUNK_PREFIX = 'EVIDENCE-CHUNK#'
const MARKER = { pk: 'SYSTEM', sk: 'MIGRATION#evidence-files-to-s3' }

/** Moves every chunked evidence file into the bucket; answers how many files moved. */
export async function migrateChunkedEvidence(options: {
  doc: DynamoDBDocumentClient
  tableName: string
  records: Records
  files: EvidenceFiles
  now: () => Date
}): Promise<number> {
  const { doc, tableName, records, files } = options
  const marker = await doc.send(new GetCommand({ TableName: tableName, Key: MARKER, ConsistentRead: true }))
  if (marker.Item) return 0

  // The files that still have chunks: (organisation partition, file id).
  const found = new Map<string, { pk: string; id: string }>()
  const scanned = scanPages(doc, {
    TableName: tableName,
    FilterExpression: 'begins_with(sk, :c)',
    ExpressionAttributeValues: { ':c': CHUNK_PREFIX },
    ProjectionExpression: 'pk, sk',
  })
  for await (const items of scanned)
    for (const item of items) {
      const id = String(item.sk).slice(CHUNK_PREFIX.length).split('#')[0]
      found.set(`${item.pk}#${id}`, { pk: String(item.pk), id })
    }

  let moved = 0
  for (const { pk, id } of found.values()) {
    const orgId = orgIdOfPk(pk)
    if (orgId === undefined) continue
    const chunks: { sk: string; data: Uint8Array }[] = []
    const pages = queryPages(doc, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':pk': pk, ':s': `${CHUNK_PREFIX}${id}#` },
      ConsistentRead: true,
    })
    for await (const items of pages)
      for (const i of items) if (i.data instanceof Uint8Array) chunks.push({ sk: String(i.sk), data: i.data })
    const meta = (await records.forOrg(orgId).get<EvidenceFileMeta>(EVIDENCE_FILE_TYPE, id))?.data
    if (meta && chunks.length > 0) {
      const bytes = Buffer.concat(chunks.sort((a, b) => (a.sk < b.sk ? -1 : 1)).map((c) => c.data))
      await files.put(
        orgId,
        {
          projectId: meta.projectId,
          controlId: meta.controlId,
          name: meta.name,
          contentType: meta.contentType,
          bytes,
        },
        { userId: meta.uploadedBy, name: meta.uploadedByName ?? meta.uploadedBy },
        id,
      )
      moved++
    }
    // Chunks without a metadata record were a failed upload's leftovers: they go too.
    for (const c of chunks) await doc.send(new DeleteCommand({ TableName: tableName, Key: { pk, sk: c.sk } }))
  }
  await doc.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...MARKER, kind: 'migration', doneAt: options.now().toISOString() },
    }),
  )
  return moved
}
