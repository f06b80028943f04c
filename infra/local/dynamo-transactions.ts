import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import { crc32 } from 'node:zlib'

/**
 * DynamoDB transactions for the embedded store. dynalite implements the single-item
 * operations but not TransactWriteItems/TransactGetItems; this module adds both in front of
 * its request handler, reusing dynalite's own validation, condition evaluation and
 * write actions, so the semantics stay dynalite's (and DynamoDB's):
 *
 * - every condition of a transaction is checked before anything is written; one failure
 *   cancels the whole transaction with `TransactionCanceledException` and per-item
 *   `CancellationReasons` (with the stored item of a failed condition whose item asked for
 *   `ReturnValuesOnConditionCheckFailure: 'ALL_OLD'`);
 * - a transaction's writes (its items and their secondary-index entries) are applied as ONE
 *   LevelDB batch, which is atomic: a read sees all of them or none, and a process killed
 *   while it is written leaves none of them (no record without the index entries written with
 *   it). dynalite's own write actions compute them against a store that gathers the writes
 *   instead of applying them (`gatheringStore`);
 * - transactions hold an exclusive lock while single-item writes (and TransactGetItems, so it
 *   reads all its items between two transactions) hold a shared one, so no other write lands
 *   between a transaction's checks and its batch. Reads (GetItem, BatchGetItem, Query, Scan)
 *   take no lock: a get and a Query's iterator (an implicit LevelDB snapshot) see a transaction
 *   whole or not at all, so they never wait behind the transactions in the queue.
 */

const require = createRequire(import.meta.url)
/** dynalite is untyped CommonJS. */
type Any = any
const db: Any = require('dynalite/db')
const validations: Any = require('dynalite/validations')
const ops = ['putItem', 'updateItem', 'deleteItem', 'getItem'] as const
const actions: Record<string, Any> = Object.fromEntries(ops.map((o) => [o, require(`dynalite/actions/${o}`)]))
const rules: Record<string, Any> = Object.fromEntries(
  ops.map((o) => [o, require(`dynalite/validations/${o}`)]),
)

/** Single-item writes: they wait for a transaction being applied, and a transaction waits for them. */
const SHARED = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'])

/** Shared/exclusive lock, writers first so transactions are not starved. */
export class RwLock {
  private readers = 0
  private writer = false
  private waiting: { exclusive: boolean; go: () => void }[] = []
  acquire(exclusive: boolean): Promise<() => void> {
    return new Promise((resolve) => {
      const go = () => {
        if (exclusive) this.writer = true
        else this.readers++
        let released = false
        resolve(() => {
          if (released) return
          released = true
          if (exclusive) this.writer = false
          else this.readers--
          this.drain()
        })
      }
      this.waiting.push({ exclusive, go })
      this.drain()
    })
  }
  private drain() {
    while (this.waiting.length) {
      const next = this.waiting[0]
      if (this.writer) return
      if (next.exclusive) {
        if (this.readers > 0) return
        this.waiting.shift()
        next.go()
        return
      }
      this.waiting.shift()
      next.go()
    }
  }
}

/** Captures the store dynalite creates, so transactions can use it. Call before `dynalite()`. */
export function captureDynaliteStore(): { get: () => Any } {
  let captured: Any
  const original = db.create
  db.create = (options: Any) => {
    captured = original(options)
    db.create = original
    return captured
  }
  return { get: () => captured }
}

const send = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body)
  res.statusCode = status
  res.setHeader('Content-Type', 'application/x-amz-json-1.0')
  res.setHeader('x-amz-crc32', crc32(text))
  res.setHeader('x-amzn-RequestId', crypto.randomUUID())
  res.setHeader('Content-Length', Buffer.byteLength(text))
  res.end(text)
}

const cb2p = <T>(fn: (cb: (err: Any, v?: T) => void) => void) =>
  new Promise<T>((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v as T))))

const errorBody = (err: Any) =>
  err?.statusCode
    ? { status: err.statusCode as number, body: err.body }
    : {
        status: 500,
        body: {
          __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
          message: String(err?.message ?? err),
        },
      }

/** A write of dynalite's level database, as `db.batch` takes it (keys with their sublevel's prefix). */
type BatchOp = { type: 'put'; key: string; value: unknown } | { type: 'del'; key: string }

