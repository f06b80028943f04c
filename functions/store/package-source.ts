/**
 * What the management review package (`domain/reviews/package.ts`) reads by key and period
 * rather than as every record of a type: the task counters and one execution's tasks, the
 * incidents and review cycles of the periods it compares, the risks it names with the
 * register's counts (counters and tallies of the list index), the nonconformities open or
 * changed in its periods.
 */
import { type PackageTaskSource, TOP_RISKS } from '../domain/reviews/package.js'
import { REVIEW, type ReviewCycle } from '../domain/reviews/types.js'
import { RISK_STATUSES } from '../domain/risk/risk.js'
import { CERT_TYPES } from './certification.js'
import { incidentsAwareSince } from './incidents.js'
import { listCountsByPrefix, listTallies, recordsBetween, streamEntries } from './list-index.js'
import {
  DUE_STREAM,
  NC_CHANGED,
  NC_CREATED,
  NC_OPEN,
  reviewKindStream,
  riskStatusStream,
  riskStream,
} from './list-specs.js'
import type { OrgRecords, StoredRecord } from './records.js'
import { RISK } from './risk-register.js'
import type { TaskStore } from './tasks.js'

/** The end of every order (dates and instants sort before it). */
const END = '\uffff'

/**
 * The open risks of the highest inherent scores: the inherent sort's stream from the top until
 * `TOP_RISKS` open ones are found and the score falls below theirs (ties are all read, so the
 * package picks among them as it would among every risk).
 */
async function topOpenRisks(org: OrgRecords) {
  const found: StoredRecord<unknown>[] = []
  let lowest: string | undefined
  let after: string | undefined
  for (let reads = 0; reads < 20; reads++) {
    const read = await streamEntries(org, RISK, riskStream('inherent'), { after, limit: 50, reverse: true })
    const recs = await org.getMany<{ status?: string }>(
      RISK,
      read.entries.map((e) => e.id),
    )
    for (const e of read.entries) {
      const score = e.position.slice(0, 3)
      if (lowest !== undefined && score < lowest) return found
      const rec = recs.get(e.id)
      if (!rec || rec.data.status === 'closed' || score === '000') continue
      found.push(rec)
      if (found.length === TOP_RISKS) lowest = score
    }
    after = read.entries.at(-1)?.position
    if (!read.more || !after) return found
  }
  return found
}

/** The package's reads by key for one organisation. */
export function packageSource(tasks: TaskStore, org: OrgRecords): PackageTaskSource {
  return {
    counts: (now) => tasks.counts(org.orgId, now),
    forExecution: async (executionArn) =>
      (await tasks.forExecution(org.orgId, executionArn)).map((t) => t.data),
    incidentsSince: (from) => incidentsAwareSince(org, from),
    managementReviews: () =>
      recordsBetween<ReviewCycle>(org, REVIEW, reviewKindStream('management-review'), { from: '', to: END }),
    async reviewsFrom(from, now) {
      const nowIso = now.toISOString()
      const [scheduled, due] = await Promise.all([
        recordsBetween<ReviewCycle>(org, REVIEW, 'ALL', { from, to: END }, 10_000),
        recordsBetween<ReviewCycle>(org, REVIEW, DUE_STREAM, { from, to: nowIso }, 10_000),
      ])
      return [...scheduled, ...due]
    },
    async risks(since) {
      const [counts, tallies, top, accepted, changed] = await Promise.all([
        listCountsByPrefix(org, RISK, riskStatusStream('')),
        listTallies(org, RISK),
        topOpenRisks(org),
        recordsBetween(org, RISK, DUE_STREAM, { from: '', to: END }, 10_000),
        recordsBetween(org, RISK, riskStream('updated'), { from: since, to: END }, 10_000),
      ])
      const byStatus: Record<string, number> = {}
      for (const status of RISK_STATUSES) {
        const n = counts.get(riskStatusStream(status))
        if (n) byStatus[status] = n
      }
      const total = [...counts.values()].reduce((a, b) => a + b, 0)
      return {
        records: [...top, ...accepted, ...changed],
        summary: {
          total,
          byStatus,
          measures: tallies.measures ?? 0,
          measuresDone: tallies.measuresDone ?? 0,
        },
      }
    },
    async nonconformities(since, from) {
      const nc = CERT_TYPES.nc
      const [open, changed, raised] = await Promise.all([
        recordsBetween(org, nc, NC_OPEN, { from: '', to: END }, 10_000),
        recordsBetween(org, nc, NC_CHANGED, { from: since, to: END }, 10_000),
        recordsBetween(org, nc, NC_CREATED, { from, to: END }, 10_000),
      ])
      const found = [...open, ...changed, ...raised]
      if (found.length) return found
      // None open or in the periods: one older one, so the section says "none open" rather than "no data".
      const [last] = (await streamEntries(org, nc, NC_CREATED, { limit: 1, reverse: true })).entries
      return last ? [...(await org.getMany(nc, [last.id])).values()] : []
    },
  }
}
