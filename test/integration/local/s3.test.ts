import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3'
import { createPresignedPost } from '@aws-sdk/s3-presigned-post'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import type { FinalizeHandlerArguments, HttpRequest } from '@smithy/types'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  generateCredentials,
  type LocalCredentials,
  localCredentials,
} from '../../../infra/local/credentials.js'
import { type S3Server, startS3Server } from '../../../infra/local/s3/server.js'

/**
 * The embedded S3-compatible store, driven by `@aws-sdk/client-s3` and its presigners as they
 * are: objects, listing, presigned GET and POST (policy, size range), and no open door
 * (Signature V4 with the installation's key pair, S3's XML errors otherwise).
 */

const dir = mkdtempSync(join(tmpdir(), 'ismsflow-s3-'))
const credentials = localCredentials()
let server: S3Server
let s3: S3Client
const Bucket = 'test-bucket'

const client = (c: LocalCredentials) =>
  new S3Client({
    region: 'eu-central-1',
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: c,
    maxAttempts: 1,
  })

beforeAll(async () => {
  server = await startS3Server({
    port: 0,
    dir: join(dir, 's3'),
    credentials,
    corsOrigins: ['http://app.test'],
  })
  s3 = client(credentials)
  await s3.send(new CreateBucketCommand({ Bucket }))
})
afterAll(async () => {
  await server?.close()
  rmSync(dir, { recursive: true, force: true })
})

async function postForm(url: string, fields: Record<string, string>, bytes: Uint8Array, name = 'f.bin') {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  form.append('file', new Blob([new Uint8Array(bytes)]), name)
  const res = await fetch(url, { method: 'POST', body: form })
  return { status: res.status, text: await res.text() }
}

describe('objects', () => {
  it('puts, heads, gets (whole and a range), deletes; a second CreateBucket is BucketAlreadyOwnedByYou', async () => {
    const body = Buffer.from('hello, evidence')
    const put = await s3.send(
      new PutObjectCommand({
        Bucket,
        Key: 'a/ü 1.txt',
        Body: body,
        ContentType: 'text/plain',
        Metadata: { name: 'x' },
      }),
    )
    expect(put.ETag).toMatch(/^"[0-9a-f]{32}"$/)
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'a/ü 1.txt' }))
    expect(head.ContentLength).toBe(body.length)
    expect(head.ContentType).toBe('text/plain')
    expect(head.Metadata).toEqual({ name: 'x' })
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'a/ü 1.txt' }))
    expect(await got.Body!.transformToString()).toBe('hello, evidence')
    const part = await s3.send(new GetObjectCommand({ Bucket, Key: 'a/ü 1.txt', Range: 'bytes=0-4' }))
    expect(await part.Body!.transformToString()).toBe('hello')
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'a/ü 1.txt' }))
    const gone = await s3.send(new HeadObjectCommand({ Bucket, Key: 'a/ü 1.txt' })).catch((e) => e)
    expect(gone.name).toBe('NotFound')
    const missing = await s3.send(new GetObjectCommand({ Bucket, Key: 'nope' })).catch((e) => e)
    expect(missing.name).toBe('NoSuchKey')
    const again = await s3.send(new CreateBucketCommand({ Bucket })).catch((e) => e)
    expect(again.name).toBe('BucketAlreadyOwnedByYou')
    const noBucket = await s3.send(new HeadBucketCommand({ Bucket: 'no-such-bucket' })).catch((e) => e)
    expect(noBucket.name).toBe('NotFound')
  })

  it('keeps objects on disk, private to the owner', async () => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'disk', Body: 'x' }))
    expect(statSync(join(dir, 's3', Bucket)).mode & 0o777).toBe(0o700)
    const again = await startS3Server({ port: 0, dir: join(dir, 's3'), credentials })
    try {
      const got = await client(credentials)
        .send(new GetObjectCommand({ Bucket, Key: 'disk' }))
        .then((o) => o.Body!.transformToString())
      expect(got).toBe('x')
    } finally {
      await again.close()
    }
  })

  it('lists with prefix, delimiter and continuation (ListObjectsV2)', async () => {
    for (const k of ['l/a/1', 'l/a/2', 'l/b', 'l/c', 'l/d/1'])
      await s3.send(new PutObjectCommand({ Bucket, Key: k, Body: k }))
    const all: string[] = []
    let token: string | undefined
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket, Prefix: 'l/', MaxKeys: 2, ContinuationToken: token }),
      )
      all.push(...(page.Contents ?? []).map((c) => c.Key!))
      token = page.NextContinuationToken
    } while (token)
    expect(all).toEqual(['l/a/1', 'l/a/2', 'l/b', 'l/c', 'l/d/1'])
    const grouped = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'l/', Delimiter: '/' }))
    expect(grouped.Contents?.map((c) => c.Key)).toEqual(['l/b', 'l/c'])
    expect(grouped.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['l/a/', 'l/d/'])
    expect(grouped.KeyCount).toBe(4)
  })
})

