/**
 * Excel (XLSX) exports. `exceljs` is loaded on the first export, not at start: the process
 * does not carry it (~26 MB of heap) until someone downloads a workbook.
 */
import type ExcelJSModule from 'exceljs'

/** The XLSX content type. */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

let loading: Promise<typeof ExcelJSModule> | undefined

/** exceljs, imported once on first use. */
export function excel(): Promise<typeof ExcelJSModule> {
  loading ??= import('exceljs').then((m) => m.default)
  return loading
}

/** One column of a table sheet: its header and how a row gives its cell. */
export interface SheetColumn<Row> {
  header: string
  value: (row: Row) => string | number | null
  width?: number
  /** Long text, wrapped at the top of its cell. */
  wrap?: boolean
}

/**
 * A workbook of one table sheet: a bold, frozen header row and an auto filter over the rows.
 * Every text is written as a text value, never as a formula.
 */
export async function tableXlsx<Row>(
  rows: readonly Row[],
  columns: readonly SheetColumn<Row>[],
  meta: { title: string; sheet: string; at: Date },
): Promise<Uint8Array> {
  const ExcelJS = await excel()
  const wb = new ExcelJS.Workbook()
  wb.creator = 'ismsflow'
  wb.created = meta.at
  wb.title = meta.title
  const ws = wb.addWorksheet(meta.sheet.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] })
  ws.columns = columns.map((c, i) => ({
    header: c.header,
    key: `c${i}`,
    width: c.width ?? Math.min(60, Math.max(10, c.header.length + 2)),
  }))
  for (const row of rows) ws.addRow(Object.fromEntries(columns.map((c, i) => [`c${i}`, c.value(row)])))
  ws.getRow(1).font = { bold: true }
  columns.forEach((c, i) => {
    if (c.wrap) ws.getColumn(i + 1).alignment = { wrapText: true, vertical: 'top' }
  })
  ws.autoFilter = {
    from: { row: 1, column: 1 },
    to: { row: Math.max(1, rows.length + 1), column: columns.length },
  }
  return new Uint8Array(await wb.xlsx.writeBuffer())
}
