import { createRequire } from 'node:module'
import { itemSize } from './dynamo-item-size.js'

/**
 * Query and Scan pages of the embedded store (dynalite) read straight from its level
 * database's iterator, in batches (`nextv`), instead of through the chain dynalite builds for
 * each request: a level iterator wrapped in an object stream, piped into `lazy`'s event
 * emitters (one `emit` per item and stage), each item its own promise and stream chunk. That
 * chain was ~20 % of the app's CPU while it served inbox pages (a CPU profile of
 * `npm run bench:inbox-cpu`: Readable.push, lazy's emitters, the iterator's per-item `next`).
 *
 * The answer is dynalite's, computed as its `queryTable` computes it (db/index.js, dynalite
 * 4.0.0): the same key range of the same sublevel (its options prefixed as dynalite's
 * sublevel wrapper prefixes them), the same page (items taken while fewer than `Limit` and less
 * than 1 MB were taken, sizes as dynalite's `itemSize` counts them: `dynamo-item-size.ts`), then the same filter,
 * `LastEvaluatedKey`, projection, counts and consumed capacity. A Query of a local index
 * that fetches attributes from the table (`fetchFromItemDb`) still takes dynalite's own path.
 * `test/integration/store/query-pages.test.ts` compares both paths' answers.
 */

const require = createRequire(import.meta.url)

/** A stored item as dynalite keeps it: attribute names and DynamoDB attribute values (JSON). */
type Item = Record<string, unknown>

/** A level range of keys (a sublevel's options as dynalite builds them; `reverse` and the rest pass through). */
interface LevelRange {
  gt?: string
  gte?: string
  lt?: string
  lte?: string
  [option: string]: unknown
}

/** The part of dynalite's store this module reads: its level database's value iterators. */
export interface DynaliteStore {
  db: { values(range: LevelRange): { nextv(n: number): Promise<Item[]>; close(): Promise<void> } }
}

/** The part of a table's description this module reads. */
interface TableDescription {
  KeySchema: { AttributeName: string }[]
}

/** A Query or Scan request after dynalite's validation: the fields its page and answer read. */
interface PageRequest {
  TableName: string
  IndexName?: string
  Limit?: number
  Select?: string
  ConsistentRead?: boolean
  ReturnConsumedCapacity?: string
  QueryFilter?: unknown
  ScanFilter?: unknown
  ConditionalOperator?: string
  AttributesToGet?: unknown
  /** The parsed FilterExpression and ProjectionExpression (dynalite's validation adds them). */
  _filter?: { expression: unknown }
  _projection?: { paths: unknown }
}

/** A page as dynalite answers it. */
interface PageAnswer {
  ScannedCount: number
  LastEvaluatedKey?: Item
  Count?: number
  Items?: Item[]
  ConsumedCapacity?: Record<string, unknown>
}

/** What dynalite's Query and Scan actions pass to `queryTable` (db/index.js). */
type QueryTable = (
  store: DynaliteStore,
  table: TableDescription,
  data: PageRequest,
  opts: LevelRange,
  isLocal: boolean,
  fetchFromItemDb: boolean,
  startKeyNames: string[],
  cb: (err: unknown, result?: PageAnswer) => void,
) => void

/** dynalite's db module (untyped CommonJS): the functions this module calls, and `queryTable` it replaces. */
interface DynaliteDb {
  queryTable: QueryTable
  matchesExprFilter(item: Item, expression: unknown): boolean
  matchesFilter(item: Item, filter: unknown, conditionalOperator?: string): boolean
  mapPaths(paths: unknown, item: Item): Item
}
const db: DynaliteDb = require('dynalite/db')

/** dynalite's own `queryTable` (streams), kept for the path this module leaves to it and for the comparison test. */
export const streamedQueryTable: QueryTable = db.queryTable

/** A page stops at 1 MB of items (dynalite's `itemSize` with its storage overhead), as DynamoDB's does. */
const PAGE_BYTES = 1024 * 1024

