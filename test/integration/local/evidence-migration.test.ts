import { GetObjectCommand } from '@aws-sdk/client-s3'
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EVIDENCE_FILE_TYPE, s3EvidenceFiles } from '../../../functions/store/evidence-files.js'
import { migrateChunkedEvidence } from '../../../functions/store/evidence-migration.js'
import { embeddedObjectStore, embeddedStore } from '../../support/store.js'

/**
 * Evidence files an older installation kept in the table (300 KB chunk items beside the
 * metadata record) move into the bucket on start under the same id; a second run does nothing.
 */
describe('moving chunked evidence files to the bucket', () => {
  let store: Awaited<ReturnType<typeof embeddedStore>>
  let objects: Awaited<ReturnType<typeof embeddedObjectStore>>
  beforeAll(async () => {
    store = await embeddedStore()
    objects = await embeddedObjectStore()
  })
  afterAll(async () => {
    await objects?.close()
    await store?.close()
  })

  it('puts each file in the bucket with its bytes, keeps its record, deletes the chunks, and runs once', async () => {
    const { doc, tableName, records } = store
    const id = 'ef-0b0e8a3c-57a2-4b7e-9a53-2f1e0c7d9a11'
    const bytes = new Uint8Array(700_000).map((_, i) => (i * 13) % 256)
    const chunk = 300 * 1024
    const parts = [0, 1, 2].map((n) => bytes.subarray(n * chunk, (n + 1) * chunk))
    await records.forOrg('nordlicht').create(
      EVIDENCE_FILE_TYPE,
      id,
      {
        id,
        projectId: 'p1',
        controlId: 'A.5.15',
        name: 'Zugriffsrichtlinie.pdf',
        contentType: 'application/pdf',
        size: bytes.byteLength,
        sha256: 'x',
        chunks: 3,
        uploadedBy: 'u1',
        uploadedByName: 'Ines',
        uploadedAt: '2026-01-01T00:00:00.000Z',
      },
      { actor: { userId: 'u1', name: 'Ines' }, action: 'evidence-file.upload' },
    )
    for (const [n, part] of parts.entries())
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            pk: 'ORG#nordlicht',
            sk: `EVIDENCE-CHUNK#${id}#00${n}`,
            kind: 'evidence-chunk',
            data: part,
          },
        }),
      )
    // Leftover chunks of an upload that never got its record.
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          pk: 'ORG#nordlicht',
          sk: 'EVIDENCE-CHUNK#ef-orphan#000',
          kind: 'evidence-chunk',
          data: new Uint8Array(3),
        },
      }),
    )
    const files = s3EvidenceFiles({ s3: objects.s3, bucket: objects.bucket, records, now: () => new Date() })
    const run = () => migrateChunkedEvidence({ doc, tableName, records, files, now: () => new Date() })

    expect(await run()).toBe(1)
    const got = await objects.s3.send(
      new GetObjectCommand({ Bucket: objects.bucket, Key: `orgs/nordlicht/evidence/${id}` }),
    )
    expect(Buffer.compare(Buffer.from(await got.Body!.transformToByteArray()), Buffer.from(bytes))).toBe(0)
    expect(got.ContentType).toBe('application/pdf')
    const meta = await files.meta('nordlicht', id)
    expect(meta).toMatchObject({ name: 'Zugriffsrichtlinie.pdf', uploadedAt: '2026-01-01T00:00:00.000Z' })
    const left = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :s)',
        ExpressionAttributeValues: { ':pk': 'ORG#nordlicht', ':s': 'EVIDENCE-CHUNK#' },
      }),
    )
    expect(left.Items).toEqual([])
    expect(await run()).toBe(0)
  })
})
