/**
 * The organisation's context as stored: `interested-party` records indexed on GSI1 by name
 * (`ORG#<org>#PARTY`, `<name>#<id>`) and `context-issue` records by kind
 * (`ORG#<org>#ISSUE`, `<kind>#<createdAt>#<id>`), so each register reads one page by a key
 * condition; the climate decision is one record (`context-climate`, id `current`).
 */
import { createHash } from 'node:crypto'
import type { ContextIssue, InterestedParty } from '../domain/context/index.js'
import { orgIndexPk } from './keys.js'
import type { OrgRecords, StoredRecord } from './records.js'

export const PARTY = 'interested-party'
export const ISSUE = 'context-issue'
export const CLIMATE = 'context-climate'
export const CLIMATE_ID = 'current'

export type PartyRecord = StoredRecord<InterestedParty>
export type IssueRecord = StoredRecord<ContextIssue>

const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().trim()

/** A party's id derives from its name: the same party twice is one entry (a retry finds it). */
export const partyId = (name: string) =>
  `party-${createHash('sha256').update(fold(name)).digest('hex').slice(0, 16)}`

/** An issue's id derives from its kind and title. */
export const issueId = (kind: string, title: string) =>
  `issue-${createHash('sha256')
    .update(`${kind}\n${fold(title)}`)
    .digest('hex')
    .slice(0, 16)}`

export const partyIndex = (orgId: string, name: string, id: string) => ({
  gsi1pk: orgIndexPk(orgId, 'PARTY'),
  gsi1sk: `${fold(name)}#${id}`,
})
export const issueIndex = (orgId: string, kind: string, createdAt: string, id: string) => ({
  gsi1pk: orgIndexPk(orgId, 'ISSUE'),
  gsi1sk: `${kind}#${createdAt}#${id}`,
})

const isParty = (i: PartyRecord | InterestedParty): i is PartyRecord => 'data' in i && 'id' in i
const isIssue = (i: IssueRecord | ContextIssue): i is IssueRecord => 'data' in i && 'id' in i

/** One page of the parties register, by name. */
export async function partyPage(org: OrgRecords, opts: { cursor?: string; limit?: number } = {}) {
  const page = await org.byIndex<InterestedParty>(orgIndexPk(org.orgId, 'PARTY'), {
    limit: opts.limit ?? 100,
    cursor: opts.cursor,
  })
  return { items: page.items.filter(isParty), cursor: page.cursor }
}

/** One page of the issues, external before internal, oldest first. */
export async function issuePage(org: OrgRecords, opts: { cursor?: string; limit?: number } = {}) {
  const page = await org.byIndex<ContextIssue>(orgIndexPk(org.orgId, 'ISSUE'), {
    limit: opts.limit ?? 100,
    cursor: opts.cursor,
  })
  return { items: page.items.filter(isIssue), cursor: page.cursor }
}
