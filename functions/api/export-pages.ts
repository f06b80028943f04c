/**
 * How an export reads its register: page after page, each page one read through the list's
 * index (as the UI pages), never the organisation's records at once; up to a cap, beyond which
 * the export is cut (the caller says so). One rule for every register export.
 */

/** The most rows one export holds. */
export const EXPORT_MAX = 10_000

/** One page of a list: its rows and where the next begins (absent: the last page). */
export interface ExportPage<T> {
  rows: T[]
  cursor?: string
}

/**
 * Every page of a list from `read` (given the cursor of the page before), at most `max` rows:
 * the rows in list order, and whether rows were left out.
 */
export async function exportPages<T>(
  read: (cursor: string | undefined) => Promise<ExportPage<T>>,
  max = EXPORT_MAX,
): Promise<{ rows: T[]; truncated: boolean }> {
  const rows: T[] = []
  let cursor: string | undefined
  do {
    const page = await read(cursor)
    rows.push(...page.rows)
    cursor = page.cursor
  } while (cursor && rows.length < max)
  return { rows: rows.slice(0, max), truncated: rows.length > max || cursor !== undefined }
}
