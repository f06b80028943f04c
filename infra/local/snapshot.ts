/**
 * A snapshot of what a local stack holds: the embedded store's database (the app's and the
 * engine's tables with their items and indexes), the object store's objects and the mails
 * written so far. A stack started with `restore` begins where the snapshot was taken, as a
 * restart on a copied data folder would: the tests seed the demo once per run and start each
 * file's stack from it instead of seeding again.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { deserialize, serialize } from 'node:v8'
import type { DynamoContents, EmbeddedDynamo } from './dynamo.js'
import type { ObjectInput, ObjectStorage } from './s3/storage.js'

/** One stored object with what S3 keeps beside its bytes. */
export interface SnapshotObject extends ObjectInput {
  bucket: string
  key: string
}

/** What `LocalStack.snapshot()` returns and `LocalStackOptions.restore` takes. */
export interface StackSnapshot {
  dynamo: DynamoContents
  buckets: string[]
  objects: SnapshotObject[]
  /** The `.eml` files of the mail folder, by file name. */
  mails: { name: string; raw: Uint8Array }[]
}

/** The parts of a running stack a snapshot reads and writes. */
export interface SnapshotParts {
  dynamo: Pick<EmbeddedDynamo, 'dump' | 'load'>
  objects: ObjectStorage
  mailDir: string
}

/** Everything the parts hold now. */
export async function takeSnapshot(parts: SnapshotParts): Promise<StackSnapshot> {
  const buckets = parts.objects.buckets()
  const objects: SnapshotObject[] = []
  for (const bucket of buckets)
    for (const key of parts.objects.keys(bucket)) {
      const found = parts.objects.read(bucket, key)
      if (!found) continue
      const { meta, bytes } = found
      objects.push({
        bucket,
        key,
        bytes,
        contentType: meta.contentType,
        contentDisposition: meta.contentDisposition,
        checksumSha256: meta.checksumSha256,
        metadata: meta.metadata,
      })
    }
  let names: string[] = []
  try {
    names = readdirSync(parts.mailDir).filter((n) => n.endsWith('.eml'))
  } catch {}
  const mails = names.sort().map((name) => ({ name, raw: readFileSync(join(parts.mailDir, name)) }))
  return { dynamo: await parts.dynamo.dump(), buckets, objects, mails }
}

/** Writes a snapshot into the parts of a stack that nobody uses yet. */
export async function restoreSnapshot(parts: SnapshotParts, snapshot: StackSnapshot): Promise<void> {
  await parts.dynamo.load(snapshot.dynamo)
  for (const bucket of snapshot.buckets) parts.objects.createBucket(bucket)
  for (const { bucket, key, ...input } of snapshot.objects) parts.objects.put(bucket, key, input)
  if (snapshot.mails.length) mkdirSync(parts.mailDir, { recursive: true, mode: 0o700 })
  for (const m of snapshot.mails) writeFileSync(join(parts.mailDir, m.name), m.raw, { mode: 0o600 })
}

/** Saves a snapshot to a file (written beside it and renamed: a reader never sees half of one). */
export function writeSnapshotFile(path: string, snapshot: StackSnapshot): void {
  writeFileSync(`${path}.tmp`, serialize(snapshot), { mode: 0o600 })
  renameSync(`${path}.tmp`, path)
}

/** Reads a snapshot that `writeSnapshotFile` saved. */
export function readSnapshotFile(path: string): StackSnapshot {
  return deserialize(readFileSync(path))
}
