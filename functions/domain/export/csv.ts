/**
 * CSV writing (RFC 4180) with a guard against formula injection, pure and shared by the API's
 * exports (risk register, SoA, evidence index).
 */

/** A value a CSV cell can hold; arrays are joined with "; ", null and undefined are empty. */
export type CsvCell = string | number | boolean | null | undefined | readonly (string | number)[]

/** A column: its header and how to read the cell from a row (a key or a function). */
export type CsvColumn<Row> = { header: string } & (
  | { key: keyof Row & string; value?: never }
  | { value: (row: Row) => CsvCell; key?: never }
)

/** Options for `toCsv`. */
export interface CsvOptions {
  /** Field separator: `,` (default, RFC 4180) or `;` (what German Excel expects). */
  delimiter?: ',' | ';' | '\t'
  /** Prefix a UTF-8 byte order mark so Excel reads umlauts correctly (default false). */
  bom?: boolean
}

/** Characters that make a spreadsheet treat a text cell as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/

/**
 * Makes one cell safe and correct: text starting with = + - @ (or a tab or carriage return) is
 * prefixed with `'` so spreadsheets show it as text; a cell containing the delimiter, a quote or
 * a line break is quoted with inner quotes doubled. Numbers are written as they are (a negative
 * number is not a formula).
 */
export function csvCell(value: CsvCell, delimiter: string = ','): string {
  if (value === null || value === undefined) return ''
  let text: string
  if (typeof value === 'number') {
    text = Number.isFinite(value) ? String(value) : ''
  } else if (typeof value === 'boolean') {
    text = value ? 'true' : 'false'
  } else {
    text = typeof value === 'string' ? value : value.join('; ')
    if (FORMULA_START.test(text)) text = `'${text}`
  }
  const needsQuotes =
    text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r')
  return needsQuotes ? `"${text.replaceAll('"', '""')}"` : text
}

/**
 * Writes rows as CSV: a header line, then one line per row, lines ended with CRLF (RFC 4180).
 *
 * @example
 * toCsv([{ id: 'R-1', title: '=HYPERLINK("x")' }], [{ header: 'Id', key: 'id' }, { header: 'Title', key: 'title' }])
 * // 'Id,Title\r\nR-1,"\'=HYPERLINK(""x"")"\r\n'
 */
export function toCsv<Row>(
  rows: readonly Row[],
  columns: readonly CsvColumn<Row>[],
  options: CsvOptions = {},
): string {
  const delimiter = options.delimiter ?? ','
  const line = (cells: CsvCell[]) => `${cells.map((c) => csvCell(c, delimiter)).join(delimiter)}\r\n`
  let out = options.bom ? '\uFEFF' : ''
  out += line(columns.map((c) => c.header))
  for (const row of rows) {
    out += line(columns.map((c) => (c.value ? c.value(row) : (row[c.key as keyof Row] as CsvCell))))
  }
  return out
}
