import { Hono } from 'hono'
import { z } from 'zod'
import {
  AUDIT_EXPORT_MAX,
  AUDIT_GROUPS,
  type AuditGroup,
  actorWords,
  auditSentence,
} from '../../domain/audit-words.js'
import { toCsv } from '../../domain/export/csv.js'
import type { AuditEntry } from '../../store/records.js'
import { requireAuth, requireRole } from '../auth/middleware.js'
import type { AppEnv, Deps } from '../env.js'
import { exportPages } from '../export-pages.js'
import { pageCursor, pageLimit } from '../page-query.js'
import { namesOf, orgPeople } from '../people.js'
import { queryParams } from '../validate.js'

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)')
  .refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'is not a real date',
  )

/** The filters both the list and the export take: who, what, when. */
const filters = {
  /** A person's user id, or `system` for ismsflow's own processes. */
  actor: z.string().min(1).max(100, 'is too long').optional(),
  what: z.enum(Object.keys(AUDIT_GROUPS) as [AuditGroup, ...AuditGroup[]]).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
}
const dateOrder = (q: { from?: string; to?: string }) => !q.from || !q.to || q.from <= q.to
const dateOrderIssue = { message: 'must not be before from', path: ['to'] }

/** Query of `GET /api/audit`. */
export const listQuery = z
  .object({
    ...filters,
    limit: pageLimit().optional(),
    cursor: pageCursor(),
  })
  .strict()
  .refine(dateOrder, dateOrderIssue)

/** Query of `GET /api/audit/export.csv`. */
export const exportQuery = z
  .object({ ...filters, lang: z.enum(['en', 'de']).default('en') })
  .strict()
  .refine(dateOrder, dateOrderIssue)

/** The store's filter options from the query. */
const storeFilters = (q: z.infer<typeof listQuery> | z.infer<typeof exportQuery>) => ({
  from: q.from,
  to: q.to ? `${q.to}T23:59:59.999Z` : undefined,
  actor: q.actor === 'system' ? 'system:' : q.actor,
  typePrefixes: q.what ? AUDIT_GROUPS[q.what] : undefined,
})

/** What the browser sees of an entry: who, what in words, the record and the app's note; never the data before and after. */
const entryView = (e: AuditEntry, names: Record<string, string>) => ({
  orgId: e.orgId,
  at: e.at,
  actor: { userId: e.actor.userId, name: actorWords(e.actor, names) },
  action: e.action,
  type: e.type,
  id: e.id,
  text: auditSentence(e, names),
  // The app's own words about the change (e.g. who was removed, which tasks went back to a queue).
  ...(e.note ? { note: e.note } : {}),
})

const names = async (deps: Deps, orgId: string) => namesOf(await orgPeople(deps, orgId))

/**
 * `/api/audit`: the current organisation's audit log, newest first, in plain sentences,
 * filtered by who, what and when, and exported as CSV (iso, auditor, management).
 */
export const audit = new Hono<AppEnv>()
  .use(requireAuth)
  .use(requireRole('iso', 'auditor', 'management'))
  .get('/', async (c) => {
    const q = queryParams(c, listQuery)
    const deps = c.get('deps')
    const orgId = c.get('principal').orgId
    const [page, people] = await Promise.all([
      deps.records
        .forOrg(orgId)
        .auditLog({ limit: q.limit ?? 50, cursor: q.cursor, sentences: true, ...storeFilters(q) }),
      orgPeople(deps, orgId),
    ])
    const known = namesOf(people)
    return c.json({
      items: page.items.map((e) => entryView(e, known)),
      cursor: page.cursor,
      people: people.map((p) => ({ userId: p.userId, name: p.name })),
    })
  })
  .get('/export.csv', async (c) => {
    const q = queryParams(c, exportQuery)
    const deps = c.get('deps')
    const p = c.get('principal')
    const org = deps.records.forOrg(p.orgId)
    const known = await names(deps, p.orgId)
    const { rows: entries } = await exportPages(async (cursor) => {
      const page = await org.auditLog({
        limit: 200,
        cursor,
        maxReads: 50,
        sentences: true,
        ...storeFilters(q),
      })
      return { rows: page.items, cursor: page.cursor }
    }, AUDIT_EXPORT_MAX)
    const lang = q.lang
    const de = lang === 'de'
    const csv = toCsv(
      entries.map((e) => entryView(e, known)),
      [
        { header: de ? 'Zeitpunkt (UTC)' : 'When (UTC)', value: (r) => r.at },
        { header: de ? 'Person' : 'Who', value: (r) => r.actor.name[lang] },
        { header: de ? 'Was geschah' : 'What happened', value: (r) => r.text[lang] },
        { header: de ? 'Aktion' : 'Action', value: (r) => r.action },
        { header: de ? 'Datensatz' : 'Record', value: (r) => r.type },
        { header: de ? 'Kennung' : 'Id', value: (r) => r.id },
      ],
      { delimiter: de ? ';' : ',', bom: true },
    )
    await org.audit({
      actor: { userId: p.userId, name: p.name },
      action: 'audit.export',
      type: 'organisation',
      id: p.orgId,
      note: `csv, ${Math.min(entries.length, AUDIT_EXPORT_MAX)} entries`,
    })
    const today = deps.now().toISOString().slice(0, 10)
    return c.body(csv, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="audit-log-${p.orgId}-${today}.csv"`,
      'cache-control': 'private, no-store',
    })
  })
