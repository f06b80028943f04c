/**
 * Counting a key range of side items (an index's stream, or the part of it a filter or a due
 * window leaves): count reads of the range, page after page, without loading an item. Used by
 * the list index's filtered totals and the inbox's totals and overdue counts alike.
 */
import type { OrgRecords, SideRange } from './records.js'

/** Items one count read covers. */
const PAGE = 1000

/**
 * How many side items of a key range match (`where`, as `sideRange` takes it): at most
 * `maxReads` count reads of `PAGE` items (a longer range counts as "at least" that many).
 */
export async function countRange(
  records: Pick<OrgRecords, 'sideRange'>,
  range: Pick<SideRange, 'from' | 'to' | 'where'>,
  maxReads = Number.POSITIVE_INFINITY,
): Promise<number> {
  let total = 0
  let after: string | undefined
  for (let reads = 0; reads < maxReads; reads++) {
    const out = await records.sideRange({ ...range, after, limit: PAGE, count: true })
    total += out.count
    after = out.last
    if (!after) break
  }
  return total
}
