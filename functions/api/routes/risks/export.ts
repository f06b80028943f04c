import { toCsv } from '../../../domain/export/csv.js'
import {
  type Lang,
  type RegisterRow,
  type RiskMatrix,
  registerColumns,
  registerRows,
} from '../../../domain/risk/index.js'
import { type RiskRecord, toRisk } from '../../../store/risk-register.js'
import { excel } from '../../xlsx.js'

/** The register rows of the given records (in their order), names resolved, texts in `lang`. */
export function exportRows(
  recs: readonly RiskRecord[],
  options: { matrix: RiskMatrix; lang: Lang; names: Record<string, string> },
): RegisterRow[] {
  return registerRows(
    recs.map((r) => ({ risk: toRisk(r.id, r.data), plan: r.data.plan })),
    { matrix: options.matrix, lang: options.lang, nameOf: (id) => options.names[id] ?? id },
  )
}

/**
 * The register as CSV: RFC 4180 with a byte order mark so Excel reads umlauts; German uses `;`
 * (what German Excel expects), English `,`. Formula-like cells are neutralised by `toCsv`.
 */
export function registerCsv(rows: readonly RegisterRow[], lang: Lang): string {
  return toCsv(rows, registerColumns(lang), { delimiter: lang === 'de' ? ';' : ',', bom: true })
}

/**
 * The register as an XLSX workbook: one sheet with a bold, frozen header row and an auto
 * filter. Every text is written as a text value, never as a formula.
 */
export async function registerXlsx(
  rows: readonly RegisterRow[],
  lang: Lang,
  meta: { orgName: string; at: Date },
): Promise<Uint8Array> {
  const ExcelJS = await excel()
  const wb = new ExcelJS.Workbook()
  wb.creator = 'ismsflow'
  wb.created = meta.at
  wb.title = lang === 'de' ? `Risikoregister ${meta.orgName}` : `Risk register ${meta.orgName}`
  const ws = wb.addWorksheet(lang === 'de' ? 'Risikoregister' : 'Risk register', {
    views: [{ state: 'frozen', ySplit: 1 }],
  })
  const columns = registerColumns(lang)
  ws.columns = columns.map((c) => ({
    header: c.header,
    key: c.key as string,
    width: Math.min(60, Math.max(10, c.header.length + 2)),
  }))
  for (const row of rows) {
    const values: Record<string, string | number | null> = {}
    for (const c of columns) {
      const v = row[c.key as keyof RegisterRow]
      values[c.key as string] = Array.isArray(v) ? v.join('; ') : (v as string | number | null)
    }
    ws.addRow(values)
  }
  ws.getRow(1).font = { bold: true }
  ws.autoFilter = {
    from: { row: 1, column: 1 },
    to: { row: Math.max(1, rows.length + 1), column: columns.length },
  }
  const buffer = await wb.xlsx.writeBuffer()
  return new Uint8Array(buffer as ArrayBuffer)
}
