/**
 * S3's browser upload (POST Object with a Signature V4 POST policy), checked as S3 checks it:
 * the policy's signature with the installation's key pair, its expiration, and each of its
 * conditions (exact match, `eq`, `starts-with`, `content-length-range`); every form field but
 * the signature, the file, the policy and `x-ignore-*` must be covered by a condition.
 */
import { timingSafeEqual } from 'node:crypto'
import type { LocalCredentials } from '../credentials.js'
import { parseAmzDate, signingKey, signString } from '../sigv4.js'

/** A refusal with S3's error code and status. */
export class PostRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 403,
    readonly extra: Record<string, string | number> = {},
  ) {
    super(message)
  }
}

/** The checked upload: where the file goes and with which fields. */
export interface CheckedPost {
  key: string
  fields: Map<string, string>
}

const FREE_FIELDS = new Set(['x-amz-signature', 'file', 'policy'])

/**
 * Checks a POST Object form (`fields` lower-cased names, `fileName` the file part's name,
 * `fileSize` its length) for `bucket`; throws `PostRefused` with S3's code.
 */
export function checkPost(options: {
  bucket: string
  fields: Map<string, string>
  fileName: string
  fileSize: number
  credentials: LocalCredentials
  now?: Date
}): CheckedPost {
  const { fields, credentials, bucket } = options
  const now = options.now ?? new Date()
  const policyB64 = fields.get('policy')
  const signature = fields.get('x-amz-signature')
  const credential = fields.get('x-amz-credential')
  const amzDate = fields.get('x-amz-date')
  if (
    !policyB64 ||
    !signature ||
    !credential ||
    !amzDate ||
    fields.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256'
  )
    throw new PostRefused(
      'InvalidArgument',
      'Bucket POST must contain the fields policy, x-amz-algorithm (AWS4-HMAC-SHA256), x-amz-credential, x-amz-date and x-amz-signature.',
      400,
    )
  const [accessKeyId, day, region, service, term] = credential.split('/')
  if (accessKeyId !== credentials.accessKeyId)
    throw new PostRefused(
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
    )
  if (!day || !region || service !== 's3' || term !== 'aws4_request' || !parseAmzDate(amzDate))
    throw new PostRefused('InvalidArgument', 'The x-amz-credential or x-amz-date field is malformed.', 400)
  const expected = signString(signingKey(credentials.secretAccessKey, day, region, 's3'), policyB64)
  const given = Buffer.from(signature.toLowerCase())
  if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected)))
    throw new PostRefused(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    )
  let policy: { expiration?: unknown; conditions?: unknown }
  try {
    policy = JSON.parse(Buffer.from(policyB64, 'base64').toString('utf8'))
  } catch {
    throw new PostRefused('InvalidPolicyDocument', 'Invalid Policy: Invalid JSON.', 400)
  }
  const expiration = typeof policy.expiration === 'string' ? Date.parse(policy.expiration) : Number.NaN
  if (Number.isNaN(expiration) || !Array.isArray(policy.conditions))
    throw new PostRefused(
      'InvalidPolicyDocument',
      'Invalid Policy: the policy needs expiration and conditions.',
      400,
    )
  if (now.getTime() > expiration)
    throw new PostRefused('AccessDenied', 'Invalid according to Policy: Policy expired.')

  // S3 replaces the literal ${filename} in the key with the file's name.
  // biome-ignore lint/suspicious/noTemplateCurlyInString: S3's own placeholder, not a template
  const key = (fields.get('key') ?? '').replace('${filename}', options.fileName)
  if (!key) throw new PostRefused('InvalidArgument', 'Bucket POST must contain a field named key.', 400)
  const value = (name: string) => {
    if (name === 'bucket') return bucket
    if (name === 'key') return key
    return fields.get(name)
  }
  const covered = new Set<string>()
  const refuse = (what: string) =>
    new PostRefused('AccessDenied', `Invalid according to Policy: Policy Condition failed: ${what}`)
  for (const c of policy.conditions as unknown[]) {
    if (Array.isArray(c)) {
      const [op, a, b] = c as [string, unknown, unknown]
      if (typeof op === 'string' && op.toLowerCase() === 'content-length-range') {
        const min = Number(a)
        const max = Number(b)
        if (options.fileSize < min || options.fileSize > max)
          throw options.fileSize > max
            ? new PostRefused(
                'EntityTooLarge',
                'Your proposed upload exceeds the maximum allowed size',
                400,
                {
                  ProposedSize: options.fileSize,
                  MaxSizeAllowed: max,
                },
              )
            : new PostRefused(
                'EntityTooSmall',
                'Your proposed upload is smaller than the minimum allowed size',
                400,
                {
                  ProposedSize: options.fileSize,
                  MinSizeAllowed: min,
                },
              )
        continue
      }
      const name = typeof a === 'string' && a.startsWith('$') ? a.slice(1).toLowerCase() : undefined
      if (!name || typeof b !== 'string')
        throw new PostRefused('InvalidPolicyDocument', 'Invalid Policy: Invalid Condition.', 400)
      const v = value(name) ?? ''
      const ok = op === 'eq' ? v === b : op === 'starts-with' ? v.startsWith(b) : undefined
      if (ok === undefined)
        throw new PostRefused('InvalidPolicyDocument', `Invalid Policy: Unknown operation ${op}.`, 400)
      if (!ok) throw refuse(`["${op}", "$${name}", "${b}"]`)
      covered.add(name)
    } else if (c && typeof c === 'object') {
      for (const [k, want] of Object.entries(c as Record<string, unknown>)) {
        const name = k.toLowerCase()
        if ((value(name) ?? '') !== String(want)) throw refuse(`["eq", "$${name}", "${String(want)}"]`)
        covered.add(name)
      }
    } else throw new PostRefused('InvalidPolicyDocument', 'Invalid Policy: Invalid Condition.', 400)
  }
  for (const name of fields.keys())
    if (!FREE_FIELDS.has(name) && !name.startsWith('x-ignore-') && !covered.has(name))
      throw new PostRefused('AccessDenied', `Invalid according to Policy: Extra input fields: ${name}`)
  return { key, fields }
}
