/**
 * The review cycles' lists, read through the list index (`list-specs.ts`): a page of cycles for a
 * person (everything for the ISO, management and auditors; what they or their roles perform for a
 * member), filtered by programme entry and status by key, and what the programme shows of each
 * entry (last result, the cycle under way, how many were missed and overdue) without reading the
 * organisation's cycles.
 */
import { type CycleListData, REVIEW, type ReviewCycle } from '../domain/reviews/index.js'
import { listCounts, listRows, newestOf } from './list-index.js'
import { filteredStream, streamPart, viewerStream } from './list-specs.js'
import type { OrgRecords, StoredRecord } from './records.js'

/** Who reads: all cycles, or those performed by the person or one of their roles. */
export interface CycleReader {
  userId: string
  roles: readonly string[]
  /** Reads the whole programme (ISO, management, auditors). */
  readsAll: boolean
}

/** The streams a person's list of cycles is made of, under the filters. */
function readerStreams(reader: CycleReader, filters: { entry?: string; status?: string }) {
  const f = { E: filters.entry, S: filters.status }
  if (reader.readsAll) return [filteredStream('ALL', f)]
  return [`u:${reader.userId}`, ...reader.roles.map((r) => `r:${r}`)].map((v) =>
    filteredStream(viewerStream(v), f),
  )
}

/**
 * One page of the cycles a person sees, newest scheduled first, with their number: each cycle's
 * list fields as its entry keeps them (`CycleListData`), without reading the cycles.
 */
export function cyclePage(
  org: OrgRecords,
  reader: CycleReader,
  q: { entry?: string; status?: string; limit: number; cursor?: string },
) {
  return listRows<CycleListData>(org, REVIEW, {
    streams: readerStreams(reader, q),
    limit: q.limit,
    cursor: q.cursor,
    reverse: true,
  })
}

/** What the programme shows of one entry's cycles. */
export interface EntryCycles {
  last?: StoredRecord<ReviewCycle>
  current?: StoredRecord<ReviewCycle>
  missed: number
  overdue: number
}

/**
 * The newest completed and the newest open cycle of each entry, and its missed and overdue
 * counts: one counter read, one read of one entry per stream and one batch read of the cycles
 * found, for all entries together.
 */
export async function entryCycles(org: OrgRecords, entryIds: readonly string[]) {
  const streams = (id: string) => ({
    missed: filteredStream('ALL', { E: id, S: 'missed' }),
    overdue: `OVERDUE|${streamPart(id)}`,
    last: filteredStream('ALL', { E: id, S: 'completed' }),
    current: `OPEN|${streamPart(id)}`,
  })
  const [counts, newest] = await Promise.all([
    listCounts(
      org,
      REVIEW,
      entryIds.flatMap((id) => [streams(id).missed, streams(id).overdue]),
    ),
    newestOf<ReviewCycle>(
      org,
      REVIEW,
      entryIds.flatMap((id) => [streams(id).last, streams(id).current]),
    ),
  ])
  const out = new Map<string, EntryCycles>()
  for (const id of entryIds) {
    const s = streams(id)
    out.set(id, {
      last: newest.get(s.last),
      current: newest.get(s.current),
      missed: counts.get(s.missed) ?? 0,
      overdue: counts.get(s.overdue) ?? 0,
    })
  }
  return out
}
