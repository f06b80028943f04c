/**
 * AWS Signature Version 4, verified the way AWS verifies it, for the embedded servers (store,
 * engine, object store). The canonical request is rebuilt from the request as received — the
 * raw path, the query, exactly the headers the client listed in `SignedHeaders` — so what the
 * SDK or the AWS CLI signed is what is checked. Both forms are accepted: the `Authorization`
 * header and presigned query parameters (`X-Amz-Signature`, with `X-Amz-Expires`).
 * Each server maps a failure to its protocol's error (JSON `__type` or S3 XML).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import type { LocalCredentials } from './credentials.js'

const ALGORITHM = 'AWS4-HMAC-SHA256'
/** AWS refuses a header-signed request whose time is further off than this. */
const MAX_SKEW_MS = 15 * 60_000
/** The longest validity of a presigned URL (7 days). */
const MAX_EXPIRES_S = 604_800

/** Why a request was refused. */
export type AuthFailureKind = 'missing' | 'malformed' | 'unknown-key' | 'signature' | 'expired' | 'skewed'

/** A refused request: the kind (mapped by each server to its protocol's error) and AWS's wording. */
export interface AuthFailure {
  kind: AuthFailureKind
  message: string
}

/** The parts of a request the signature covers. */
export interface RequestToVerify {
  method: string
  /** The request target as received: raw path and query. */
  url: string
  headers: IncomingHttpHeaders
  /**
   * The body, when the protocol signs it (JSON protocols); undefined when the signed
   * `x-amz-content-sha256` header stands for it (S3: the server compares it with the body).
   */
  body?: Uint8Array
}

/** Options of `verifySignature`. */
export interface VerifyOptions {
  credentials: LocalCredentials
  /** The signing name of the service (`dynamodb`, `states`, `s3`). */
  service: string
  now?: () => Date
}

/** RFC 3986 encoding as SigV4 wants it (`encodeURIComponent` leaves `!'()*` alone). */
export const uriEncode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)

const sha256Hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex')
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest()

/** The signing key of a day, region and service. */
export function signingKey(secret: string, day: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), 'aws4_request')
}

/** Hex HMAC of a string with the signing key (also the signature of an S3 POST policy). */
export const signString = (key: Buffer, text: string) =>
  createHmac('sha256', key).update(text, 'utf8').digest('hex')

const decode = (s: string) => {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/** The query as pairs, decoded (a key may repeat). */
export function queryPairs(url: string): [string, string][] {
  const q = url.indexOf('?')
  if (q < 0) return []
  return url
    .slice(q + 1)
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=')
      return eq < 0 ? [decode(p), ''] : [decode(p.slice(0, eq)), decode(p.slice(eq + 1))]
    })
}

const headerValue = (v: string | string[] | undefined) =>
  (Array.isArray(v) ? v.join(',') : (v ?? '')).trim().replace(/\s+/g, ' ')

/** `20261206T181846Z` as a Date, or undefined. */
export function parseAmzDate(s: string | undefined): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s ?? '')
  if (!m) return undefined
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]))
  return Number.isNaN(d.getTime()) ? undefined : d
}

/** The canonical path: S3 signs the path as sent; other services encode the sent path once more. */
function canonicalPath(rawPath: string, service: string): string {
  if (service === 's3') return rawPath || '/'
  return rawPath.split('/').map(uriEncode).join('/') || '/'
}

function canonicalQuery(pairs: [string, string][]): string {
  return pairs
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&')
}

interface Parsed {
  accessKeyId: string
  day: string
  region: string
  service: string
  signedHeaders: string[]
  signature: string
  date: Date
  amzDate: string
  presigned?: { expires: number }
}

function parseCredential(credential: string) {
  const parts = credential.split('/')
  if (parts.length !== 5 || parts[4] !== 'aws4_request') return undefined
  const [accessKeyId, day, region, service] = parts
  return { accessKeyId, day, region, service }
}

function parse(req: RequestToVerify, pairs: [string, string][]): Parsed | AuthFailure {
  const auth = headerValue(req.headers.authorization)
  const q = new Map(pairs)
  const presigned = q.has('X-Amz-Algorithm') || q.has('X-Amz-Signature')
  if (auth && presigned)
    return {
      kind: 'malformed',
      message: "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
    }
  if (!auth && !presigned) return { kind: 'missing', message: 'Request is missing Authentication Token' }
  if (auth) {
    if (!auth.startsWith(`${ALGORITHM} `))
      return { kind: 'malformed', message: `Authorization header requires the algorithm ${ALGORITHM}.` }
    const fields = Object.fromEntries(
      auth
        .slice(ALGORITHM.length)
        .split(',')
        .map((f) => f.trim().split('='))
        .filter((kv) => kv.length === 2),
    ) as Record<string, string>
    const cred = parseCredential(fields.Credential ?? '')
    const amzDate = headerValue(req.headers['x-amz-date'])
    const date = parseAmzDate(amzDate)
    if (!cred || !fields.SignedHeaders || !fields.Signature || !date)
      return {
        kind: 'malformed',
        message: `Authorization header requires 'Credential', 'Signature', 'SignedHeaders' parameters and an 'X-Amz-Date' header. Authorization=${auth}`,
      }
    return {
      ...cred,
      signedHeaders: fields.SignedHeaders.split(';'),
      signature: fields.Signature,
      date,
      amzDate,
    }
  }
  const cred = parseCredential(q.get('X-Amz-Credential') ?? '')
  const amzDate = q.get('X-Amz-Date') ?? ''
  const date = parseAmzDate(amzDate)
  const expires = Number(q.get('X-Amz-Expires') ?? '')
  if (
    q.get('X-Amz-Algorithm') !== ALGORITHM ||
    !cred ||
    !date ||
    !q.get('X-Amz-SignedHeaders') ||
    !q.get('X-Amz-Signature') ||
    !Number.isInteger(expires) ||
    expires < 1 ||
    expires > MAX_EXPIRES_S
  )
    return {
      kind: 'malformed',
      message:
        'Query-string authentication requires the X-Amz-Algorithm (AWS4-HMAC-SHA256), X-Amz-Credential, X-Amz-Date, X-Amz-Expires (1 to 604800), X-Amz-SignedHeaders and X-Amz-Signature parameters.',
    }
  return {
    ...cred,
    signedHeaders: q.get('X-Amz-SignedHeaders')!.split(';'),
    signature: q.get('X-Amz-Signature')!,
    date,
    amzDate,
    presigned: { expires },
  }
}

