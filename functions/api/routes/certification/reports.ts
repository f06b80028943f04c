/**
 * Readiness (score, per theme, blockers, timeline data) and the exports for the auditor: the
 * SoA as CSV and XLSX, the evidence index as JSON (printable page) and CSV. Exports are
 * recorded in the audit log.
 */
import type { Context } from 'hono'
import { readiness } from '../../../domain/certification/index.js'
import { toCsv } from '../../../domain/export/csv.js'
import { readinessInputs, type SoaRecord } from '../../../store/certification.js'
import { fileRefsOf } from '../../../store/evidence-files.js'
import type { AppEnv } from '../../env.js'
import { excel } from '../../xlsx.js'
import { type CertContext, certContext, langOf, namesOf } from './context.js'
import {
  evidenceIndexColumns,
  evidenceIndexRows,
  soaColumns,
  soaRows,
  themesWithTitles,
  timeline,
} from './views.js'

/** `GET /projects/:id/readiness` (ISO, management): score, parts, per theme, blockers, timeline, Stage 1 gate. */
export async function getReadiness(c: Context<AppEnv>) {
  const ctx = certContext(c)
  const project = (await ctx.recs.project(c.req.param('id')!)).data
  const data = await readinessInputs(ctx.recs, project, ctx.today)
  const r = readiness(data.input, ctx.today)
  return c.json({
    projectId: project.id,
    score: r.score,
    parts: r.parts,
    counts: r.counts,
    perTheme: themesWithTitles(data.catalogue, r),
    blockers: r.blockers,
    gate: {
      threshold: project.stage1Threshold,
      passes: r.score >= project.stage1Threshold,
      decision: project.gate ?? null,
    },
    timeline: timeline(project, data.plan, ctx.today),
  })
}

async function exportData(ctx: CertContext, projectId: string) {
  const project = (await ctx.recs.project(projectId)).data
  const data = await readinessInputs(ctx.recs, project, ctx.today)
  return { project, catalogue: data.catalogue, entries: data.soa.map((r) => r.data) as SoaRecord[] }
}

const fileName = (project: { id: string }, what: string, today: string, ext: string) =>
  `${project.id}-${what}-${today}.${ext}`

async function audited(ctx: CertContext, projectId: string, what: string) {
  await ctx.recs.org.audit({
    actor: ctx.actor,
    action: `cert-project.export-${what}`,
    type: 'cert-project',
    id: projectId,
  })
}

/** `GET /projects/:id/exports/soa.csv` (ISO, management, auditor): `?lang=de` for German headers and `;`. */
export async function soaCsv(c: Context<AppEnv>) {
  const ctx = certContext(c)
  const lang = langOf(c)
  const { project, catalogue, entries } = await exportData(ctx, c.req.param('id')!)
  const rows = soaRows(catalogue, entries, ctx.today, lang, await namesOf(ctx.deps, ctx.p.orgId))
  const csv = toCsv(rows, soaColumns(lang), { delimiter: lang === 'de' ? ';' : ',', bom: true })
  await audited(ctx, project.id, 'soa-csv')
  return c.body(csv, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${fileName(project, 'soa', ctx.today, 'csv')}"`,
    'cache-control': 'private, no-store',
  })
}

/** `GET /projects/:id/exports/soa.xlsx` (ISO, management, auditor): one sheet, header row frozen, filters on. */
export async function soaXlsx(c: Context<AppEnv>) {
  const ctx = certContext(c)
  const lang = langOf(c)
  const { project, catalogue, entries } = await exportData(ctx, c.req.param('id')!)
  const rows = soaRows(catalogue, entries, ctx.today, lang, await namesOf(ctx.deps, ctx.p.orgId))
  const columns = soaColumns(lang)
  const ExcelJS = await excel()
  const wb = new ExcelJS.Workbook()
  wb.creator = 'ismsflow'
  wb.created = ctx.deps.now()
  const ws = wb.addWorksheet(lang === 'de' ? 'Erklärung zur Anwendbarkeit' : 'Statement of Applicability', {
    views: [{ state: 'frozen', ySplit: 1 }],
  })
  ws.columns = columns.map((col) => ({
    header: col.header,
    key: col.key as string,
    width: col.key === 'justification' ? 60 : col.key === 'title' ? 45 : 18,
  }))
  for (const row of rows) ws.addRow({ ...row, risks: row.risks.join(', ') })
  ws.getRow(1).font = { bold: true }
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } }
  ws.getColumn('justification').alignment = { wrapText: true, vertical: 'top' }
  const buffer = await wb.xlsx.writeBuffer()
  await audited(ctx, project.id, 'soa-xlsx')
  return c.body(new Uint8Array(buffer as ArrayBuffer), 200, {
    'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'content-disposition': `attachment; filename="${fileName(project, 'soa', ctx.today, 'xlsx')}"`,
    'cache-control': 'private, no-store',
  })
}

/** `GET /projects/:id/evidence-index` (ISO, management, auditor): JSON rows, or CSV with `?format=csv`. */
export async function evidenceIndex(c: Context<AppEnv>) {
  const ctx = certContext(c)
  const lang = langOf(c)
  const { project, catalogue, entries } = await exportData(ctx, c.req.param('id')!)
  const files = await ctx.files.metas(ctx.p.orgId, fileRefsOf(entries))
  const rows = evidenceIndexRows(catalogue, entries, files, ctx.today, lang)
  if (c.req.query('format') === 'csv') {
    await audited(ctx, project.id, 'evidence-index-csv')
    return c.body(
      toCsv(rows, evidenceIndexColumns(lang), { delimiter: lang === 'de' ? ';' : ',', bom: true }),
      200,
      {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${fileName(project, 'evidence-index', ctx.today, 'csv')}"`,
        'cache-control': 'private, no-store',
      },
    )
  }
  return c.json({
    projectId: project.id,
    title: project.title,
    standard: project.standard,
    auditDate: project.auditDate,
    generatedOn: ctx.today,
    columns: evidenceIndexColumns(lang).map((col) => ({ key: col.key, header: col.header })),
    rows: rows.map((r) => ({
      ...r,
      fileId:
        entries.find((e) => e.controlId === r.controlId)?.evidence.find((x) => x.id === r.evidenceId)
          ?.fileRef ?? null,
    })),
  })
}
