/**
 * The list index: the lists the UI pages through (review cycles, notifications, …) as entries in
 * the organisation's partition, `LIX#<type>@<version>#<stream>#<order>#<id>`, one per list
 * (stream) a record belongs to, in the order the list shows; and one counter item per type and
 * version (`LCNT#<type>@<version>`) holding how many records each stream has. `records.ts`
 * computes a record's entries and counts from its data on every create, update and removal and
 * writes them in the record's own transaction (as it does the work and search indexes), so a page
 * is one key-condition read per stream plus one read of the page's records, and its total one
 * counter read: the cost does not grow with the organisation's records. A filter the page offers
 * is a stream of its own (e.g. the cycles of one programme entry, or of one status), never a
 * filter in memory.
 *
 * Built beside live writes. Each record's item carries the version of its type's lists it is
 * counted in (`LIST_STAMP`); the version's entries and counter hold exactly the records stamped
 * with it. A write (`records.ts`) stamps the record and moves its entries and counts from what it
 * was — when it was stamped with this version — to what it is, conditional on the stamp it read;
 * the rebuild (`ensureListIndexed`: by the re-index on deploy and at local start,
 * `steps/reindex.ts`; else at the list's first read) stamps each record not stamped yet, adding
 * its entries and counts, conditional on the record's version and stamp as it read them. A record
 * written meanwhile was counted by its writer; nothing is counted twice or left out, whatever the
 * interleaving, and two rebuilds at once do no harm. When every record is stamped the version's
 * marker is set (readers need not build any more) and the older versions' items are deleted.
 * Versions only go up: code rolled back to an older spec needs a new version number. The rule is
 * `stamped-index.ts`'s, shared with the inbox's index.
 */

import { countRange } from './count-range.js'
import { decodePosition, encodePosition } from './cursor.js'
import { LIST_SPECS, type ListSpec, type RecordMeta } from './list-specs.js'
import type { AlsoPut, OrgRecords, StoredRecord } from './records.js'
import { dropAllBut, ensureBuilt, stampAll } from './stamped-index.js'

const IX = 'LIX#'
const CNT = 'LCNT#'
const MARK = 'LISTINDEXED#'
/** Counter attributes of tallies (a stream name never holds `#`). */
const TALLY = 'T#'

/**
 * The layout of the list index's items (2: versioned keys and stamped records), beside each
 * type's version: a change runs the re-index on deploy (`steps/index-versions.ts`).
 */
export const LIST_INDEX_LAYOUT = 2

/** The attribute of a record's item naming the version of its type's lists it is counted in. */
export const LIST_STAMP = 'lix'

const specs = new Map(Object.entries(LIST_SPECS))

/** The version of a type's lists (`undefined`: the type has none). */
export const listVersion = (type: string): number | undefined => specs.get(type)?.version

/** The name of a type's lists at a version: entries, counter and marker are kept under it. */
const space = (type: string, version = listVersion(type)) => `${type}@${version}`
const streamPrefix = (type: string, stream: string) => `${IX}${space(type)}#${stream}#`
const entrySk = (type: string, stream: string, order: string, id: string) =>
  `${streamPrefix(type, stream)}${order}#${id}`
const counterSk = (type: string) => `${CNT}${space(type)}`
const markSk = (type: string) => `${MARK}${space(type)}`

/** The attribute of an entry holding its row (`ListEntry.row`) as one JSON string. */
const ROW = 'row'

/** The entries of a record as stored: sort key → stream and attributes (its row among them). */
function entriesOf(spec: ListSpec, type: string, id: string, data: unknown, meta: RecordMeta) {
  return new Map(
    spec
      .entries(id, data, meta)
      .map((e) => [
        entrySk(type, e.stream, e.order, id),
        { stream: e.stream, attrs: e.row ? { ...e.attrs, [ROW]: JSON.stringify(e.row) } : (e.attrs ?? {}) },
      ]),
  )
}

const sameAttrs = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v)

/** The side writes of a record's write: entries to put and delete, counters to add to. */
export interface ListChanges {
  puts: { sk: string; item: Record<string, unknown> }[]
  deletes: string[]
  counts: { sk: string; add: Record<string, number> }[]
}

