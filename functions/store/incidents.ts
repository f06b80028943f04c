/**
 * Security incidents as stored: one `incident` record per incident, indexed on GSI1 by
 * organisation and awareness time (`ORG#<org>#INCIDENT`, `<awareAt>#<id>`), so the register reads
 * one page by a key condition, newest first, and a year is a key prefix. Shared by the API routes
 * and the workflow steps. The rules live in `domain/incidents`.
 */
import { createHash } from 'node:crypto'
import { DECISION_RECORD, type DecisionRecord } from '../domain/assessments/types.js'
import { type IncidentData, NO_REGIME, type ReportingRegime, regimeOf } from '../domain/incidents/index.js'
import { orgIndexPk } from './keys.js'
import type { OrgRecords, StoredRecord } from './records.js'

/** Record type of an incident. */
export const INCIDENT = 'incident'

/** A stored incident. */
export type IncidentRecord = StoredRecord<IncidentData>

/** The GSI1 partition of an organisation's incidents. */
export const incidentIndexPk = (orgId: string) => orgIndexPk(orgId, 'INCIDENT')

/** The index keys of an incident. */
export const incidentIndex = (orgId: string, awareAt: string, id: string) => ({
  gsi1pk: incidentIndexPk(orgId),
  gsi1sk: `${awareAt}#${id}`,
})

/**
 * The id of a reported incident: derived from who reported what, when they became aware, so a
 * repeated request (a retry, a double click) finds the same incident instead of a second one.
 */
export function incidentId(orgId: string, reporter: string, title: string, awareAt: string): string {
  const h = createHash('sha256').update(`${orgId}\n${reporter}\n${title}\n${awareAt}`).digest('hex')
  return `INC-${awareAt.slice(0, 4)}-${h.slice(0, 8).toUpperCase()}`
}

/** One page of the register, newest awareness first; `year` narrows the key condition. */
export async function incidentPage(
  org: OrgRecords,
  opts: { year?: number; cursor?: string; limit?: number } = {},
) {
  const page = await org.byIndex<IncidentData>(incidentIndexPk(org.orgId), {
    reverse: true,
    limit: opts.limit ?? 100,
    cursor: opts.cursor,
    ...(opts.year ? { skPrefix: String(opts.year) } : {}),
  })
  // Only incident records carry this partition key.
  return { items: page.items as IncidentRecord[], cursor: page.cursor }
}

/** The organisation's reporting regime from its current (not superseded) obligation decision. */
export async function currentRegime(org: OrgRecords): Promise<ReportingRegime> {
  const decisions = await org.list<DecisionRecord>(DECISION_RECORD, { limit: 50 })
  const current = decisions.items
    .filter((d) => !d.data.supersededBy)
    .sort((a, b) => b.data.sequence - a.data.sequence)[0]
  return current ? regimeOf(current.data.decision) : NO_REGIME
}