/** Entries read from LevelDB per native call at most (classic-level reads 1,000 per call behind `next()` too). */
const BATCH = 1000

/**
 * Bytes of entries one native call reads at most (classic-level's `highWaterMarkBytes`, 16 KB
 * by default). At 16 KB an inbox page of 51 index entries of ~740 bytes took three calls, each
 * a hand-off to libuv's thread pool and back; a page's worth (1 MB, the page's own limit) takes one.
 */
const READ_BYTES = PAGE_BYTES

/**
 * The level range options of a sublevel's value stream, prefixed as dynalite's sublevel
 * wrapper (`createPrefixedDbWrapper` in db/index.js) prefixes them, quirks included (a lower
 * bound `gte` wins over `gt`, an upper `lte` over `lt`; no bound means the whole sublevel).
 */
function prefixedRange(prefix: string, opts: LevelRange): LevelRange {
  const o = { ...opts }
  if (o.gte) o.gte = prefix + o.gte
  else if (o.gt) o.gt = prefix + o.gt
  else o.gte = prefix
  if (o.lte) o.lte = prefix + o.lte
  else if (o.lt) o.lt = prefix + o.lt
  else o.lt = `${prefix}\xFF`
  return o
}

/** The items of one page and what dynalite counted while it took them. */
interface Taken {
  items: Item[]
  count: number
  size: number
  tableCapacity: number
  indexCapacity: number
}

/** Takes the page's items from the range as dynalite's `takeWhile` does, reading in batches; closes the iterator. */
async function take(
  store: DynaliteStore,
  table: TableDescription,
  data: PageRequest,
  opts: LevelRange,
  isLocal: boolean,
): Promise<Taken> {
  const prefix = data.IndexName
    ? `index-${isLocal ? 'local' : 'global'}~${data.TableName}~${data.IndexName}~`
    : `item-${data.TableName}~`
  const calculateCapacity =
    data.ReturnConsumedCapacity === 'TOTAL' || data.ReturnConsumedCapacity === 'INDEXES'
  const rangeKey = table.KeySchema[1]?.AttributeName
  const taken: Taken = { items: [], count: 0, size: 0, tableCapacity: 0, indexCapacity: 0 }
  const iterator = store.db.values({ ...prefixedRange(prefix, opts), highWaterMarkBytes: READ_BYTES })
  try {
    for (;;) {
      // No more than the page can still take: a page of `Limit` items is one native call, and
      // the item after it (dynalite's range reads `Limit + 1`) is neither read nor decoded.
      if (reached(data, taken.count, taken.size)) return taken
      const batch = await iterator.nextv(
        data.Limit === undefined ? BATCH : Math.min(BATCH, data.Limit - taken.count),
      )
      if (batch.length === 0) return taken
      for (const val of batch) {
        if (reached(data, taken.count, taken.size)) return taken
        if (calculateCapacity) {
          if (data.IndexName) taken.indexCapacity += itemSize(val)
          else taken.tableCapacity += itemSize(val)
        }
        taken.count++
        taken.size += itemSize(val, true, true, rangeKey)
        taken.items.push(val)
      }
    }
  } finally {
    await iterator.close()
  }
}

/** Whether a page is full: `Limit` items (none without a limit) or 1 MB, as dynalite's `takeWhile` decides. */
const reached = (data: PageRequest, count: number, size: number) =>
  (data.Limit !== undefined && count >= data.Limit) || size >= PAGE_BYTES