/**
 * What a write of a record changes in its type's lists (nothing for a type without lists):
 * `before`/`after` are the record's data and meta before and after (absent on create and removal).
 */
export function listChanges(
  type: string,
  id: string,
  before: { data: unknown; meta: RecordMeta } | undefined,
  after: { data: unknown; meta: RecordMeta } | undefined,
): ListChanges {
  const spec = specs.get(type)
  if (!spec) return { puts: [], deletes: [], counts: [] }
  const none = new Map<string, { stream: string; attrs: Record<string, string> }>()
  const was = before ? entriesOf(spec, type, id, before.data, before.meta) : none
  const now = after ? entriesOf(spec, type, id, after.data, after.meta) : none
  const add: Record<string, number> = {}
  const wasStreams = new Set([...was.values()].map((e) => e.stream))
  const nowStreams = new Set([...now.values()].map((e) => e.stream))
  for (const s of wasStreams) if (!nowStreams.has(s)) add[s] = (add[s] ?? 0) - 1
  for (const s of nowStreams) if (!wasStreams.has(s)) add[s] = (add[s] ?? 0) + 1
  // Tallies: what the record adds now less what it added before.
  const tally = (side?: { data: unknown; meta: RecordMeta }) =>
    side && spec.tallies ? spec.tallies(id, side.data, side.meta) : {}
  const [had, has] = [tally(before), tally(after)]
  for (const k of new Set([...Object.keys(had), ...Object.keys(has)])) {
    const d = (has[k] ?? 0) - (had[k] ?? 0)
    if (d !== 0) add[`${TALLY}${k}`] = (add[`${TALLY}${k}`] ?? 0) + d
  }
  return {
    // Only new keys and changed attributes: an unchanged entry needs no write.
    puts: [...now]
      .filter(([sk, e]) => {
        const old = was.get(sk)
        return !old || !sameAttrs(old.attrs, e.attrs)
      })
      .map(([sk, e]) => ({ sk, item: { ...e.attrs, kind: 'list', id } })),
    deletes: [...was.keys()].filter((sk) => !now.has(sk)),
    counts: Object.keys(add).length ? [{ sk: counterSk(type), add }] : [],
  }
}

/** A page of a list: the records, where the next page starts (opaque), and how many there are. */
export interface ListPage<T> {
  items: StoredRecord<T>[]
  cursor?: string
  total: number
}

/** What an entry's attributes must be (each one of the values), for a filtered read. */
export type ListFilter = Record<string, string | readonly string[]>

/** Most reads of one stream for one filtered page (a page may come short, with a cursor). */
const MAX_READS = 10
/** Entries a filtered page's reads after its first take at least (the filter left the first short). */
const FILTERED_READ = 100

/**
 * One page of the union of `streams` of a type (a person's lists may be several streams whose
 * records never overlap, e.g. the cycles they perform and those of their role), in list order
 * (`reverse`: last first), `limit` records at most, after `cursor`. One key-condition read per
 * stream (a few when `where` filters the entries' attributes: then at most `MAX_READS`, and a
 * page may come short with a cursor), one read of the records, one read of the counter (with
 * `where`: a count of the streams' matching entries instead).
 */
export async function listPage<T>(org: OrgRecords, type: string, q: ListQuery): Promise<ListPage<T>> {
  const { page, cursor, total } = await pageEntries(org, type, q)
  const [found, n] = await Promise.all([
    org.getMany<T>(
      type,
      page.map((e) => e.id),
    ),
    total,
  ])
  return { items: page.flatMap((e) => found.get(e.id) ?? []), cursor, total: n }
}

/** A page of a list's rows: each record's id and its row (`ListEntry.row`), no read of the records. */
export interface RowPage<R> {
  items: { id: string; row: R }[]
  cursor?: string
  total: number
}

/**
 * One page of a list as `listPage` reads it, but the rows its entries hold (`ListEntry.row`, what
 * the list shows of each record) instead of the records: a page is its entries' read and the
 * counter's, however large its records. An entry without a row (written before its spec gave
 * rows) is answered from its record. `R` is the row's shape as the type's spec writes it.
 */
