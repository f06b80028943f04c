/**
 * Where the embedded object store keeps buckets and objects: on disk under a folder (one
 * folder per bucket, each object as its bytes plus a JSON sidecar, written to a temporary
 * name and renamed, so a crash never leaves half an object) or, without a folder, in memory
 * (tests). An index of keys per bucket is kept in memory for listing.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** What is known of a stored object besides its bytes. */
export interface ObjectMeta {
  key: string
  size: number
  /** Quoted MD5 hex, as S3 answers it. */
  etag: string
  lastModified: string
  contentType: string
  contentDisposition?: string
  /** Base64 SHA-256 of the bytes, when the upload carried one (`x-amz-checksum-sha256`). */
  checksumSha256?: string
  /** User metadata (`x-amz-meta-*`, names without the prefix, lower case). */
  metadata: Record<string, string>
}

/** An object to store. */
export interface ObjectInput {
  bytes: Uint8Array
  contentType?: string
  contentDisposition?: string
  checksumSha256?: string
  metadata?: Record<string, string>
}

/** Buckets and objects. */
export interface ObjectStorage {
  hasBucket(bucket: string): boolean
  /** The buckets' names. */
  buckets(): string[]
  createBucket(bucket: string): void
  put(bucket: string, key: string, input: ObjectInput): ObjectMeta
  head(bucket: string, key: string): ObjectMeta | undefined
  read(bucket: string, key: string): { meta: ObjectMeta; bytes: Uint8Array } | undefined
  remove(bucket: string, key: string): void
  /** Keys of a bucket in order (UTF-8 binary order, as S3 lists). */
  keys(bucket: string): string[]
}

const fileOf = (key: string) => createHash('sha256').update(key).digest('hex')

function metaFor(key: string, input: ObjectInput): ObjectMeta {
  return {
    key,
    size: input.bytes.byteLength,
    etag: `"${createHash('md5').update(input.bytes).digest('hex')}"`,
    lastModified: new Date().toISOString(),
    contentType: input.contentType || 'binary/octet-stream',
    ...(input.contentDisposition ? { contentDisposition: input.contentDisposition } : {}),
    ...(input.checksumSha256 ? { checksumSha256: input.checksumSha256 } : {}),
    metadata: input.metadata ?? {},
  }
}

const byUtf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b))

/** Objects under `dir` (`<dir>/<bucket>/<sha256 of key>{,.json}`), or in memory without one. */
export function objectStorage(dir?: string): ObjectStorage {
  const index = new Map<string, Map<string, ObjectMeta>>()
  const memory = new Map<string, Uint8Array>()
  if (dir) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    for (const bucket of readdirSync(dir)) {
      const objects = new Map<string, ObjectMeta>()
      for (const f of readdirSync(join(dir, bucket)))
        if (f.endsWith('.json')) {
          const meta = JSON.parse(readFileSync(join(dir, bucket, f), 'utf8')) as ObjectMeta
          if (existsSync(join(dir, bucket, fileOf(meta.key)))) objects.set(meta.key, meta)
        }
      index.set(bucket, objects)
    }
  }
  const bucketOf = (bucket: string) => {
    const b = index.get(bucket)
    if (!b) throw new Error(`no bucket ${bucket}`)
    return b
  }
  return {
    hasBucket: (bucket) => index.has(bucket),
    buckets: () => [...index.keys()],
    createBucket(bucket) {
      if (index.has(bucket)) return
      if (dir) mkdirSync(join(dir, bucket), { recursive: true, mode: 0o700 })
      index.set(bucket, new Map())
    },
    put(bucket, key, input) {
      const objects = bucketOf(bucket)
      const meta = metaFor(key, input)
      if (dir) {
        const path = join(dir, bucket, fileOf(key))
        writeFileSync(`${path}.tmp`, input.bytes, { mode: 0o600 })
        renameSync(`${path}.tmp`, path)
        writeFileSync(`${path}.json.tmp`, JSON.stringify(meta), { mode: 0o600 })
        renameSync(`${path}.json.tmp`, `${path}.json`)
      } else memory.set(`${bucket}/${key}`, Uint8Array.from(input.bytes))
      objects.set(key, meta)
      return meta
    },
    head: (bucket, key) => index.get(bucket)?.get(key),
    read(bucket, key) {
      const meta = index.get(bucket)?.get(key)
      if (!meta) return undefined
      const bytes = dir ? readFileSync(join(dir, bucket, fileOf(key))) : memory.get(`${bucket}/${key}`)
      return bytes ? { meta, bytes } : undefined
    },
    remove(bucket, key) {
      const objects = index.get(bucket)
      if (!objects?.has(key)) return
      objects.delete(key)
      if (dir) {
        const path = join(dir, bucket, fileOf(key))
        rmSync(`${path}.json`, { force: true })
        rmSync(path, { force: true })
      } else memory.delete(`${bucket}/${key}`)
    },
    keys: (bucket) => [...bucketOf(bucket).keys()].sort(byUtf8),
  }
}
