/**
 * The versions of the indexes this code writes (the inbox's, each list of the list index and the
 * search index's words):
 * what the deployment's re-index compares (`infra/aws/reindex.ts`: a change runs it on the
 * next deploy; `reindex.ts` builds what an older version wrote).
 */
import { TASK_INDEX_VERSION } from '../store/inbox-index.js'
import { LIST_INDEX_LAYOUT } from '../store/list-index.js'
import { LIST_SPECS } from '../store/list-specs.js'
import { SEARCH_INDEX_VERSION } from '../store/search-index.js'

/** Index name → version, as strings (CloudFormation properties). */
export const indexVersions = (): Record<string, string> => ({
  tasks: String(TASK_INDEX_VERSION),
  search: String(SEARCH_INDEX_VERSION),
  lists: String(LIST_INDEX_LAYOUT),
  ...Object.fromEntries(
    Object.entries(LIST_SPECS).map(([type, spec]) => [`list:${type}`, String(spec.version)]),
  ),
})