export async function listRows<R>(org: OrgRecords, type: string, q: ListQuery): Promise<RowPage<R>> {
  const { page, cursor, total } = await pageEntries(org, type, q)
  const missing = page.filter((e) => e.row === undefined).map((e) => e.id)
  const [found, n] = await Promise.all([
    missing.length ? org.getMany<unknown>(type, missing) : new Map<string, StoredRecord<unknown>>(),
    total,
  ])
  const spec = specs.get(type)
  const items = page.flatMap((e) => {
    if (e.row !== undefined) return [{ id: e.id, row: parseRow<R>(e.row) }]
    const rec = found.get(e.id)
    const row = rec && spec?.entries(rec.id, rec.data, rec).find((x) => x.row)?.row
    return row ? [{ id: e.id, row: parseRow<R>(JSON.stringify(row)) }] : []
  })
  return { items, cursor, total: n }
}

/** A row as its entry holds it (written by `entriesOf` from the spec's row of that shape). */
const parseRow = <R>(s: string): R => JSON.parse(s)

/** What a page of a list asks for (see `listPage`). */
export interface ListQuery {
  streams: readonly string[]
  limit: number
  cursor?: string
  reverse?: boolean
  where?: ListFilter
  /**
   * Streams whose counters sum to the filter's total (e.g. one stream per status for a status
   * filter): the total is one counter read instead of a count read of the filtered range.
   */
  countedAs?: readonly string[]
}

/** The entries of one page (their ids and rows), where the next page starts, and the total (being read). */
async function pageEntries(org: OrgRecords, type: string, q: ListQuery) {
  await ensureListIndexed(org, type)
  const position = decodePosition(q.cursor)
  const filtered = Object.keys(q.where ?? {}).length > 0
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0) * (q.reverse ? -1 : 1)
  const reads = await Promise.all(
    [...new Set(q.streams)].map(async (stream) => {
      const prefix = streamPrefix(type, stream)
      const found: { tail: string; id: string; row?: string }[] = []
      let after = position === undefined ? undefined : `${prefix}${position}`
      let reach: string | undefined
      for (let n = 0; n < (filtered ? MAX_READS : 1) && found.length <= q.limit; n++) {
        const out = await org.sideRange({
          from: prefix,
          to: `${prefix}\uffff`,
          after,
          // The page and one more (whether a next page follows); only when a filter left the page
          // short, longer reads: a page costs the same however many entries the stream holds.
          limit: n === 0 ? q.limit + 1 : Math.max(q.limit + 1, FILTERED_READ),
          reverse: q.reverse,
          where: q.where,
          // What a page uses of an entry (the filter still reads the attributes it names).
          fields: ['id', ROW],
        })
        found.push(
          ...out.items.map((i) => ({
            tail: i.sk.slice(prefix.length),
            id: String(i.id),
            row: typeof i[ROW] === 'string' ? i[ROW] : undefined,
          })),
        )
        after = out.last
        reach = out.last?.slice(prefix.length)
        if (!out.last) break
      }
      // How far this stream is known: to its end, or to where its reads stopped.
      return { found, reach }
    }),
  )
  // Entries beyond the shortest reach may sort before entries not read yet: the page stops there.
  const bound = reads
    .map((r) => r.reach)
    .filter((r): r is string => r !== undefined)
    .sort(cmp)[0]
  const seen = new Set<string>()
  const merged = reads
    .flatMap((r) => r.found)
    .filter((e) => bound === undefined || cmp(e.tail, bound) <= 0)
    .sort((a, b) => cmp(a.tail, b.tail))
    .filter((e) => !seen.has(e.tail) && Boolean(seen.add(e.tail)))
  const page = merged.slice(0, q.limit)
  const last = page.at(-1)
  const next =
    merged.length > q.limit || (page.length === q.limit && bound !== undefined) ? last?.tail : bound
  const total = q.countedAs
    ? counted(org, type, q.countedAs)
    : filtered
      ? countWhere(org, type, q.streams, q.where ?? {})
      : counted(org, type, q.streams)
  return { page, cursor: next && encodePosition(next), total }
}