/** dynalite's answer from the taken items (the rest of its `queryTable`, unchanged). */
function answer(data: PageRequest, isLocal: boolean, startKeyNames: string[], taken: Taken): PageAnswer {
  let items = taken.items
  const { count, size, tableCapacity, indexCapacity } = taken
  const lastItem = items[items.length - 1]
  const queryFilter = data.QueryFilter || data.ScanFilter
  const filter = data._filter
  if (filter) items = items.filter((val) => db.matchesExprFilter(val, filter.expression))
  else if (queryFilter)
    items = items.filter((val) => db.matchesFilter(val, queryFilter, data.ConditionalOperator))

  const result: PageAnswer = { ScannedCount: count }
  if (reached(data, count, size)) {
    if (data.Limit) items.splice(data.Limit)
    if (lastItem) {
      result.LastEvaluatedKey = startKeyNames.reduce<Item>((key, attr) => {
        key[attr] = lastItem[attr]
        return key
      }, {})
    }
  }

  const paths = data._projection ? data._projection.paths : data.AttributesToGet
  if (paths) {
    const names = topLevelNames(paths)
    items = names ? items.map((item) => pick(names, item)) : items.map((item) => db.mapPaths(paths, item))
  }

  result.Count = items.length
  if (data.Select !== 'COUNT') result.Items = items
  if (data.ReturnConsumedCapacity === 'TOTAL' || data.ReturnConsumedCapacity === 'INDEXES') {
    const tableUnits = Math.ceil(tableCapacity / 1024 / 4) * (data.ConsistentRead ? 1 : 0.5)
    const indexUnits = Math.ceil(indexCapacity / 1024 / 4) * (data.ConsistentRead ? 1 : 0.5)
    const consumed: Record<string, unknown> = {
      CapacityUnits: tableUnits + indexUnits,
      TableName: data.TableName,
    }
    result.ConsumedCapacity = consumed
    if (data.ReturnConsumedCapacity === 'INDEXES') {
      consumed.Table = { CapacityUnits: tableUnits }
      if (data.IndexName) {
        const indexAttr = isLocal ? 'LocalSecondaryIndexes' : 'GlobalSecondaryIndexes'
        consumed[indexAttr] = { [data.IndexName]: { CapacityUnits: indexUnits } }
      }
    }
  }
  return result
}

/**
 * The attribute names of a projection that names top-level attributes only (each path one
 * name, as `sk, v, st, row`), or `undefined` (nested paths, list indexes, `__proto__`: dynalite's
 * `mapPaths` projects those).
 */
function topLevelNames(paths: unknown): string[] | undefined {
  if (!Array.isArray(paths)) return undefined
  const names: string[] = []
  for (const path of paths) {
    const name: unknown = Array.isArray(path) ? (path.length === 1 ? path[0] : undefined) : path
    if (typeof name !== 'string' || name === '__proto__') return undefined
    names.push(name)
  }
  return names
}

/**
 * dynalite's `mapPaths` for top-level names: each name's value that is not null or undefined
 * (read as dynalite's `mapPath` reads it), in the projection's order. The same properties in the
 * same order (so the same JSON), in an ordinary object instead of the dictionary-mode object
 * (`Object.create(null)`) dynalite builds for each item, which was most of what projecting an
 * inbox page allocated (an allocation profile of the app under 50 clients).
 */
function pick(names: string[], item: Item): Item {
  const out: Item = {}
  for (const name of names) {
    const value = item[name]
    if (value != null) out[name] = value
  }
  return out
}

/** `queryTable` reading the page in batches (see above); same arguments and answer as dynalite's. */
export const directQueryTable: QueryTable = (
  store,
  table,
  data,
  opts,
  isLocal,
  fetchFromItemDb,
  startKeyNames,
  cb,
) => {
  if (fetchFromItemDb)
    return streamedQueryTable(store, table, data, opts, isLocal, fetchFromItemDb, startKeyNames, cb)
  take(store, table, data, opts, isLocal).then(
    // Answered in a tick of its own: an exception in the caller's callback stays an uncaught
    // exception, as it was from the stream's events, and does not become a rejected promise.
    (taken) => process.nextTick(() => cb(null, answer(data, isLocal, startKeyNames, taken))),
    (err) => process.nextTick(() => cb(err)),
  )
}

/**
 * Makes dynalite's Query and Scan actions (which call `db.queryTable` per request) read pages
 * directly, in every embedded store of the process; `false` puts dynalite's own path back
 * (the comparison test).
 */
export function readPagesDirectly(direct = true): void {
  db.queryTable = direct ? directQueryTable : streamedQueryTable
}
