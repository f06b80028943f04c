import { randomBytes } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { createRequire } from 'node:module'
import { crc32 } from 'node:zlib'
import { holdsSharedLock, type StoreTransactions } from './dynamo-transactions.js'
import { checkTypes } from './dynamo-types.js'
import type { DirectAnswer, DirectRequest } from './in-process.js'

/**
 * The embedded store's answer to this process's own SDK clients, computed by a call instead of
 * through dynalite's HTTP request listener. The listener reads the body from a stream, parses the
 * URL and the Authorization header, sets each header on a response object, and encodes the JSON
 * of its answer three times (its CRC32, its length, the bytes written); a CPU profile of
 * `npm run bench:inbox-cpu` had that plumbing at ~10 % of the store's share.
 *
 * The answer is the listener's, step by step as dynalite 4.0.0's `httpHandler` (index.js) takes
 * them for a request the SDK sends (POST, `application/x-amz-json-1.0`, a known operation, a
 * body, no Origin header, nothing in the query string): the body parsed as JSON (else
 * SerializationException), the operation's type checks (dynalite's, as
 * `dynamo-types.ts` runs them) and validations (dynalite's `validations`), its action, and the answer as `sendData` writes it (status, `x-amz-crc32`
 * of the body, Content-Type, Content-Length, a 52-character request id). Transactions and the
 * lock single-item writes share with them are `dynamo-transactions.ts`'s, as in front of the
 * listener. Any other request (another method or content type, a header or query string the
 * listener treats differently) is left to the listener: `answer` returns `undefined`.
 *
 * One difference on purpose: an error without a DynamoDB error body (the database closed under
 * a request) fails that request. The listener throws it from a callback, which ends the process.
 */

const require = createRequire(import.meta.url)
/** dynalite's store (db/index.js `create`): handed back to its own actions and validations as it is. */
type DynaliteStore = object
/** A request's JSON after dynalite's type checks (its fields are the operation's). */
type RequestData = Record<string, unknown>
/** A DynamoDB error as dynalite's validations and actions raise it: its HTTP status and JSON body. */
interface DynaliteError {
  statusCode: number
  body: unknown
}
const isDynaliteError = (e: unknown): e is DynaliteError =>
  typeof e === 'object' && e !== null && 'statusCode' in e && typeof e.statusCode === 'number'
/** One of dynalite's actions (actions/*.js): callback style, answering a DynamoDB error or the answer's JSON. */
type Action = (store: DynaliteStore, data: RequestData, cb: (err: unknown, out?: unknown) => void) => void
/** An operation's validation rules (validations/*.js): each field's type, and the operation's own checks. */
interface Rules {
  types: Parameters<typeof checkTypes>[1]
  custom?: unknown
}
/**
 * dynalite's validations module (untyped CommonJS): the second of the two steps its listener
 * takes (the first, its type checks, is `dynamo-types.ts`'s: the same checks without their garbage).
 */
interface Validations {
  checkValidations(data: RequestData, types: unknown, custom: unknown, store: DynaliteStore): void
}
const validations: Validations = require('dynalite/validations')

/** dynalite's operations (index.js `validOperations`), each with its action and its validation rules. */
const OPERATIONS = [
  'BatchGetItem',
  'BatchWriteItem',
  'CreateTable',
  'DeleteItem',
  'DeleteTable',
  'DescribeTable',
  'DescribeTimeToLive',
  'GetItem',
  'ListTables',
  'PutItem',
  'Query',
  'Scan',
  'TagResource',
  'UntagResource',
  'ListTagsOfResource',
  'UpdateItem',
  'UpdateTable',
]
const operations = new Map<string, { action: Action; rules: Rules }>(
  OPERATIONS.map((op) => {
    const file = op[0].toLowerCase() + op.slice(1)
    return [
      op,
      { action: require(`dynalite/actions/${file}`), rules: require(`dynalite/validations/${file}`) },
    ]
  }),
)

/** dynalite's API versions (index.js `validApis`). */
const APIS = new Set(['DynamoDB_20111205', 'DynamoDB_20120810'])

const JSON_10 = 'application/x-amz-json-1.0'