/**
 * The newest record (last in order) of each of some streams: one key-condition read of one
 * entry per stream and one batch read of the records found, no totals (what a summary of
 * several lists shows, e.g. the programme's last and current cycle of each entry).
 */
export async function newestOf<T>(
  org: OrgRecords,
  type: string,
  streams: readonly string[],
): Promise<Map<string, StoredRecord<T>>> {
  await ensureListIndexed(org, type)
  const heads = await Promise.all(
    [...new Set(streams)].map(async (stream) => {
      const prefix = streamPrefix(type, stream)
      const out = await org.sideRange({ from: prefix, to: `${prefix}\uffff`, limit: 1, reverse: true })
      const id = out.items[0]?.id
      return [stream, typeof id === 'string' ? id : undefined] as const
    }),
  )
  const found = await org.getMany<T>(
    type,
    heads.flatMap(([, id]) => id ?? []),
  )
  const out = new Map<string, StoredRecord<T>>()
  for (const [stream, id] of heads) {
    const rec = id === undefined ? undefined : found.get(id)
    if (rec) out.set(stream, rec)
  }
  return out
}

/** The number of records in streams that never overlap, from the counter. */
async function counted(org: OrgRecords, type: string, streams: readonly string[]) {
  const counter = (await org.sideGet([counterSk(type)])).get(counterSk(type)) ?? {}
  return streams.reduce((n, s) => n + Math.max(0, Number(counter[s] ?? 0)), 0)
}

/** Most entries a filtered count reads per stream (a count beyond reads as "at least"). */
const COUNT_READS = 20

/** The number of entries of streams that match a filter (a count read of their key ranges). */
async function countWhere(org: OrgRecords, type: string, streams: readonly string[], where: ListFilter) {
  let total = 0
  for (const stream of new Set(streams)) {
    const prefix = streamPrefix(type, stream)
    total += await countRange(org, { from: prefix, to: `${prefix}\uffff`, where }, COUNT_READS)
  }
  return total
}

/** The id of the last entry of a stream whose order begins with `orderPrefix` (one read). */
export async function lastInStream(org: OrgRecords, type: string, stream: string, orderPrefix = '') {
  await ensureListIndexed(org, type)
  const prefix = `${streamPrefix(type, stream)}${orderPrefix}`
  const out = await org.sideRange({ from: prefix, to: `${prefix}\uffff`, limit: 1, reverse: true })
  const id = out.items[0]?.id
  return typeof id === 'string' ? id : undefined
}

/** How many records each stream has (from the counter item; streams without records: 0). */
export async function listCounts(org: OrgRecords, type: string, streams: readonly string[]) {
  await ensureListIndexed(org, type)
  const counter = (await org.sideGet([counterSk(type)])).get(counterSk(type)) ?? {}
  return new Map(streams.map((s) => [s, Math.max(0, Number(counter[s] ?? 0))]))
}

/** How many records each stream whose name begins with `prefix` has (one counter read; empty streams left out). */
export async function listCountsByPrefix(org: OrgRecords, type: string, prefix: string) {
  await ensureListIndexed(org, type)
  const counter = (await org.sideGet([counterSk(type)])).get(counterSk(type)) ?? {}
  const out = new Map<string, number>()
  for (const [stream, n] of Object.entries(counter))
    if (stream.startsWith(prefix) && Number(n) > 0) out.set(stream, Number(n))
  return out
}

/** The tallies of a type (`ListSpec.tallies`) summed over its records (one counter read). */
export async function listTallies(org: OrgRecords, type: string): Promise<Record<string, number>> {
  await ensureListIndexed(org, type)
  const counter = (await org.sideGet([counterSk(type)])).get(counterSk(type)) ?? {}
  return Object.fromEntries(
    Object.entries(counter)
      .filter(([k]) => k.startsWith(TALLY))
      .map(([k, n]) => [k.slice(TALLY.length), Math.max(0, Number(n))]),
  )
}

