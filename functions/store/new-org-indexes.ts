/**
 * A new organisation's indexes are complete from its first record: each is kept beside the
 * writes that change it (`stamped-index.ts`, `search-index.ts`, `work-index.ts`), and a new
 * organisation has no records from before to count. Without their markers its first read of
 * each would look for records to build from (the inbox and workflows list: every task and
 * execution page, then the marker and the clean-up of older versions) and find none. Its
 * creation writes them all at their current versions in one transaction instead, so its first
 * inbox, workflows, list, search and home page reads are plain index reads.
 */
import { listMarkers } from './list-index.js'
import type { OrgRecords } from './records.js'
import { searchMarker } from './search-index.js'
import { noteTaskIndexed, taskIndexMarker } from './task-reindex.js'
import { workIndexMarker } from './work-index.js'

/** Writes a new organisation's index markers (one transaction) before anything of it is read. */
export async function markNewOrgIndexed(org: OrgRecords): Promise<void> {
  await org.putSide([...listMarkers(), searchMarker(), taskIndexMarker(), workIndexMarker()])
  noteTaskIndexed(org)
}
