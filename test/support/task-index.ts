import type { StepDeps } from '../../functions/steps/deps.js'
import { TASK_STAMP } from '../../functions/store/task-index-version.js'
import { unstamp } from './list-index.js'
import { sideItemsUnder } from './side-items.js'

/** Every prefix the inbox's and the workflows list's indexes keep, of any version (entries, counters, markers). */
export const TASK_INDEX_PREFIXES = ['TIX#', 'TCNT#', 'TIXINDEXED#', 'TIXVERSION#', 'WIX#', 'WSEEN#']

/**
 * Leaves an organisation's inbox and workflows list indexes as a version from before them left
 * them: its tasks not stamped as counted (`TASK_STAMP`), no entries, counters or markers of any
 * version. The process still remembers the indexes as built (a reader does not build them again;
 * the re-index, `rebuildIndex`, does).
 */
export async function forgetTaskIndex(deps: Pick<StepDeps, 'config' | 'records'>, orgId: string) {
  await unstamp(deps, orgId, 'task', TASK_STAMP.attr)
  const org = deps.records.forOrg(orgId)
  const side: string[] = []
  for (const prefix of TASK_INDEX_PREFIXES) side.push(...(await sideItemsUnder(org, prefix)).map((i) => i.sk))
  await org.writeSide({ deletes: side })
}
