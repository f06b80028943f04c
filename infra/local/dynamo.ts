import { mkdirSync } from 'node:fs'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import { PassThrough, Readable } from 'node:stream'
import { crc32 } from 'node:zlib'
import dynalite from 'dynalite'
import type { LocalCredentials } from './credentials.js'
import { directStore } from './dynamo-direct.js'
import { cacheExpressions } from './dynamo-expressions.js'
import { readPagesDirectly } from './dynamo-query.js'
import { addTransactions, captureDynaliteStore } from './dynamo-transactions.js'
import { type InProcessClientConfig, inProcessClient, type RequestListener } from './in-process.js'
import { jsonAuthError, verifySignature } from './sigv4.js'

/** dynalite's own limit of a request body. */
const MAX_BODY = 16 * 1024 * 1024

/**
 * Puts Signature V4 verification in front of the server's request listeners: the body is read,
 * the signature checked with the installation's key pair, and only a signed request reaches
 * dynalite (replayed as the same request). Others get DynamoDB's error.
 */
function requireSignature(server: Server, credentials: LocalCredentials) {
  const inner = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[]
  server.removeAllListeners('request')
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size <= MAX_BODY) chunks.push(c)
    })
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const failure =
        size > MAX_BODY
          ? { type: 'ValidationException', message: 'The request body is too large.', status: 413 }
          : (() => {
              const f = verifySignature(
                { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body },
                { credentials, service: 'dynamodb' },
              )
              return f && jsonAuthError(f)
            })()
      if (failure) {
        const text = JSON.stringify({
          __type: `com.amazon.coral.service#${failure.type}`,
          message: failure.message,
        })
        res.writeHead(failure.status, {
          'Content-Type': 'application/x-amz-json-1.0',
          'Content-Length': Buffer.byteLength(text),
          'x-amzn-RequestId': crypto.randomUUID(),
          'x-amzn-ErrorType': failure.type,
        })
        res.end(text)
        return
      }
      // The same request, its body replayed for dynalite.
      const replay = Object.assign(new PassThrough(), {
        headers: req.headers,
        method: req.method,
        url: req.url,
        httpVersion: req.httpVersion,
        socket: req.socket,
        connection: req.socket,
      }) as unknown as IncomingMessage
      for (const l of inner) l.call(server, replay, res)
      ;(replay as unknown as PassThrough).end(body)
    })
    req.on('error', () => res.destroy())
  })
}

/** What dynalite's streams read from: abstract-level iterators (`next()` answers undefined at the end). */
interface LevelIterator {
  next(): Promise<unknown>
  close(): Promise<void>
}

/** The methods of dynalite's level database that `closeIterators` replaces. */
interface StreamingDatabase {
  keys(options?: object): LevelIterator
  values(options?: object): LevelIterator
  createKeyStream(options?: object): Readable
  createValueStream(options?: object): Readable
}

/**
 * dynalite (4.0.0, the latest) reads every Query and Scan through a stream over a level
 * iterator that it never closes (it calls `iterator.return`, which abstract-level iterators do
 * not have): each request left an open LevelDB iterator behind, pinning the memtables and
 * table files it read in native memory (~1,900 after 1,000 approvals and a few minutes of
 * requests), and a Query read its whole key range even past its `Limit`. These streams close
 * their iterator when they end or are destroyed (dynalite destroys them once it has its page).
 */
function closeIterators(db: StreamingDatabase) {
  const stream = (iterator: LevelIterator) =>
    new Readable({
      objectMode: true,
      read() {
        iterator.next().then(
          (value) => this.push(value === undefined ? null : value),
          (err: Error) => this.destroy(err),
        )
      },
      destroy(err, callback) {
        iterator.close().then(
          () => callback(err),
          () => callback(err),
        )
      },
    })
  db.createKeyStream = (options) => stream(db.keys(options))
  db.createValueStream = (options) => stream(db.values(options))
}

/** What `syncPointReads` uses of dynalite's store: its level database (with dynalite's callback `get`) and its lifecycle. */
interface PointReads {
  db: {
    status: string
    get(key: string, callback?: (err: Error | null, value?: unknown) => void): unknown
    getSync(key: string): unknown
  }
  lifecycleManager?: { getState(): string }
}

/**
 * dynalite reads single items (GetItem, each key of a BatchGetItem, the item a PutItem,
 * UpdateItem or DeleteItem replaces, a transaction's items, table descriptions) with the level
 * database's `get`, which hands each read to libuv's thread pool and its answer back: in CPU
 * time of the process ~0.1 ms per read on this loaded machine, against ~0.01 ms for the same
 * read by `getSync` (classic-level reads LevelDB on the calling thread; a microbenchmark on the
 * benchmark's data). Reads of the open database use `getSync`; the callback still comes in a
 * later turn (`setImmediate`, as dynalite's own wrapper calls it), with the same value (the
 * database's JSON decoding). Anything else (a database opening or closing, a read that fails)
 * takes dynalite's path, which answers it as before.
 */