/**
 * dynalite's store with its item and index sublevels replaced by ones that read from the
 * database but gather their writes in `ops` (prefixed as dynalite's own sublevels prefix them:
 * `item-<table>~`, `index-<global|local>~<table>~<index>~`) instead of applying them, so
 * dynalite's write actions compute a transaction's writes and one batch applies them. Their
 * per-key locks are not needed: the transaction holds the exclusive lock.
 */
function gatheringStore(store: Any, ops: BatchOp[]): Any {
  const gathering = (prefix: string, real: Any) => ({
    get: (key: string, cb: Any) => real.get(key, cb),
    lock: (_key: string, fn: Any) => fn((cb: Any) => cb),
    put(key: string, value: unknown, cb: Any) {
      ops.push({ type: 'put', key: prefix + key, value })
      process.nextTick(cb, null)
    },
    del(key: string, cb: Any) {
      ops.push({ type: 'del', key: prefix + key })
      process.nextTick(cb, null)
    },
  })
  return Object.assign(Object.create(store), {
    getItemDb: (name: string) => gathering(`item-${name}~`, store.getItemDb(name)),
    getIndexDb: (type: string, table: string, index: string) =>
      gathering(`index-${type.toLowerCase()}~${table}~${index}~`, store.getIndexDb(type, table, index)),
  })
}

interface Prepared {
  op: 'putItem' | 'updateItem' | 'deleteItem' | 'conditionCheck'
  /** `ReturnValuesOnConditionCheckFailure: 'ALL_OLD'`: a failed condition answers the stored item. */
  returnOld: boolean
  data: Any
  table: Any
  key: string
  tableName: string
}

async function prepare(store: Any, item: Any, index: number): Promise<Prepared> {
  const kinds = ['Put', 'Update', 'Delete', 'ConditionCheck'].filter((k) => item?.[k])
  if (kinds.length !== 1)
    throw db.validationError(
      `TransactItems[${index}] must contain exactly one of Put, Update, Delete, ConditionCheck`,
    )
  const kind = kinds[0]
  const opNames: Record<string, Prepared['op']> = {
    Put: 'putItem',
    Update: 'updateItem',
    Delete: 'deleteItem',
    ConditionCheck: 'conditionCheck',
  }
  const op = opNames[kind]
  const raw = { ...item[kind] }
  const returnOld = raw.ReturnValuesOnConditionCheckFailure === 'ALL_OLD'
  delete raw.ReturnValuesOnConditionCheckFailure
  const rule = rules[op === 'conditionCheck' ? 'deleteItem' : op]
  const data = validations.checkTypes(raw, rule.types)
  validations.checkValidations(data, rule.types, rule.custom, store)
  if (op === 'conditionCheck' && !data._condition)
    throw db.validationError(`TransactItems[${index}].ConditionCheck needs a ConditionExpression`)
  const table = await cb2p<Any>((cb) => store.getTable(data.TableName, cb))
  const key = db.createKey(op === 'putItem' ? data.Item : data.Key, table)
  return { op, returnOld, data, table, key, tableName: data.TableName }
}

async function transactWrite(store: Any, lock: RwLock, body: Any) {
  const items = body?.TransactItems
  if (!Array.isArray(items) || items.length === 0 || items.length > 100)
    throw db.validationError('TransactItems must have between 1 and 100 items')
  const prepared: Prepared[] = []
  for (let i = 0; i < items.length; i++) prepared.push(await prepare(store, items[i], i))
  const seen = new Set<string>()
  for (const p of prepared) {
    const id = `${p.tableName}\u0000${p.key}`
    if (seen.has(id))
      throw db.validationError('Transaction request cannot include multiple operations on one item')
    seen.add(id)
  }
  const release = await lock.acquire(true)
  try {
    const reasons: { Code: string; Message?: string; Item?: Any }[] = []
    for (const p of prepared) {
      const existing = await new Promise<Any>((resolve, reject) =>
        store
          .getItemDb(p.tableName)
          .get(p.key, (err: Any, v: Any) => (err && err.name !== 'NotFoundError' ? reject(err) : resolve(v))),
      )
      const failed = db.checkConditional(p.data, existing)
      reasons.push(
        failed
          ? {
              Code: 'ConditionalCheckFailed',
              Message: 'The conditional request failed',
              ...(p.returnOld && existing ? { Item: existing } : {}),
            }
          : { Code: 'None' },
      )
    }
    if (reasons.some((r) => r.Code !== 'None')) {
      const err: Any = new Error('cancelled')
      err.statusCode = 400
      err.body = {
        __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
        message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
        CancellationReasons: reasons,
      }
      throw err
    }
    // Every write computed first (an invalid update fails here, before anything is written), then one batch.
    const ops: BatchOp[] = []
    const gathering = gatheringStore(store, ops)
    for (const p of prepared) {
      if (p.op === 'conditionCheck') continue
      const data = { ...p.data }
      delete data._condition
      delete data.Expected
      await cb2p((cb) => actions[p.op](gathering, data, cb))
    }
    if (ops.length) await store.db.batch(ops)
    return {}
  } finally {
    release()
  }
}

