/**
 * The embedded S3-compatible object store (evidence files; later the engine's Distributed Map
 * reader and writer). It speaks S3's REST API in path style with S3's XML, so
 * `@aws-sdk/client-s3` (with `forcePathStyle`), its presigners and `aws s3api --endpoint-url`
 * work unchanged: CreateBucket, HeadBucket, PutObject, GetObject (ranges, `response-*`
 * overrides), HeadObject, DeleteObject, ListObjectsV2 and POST Object (browser uploads with a
 * POST policy). Every request but a browser's CORS preflight must be signed (Signature V4,
 * header or presigned query) with the installation's key pair; a POST Object carries its
 * signed policy instead.
 */
import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { LocalCredentials } from '../credentials.js'
import { listenOn } from '../listen.js'
import { type AuthFailure, payloadMatches, queryPairs, verifySignature } from '../sigv4.js'
import { checkPost, PostRefused } from './post-policy.js'
import { type ObjectMeta, type ObjectStorage, objectStorage } from './storage.js'

/** The largest request body accepted (S3 allows 5 GB per PUT; evidence needs 25 MB). */
const MAX_BODY = 64 * 1024 * 1024

/** Options of `startS3Server`. */
export interface S3ServerOptions {
  port: number
  host?: string
  /** Folder of the objects (`.data/s3`); in memory without. */
  dir?: string
  credentials: LocalCredentials
  /** Origins a browser may upload and download from (the bucket's CORS rules on AWS); a set may grow later. */
  corsOrigins?: Set<string> | string[]
}

class S3Error extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly extra: Record<string, string | number> = {},
  ) {
    super(message)
  }
}

const xmlEscape = (s: string) =>
  s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!)
const el = (name: string, value: string | number | boolean) =>
  `<${name}>${xmlEscape(String(value))}</${name}>`
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
const NS = 'http://s3.amazonaws.com/doc/2006-03-01/'

/** S3's answer to a refused signature. */
function authError(f: AuthFailure, presigned: boolean): S3Error {
  switch (f.kind) {
    case 'missing':
      return new S3Error('AccessDenied', 'Access Denied', 403)
    case 'malformed':
      return new S3Error(
        presigned ? 'AuthorizationQueryParametersError' : 'AuthorizationHeaderMalformed',
        f.message,
        400,
      )
    case 'unknown-key':
      return new S3Error('InvalidAccessKeyId', f.message, 403)
    case 'signature':
      return new S3Error('SignatureDoesNotMatch', f.message, 403)
    case 'expired':
      return new S3Error('AccessDenied', f.message, 403)
    case 'skewed':
      return new S3Error('RequestTimeTooSkewed', f.message, 403)
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0)
    if (declared > MAX_BODY) {
      reject(new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400))
      req.resume()
      return
    }
    const parts: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY) {
        reject(new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400))
        req.destroy()
        return
      }
      parts.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(parts)))
    req.on('error', reject)
  })
}

/** The payload of an `aws-chunked` body (unsigned chunks with trailing checksums, as SDKs stream). */
function decodeAwsChunked(body: Buffer): Buffer {
  const out: Buffer[] = []
  let at = 0
  for (;;) {
    const eol = body.indexOf('\r\n', at)
    if (eol < 0) throw new S3Error('IncompleteBody', 'The request body ended inside a chunk.', 400)
    const size = Number.parseInt(body.subarray(at, eol).toString('latin1').split(';')[0], 16)
    if (!Number.isInteger(size) || size < 0)
      throw new S3Error('InvalidRequest', 'Malformed aws-chunked body.', 400)
    at = eol + 2
    if (size === 0) break
    out.push(body.subarray(at, at + size))
    at += size + 2
  }
  return Buffer.concat(out)
}

const sha256B64 = (b: Uint8Array) => createHash('sha256').update(b).digest('base64')

function objectHeaders(meta: ObjectMeta, checksums: boolean): Record<string, string> {
  const h: Record<string, string> = {
    ETag: meta.etag,
    'Last-Modified': new Date(meta.lastModified).toUTCString(),
    'Content-Type': meta.contentType,
    'Accept-Ranges': 'bytes',
  }
  if (meta.contentDisposition) h['Content-Disposition'] = meta.contentDisposition
  for (const [k, v] of Object.entries(meta.metadata)) h[`x-amz-meta-${k}`] = v
  if (checksums && meta.checksumSha256) h['x-amz-checksum-sha256'] = meta.checksumSha256
  return h
}

