/**
 * An organisation's records of one type, one page at a time (by id): for the rebuilds of the
 * indexes, which read every record once but hold only a page of them at a time.
 */
import type { OrgRecords, StoredRecord } from './records.js'

/** Records read per page. */
export const RECORD_PAGE = 200

/** The records of a type, page after page, until the last. */
export async function* recordPages<T>(
  org: Pick<OrgRecords, 'list'>,
  type: string,
  size = RECORD_PAGE,
): AsyncGenerator<StoredRecord<T>[]> {
  let cursor: string | undefined
  do {
    const page = await org.list<T>(type, { limit: size, cursor })
    if (page.items.length) yield page.items
    cursor = page.cursor
  } while (cursor)
}