/** Random bytes for request ids, drawn from a pool (one `randomBytes` call per 100 ids instead of one per id). */
let pool = Buffer.alloc(0)
let poolAt = 0

/** dynalite's request id (`rand52CharId`): 39 random bytes in base64, upper case, `+` and `/` as `0`. */
function requestId(): string {
  if (poolAt + 39 > pool.length) {
    pool = randomBytes(39 * 100)
    poolAt = 0
  }
  const id = pool.toString('base64', poolAt, poolAt + 39)
  poolAt += 39
  return id.toUpperCase().replace(/\+|\//g, '0')
}

/** An answer with a JSON body, its bytes encoded once for the checksum, the length and the body. */
function jsonAnswer(status: number, body: unknown, contentType: string, id: string): DirectAnswer {
  const bytes = Buffer.from(JSON.stringify(body), 'utf8')
  return {
    statusCode: status,
    headers: {
      'x-amzn-requestid': id,
      'x-amz-crc32': String(crc32(bytes)),
      'content-type': contentType,
      'content-length': String(bytes.length),
    },
    body: bytes,
  }
}

/** The single header value the listener would read (`req.headers[name]`). */
const header = (headers: IncomingHttpHeaders, name: string) => {
  const v = headers[name]
  return Array.isArray(v) ? undefined : v
}

/** Whether the listener path answers this request exactly as `serveDirectly` would; else it is left to it. */
function isPlain(req: DirectRequest, target: string[]): boolean {
  if (req.method !== 'POST' || req.url !== '/' || req.body.length === 0) return false
  if (req.headers.origin !== undefined || req.headers.authorization !== undefined) return false
  if ((header(req.headers, 'content-type') ?? '').split(';')[0].trim() !== JSON_10) return false
  return target.length === 2 && APIS.has(target[0]) && operations.has(target[1])
}

/** Runs a dynalite action (callback style) as a promise; a DynamoDB error resolves as its error. */
function act(
  action: Action,
  store: DynaliteStore,
  data: RequestData,
): Promise<{ err?: DynaliteError; data?: unknown }> {
  return new Promise((resolve, reject) =>
    action(store, data, (err, out) => {
      if (isDynaliteError(err) && err.statusCode) resolve({ err })
      else if (err) reject(err)
      else resolve({ data: out })
    }),
  )
}

/**
 * The store's direct answers for `inProcessClient` (see above): an answer, or `undefined` for a
 * request the listener must take.
 */
export function directStore(getStore: () => DynaliteStore, transactions: StoreTransactions) {
  return (req: DirectRequest): Promise<DirectAnswer> | undefined => {
    const target = String(header(req.headers, 'x-amz-target') ?? '').split('.')
    const op = target[1] ?? ''
    if (transactions.handles(op)) {
      // As in front of the listener: any method and content type, the body as sent.
      return transactions
        .serve(op, req.body.toString('utf8'))
        .then(({ status, body }) => jsonAnswer(status, body, JSON_10, crypto.randomUUID()))
    }
    if (!isPlain(req, target)) return undefined
    return serve(getStore(), transactions, op, req.body.toString('utf8'))
  }
}

async function serve(
  store: DynaliteStore,
  transactions: StoreTransactions,
  op: string,
  text: string,
): Promise<DirectAnswer> {
  const id = requestId()
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return jsonAnswer(400, { __type: 'com.amazon.coral.service#SerializationException' }, JSON_10, id)
  }
  const operation = operations.get(op)
  if (!operation) throw new Error(`no dynalite operation ${op}`) // isPlain let only known ones through
  const { action, rules } = operation
  const release = holdsSharedLock(op) ? await transactions.lock.acquire(false) : undefined
  try {
    let checked: RequestData
    try {
      checked = checkTypes(data, rules.types)
      validations.checkValidations(checked, rules.types, rules.custom, store)
    } catch (err) {
      if (isDynaliteError(err) && err.statusCode) return jsonAnswer(err.statusCode, err.body, JSON_10, id)
      throw err
    }
    const out = await act(action, store, checked)
    return out.err
      ? jsonAnswer(out.err.statusCode, out.err.body, JSON_10, id)
      : jsonAnswer(200, out.data, JSON_10, id)
  } finally {
    release?.()
  }
}
