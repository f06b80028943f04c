/**
 * The lists of each record type the list index keeps (`list-index.ts`): which streams a record
 * belongs to and its place in them. Read by `records.ts` on every write, so a type's lists are
 * kept by whoever writes the record (a route, a workflow step, the seed).
 */
import { OPEN_REVIEW_STATUSES } from '../domain/reviews/types.js'

/** What a spec sees of a record besides its data. */
export interface RecordMeta {
  createdAt: string
  updatedAt: string
}

/** The lists of one record type. */
export interface ListSpec {
  /** Bump when `streams` or `order` change: each organisation's entries are built again. */
  version: number
  /** The streams (lists) a record belongs to, from its data (words and `|`; values through `streamPart`). */
  streams(id: string, data: unknown, meta: RecordMeta): string[]
  /** The record's place in every one of its streams (a string that sorts as the lists do). */
  order(id: string, data: unknown, meta: RecordMeta): string
}

/** One value in a stream name, with `%`, `#` and `|` escaped, so no stream is a prefix of another. */
export const streamPart = (v: string) => v.replace(/[%#|]/g, (ch) => `%${ch.charCodeAt(0).toString(16)}`)

type Data = Record<string, unknown>
const isData = (v: unknown): v is Data => typeof v === 'object' && v !== null
const obj = (v: unknown): Data => (isData(v) ? v : {})
const str = (v: unknown) => (typeof v === 'string' ? v : undefined)

/** The stream of a list under some of its filters (in the order the spec names them; unset ones left out). */
export const filteredStream = (base: string, filters: Record<string, string | undefined>) => {
  const set = Object.entries(filters).filter((e): e is [string, string] => e[1] !== undefined)
  return set.length ? `${base}|${set.map(([k, v]) => `${k}|${streamPart(v)}`).join('|')}` : base
}

/** Every stream of a list: unfiltered, under each of its filters and every combination of them. */
const withFilters = (base: string, filters: Record<string, string>) => {
  const keys = Object.keys(filters)
  const out: string[] = []
  for (let mask = 0; mask < 1 << keys.length; mask++)
    out.push(
      filteredStream(
        base,
        Object.fromEntries(keys.map((k, i) => [k, mask & (1 << i) ? filters[k] : undefined])),
      ),
    )
  return out
}

/** Review cycles: who may see a cycle besides the overseers (its performer, or their role). */
export const reviewViewer = (performer: unknown): string | undefined => {
  const p = obj(performer)
  const user = str(p.userId)
  const role = str(p.role)
  return user ? `u:${user}` : role ? `r:${role}` : undefined
}

/** The stream of what one viewer (`u:<user>` or `r:<role>`) may see. */
export const viewerStream = (viewer: string) => `V|${streamPart(viewer)}`

/**
 * Review cycles, newest scheduled first:
 * - `ALL`, and under the filters of `GET /api/reviews`: `ALL|E|<entry>`, `ALL|S|<status>`, both;
 * - the same for who performs it (`V|<u:user or r:role>`…), which is what a member sees;
 * - per programme entry, its open cycles (`OPEN|<entry>`) and those flagged overdue
 *   (`OVERDUE|<entry>`, counted for the programme).
 */
const review: ListSpec = {
  version: 1,
  streams: (_id, data) => {
    const d = obj(data)
    const entry = str(d.entryId) ?? ''
    const status = str(d.status) ?? ''
    const filters = { E: entry, S: status }
    const viewer = reviewViewer(d.performer)
    const out = withFilters('ALL', filters)
    if (viewer) out.push(...withFilters(viewerStream(viewer), filters))
    if (OPEN_REVIEW_STATUSES.some((s) => s === status)) out.push(`OPEN|${streamPart(entry)}`)
    if (d.overdue) out.push(`OVERDUE|${streamPart(entry)}`)
    return out
  },
  order: (_id, data) => str(obj(data).scheduledAt) ?? '',
}

/** Notifications (the outbox the ISO reads), newest first. */
const notification: ListSpec = {
  version: 1,
  streams: () => ['ALL'],
  order: (_id, data, meta) => str(obj(data).createdAt) ?? meta.createdAt,
}

/** A flag as a filter value of a stream: `true`, else `false` (unknown reads as not). */
const flag = (v: unknown) => (v === true ? 'true' : 'false')

/**
 * Incidents, newest awareness first (`GET /api/incidents`; a year is a prefix of the order):
 * - `ALL` under the register's filters and every combination of them: open (`O`), significant
 *   (`S`), personal data breach (`P`), so a filtered page is one key-condition read;
 * - one stream per person who may see it besides the overseers (its reporter and assignees),
 *   `V|u:<user>`: a member's register, filtered as it is read (it holds only their incidents).
 */
const incident: ListSpec = {
  version: 1,
  streams: (_id, data) => {
    const d = obj(data)
    const c = obj(d.classification)
    const out = withFilters('ALL', {
      O: d.closedAt === undefined ? 'true' : 'false',
      S: flag(c.significant),
      P: flag(c.personalDataBreach),
    })
    const people = [str(d.reportedBy), ...(Array.isArray(d.assignees) ? d.assignees.map(str) : [])]
    for (const user of new Set(people)) if (user) out.push(viewerStream(`u:${user}`))
    return out
  },
  order: (_id, data) => str(obj(data).awareAt) ?? '',
}

/** The record types with lists, by type. */
export const LIST_SPECS: Record<string, ListSpec> = { review, notification, incident }
