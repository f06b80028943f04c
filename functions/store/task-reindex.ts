/**
 * Builds an organisation's inbox index (`inbox-index.ts`) and its workflows list's index
 * (`execution-index.ts`) at this version (`task-index-version.ts`) from its task and execution
 * records, beside live writes, by the rule of `stamped-index.ts`:
 *
 * 1. it notes every execution the records know (the app's starts and each task's execution), as
 *    first seen at its start or its earliest task — idempotent: an execution a live write noted
 *    first keeps that note;
 * 2. it counts each task not stamped with this version yet: in one transaction conditional on the
 *    task being unchanged and unstamped, it stamps it, puts its inbox entries, adds to its
 *    streams' counters and to its execution's entry (open count, who may see it, its details).
 *    A task created or changed meanwhile was counted by its writer (which stamps it, in the same
 *    transaction as its own entries and counts), so no task is counted twice or left out, and two
 *    builds at once stamp each task once;
 * 3. it sets the version's marker and deletes what other versions left (their entries, counters,
 *    execution entries and markers, and the unversioned layout of version 4 and before).
 *
 * A second run finds the marker and writes nothing. An entry built here has no status from the
 * engine: the list looks it up once. Readers read this version (`tasks.ts` builds it first if the
 * process has not seen it built, as the list index does).
 */
import { isOpen, type Task } from '../domain/tasks.js'
import {
  type EntryTarget,
  EXECUTION_INDEX_KEYS,
  type ExecutionOrigin,
  entryTarget,
  firstSeenGatherer,
  OPEN_DETAILS,
} from './execution-index.js'
import { INBOX_INDEX_KEYS, isTask, taskSideWrites } from './inbox-index.js'
import { recordPages } from './record-pages.js'
import type { AlsoPut, OrgRecords } from './records.js'
import { dropAllBut, ensureBuilt, noteBuilt, stampAll } from './stamped-index.js'
import { TASK_INDEX_VERSION, TASK_SPACE, TASK_STAMP } from './task-index-version.js'

const TASK = 'task'
const EXECUTION = 'execution'
/** The marker of a built version. */
const MARK = `TIXINDEXED#${TASK_SPACE}`
/** The marker of the unversioned layout (version 4 and before). */
const OLD_MARK = 'TIXVERSION#'

/** What the build reads of the app's record of an execution it started. */
type ExecutionStart = { executionArn: string; startedAt: string } & ExecutionOrigin

/**
 * Builds the organisation's inbox and workflows list indexes at this version unless they are
 * built (see the head of this file). Answers whether it built them. `recheck`: read the marker
 * even when this process found them built before.
 */
export async function ensureTaskIndexed(records: OrgRecords, options: { recheck?: boolean } = {}) {
  return ensureBuilt(records, {
    mark: MARK,
    version: TASK_INDEX_VERSION,
    recheck: options.recheck,
    build: () => build(records),
    drop: () =>
      dropAllBut(
        records,
        [...INBOX_INDEX_KEYS.all, ...EXECUTION_INDEX_KEYS.all, 'TIXINDEXED#', OLD_MARK],
        [...INBOX_INDEX_KEYS.current, ...EXECUTION_INDEX_KEYS.current, MARK],
      ),
  })
}

/** The marker saying the inbox and workflows list indexes are built at this version (a new organisation's). */
export const taskIndexMarker = (): AlsoPut => ({ sk: MARK, item: { version: TASK_INDEX_VERSION } })

/** Notes in this process that the organisation's marker was written (its first read need not read it). */
export const noteTaskIndexed = (records: OrgRecords) => noteBuilt(records, MARK)

async function build(records: OrgRecords) {
  const seen = firstSeenGatherer()
  for await (const page of recordPages<ExecutionStart>(records, EXECUTION))
    seen.starts(page.map((r) => r.data))
  for await (const page of recordPages<unknown>(records, TASK)) seen.tasks(page.map((r) => r.data))
  await seen.notes(records)
  // Where each task adds to its execution's entry, and whether the entry keeps its details: as
  // many open tasks as an entry keeps, counting those it kept when first read and those this
  // build gave details (by id: a task counted again, or by another build, is not counted twice).
  const entries = new Map<string, { at: string; kept: Set<string> }>()
  const targetOf = async (t: Task): Promise<EntryTarget> => {
    const arn = t.workflow.executionArn
    let e = entries.get(arn)
    if (!e) {
      const found = await entryTarget(records, arn, t.id, t.createdAt, t.title, { running: false })
      e = { at: found.at, kept: new Set(found.kept) }
      entries.set(arn, e)
    }
    const detailed = isOpen(t) && (e.kept.has(t.id) || e.kept.size < OPEN_DETAILS)
    if (detailed) e.kept.add(t.id)
    return { executionArn: arn, at: e.at, detailed }
  }
  await stampAll(records, TASK, TASK_STAMP, async (rec) =>
    isTask(rec.data) ? taskSideWrites(await targetOf(rec.data), undefined, rec) : {},
  )
}
