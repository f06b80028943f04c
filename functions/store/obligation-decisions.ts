/**
 * The organisation's recorded obligation decisions read by key through the list index
 * (`list-specs.ts`: `ALL` by sequence, `CURRENT` those not superseded, `CHANGED` by last change):
 * a page of the history, the decision in force, the highest sequence, those changed since a
 * date. The history grows by one decision per assessment; none of these reads grows with it.
 */
import { DECISION_RECORD, type DecisionRecord } from '../domain/assessments/types.js'
import { type ListPage, lastInStream, listPage, newestOf, recordsBetween } from './list-index.js'
import { DECISIONS_ALL, DECISIONS_CHANGED, DECISIONS_CURRENT } from './list-specs.js'
import type { OrgRecords, StoredRecord } from './records.js'

/** One page of the decisions, newest first (highest sequence, then latest decision time). */
export function decisionPage(
  org: OrgRecords,
  q: { limit: number; cursor?: string },
): Promise<ListPage<DecisionRecord>> {
  return listPage<DecisionRecord>(org, DECISION_RECORD, {
    streams: [DECISIONS_ALL],
    limit: q.limit,
    cursor: q.cursor,
    reverse: true,
  })
}

/** The decision in force: the newest not superseded (one entry read, one record read). */
export async function decisionInForce(org: OrgRecords): Promise<StoredRecord<DecisionRecord> | undefined> {
  return (await newestOf<DecisionRecord>(org, DECISION_RECORD, [DECISIONS_CURRENT])).get(DECISIONS_CURRENT)
}

/** The highest sequence number recorded so far (0 without decisions). */
export async function lastSequence(org: OrgRecords): Promise<number> {
  const id = await lastInStream(org, DECISION_RECORD, DECISIONS_ALL)
  const rec = id === undefined ? undefined : await org.get<DecisionRecord>(DECISION_RECORD, id)
  return rec?.data.sequence ?? 0
}

/** The decisions changed after `since` (an ISO instant), by id. */
export async function decisionsChangedSince(
  org: OrgRecords,
  since: string,
): Promise<StoredRecord<DecisionRecord>[]> {
  const found = await recordsBetween<DecisionRecord>(org, DECISION_RECORD, DECISIONS_CHANGED, {
    from: since,
    to: '\uffff',
  })
  return found.filter((r) => r.updatedAt > since).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}