function syncPointReads(store: PointReads) {
  const { db } = store
  const get = db.get
  db.get = function (this: unknown, key, callback) {
    if (
      typeof callback !== 'function' ||
      db.status !== 'open' ||
      (store.lifecycleManager?.getState() ?? 'open') !== 'open'
    )
      return get.call(this, key, callback)
    let value: unknown
    try {
      value = db.getSync(key)
    } catch {
      return get.call(this, key, callback)
    }
    setImmediate(callback, null, value)
  }
}

/** dynalite's sublevel of table descriptions (callback style), its table lookup and the level database's write event. */
interface DynaliteTables {
  tableDb: { get(name: string, callback: (err: Error | null | undefined, table?: unknown) => void): void }
  getTable(
    name: string,
    checkStatus: boolean | ((err: unknown, table?: unknown) => void),
    callback?: (err: unknown, table?: unknown) => void,
  ): void
  db: { on(event: 'write', listener: (operations: { key?: unknown }[]) => void): void }
}

/** Freezes an object and everything in it (a description shared by every request). */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}

/**
 * dynalite reads the table's description from LevelDB on every request (each GetItem, PutItem,
 * Query and each item of a transaction): ~9 % of the app's CPU while the benchmark started
 * approvals (a CPU profile of `npm run bench:api`), and, kept as JSON and parsed for each
 * request, still ~8 % while it read lists. The descriptions are kept here as parsed, frozen
 * objects shared by the item actions, which only read them; the table actions (DescribeTable,
 * UpdateTable, DeleteTable, tags: dynalite's `getTable(name, false, …)`) change the object they
 * read, so they get a copy of their own. Any write of a table description (CreateTable,
 * UpdateTable, DeleteTable, a snapshot loaded) drops the kept ones, and a read that was under
 * way during such a write is not kept.
 */
function cacheTableDescriptions(store: DynaliteTables) {
  const read = store.tableDb.get.bind(store.tableDb)
  const cache = new Map<string, unknown>()
  let generation = 0
  store.db.on('write', (operations) => {
    if (operations.some((op) => typeof op.key === 'string' && op.key.startsWith('table~'))) {
      generation++
      cache.clear()
    }
  })
  store.tableDb.get = (name, callback) => {
    const kept = cache.get(name)
    if (kept !== undefined) {
      process.nextTick(() => callback(null, kept))
      return
    }
    const at = generation
    read(name, (err, table) => {
      if (!err && table && typeof table === 'object' && at === generation) cache.set(name, deepFreeze(table))
      callback(err, table)
    })
  }
  const getTable = store.getTable.bind(store)
  store.getTable = (name, checkStatus, callback) => {
    if (checkStatus !== false) return getTable(name, checkStatus, callback)
    // A table action: a copy it may change.
    getTable(name, false, (err, table) => callback?.(err, err || !table ? table : structuredClone(table)))
  }
}

/**
 * dynalite signs every answer with a CRC32 of its body (`x-amz-crc32`, as DynamoDB does),
 * computed byte by byte in JavaScript (buffer-crc32): ~1.5 ms of CPU per inbox page of 50 tasks
 * in a CPU profile of `npm run bench:api`. Node's zlib computes the same checksum natively.
 */
function nativeChecksums() {
  const fromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'))
  const bufferCrc32: { unsigned: (data: string | Buffer) => number } = fromDynalite('buffer-crc32')
  bufferCrc32.unsigned = (data) => crc32(data)
}

/** A table description as dynalite's db module reads it (only its key schema is read here). */
interface DynaliteTable {
  KeySchema?: unknown
}

/** What `cacheHashPrefixes` uses and replaces of dynalite's db module (untyped CommonJS). */
interface DynaliteKeys {
  hashPrefix(hashKey: unknown, hashType: string, rangeKey?: unknown, rangeType?: string): string
  /** `undefined` only for an empty key schema (which no table has): the hash key comes first. */
  createKey(
    item: Record<string, Record<string, unknown>>,
    table: DynaliteTable,
    keySchema?: unknown,
  ): string | undefined
  traverseKey(
    table: DynaliteTable,
    keySchema: unknown,
    visit: (attr: string, type: string, isHash: boolean) => unknown,
  ): unknown
  toRangeStr(keyPiece: unknown, type: string): string
}

let hashPrefixesKept = false

/** Partition keys whose hash prefix is kept (the app's partitions: an organisation's, the engine's). */
const MAX_HASH_PREFIXES = 10_000

/**
 * dynalite stores an item under a prefix of the MD5 of its partition key (`hashPrefix`, a hash
 * object created, fed and digested per call), computed for every key of every request: each of
 * a BatchGetItem's 50 keys, each write, each Query. The app's keys share a few partitions (an
 * organisation's records), so the prefixes are kept by key value and type, and `createKey` (the
 * item key dynalite's actions ask for) is rebuilt as dynalite builds it with the kept prefix.
 * In a profile of `npm run bench:store-writes`, `hashPrefix` was ~3.5 % of the CPU.
 */