describe('presigned URLs', () => {
  it('GET serves as attachment with nosniff; an expired URL is AccessDenied', async () => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'doc', Body: '<html>', ContentType: 'text/html' }))
    const url = await getSignedUrl(
      s3,
      new GetObjectCommand({
        Bucket,
        Key: 'doc',
        ResponseContentDisposition: 'attachment; filename="doc.txt"',
        ResponseContentType: 'application/octet-stream',
      }),
      { expiresIn: 60 },
    )
    const res = await fetch(url)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="doc.txt"')
    expect(res.headers.get('content-type')).toBe('application/octet-stream')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    const old = await getSignedUrl(s3, new GetObjectCommand({ Bucket, Key: 'doc' }), {
      expiresIn: 60,
      signingDate: new Date(Date.now() - 120_000),
    })
    const expired = await fetch(old)
    expect(expired.status).toBe(403)
    expect(await expired.text()).toContain('<Code>AccessDenied</Code>')
    const tampered = await fetch(url.replace('doc?', 'doc2?'))
    expect(await tampered.text()).toContain('<Code>SignatureDoesNotMatch</Code>')
  })

  it('POST checks the policy: fields, content-length-range, checksum, expiry', async () => {
    const bytes = Buffer.from('%PDF-1.7 test')
    const { url, fields } = await createPresignedPost(s3, {
      Bucket,
      Key: 'up/1',
      Conditions: [['content-length-range', 1, 20], { 'Content-Type': 'application/pdf' }],
      Fields: { 'Content-Type': 'application/pdf' },
      Expires: 60,
    })
    const ok = await postForm(url, fields, bytes)
    expect(ok.status).toBe(204)
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'up/1' }))
    expect(head.ContentType).toBe('application/pdf')
    expect(head.ContentLength).toBe(bytes.length)

    const big = await postForm(url, fields, Buffer.alloc(21))
    expect(big.status).toBe(400)
    expect(big.text).toContain('<Code>EntityTooLarge</Code>')
    const otherType = await postForm(url, { ...fields, 'Content-Type': 'text/html' }, bytes)
    expect(otherType.status).toBe(403)
    const extra = await postForm(url, { ...fields, 'x-amz-meta-extra': '1' }, bytes)
    expect(extra.text).toContain('Extra input fields')
    const forged = await postForm(url, { ...fields, key: 'up/other' }, bytes)
    expect(forged.status).toBe(403)

    const withSum = await createPresignedPost(s3, {
      Bucket,
      Key: 'up/2',
      Conditions: [{ 'x-amz-checksum-sha256': 'AAAA' }],
      Fields: { 'x-amz-checksum-sha256': 'AAAA' },
      Expires: 60,
    })
    const badSum = await postForm(withSum.url, withSum.fields, bytes)
    expect(badSum.text).toContain('<Code>BadDigest</Code>')

    const gone = await createPresignedPost(s3, { Bucket, Key: 'up/3', Expires: -1 })
    const late = await postForm(gone.url, gone.fields, bytes)
    expect(late.status).toBe(403)
    expect(late.text).toContain('Policy expired')
  })

  it('answers a browser preflight for an allowed origin only', async () => {
    const pre = (origin: string) =>
      fetch(`${server.endpoint}/${Bucket}`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      })
    const ok = await pre('http://app.test')
    expect(ok.status).toBe(200)
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://app.test')
    expect((await pre('http://evil.test')).status).toBe(403)
  })
})

describe('signatures', () => {
  it('refuses unsigned requests (AccessDenied), unknown keys (InvalidAccessKeyId) and wrong secrets (SignatureDoesNotMatch)', async () => {
    const unsigned = await fetch(`${server.endpoint}/${Bucket}?list-type=2`)
    expect(unsigned.status).toBe(403)
    expect(await unsigned.text()).toContain('<Code>AccessDenied</Code>')
    const unknown = await client(generateCredentials())
      .send(new ListObjectsV2Command({ Bucket }))
      .catch((e) => e)
    expect(unknown.name).toBe('InvalidAccessKeyId')
    const wrong = await client({ ...credentials, secretAccessKey: generateCredentials().secretAccessKey })
      .send(new ListObjectsV2Command({ Bucket }))
      .catch((e) => e)
    expect(wrong.name).toBe('SignatureDoesNotMatch')
  })

  it('refuses a body changed after signing', async () => {
    const c = client(credentials)
    c.middlewareStack.add(
      (next) => async (args) => {
        const req = (args as FinalizeHandlerArguments<object>).request as HttpRequest
        req.body = 'changed!'
        return next(args)
      },
      { step: 'deserialize', name: 'tamper' },
    )
    const err = await c
      .send(new PutObjectCommand({ Bucket, Key: 'tamper', Body: 'original' }))
      .catch((e) => e)
    expect(err.name).toBe('XAmzContentSHA256Mismatch')
    const absent = await s3.send(new HeadObjectCommand({ Bucket, Key: 'tamper' })).catch((e) => e)
    expect(absent.name).toBe('NotFound')
  })
})
