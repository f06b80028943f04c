import type { OrgRecords } from '../../functions/store/records.js'

/** One side item as `sideRange` answers it. */
export type SideItem = Record<string, unknown> & { sk: string }

/** Every side item of an organisation whose key starts with `prefix`, read a page of 500 at a time. */
export async function sideItemsUnder(
  org: Pick<OrgRecords, 'sideRange'>,
  prefix: string,
): Promise<SideItem[]> {
  const out: SideItem[] = []
  let after: string | undefined
  do {
    const page = await org.sideRange({ from: prefix, to: `${prefix}\uffff`, after, limit: 500 })
    out.push(...page.items)
    after = page.last
  } while (after)
  return out
}