/**
 * Builds the organisation's lists of a type at this version when they are not (records written
 * before the type had lists, or before its spec's version): once, idempotent, beside live writes
 * (see the head of this file; the rule is `stamped-index.ts`'s). A process remembers an
 * organisation it found built; `recheck` reads the marker again. Answers whether it built them.
 */
export async function ensureListIndexed(
  org: OrgRecords,
  type: string,
  options: { recheck?: boolean } = {},
): Promise<boolean> {
  const spec = specs.get(type)
  if (!spec) throw new Error(`store: no list index for ${type}`)
  return ensureBuilt(org, {
    mark: markSk(type),
    version: spec.version,
    recheck: options.recheck,
    build: () =>
      stampAll(org, type, { attr: LIST_STAMP, version: spec.version }, (r) =>
        listChanges(type, r.id, undefined, { data: r.data, meta: r }),
      ),
    drop: () => dropOtherVersions(org, type),
  })
}

/** Deletes what other versions of a type's lists left: entries, counters, markers (and the unversioned first layout's). */
async function dropOtherVersions(org: OrgRecords, type: string) {
  await dropAllBut(
    org,
    [IX, CNT, MARK].flatMap((prefix) => [`${prefix}${type}#`, `${prefix}${type}@`]),
    [`${IX}${space(type)}#`, counterSk(type), markSk(type)],
  )
  await org.writeSide({ deletes: [`${CNT}${type}`] })
}

/** The markers saying every type's lists are built at its current version (a new organisation's). */
export const listMarkers = (): AlsoPut[] =>
  [...specs].map(([type, spec]) => ({ sk: markSk(type), item: { version: spec.version } }))

/** Marks a new organisation's lists as indexed: it has no records from before the index. */
export async function markListsIndexed(org: OrgRecords): Promise<void> {
  await org.putSide(listMarkers())
}

/** The types that have lists (for indexing every organisation at start). */
export const listTypes = () => [...specs.keys()]

/** Entries of one stream as read: the record's id and its position (for `after`). */
export interface StreamEntry {
  id: string
  position: string
}

/**
 * One key-condition read of one stream of a type, in list order (`reverse`: last first): the
 * entries whose order starts with `orderPrefix` (e.g. a year of dates), after `after` (an entry's
 * `position`; one outside the range starts over), at most `limit`, and whether more follow.
 */
export async function streamEntries(
  org: OrgRecords,
  type: string,
  stream: string,
  q: { orderPrefix?: string; after?: string; limit: number; reverse?: boolean },
): Promise<{ entries: StreamEntry[]; more: boolean }> {
  await ensureListIndexed(org, type)
  const prefix = streamPrefix(type, stream)
  const from = `${prefix}${q.orderPrefix ?? ''}`
  const to = `${from}\uffff`
  const after = q.after === undefined ? undefined : `${prefix}${q.after}`
  const out = await org.sideRange({
    from,
    to,
    after: after !== undefined && after >= from && after <= to ? after : undefined,
    limit: q.limit,
    reverse: q.reverse,
  })
  return {
    entries: out.items.map((i) => ({ id: String(i.id), position: i.sk.slice(prefix.length) })),
    more: out.last !== undefined,
  }
}

/**
 * The records of one stream whose order lies from `from` to `to` (inclusive; an order that
 * begins with `to`, such as a time on that day, counts as in), in list order: key-condition reads
 * of that range only, however many records the type has. At most `limit` records.
 */
export async function recordsBetween<T>(
  org: OrgRecords,
  type: string,
  stream: string,
  range: { from: string; to: string },
  limit = 1000,
): Promise<StoredRecord<T>[]> {
  await ensureListIndexed(org, type)
  const prefix = streamPrefix(type, stream)
  const ids: string[] = []
  let after: string | undefined
  do {
    const out = await org.sideRange({
      from: `${prefix}${range.from}`,
      to: `${prefix}${range.to}\uffff`,
      after,
      limit: Math.min(200, limit - ids.length),
    })
    ids.push(...out.items.map((i) => String(i.id)))
    after = out.last
  } while (after && ids.length < limit)
  const found = await org.getMany<T>(type, ids)
  return ids.flatMap((id) => found.get(id) ?? [])
}