async function transactGet(store: Any, lock: RwLock, body: Any) {
  const items = body?.TransactItems
  if (!Array.isArray(items) || items.length === 0 || items.length > 100)
    throw db.validationError('TransactItems must have between 1 and 100 items')
  const gets: Any[] = []
  for (let i = 0; i < items.length; i++) {
    if (!items[i]?.Get) throw db.validationError(`TransactItems[${i}] must contain Get`)
    const data = validations.checkTypes({ ...items[i].Get }, rules.getItem.types)
    validations.checkValidations(data, rules.getItem.types, rules.getItem.custom, store)
    gets.push(data)
  }
  // Between two transactions: no transaction lands between its reads.
  const release = await lock.acquire(false)
  try {
    const responses: Any[] = []
    for (const data of gets) {
      const out = await cb2p<Any>((cb) => actions.getItem(store, data, cb))
      responses.push(out?.Item ? { Item: out.Item } : {})
    }
    return { Responses: responses }
  } finally {
    release()
  }
}

/** The transactions of one embedded store: their answers, and the lock single-item writes share with them. */
export interface StoreTransactions {
  /** Answers a TransactWriteItems or TransactGetItems request (its body as sent): status and body. */
  serve(target: string, bodyText: string): Promise<{ status: number; body: unknown }>
  /** Whether `target` (the operation of `x-amz-target`) is a transaction. */
  handles(target: string): boolean
  /** Single-item writes hold it shared until they are answered (see the top of this module). */
  lock: RwLock
}

/** The transaction operations of one store (its lock with them). */
export function storeTransactions(getStore: () => Any): StoreTransactions {
  const lock = new RwLock()
  return {
    lock,
    handles: (target) => target === 'TransactWriteItems' || target === 'TransactGetItems',
    async serve(target, bodyText) {
      let body: Any
      try {
        body = JSON.parse(bodyText || '{}')
      } catch {
        return { status: 400, body: { __type: 'com.amazon.coral.service#SerializationException' } }
      }
      try {
        const out =
          target === 'TransactWriteItems'
            ? await transactWrite(getStore(), lock, body)
            : await transactGet(getStore(), lock, body)
        return { status: 200, body: out }
      } catch (err) {
        return errorBody(err)
      }
    },
  }
}

/** Whether a single-item operation (the operation of `x-amz-target`) holds the transactions' lock shared. */
export const holdsSharedLock = (target: string) => SHARED.has(target)

/** Puts the transaction handler in front of dynalite's request listener; answers the transactions it serves. */
export function addTransactions(server: Server, getStore: () => Any): StoreTransactions {
  const original = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[]
  server.removeAllListeners('request')
  const transactions = storeTransactions(getStore)
  const delegate = (req: IncomingMessage, res: ServerResponse) => {
    for (const l of original) l.call(server, req, res)
  }
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const target = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? ''
    if (transactions.handles(target)) {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', async () => {
        const { status, body } = await transactions.serve(target, Buffer.concat(chunks).toString('utf8'))
        send(res, status, body)
      })
      return
    }
    if (SHARED.has(target)) {
      transactions.lock.acquire(false).then((release) => {
        res.once('close', release)
        res.once('finish', release)
        delegate(req, res)
      })
      return
    }
    delegate(req, res)
  })
  return transactions
}