const isFailure = (p: Parsed | AuthFailure): p is AuthFailure => 'kind' in p

/** The payload hash the signature covers. */
function payloadHash(req: RequestToVerify, p: Parsed, service: string): string {
  const declared = headerValue(req.headers['x-amz-content-sha256'])
  if (p.presigned) return service === 's3' ? 'UNSIGNED-PAYLOAD' : sha256Hex(req.body ?? new Uint8Array())
  if (declared) return declared
  return sha256Hex(req.body ?? new Uint8Array())
}

/**
 * Verifies a request's signature with the installation's key pair. Answers undefined when it
 * is valid, else why not (AWS's wording). The body's hash is checked where it is signed: the
 * JSON protocols hash the body itself; S3 signs `x-amz-content-sha256`, which the object store
 * compares with the body it receives (`payloadMatches`).
 */
export function verifySignature(req: RequestToVerify, options: VerifyOptions): AuthFailure | undefined {
  const now = (options.now ?? (() => new Date()))()
  const pairs = queryPairs(req.url)
  const p = parse(req, pairs)
  if (isFailure(p)) return p
  if (p.accessKeyId !== options.credentials.accessKeyId)
    return options.service === 's3'
      ? { kind: 'unknown-key', message: 'The AWS Access Key Id you provided does not exist in our records.' }
      : { kind: 'unknown-key', message: 'The security token included in the request is invalid.' }
  if (p.service !== options.service)
    return {
      kind: 'malformed',
      message: `Credential should be scoped to correct service: '${options.service}'.`,
    }
  if (p.day !== p.amzDate.slice(0, 8))
    return {
      kind: 'malformed',
      message: `Credential should be scoped to a valid date: '${p.amzDate.slice(0, 8)}'.`,
    }
  if (!p.signedHeaders.includes('host'))
    return { kind: 'malformed', message: "SignedHeaders must include 'host'." }
  for (const h of p.signedHeaders)
    if (req.headers[h] === undefined)
      return { kind: 'signature', message: `The header '${h}' is signed but not present.` }
  if (p.presigned) {
    if (now.getTime() > p.date.getTime() + p.presigned.expires * 1000)
      return { kind: 'expired', message: 'Request has expired' }
    if (p.date.getTime() - now.getTime() > MAX_SKEW_MS)
      return { kind: 'skewed', message: 'Request is not yet valid' }
  } else if (Math.abs(now.getTime() - p.date.getTime()) > MAX_SKEW_MS) {
    return {
      kind: 'skewed',
      message: `Signature expired: ${p.amzDate} is now earlier or later than the server's time by more than 15 minutes.`,
    }
  }
  const q = req.url.indexOf('?')
  const rawPath = q < 0 ? req.url : req.url.slice(0, q)
  const canonical = [
    req.method.toUpperCase(),
    canonicalPath(rawPath, options.service),
    canonicalQuery(pairs.filter(([k]) => k !== 'X-Amz-Signature')),
    ...p.signedHeaders.map((h) => `${h}:${headerValue(req.headers[h])}`),
    '',
    p.signedHeaders.join(';'),
    payloadHash(req, p, options.service),
  ].join('\n')
  const scope = `${p.day}/${p.region}/${p.service}/aws4_request`
  const toSign = [ALGORITHM, p.amzDate, scope, sha256Hex(canonical)].join('\n')
  const expected = signString(
    signingKey(options.credentials.secretAccessKey, p.day, p.region, p.service),
    toSign,
  )
  const given = Buffer.from(p.signature.toLowerCase())
  if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected)))
    return {
      kind: 'signature',
      message:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    }
  return undefined
}

/** True when a signed `x-amz-content-sha256` that names a hash matches the body received. */
export function payloadMatches(headers: IncomingHttpHeaders, body: Uint8Array): boolean {
  const declared = headerValue(headers['x-amz-content-sha256'])
  if (!/^[0-9a-f]{64}$/i.test(declared)) return true
  return sha256Hex(body) === declared.toLowerCase()
}

/** The JSON protocols' error for a failure (`__type`, HTTP 400, as DynamoDB and Step Functions answer). */
export function jsonAuthError(f: AuthFailure): { type: string; message: string; status: number } {
  const type = {
    missing: 'MissingAuthenticationTokenException',
    malformed: 'IncompleteSignatureException',
    'unknown-key': 'UnrecognizedClientException',
    signature: 'InvalidSignatureException',
    expired: 'InvalidSignatureException',
    skewed: 'InvalidSignatureException',
  }[f.kind]
  return { type, message: f.message, status: 400 }
}
