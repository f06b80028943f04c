/**
 * Security incidents as stored: one `incident` record per incident, in the list index
 * (`list-specs.ts`: newest awareness first, a stream per combination of the register's filters
 * and one per person who may see it), so the register reads one page by a key condition and a
 * year is a key prefix. Shared by the API routes and the workflow steps. The rules live in `domain/incidents`.
 */
import { createHash } from 'node:crypto'
import { DECISION_RECORD, type DecisionRecord } from '../domain/assessments/types.js'
import {
  type IncidentData,
  isOpenIncident,
  NO_REGIME,
  type ReportingRegime,
  regimeOf,
} from '../domain/incidents/index.js'
import { decodePosition, encodePosition } from './cursor.js'
import { streamEntries } from './list-index.js'
import { filteredStream, viewerStream } from './list-specs.js'
import type { OrgRecords, StoredRecord } from './records.js'

/** Record type of an incident. */
export const INCIDENT = 'incident'

/** A stored incident. */
export type IncidentRecord = StoredRecord<IncidentData>

/**
 * The id of a reported incident: derived from who reported what, when they became aware, so a
 * repeated request (a retry, a double click) finds the same incident instead of a second one.
 */
export function incidentId(orgId: string, reporter: string, title: string, awareAt: string): string {
  const h = createHash('sha256').update(`${orgId}\n${reporter}\n${title}\n${awareAt}`).digest('hex')
  return `INC-${awareAt.slice(0, 4)}-${h.slice(0, 8).toUpperCase()}`
}

/** The register's filters (each left out: any). */
export interface RegisterFilter {
  open?: boolean
  significant?: boolean
  personalData?: boolean
  year?: number
}

const yesNo = (v: boolean | undefined) => (v === undefined ? undefined : String(v))

/** Whether an incident passes the register's filters. */
const passes = (f: RegisterFilter, d: IncidentData) =>
  (f.open === undefined || isOpenIncident(d) === f.open) &&
  (f.significant === undefined || (d.classification.significant === true) === f.significant) &&
  (f.personalData === undefined || (d.classification.personalDataBreach === true) === f.personalData)

/**
 * One page of the register as one person sees it, newest awareness first: `limit` incidents
 * (fewer only on the last page) and a cursor when more follow. Through the list index
 * (`list-specs.ts`): the overseers' register is the stream of the filters asked for (one
 * key-condition read; a year is a prefix of the order); a member's is the stream of the incidents
 * they reported or are assigned to, filtered as it is read until the page is full.
 */
export async function incidentRegisterPage(
  org: OrgRecords,
  viewer: { userId: string; readsAll: boolean },
  f: RegisterFilter & { cursor?: string; limit?: number },
): Promise<{ items: IncidentRecord[]; cursor?: string }> {
  const limit = f.limit ?? 100
  const orderPrefix = f.year ? String(f.year) : undefined
  const start = decodePosition(f.cursor)
  if (viewer.readsAll) {
    const stream = filteredStream('ALL', {
      O: yesNo(f.open),
      S: yesNo(f.significant),
      P: yesNo(f.personalData),
    })
    const read = await streamEntries(org, INCIDENT, stream, {
      orderPrefix,
      after: start,
      limit: limit + 1,
      reverse: true,
    })
    const page = read.entries.slice(0, limit)
    const found = await org.getMany<IncidentData>(
      INCIDENT,
      page.map((e) => e.id),
    )
    const last = read.entries.length > limit || read.more ? page.at(-1)?.position : undefined
    return { items: page.flatMap((e) => found.get(e.id) ?? []), cursor: last && encodePosition(last) }
  }
  const stream = viewerStream(`u:${viewer.userId}`)
  const items: IncidentRecord[] = []
  let position = start
  let more = true
  while (more && items.length < limit) {
    const read = await streamEntries(org, INCIDENT, stream, {
      orderPrefix,
      after: position,
      limit: 100,
      reverse: true,
    })
    const found = await org.getMany<IncidentData>(
      INCIDENT,
      read.entries.map((e) => e.id),
    )
    more = read.more
    for (const [i, e] of read.entries.entries()) {
      position = e.position
      const rec = found.get(e.id)
      if (rec && passes(f, rec.data)) items.push(rec)
      if (items.length === limit) {
        more ||= i < read.entries.length - 1
        break
      }
    }
  }
  return { items, cursor: more && position ? encodePosition(position) : undefined }
}

/**
 * The incidents the organisation became aware of after `from` (an ISO instant), newest first:
 * key-condition reads of the register's list from its newest entry back to `from`.
 */
export async function incidentsAwareSince(org: OrgRecords, from: string): Promise<IncidentRecord[]> {
  const out: IncidentRecord[] = []
  let after: string | undefined
  for (;;) {
    const read = await streamEntries(org, INCIDENT, 'ALL', { after, limit: 200, reverse: true })
    const entries = read.entries.filter((e) => e.position > from)
    const found = await org.getMany<IncidentData>(
      INCIDENT,
      entries.map((e) => e.id),
    )
    out.push(...entries.flatMap((e) => found.get(e.id) ?? []))
    after = read.entries.at(-1)?.position
    if (!read.more || entries.length < read.entries.length || !after) return out
  }
}

/** The organisation's reporting regime from its current (not superseded) obligation decision. */
export async function currentRegime(org: OrgRecords): Promise<ReportingRegime> {
  const decisions = await org.list<DecisionRecord>(DECISION_RECORD, { limit: 50 })
  const current = decisions.items
    .filter((d) => !d.data.supersededBy)
    .sort((a, b) => b.data.sequence - a.data.sequence)[0]
  return current ? regimeOf(current.data.decision) : NO_REGIME
}
