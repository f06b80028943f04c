/**
 * The version of the inbox's index (`inbox-index.ts`) and of the workflows list's index
 * (`execution-index.ts`), which a task's write keeps together and one rebuild builds
 * (`task-reindex.ts`): both keep their items under it, and a task's item carries the version it
 * is counted in (`TASK_STAMP`, see `stamped-index.ts`). Bump it to rebuild every organisation's
 * indexes beside the old ones on the next deploy or start.
 */
import type { Stamp } from './stamped-index.js'

/**
 * 5: versioned keys, tasks stamped with the version they are counted in (built beside live writes).
 * 6: an inbox entry holds the task's row (`TaskRow`, attribute `row`), not the whole task (`doc`).
 */
export const TASK_INDEX_VERSION = 6

/** The stamp on a task's item: the version of the inbox's and workflows list's index it is counted in. */
export const TASK_STAMP: Stamp = { attr: 'tix', version: TASK_INDEX_VERSION }

/** The part of the indexes' keys that names the version (after their upper-case name and `#`). */
export const TASK_SPACE = `v${TASK_INDEX_VERSION}#`
