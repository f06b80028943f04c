/**
 * The risk register's pages, read through the list index (`list-specs.ts`): one stream per sort,
 * for the whole register or for one member (the risks they own or hold a measure of), filtered
 * by the entries' attributes (status, category, option, owner, the level's cells) in the
 * key-condition read, with the total from the counters when only the status narrows the list.
 */
import { RISK_STATUSES, type RiskStatus } from '../domain/risk/risk.js'
import { type ListFilter, listCounts, listPage } from './list-index.js'
import { type RiskListSort, riskStatusStream, riskStream } from './list-specs.js'
import type { OrgRecords } from './records.js'
import { RISK, type RiskData } from './risk-register.js'

/** One read of the register. */
export interface RiskListRead {
  /** `ALL` (ISO, management, auditors) or the member's user id. */
  reader: string
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

/** Sorts whose natural order is the largest (or latest) first. */
const DESC_FIRST: readonly RiskListSort[] = ['inherent', 'residual', 'updated']

/** One page of the register in the order asked for, with the number of risks it lists. */
export async function riskPage(org: OrgRecords, r: RiskListRead) {
  const statuses = r.status
    ? [r.status]
    : RISK_STATUSES.filter((s) => r.closed === 'include' || s !== 'closed')
  const where: ListFilter = {}
  if (statuses.length < RISK_STATUSES.length) where.st = statuses
  if (r.category) where.cat = r.category
  if (r.option) where.opt = r.option
  if (r.owner) where.own = r.owner
  if (r.level) {
    if (r.level.cells.length === 0) return { items: [], total: 0 }
    where[r.level.attr] = r.level.cells
  }
  const reverse = (r.order ?? (DESC_FIRST.includes(r.sort) ? 'desc' : 'asc')) === 'desc'
  const page = await listPage<RiskData>(org, RISK, {
    streams: [riskStream(r.reader, r.sort)],
    limit: r.limit,
    cursor: r.cursor,
    reverse,
    where,
  })
  // Narrowed by status alone: the total is the counters' (the filtered count reads the range).
  if (Object.keys(where).every((k) => k === 'st')) {
    const counts = await listCounts(
      org,
      RISK,
      statuses.map((s) => riskStatusStream(r.reader, s)),
    )
    return { ...page, total: [...counts.values()].reduce((a, b) => a + b, 0) }
  }
  return page
}
