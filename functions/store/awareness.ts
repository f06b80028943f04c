/**
 * Awareness campaigns as stored: one `awareness-campaign` record per campaign (its people
 * inside), indexed on GSI1 by organisation and start time (`ORG#<org>#AWARENESS`,
 * `<startedAt>#<id>`), so the register reads one page by a key condition, newest first.
 * Shared by the API routes and the workflow's record step; the rules live in `domain/awareness`.
 */
import type { CampaignData } from '../domain/awareness/index.js'
import { orgIndexPk } from './keys.js'
import type { OrgRecords, StoredRecord } from './records.js'

/** Record type of a campaign. */
export const CAMPAIGN = 'awareness-campaign'

/** A stored campaign. */
export type CampaignRecord = StoredRecord<CampaignData>

/** The GSI1 partition of an organisation's campaigns. */
export const campaignIndexPk = (orgId: string) => orgIndexPk(orgId, 'AWARENESS')

/** The index keys of a campaign. */
export const campaignIndex = (orgId: string, startedAt: string, id: string) => ({
  gsi1pk: campaignIndexPk(orgId),
  gsi1sk: `${startedAt}#${id}`,
})

const isCampaign = (i: CampaignRecord | CampaignData): i is CampaignRecord => 'data' in i && 'id' in i

/** One page of the register, newest first. */
export async function campaignPage(org: OrgRecords, opts: { cursor?: string; limit?: number } = {}) {
  const page = await org.byIndex<CampaignData>(campaignIndexPk(org.orgId), {
    reverse: true,
    limit: opts.limit ?? 50,
    cursor: opts.cursor,
  })
  // Only campaign records carry this partition key.
  return { items: page.items.filter(isCampaign), cursor: page.cursor }
}

/** Record type of a person's reporting line (id: the person's user id). */
export const REPORTING_LINE = 'reporting-line'

/** Who a person reports to: overdue acknowledgements are escalated there. */
export interface ReportingLine {
  managerUserId: string
}

/** The organisation's reporting lines: person → manager (one key condition on the record type). */
export async function managersOf(org: OrgRecords): Promise<Map<string, string>> {
  const lines = await org.all<ReportingLine>(REPORTING_LINE)
  return new Map(lines.map((r) => [r.id, r.data.managerUserId]))
}
