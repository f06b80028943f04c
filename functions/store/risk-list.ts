/**
 * The risk register's reads through the list index (`list-specs.ts`): the whole register a page
 * at a time in each sort, filtered by the entries' attributes (status, category, option, owner,
 * the level's cells) in the key-condition read, with the total from the counters when only the
 * status narrows the list; a member's risks from their own stream; the heat maps' counts from
 * the counters and each cell's first ids from its stream.
 */
import { RISK_STATUSES, type RiskStatus } from '../domain/risk/risk.js'
import {
  type ListFilter,
  type ListQuery,
  listCounts,
  listCountsByPrefix,
  listPage,
  listRows,
  recordsBetween,
  streamEntries,
} from './list-index.js'
import {
  type RiskListSort,
  riskCellStream,
  riskMemberStream,
  riskStatusStream,
  riskStream,
} from './list-specs.js'
import type { OrgRecords } from './records.js'
import { RISK, type RiskData, type RiskListRow, type RiskRecord } from './risk-register.js'

/** One read of the whole register. */
export interface RiskListRead {
  sort: RiskListSort
  order?: 'asc' | 'desc'
  status?: RiskStatus
  /** Closed risks are left out unless included or asked for by status. */
  closed: 'include' | 'exclude'
  category?: string
  option?: string
  owner?: string
  /** The cells of the level asked for, on the inherent (`ic`) or residual (`rc`) scores. */
  level?: { attr: 'ic' | 'rc'; cells: readonly string[] }
  limit: number
  cursor?: string
}

/**
 * The risks changed at or after `since` (an ISO instant), by id: a key-condition read of the
 * register's `updated` sort from that time on, however many risks did not change.
 */
export async function risksChangedSince(org: OrgRecords, since: string): Promise<RiskRecord[]> {
  const found = await recordsBetween<RiskData>(
    org,
    RISK,
    riskStream('updated'),
    { from: since, to: '\uffff' },
    10_000,
  )
  return found.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** How many risks the register has (one counter read). */
export async function riskCount(org: OrgRecords): Promise<number> {
  const stream = riskStream('id')
  return (await listCounts(org, RISK, [stream])).get(stream) ?? 0
}

/** Sorts whose natural order is the largest (or latest) first. */
const DESC_FIRST: readonly RiskListSort[] = ['inherent', 'residual', 'updated']

/** One page of the whole register in the order asked for, with the number of risks it lists. */
export async function riskPage(org: OrgRecords, r: RiskListRead) {
  const q = riskQuery(r)
  return q ? listPage<RiskData>(org, RISK, q) : { items: [], total: 0 }
}

/**
 * One page of the register's rows (`RiskListRow`, what its entries keep of each risk), as
 * `riskPage` reads it but without reading the risks.
 */
export async function riskRowPage(org: OrgRecords, r: RiskListRead) {
  const q = riskQuery(r)
  return q ? listRows<RiskListRow>(org, RISK, q) : { items: [], total: 0 }
}

/** The list index's read of one page of the register (none: the level has no cells). */
function riskQuery(r: RiskListRead): ListQuery | undefined {
  const statuses = r.status
    ? [r.status]
    : RISK_STATUSES.filter((s) => r.closed === 'include' || s !== 'closed')
  const where: ListFilter = {}
  if (statuses.length < RISK_STATUSES.length) where.st = statuses
  if (r.category) where.cat = r.category
  if (r.option) where.opt = r.option
  if (r.owner) where.own = r.owner
  if (r.level) {
    if (r.level.cells.length === 0) return undefined
    where[r.level.attr] = r.level.cells
  }
  const reverse = (r.order ?? (DESC_FIRST.includes(r.sort) ? 'desc' : 'asc')) === 'desc'
  return {
    streams: [riskStream(r.sort)],
    limit: r.limit,
    cursor: r.cursor,
    reverse,
    where,
    // Narrowed by status alone (the register's default: every status but closed): the total is
    // the status counters' sum, one read; other filters count the filtered range.
    countedAs: Object.keys(where).every((k) => k === 'st') ? statuses.map(riskStatusStream) : undefined,
  }
}

/** Most risks a member's register reads (the risks they own or hold a measure of). */
export const MEMBER_RISKS_LIMIT = 1000

/** The risks a member may see (owner or measure owner), by id, from their stream: bounded by their own. */
export async function memberRisks(org: OrgRecords, userId: string): Promise<RiskRecord[]> {
  const ids: string[] = []
  let after: string | undefined
  do {
    const read = await streamEntries(org, RISK, riskMemberStream(userId), { after, limit: 200 })
    ids.push(...read.entries.map((e) => e.id))
    after = read.more ? read.entries.at(-1)?.position : undefined
  } while (after !== undefined && ids.length < MEMBER_RISKS_LIMIT)
  const found = await org.getMany<RiskData>(RISK, ids)
  return ids.flatMap((id) => found.get(id) ?? [])
}

/** Ids a heat map cell lists at most (its count is exact). */
export const CELL_IDS_LIMIT = 20

/** One heat map cell as counted: `<likelihood>#<impact>`, how many risks, the first ids. */
export interface CountedCell {
  cell: string
  count: number
  ids: string[]
}

/**
 * The risks (not closed) of the whole register per cell of a heat map view: the counts from the
 * counters (one read), each non-empty cell's first `CELL_IDS_LIMIT` ids from its stream.
 */
export async function heatCells(
  org: OrgRecords,
  view: 'inherent' | 'residual',
  options: { only?: (cell: string) => boolean; idsLimit?: number } = {},
): Promise<CountedCell[]> {
  const prefix = riskCellStream(view, '')
  const counts = await listCountsByPrefix(org, RISK, prefix)
  const cells = [...counts]
    .map(([stream, count]) => ({ stream, count, cell: decodeURIComponent(stream.slice(prefix.length)) }))
    .filter((c) => !options.only || options.only(c.cell))
  return Promise.all(
    cells.map(async ({ stream, count, cell }) => {
      const read = await streamEntries(org, RISK, stream, { limit: options.idsLimit ?? CELL_IDS_LIMIT })
      return { cell, count, ids: read.entries.map((e) => e.id) }
    }),
  )
}

/** How many risks of the whole register are not closed (from the counters). */
export async function openRiskCount(org: OrgRecords): Promise<number> {
  const open = RISK_STATUSES.filter((s) => s !== 'closed')
  const counts = await listCounts(org, RISK, open.map(riskStatusStream))
  return [...counts.values()].reduce((a, b) => a + b, 0)
}
