/**
 * What the management review package (`domain/reviews/package.ts`) reads by key rather than as
 * every record of a type: the task counters, one execution's tasks and the incidents of the
 * periods it compares.
 */
import type { PackageTaskSource } from '../domain/reviews/package.js'
import { incidentsAwareSince } from './incidents.js'
import type { OrgRecords } from './records.js'
import type { TaskStore } from './tasks.js'

/** The package's reads by key for one organisation. */
export function packageSource(tasks: TaskStore, org: OrgRecords): PackageTaskSource {
  return {
    counts: (now) => tasks.counts(org.orgId, now),
    forExecution: async (executionArn) =>
      (await tasks.forExecution(org.orgId, executionArn)).map((t) => t.data),
    incidentsSince: (from) => incidentsAwareSince(org, from),
  }
}
