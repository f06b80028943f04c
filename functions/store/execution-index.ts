/**
 * The workflows list's index: the executions an organisation has (started through the app, or
 * met through one of its tasks), newest first, as entries `WIX#<first seen>#<execution ARN>` in
 * the organisation's partition, each noted once (`WSEEN#<ARN>` guards it). A page of the list
 * is one key-condition read, whatever the number of executions.
 */
import type { OrgRecords } from './records.js'

const IX = 'WIX#'
const SEEN = 'WSEEN#'

/** An execution in the organisation's list. */
export interface ExecutionEntry {
  executionArn: string
  /** When the organisation first saw it (its start, or its first task). */
  at: string
}

const entry = (executionArn: string, at: string) => ({
  sk: `${IX}${at}#${executionArn}`,
  item: { executionArn, at },
})

/** Notes that the organisation has this execution (the first note wins; later ones do nothing). */
export async function noteExecution(records: OrgRecords, executionArn: string, at: string): Promise<void> {
  const seen = `${SEEN}${executionArn}`
  if ((await records.sideGet([seen])).size) return
  await records.putSideOnce({ sk: seen, item: { at } }, [entry(executionArn, at)])
}

/** One page of the organisation's executions, newest first; `cursor` from the previous page. */
export async function executionPage(
  records: OrgRecords,
  opts: { limit: number; cursor?: string },
): Promise<{ items: ExecutionEntry[]; cursor?: string }> {
  const after = opts.cursor?.startsWith(IX) ? opts.cursor : undefined
  const out = await records.sideRange({
    from: IX,
    to: `${IX}\uffff`,
    after,
    limit: opts.limit,
    reverse: true,
  })
  return {
    items: out.items.flatMap((i) =>
      typeof i.executionArn === 'string' && typeof i.at === 'string'
        ? [{ executionArn: i.executionArn, at: i.at }]
        : [],
    ),
    cursor: out.last,
  }
}

/** Deletes the index (before it is built again from the records; see `rebuildTaskIndex`). */
export async function clearExecutionIndex(records: OrgRecords): Promise<void> {
  const stale: string[] = []
  for (const prefix of [IX, SEEN]) {
    let after: string | undefined
    do {
      const page = await records.sideRange({ from: prefix, to: `${prefix}\uffff`, after, limit: 500 })
      stale.push(...page.items.map((i) => i.sk))
      after = page.last
    } while (after)
  }
  await records.writeSide({ deletes: stale })
}

/** The index's entries for executions and when each was first seen (for a rebuild). */
export function executionIndexPuts(first: Map<string, string>) {
  return [...first].flatMap(([arn, at]) => [entry(arn, at), { sk: `${SEEN}${arn}`, item: { at } }])
}
