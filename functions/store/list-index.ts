/**
 * The list index: the lists the UI pages through (review cycles, notifications, …) as entries in
 * the organisation's partition, `LIX#<type>#<stream>#<order>#<id>`, one per list (stream) a record
 * belongs to, in the order the list shows; and one counter item per type (`LCNT#<type>`) holding
 * how many records each stream has. `records.ts` computes a record's entries and counts from its
 * data on every create, update and removal and writes them in the record's own transaction (as it
 * does the work and search indexes), so a page is one key-condition read per stream plus one read
 * of the page's records, and its total one counter read: the cost does not grow with the
 * organisation's records. A filter the page offers is a stream of its own (e.g. the cycles of one
 * programme entry, or of one status), never a filter in memory.
 *
 * Records written before a type had a list are indexed once per organisation (`ensureListIndexed`:
 * by the re-index on deploy and at local start, `steps/reindex.ts`; else at the list's first read).
 */

import { countRange } from './count-range.js'
import { decodePosition, encodePosition } from './cursor.js'
import { LIST_SPECS, type ListSpec, type RecordMeta } from './list-specs.js'
import { recordPages } from './record-pages.js'
import type { OrgRecords, StoredRecord } from './records.js'

const IX = 'LIX#'
const CNT = 'LCNT#'
const MARK = 'LISTINDEXED#'
/** Counter attributes of tallies (a stream name never holds `#`). */
const TALLY = 'T#'

const specs = new Map(Object.entries(LIST_SPECS))

const entrySk = (type: string, stream: string, order: string, id: string) =>
  `${IX}${type}#${stream}#${order}#${id}`
const counterSk = (type: string) => `${CNT}${type}`

/** The entries of a record as stored: sort key → stream and attributes. */
function entriesOf(spec: ListSpec, type: string, id: string, data: unknown, meta: RecordMeta) {
  return new Map(
    spec
      .entries(id, data, meta)
      .map((e) => [entrySk(type, e.stream, e.order, id), { stream: e.stream, attrs: e.attrs ?? {} }]),
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

/**
 * One page of the union of `streams` of a type (a person's lists may be several streams whose
 * records never overlap, e.g. the cycles they perform and those of their role), in list order
 * (`reverse`: last first), `limit` records at most, after `cursor`. One key-condition read per
 * stream (a few when `where` filters the entries' attributes: then at most `MAX_READS`, and a
 * page may come short with a cursor), one read of the records, one read of the counter (with
 * `where`: a count of the streams' matching entries instead).
 */
export async function listPage<T>(
  org: OrgRecords,
  type: string,
  q: { streams: readonly string[]; limit: number; cursor?: string; reverse?: boolean; where?: ListFilter },
): Promise<ListPage<T>> {
  await ensureListIndexed(org, type)
  const position = decodePosition(q.cursor)
  const filtered = Object.keys(q.where ?? {}).length > 0
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0) * (q.reverse ? -1 : 1)
  const reads = await Promise.all(
    [...new Set(q.streams)].map(async (stream) => {
      const prefix = `${IX}${type}#${stream}#`
      const found: { tail: string; id: string }[] = []
      let after = position === undefined ? undefined : `${prefix}${position}`
      let reach: string | undefined
      for (let n = 0; n < (filtered ? MAX_READS : 1) && found.length <= q.limit; n++) {
        const out = await org.sideRange({
          from: prefix,
          to: `${prefix}\uffff`,
          after,
          limit: filtered ? Math.max(q.limit + 1, 100) : q.limit + 1,
          reverse: q.reverse,
          where: q.where,
        })
        found.push(...out.items.map((i) => ({ tail: i.sk.slice(prefix.length), id: String(i.id) })))
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
  const [found, total] = await Promise.all([
    org.getMany<T>(
      type,
      page.map((e) => e.id),
    ),
    filtered ? countWhere(org, type, q.streams, q.where ?? {}) : counted(org, type, q.streams),
  ])
  return { items: page.flatMap((e) => found.get(e.id) ?? []), cursor: next && encodePosition(next), total }
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
      const prefix = `${IX}${type}#${stream}#`
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
    const prefix = `${IX}${type}#${stream}#`
    total += await countRange(org, { from: prefix, to: `${prefix}\uffff`, where }, COUNT_READS)
  }
  return total
}

/** The id of the last entry of a stream whose order begins with `orderPrefix` (one read). */
export async function lastInStream(org: OrgRecords, type: string, stream: string, orderPrefix = '') {
  await ensureListIndexed(org, type)
  const prefix = `${IX}${type}#${stream}#${orderPrefix}`
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

/** Organisations and types known to be indexed in this process (one marker read each). */
const indexed = new Set<string>()

/**
 * Indexes the organisation's records of a type written before its lists existed (or before its
 * spec's version): once, idempotent (a process remembers an organisation it found indexed;
 * `recheck` reads the marker again). Old entries and the counter are removed first; the counter
 * is then set from the records read.
 */
export async function ensureListIndexed(
  org: OrgRecords,
  type: string,
  options: { recheck?: boolean } = {},
): Promise<boolean> {
  const spec = specs.get(type)
  if (!spec) throw new Error(`store: no list index for ${type}`)
  const mark = `${MARK}${type}#v${spec.version}`
  const key = `${org.orgId}|${mark}`
  if (indexed.has(key) && !options.recheck) return false
  if ((await org.sideGet([mark])).has(mark)) {
    indexed.add(key)
    return false
  }
  for (;;) {
    // Deleted as read: each read starts at the range's beginning again.
    const out = await org.sideRange({ from: `${IX}${type}#`, to: `${IX}${type}#\uffff`, limit: 500 })
    if (!out.items.length) break
    await org.writeSide({ deletes: out.items.map((i) => i.sk) })
  }
  await org.writeSide({ deletes: [counterSk(type)] })
  const counts: Record<string, number> = {}
  for await (const page of recordPages<unknown>(org, type)) {
    const puts: ListChanges['puts'] = []
    for (const r of page) {
      const c = listChanges(type, r.id, undefined, { data: r.data, meta: r })
      puts.push(...c.puts)
      for (const [s, n] of Object.entries(c.counts[0]?.add ?? {})) counts[s] = (counts[s] ?? 0) + n
    }
    await org.writeSide({ puts })
  }
  await org.writeSide({
    updates: Object.keys(counts).length ? [{ sk: counterSk(type), set: counts }] : [],
    puts: [{ sk: mark, item: { version: spec.version } }],
  })
  indexed.add(key)
  return true
}

/** Marks a new organisation's lists as indexed: it has no records from before the index. */
export async function markListsIndexed(org: OrgRecords): Promise<void> {
  await org.putSide(
    [...specs].map(([type, spec]) => ({
      sk: `${MARK}${type}#v${spec.version}`,
      item: { version: spec.version },
    })),
  )
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
  const prefix = `${IX}${type}#${stream}#`
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
  const prefix = `${IX}${type}#${stream}#`
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