function userMetadata(source: Iterable<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of source)
    if (k.toLowerCase().startsWith('x-amz-meta-')) out[k.toLowerCase().slice(11)] = v
  return out
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` → [start, end] inclusive, or undefined (whole object). */
function parseRange(header: string | undefined, size: number): [number, number] | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header ?? '')
  if (!m || (m[1] === '' && m[2] === '')) return undefined
  let start: number
  let end: number
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]))
    end = size - 1
  } else {
    start = Number(m[1])
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)
  }
  if (start >= size || start > end)
    throw new S3Error('InvalidRange', 'The requested range is not satisfiable', 416, {
      RangeRequested: header!,
    })
  return [start, end]
}

/** The S3 request handler over a storage (exported for tests that need no port). */
export function s3Handler(
  storage: ObjectStorage,
  options: Pick<S3ServerOptions, 'credentials' | 'corsOrigins'>,
) {
  const origins =
    options.corsOrigins instanceof Set ? options.corsOrigins : new Set(options.corsOrigins ?? [])

  function cors(req: IncomingMessage, res: ServerResponse) {
    const origin = req.headers.origin
    if (!origin || !origins.has(origin)) return false
    res.setHeader('Access-Control-Allow-Origin', origin)
    res.setHeader('Vary', 'Origin')
    res.setHeader(
      'Access-Control-Expose-Headers',
      'ETag, Content-Length, Content-Disposition, x-amz-request-id',
    )
    return true
  }

  function send(
    res: ServerResponse,
    status: number,
    headers: Record<string, string | number>,
    body?: Uint8Array | string,
  ) {
    res.writeHead(status, {
      'x-amz-request-id': crypto.randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase(),
      'X-Content-Type-Options': 'nosniff',
      ...headers,
      ...(body !== undefined ? { 'Content-Length': Buffer.byteLength(body) } : {}),
    })
    res.end(body)
  }

  function sendError(req: IncomingMessage, res: ServerResponse, e: S3Error, resource: string) {
    if (req.method === 'HEAD') return send(res, e.status, {})
    const extra = Object.entries(e.extra)
      .map(([k, v]) => el(k, v))
      .join('')
    const xml = `${XML_HEAD}<Error>${el('Code', e.code)}${el('Message', e.message)}${extra}${el('Resource', resource)}${el('RequestId', crypto.randomUUID())}</Error>`
    send(res, e.status, { 'Content-Type': 'application/xml' }, xml)
  }

  function listV2(bucket: string, q: Map<string, string>) {
    const prefix = q.get('prefix') ?? ''
    const delimiter = q.get('delimiter') ?? ''
    const maxKeys = Math.min(1000, Math.max(0, Number(q.get('max-keys') ?? 1000) || 0))
    const token = q.get('continuation-token')
    const startAfter = q.get('start-after') ?? ''
    const encode = q.get('encoding-type') === 'url'
    const enc = (s: string) => (encode ? encodeURIComponent(s) : s)
    let after = startAfter
    if (token) {
      try {
        after = Buffer.from(token, 'base64url').toString('utf8')
      } catch {
        throw new S3Error('InvalidArgument', 'The continuation token provided is incorrect', 400)
      }
    }
    const contents: ObjectMeta[] = []
    const prefixes: string[] = []
    let truncated = false
    let last = ''
    for (const key of storage.keys(bucket)) {
      if (!key.startsWith(prefix) || (after && Buffer.compare(Buffer.from(key), Buffer.from(after)) <= 0))
        continue
      let entry: ObjectMeta | string = storage.head(bucket, key)!
      if (delimiter) {
        const i = key.indexOf(delimiter, prefix.length)
        if (i >= 0) {
          const common = key.slice(0, i + delimiter.length)
          if (prefixes.includes(common)) continue
          entry = common
        }
      }
      if (contents.length + prefixes.length >= maxKeys) {
        truncated = true
        break
      }
      if (typeof entry === 'string') {
        prefixes.push(entry)
        // Skip the rest of this common prefix on the next page.
        last = `${entry}\u{10ffff}`
      } else {
        contents.push(entry)
        last = key
      }
    }
    const body = [
      `${XML_HEAD}<ListBucketResult xmlns="${NS}">`,
      el('Name', bucket),
      el('Prefix', enc(prefix)),
      delimiter ? el('Delimiter', enc(delimiter)) : '',
      el('MaxKeys', maxKeys),
      el('KeyCount', contents.length + prefixes.length),
      el('IsTruncated', truncated),
      encode ? el('EncodingType', 'url') : '',
      token ? el('ContinuationToken', token) : '',
      startAfter ? el('StartAfter', enc(startAfter)) : '',
      truncated ? el('NextContinuationToken', Buffer.from(last).toString('base64url')) : '',
      ...contents.map(
        (m) =>
          `<Contents>${el('Key', enc(m.key))}${el('LastModified', m.lastModified)}${el('ETag', m.etag)}${el('Size', m.size)}${el('StorageClass', 'STANDARD')}</Contents>`,
      ),
      ...prefixes.map((p) => `<CommonPrefixes>${el('Prefix', enc(p))}</CommonPrefixes>`),
      '</ListBucketResult>',
    ]
    return body.join('')
  }

  async function postObject(req: IncomingMessage, res: ServerResponse, bucket: string, body: Buffer) {
    let form: FormData
    try {
      form = await new Request('http://local/', {
        method: 'POST',
        headers: { 'content-type': String(req.headers['content-type'] ?? '') },
        body: new Uint8Array(body),
      }).formData()
    } catch {
      throw new S3Error(
        'MalformedPOSTRequest',
        'The body of your POST request is not well-formed multipart/form-data.',
        400,
      )
    }
    const fields = new Map<string, string>()
    let file: File | undefined
    for (const [name, value] of form.entries()) {
      if (name.toLowerCase() === 'file' && typeof value !== 'string') file = value
      else if (typeof value === 'string') fields.set(name.toLowerCase(), value)
    }
    if (!file) throw new S3Error('InvalidArgument', 'POST requires exactly one file upload per request.', 400)
    const bytes = new Uint8Array(await file.arrayBuffer())
    let checked: ReturnType<typeof checkPost>
    try {
      checked = checkPost({
        bucket,
        fields,
        fileName: file.name,
        fileSize: bytes.byteLength,
        credentials: options.credentials,
      })
    } catch (err) {
      if (err instanceof PostRefused) throw new S3Error(err.code, err.message, err.status, err.extra)
      throw err
    }
    const checksum = fields.get('x-amz-checksum-sha256')
    if (checksum && checksum !== sha256B64(bytes))
      throw new S3Error('BadDigest', 'The SHA256 you specified did not match the calculated checksum.', 400)
    const meta = storage.put(bucket, checked.key, {
      bytes,
      contentType: fields.get('content-type'),
      contentDisposition: fields.get('content-disposition'),
      checksumSha256: checksum,
      metadata: userMetadata(fields),
    })
    const status = Number(fields.get('success_action_status') ?? 204)
    const headers = { ETag: meta.etag, Location: `/${bucket}/${encodeURIComponent(checked.key)}` }
    if (status === 201) {
      const xml = `${XML_HEAD}<PostResponse>${el('Location', headers.Location)}${el('Bucket', bucket)}${el('Key', checked.key)}${el('ETag', meta.etag)}</PostResponse>`
      return send(res, 201, { ...headers, 'Content-Type': 'application/xml' }, xml)
    }
    send(res, status === 200 ? 200 : 204, headers, status === 200 ? '' : undefined)
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/'
    const q = url.indexOf('?')
    const rawPath = q < 0 ? url : url.slice(0, q)
    const query = new Map(queryPairs(url))
    const slash = rawPath.indexOf('/', 1)
    const bucket = decodeURIComponent(slash < 0 ? rawPath.slice(1) : rawPath.slice(1, slash))
    const key = slash < 0 ? '' : decodeURIComponent(rawPath.slice(slash + 1))
    const resource = key ? `/${bucket}/${key}` : `/${bucket}`
    const method = req.method ?? 'GET'
    const allowed = cors(req, res)
    try {
      if (method === 'OPTIONS') {
        if (!allowed)
          throw new S3Error('AccessForbidden', 'CORSResponse: This CORS request is not allowed.', 403)
        return send(res, 200, {
          'Access-Control-Allow-Methods': 'GET, HEAD, POST',
          'Access-Control-Allow-Headers': String(req.headers['access-control-request-headers'] ?? ''),
          'Access-Control-Max-Age': 3000,
        })
      }
      const body = await readBody(req)
      const isPostObject =
        method === 'POST' &&
        !key &&
        String(req.headers['content-type'] ?? '').startsWith('multipart/form-data')
      if (!isPostObject) {
        const refused = verifySignature(
          { method, url, headers: req.headers },
          { credentials: options.credentials, service: 's3' },
        )
        if (refused) throw authError(refused, query.has('X-Amz-Signature'))
        if (!payloadMatches(req.headers, body))
          throw new S3Error(
            'XAmzContentSHA256Mismatch',
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
            400,
          )
      }
      if (!bucket)
        throw new S3Error('NotImplemented', 'ListBuckets is not implemented by the embedded store.', 501)
      if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
        throw new S3Error('InvalidBucketName', 'The specified bucket is not valid.', 400)
      if (!key) {
        if (method === 'PUT') {
          if (storage.hasBucket(bucket))
            throw new S3Error(
              'BucketAlreadyOwnedByYou',
              'Your previous request to create the named bucket succeeded and you already own it.',
              409,
            )
          storage.createBucket(bucket)
          return send(res, 200, { Location: `/${bucket}` }, '')
        }
        if (!storage.hasBucket(bucket))
          throw new S3Error('NoSuchBucket', 'The specified bucket does not exist', 404)
        if (method === 'HEAD') return send(res, 200, {})
        if (isPostObject) return await postObject(req, res, bucket, body)
        if (method === 'GET' && query.get('list-type') === '2')
          return send(res, 200, { 'Content-Type': 'application/xml' }, listV2(bucket, query))
        throw new S3Error(
          'NotImplemented',
          `${method} on a bucket is not implemented by the embedded store.`,
          501,
        )
      }
      if (!storage.hasBucket(bucket))
        throw new S3Error('NoSuchBucket', 'The specified bucket does not exist', 404)
      if (method === 'PUT') {
        if (req.headers['x-amz-copy-source'])
          throw new S3Error('NotImplemented', 'CopyObject is not implemented by the embedded store.', 501)
        const chunked = String(req.headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-')
        if (chunked && req.headers['x-amz-content-sha256'] !== 'STREAMING-UNSIGNED-PAYLOAD-TRAILER')
          throw new S3Error(
            'NotImplemented',
            'Signed streaming uploads are not implemented; use unsigned payloads.',
            501,
          )
        const bytes = chunked ? decodeAwsChunked(body) : body
        const checksum = req.headers['x-amz-checksum-sha256'] as string | undefined
        if (checksum && checksum !== sha256B64(bytes))
          throw new S3Error(
            'BadDigest',
            'The SHA256 you specified did not match the calculated checksum.',
            400,
          )
        const meta = storage.put(bucket, key, {
          bytes,
          contentType: req.headers['content-type'],
          contentDisposition: req.headers['content-disposition'] as string | undefined,
          checksumSha256: checksum,
          metadata: userMetadata(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
        })
        return send(
          res,
          200,
          { ETag: meta.etag, ...(checksum ? { 'x-amz-checksum-sha256': checksum } : {}) },
          '',
        )
      }
      if (method === 'DELETE') {
        storage.remove(bucket, key)
        return send(res, 204, {})
      }
      if (method === 'GET' || method === 'HEAD') {
        const found = method === 'GET' ? storage.read(bucket, key) : undefined
        const meta = found?.meta ?? storage.head(bucket, key)
        if (!meta) throw new S3Error('NoSuchKey', 'The specified key does not exist.', 404, { Key: key })
        const headers = objectHeaders(meta, req.headers['x-amz-checksum-mode'] === 'ENABLED')
        const overrides: Record<string, string> = {
          'response-content-type': 'Content-Type',
          'response-content-disposition': 'Content-Disposition',
          'response-cache-control': 'Cache-Control',
          'response-content-language': 'Content-Language',
          'response-expires': 'Expires',
          'response-content-encoding': 'Content-Encoding',
        }
        for (const [param, header] of Object.entries(overrides)) {
          const v = query.get(param)
          if (v !== undefined) headers[header] = v
        }
        const range = parseRange(req.headers.range, meta.size)
        if (method === 'HEAD') return send(res, 200, { ...headers, 'Content-Length': meta.size })
        const bytes = found!.bytes
        if (range) {
          const part = bytes.subarray(range[0], range[1] + 1)
          delete headers['x-amz-checksum-sha256']
          return send(
            res,
            206,
            { ...headers, 'Content-Range': `bytes ${range[0]}-${range[1]}/${meta.size}` },
            part,
          )
        }
        return send(res, 200, headers, bytes)
      }
      throw new S3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405)
    } catch (err) {
      if (err instanceof S3Error) return sendError(req, res, err, resource)
      console.error('[s3] request failed', err)
      sendError(
        req,
        res,
        new S3Error('InternalError', 'We encountered an internal error. Please try again.', 500),
        resource,
      )
    }
  }
}

/** A running embedded object store. */
export interface S3Server {
  endpoint: string
  server: Server
  storage: ObjectStorage
  close(): Promise<void>
}

/** Starts the object store on `port` (0 = a free port). */
export async function startS3Server(options: S3ServerOptions): Promise<S3Server> {
  const storage = objectStorage(options.dir)
  const handle = s3Handler(storage, options)
  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      console.error('[s3] request failed', err)
      if (!res.headersSent) res.writeHead(500).end()
    })
  })
  return { ...(await listenOn(server, options)), server, storage }
}