function cacheHashPrefixes() {
  const db: DynaliteKeys = createRequire(import.meta.url)('dynalite/db')
  if (hashPrefixesKept) return // dynalite's module is one per process; its stores share the kept prefixes
  hashPrefixesKept = true
  const own = db.hashPrefix
  const kept = new Map<string, string>()
  const prefix = (hashKey: unknown, hashType: string) => {
    if (typeof hashKey !== 'string') return own(hashKey, hashType)
    const k = `${hashType}:${hashKey}`
    let p = kept.get(k)
    if (p === undefined) {
      p = own(hashKey, hashType)
      if (kept.size >= MAX_HASH_PREFIXES) kept.clear()
      kept.set(k, p)
    }
    return p
  }
  db.hashPrefix = (hashKey, hashType, rangeKey, rangeType) =>
    rangeKey ? own(hashKey, hashType, rangeKey, rangeType) : prefix(hashKey, hashType)
  // dynalite's createKey (db/index.js), its hash prefix kept.
  db.createKey = (item, table, keySchema) => {
    let keyStr: string | undefined
    db.traverseKey(table, keySchema ?? table.KeySchema, (attr, type, isHash) => {
      if (isHash) keyStr = `${prefix(item[attr][type], type)}/`
      keyStr += `${db.toRangeStr(item[attr][type], type)}/`
    })
    return keyStr
  }
}

/**
 * The store's listener for this process's own, unsigned requests (see `in-process.ts`).
 * dynalite itself only wants the headers of a signed request to be there (it never checks
 * them; `requireSignature` does, in front of the port): these stand in for them.
 */
function unsignedCaller(server: Server, store: RequestListener): RequestListener {
  return (req, res) => {
    req.headers.authorization ??=
      'AWS4-HMAC-SHA256 Credential=in-process/19700101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=none'
    req.headers['x-amz-date'] ??= '19700101T000000Z'
    store.call(server, req, res)
  }
}

/** Every key and value of the embedded store's database (tables, items, indexes), in key order. */
export type DynamoContents = [key: string, value: unknown][]

/** What `dump` and `load` use of dynalite's level database (abstract-level). */
interface LevelDatabase {
  iterator(): AsyncIterable<[string, unknown]>
  batch(ops: { type: 'put'; key: string; value: unknown }[]): Promise<void>
  on(event: 'write', listener: () => void): void
  off(event: 'write', listener: () => void): void
}

/** A running embedded store. */
export interface EmbeddedDynamo {
  endpoint: string
  close: () => Promise<void>
  /** Everything the store holds (tests: seed once, copy into each file's store). */
  dump(): Promise<DynamoContents>
  /** Writes a `dump()` into the store (before anyone uses it; an item of the same key is replaced). */
  load(contents: DynamoContents): Promise<void>
  /** Calls `listener` after every write (tests: wait for a change instead of polling). Returns a remover. */
  onWrite(listener: () => void): () => void
  /**
   * The client configuration of this process's own SDK clients (the API, the steps, the
   * engine): their requests reach the store in-process, without a socket and unsigned (see
   * `in-process.ts`). Other processes use `endpoint`, which verifies signatures.
   */
  inProcess: InProcessClientConfig
}

/**
 * The embedded DynamoDB-compatible server (dynalite). With a `path` it persists to disk
 * (LevelDB); without, it keeps everything in memory (tests that need no restart).
 * Transactions are added in front of dynalite (see `dynamo-transactions.ts`); every request
 * must be signed (Signature V4) with `credentials`, the installation's key pair.
 */
export async function startDynamo(options: {
  port: number
  path?: string
  host?: string
  credentials: LocalCredentials
  /** `false`: this process's own requests go through the store's listener only, not `dynamo-direct.ts` (tests compare both). */
  direct?: boolean
}): Promise<EmbeddedDynamo> {
  if (options.path) mkdirSync(options.path, { recursive: true, mode: 0o700 })
  nativeChecksums()
  readPagesDirectly()
  cacheExpressions()
  cacheHashPrefixes()
  const store = captureDynaliteStore()
  const server: Server = dynalite({
    path: options.path,
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  })
  closeIterators(store.get().db)
  syncPointReads(store.get())
  cacheTableDescriptions(store.get())
  const transactions = addTransactions(server, store.get)
  // The store itself (transactions in front of dynalite), before the signature check is put in front of it.
  const [storeListener] = server.listeners('request') as RequestListener[]
  requireSignature(server, options.credentials)
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, host, () => resolve())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  // dynalite keeps tables, items and indexes in one level database (JSON values).
  const level = (): LevelDatabase => store.get().db
  return {
    endpoint: `http://${host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    async dump() {
      const out: DynamoContents = []
      for await (const [key, value] of level().iterator()) out.push([key, value])
      return out
    },
    inProcess: inProcessClient(
      unsignedCaller(server, storeListener),
      options.direct === false ? undefined : directStore(store.get, transactions),
    ),
    onWrite(listener) {
      const db = level()
      db.on('write', listener)
      return () => db.off('write', listener)
    },
    async load(contents) {
      for (let i = 0; i < contents.length; i += 1000)
        await level().batch(contents.slice(i, i + 1000).map(([key, value]) => ({ type: 'put', key, value })))
    },
  }
}
