import { z } from 'zod'
import { RISK_CATEGORIES, RISK_STATUSES, TREATMENT_OPTIONS } from '../../../domain/risk/index.js'
import { RISK_LIST_SORTS } from '../../../store/list-specs.js'
import type { RiskRow } from './views.js'

/** Sort keys of the register. */
export const RISK_SORTS = RISK_LIST_SORTS

/** Filters and sort of the register list (and of its exports). */
export const riskListQuery = z
  .object({
    q: z.string().trim().max(200, 'must be at most 200 characters').optional(),
    status: z.enum(RISK_STATUSES, `must be one of ${RISK_STATUSES.join(', ')}`).optional(),
    category: z.enum(RISK_CATEGORIES, `must be one of ${RISK_CATEGORIES.join(', ')}`).optional(),
    option: z.enum(TREATMENT_OPTIONS, `must be one of ${TREATMENT_OPTIONS.join(', ')}`).optional(),
    owner: z.string().max(200).optional(),
    /** A level id (e.g. `high`), compared with the inherent or residual level as `view` says. */
    level: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,30}$/, 'must be a level id such as high')
      .optional(),
    view: z.enum(['inherent', 'residual'], 'must be inherent or residual').default('residual'),
    /** `include` lists closed risks too (they are left out unless `status=closed`). */
    closed: z.enum(['include', 'exclude'], 'must be include or exclude').default('exclude'),
    sort: z.enum(RISK_SORTS, `must be one of ${RISK_SORTS.join(', ')}`).default('residual'),
    order: z.enum(['asc', 'desc'], 'must be asc or desc').optional(),
    lang: z.enum(['en', 'de'], 'must be en or de').default('en'),
    /** Risks on a page of the list (the exports list them all). */
    limit: z.coerce
      .number('must be a number')
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(200, 'must be at most 200')
      .default(100),
    /** Opaque: where the next page begins (the `cursor` of the page before). */
    cursor: z.string().max(2000, 'is too long').optional(),
  })
  .strict()

/** A parsed register query. */
export type RiskListQuery = z.infer<typeof riskListQuery>

const compareId = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true })

/**
 * Filters and sorts register rows. Scores sort most severe first by default, text ascending;
 * ties fall back to the id so the order is stable.
 */
export function filterAndSort(rows: readonly RiskRow[], q: RiskListQuery): RiskRow[] {
  const needle = q.q?.toLowerCase()
  const out = rows.filter((r) => {
    if (q.status ? r.status !== q.status : q.closed === 'exclude' && r.status === 'closed') return false
    if (q.category && r.category !== q.category) return false
    if (q.option && r.option !== q.option) return false
    if (q.owner && r.ownerId !== q.owner) return false
    if (q.level && r[q.view]?.level !== q.level) return false
    if (needle && ![r.id, r.title, ...r.assets].some((s) => s.toLowerCase().includes(needle))) return false
    return true
  })
  const score = (r: RiskRow, key: 'inherent' | 'residual') => r[key]?.score ?? -1
  const defaultDesc = q.sort === 'inherent' || q.sort === 'residual' || q.sort === 'updated'
  const dir = (q.order ?? (defaultDesc ? 'desc' : 'asc')) === 'desc' ? -1 : 1
  const by: Record<(typeof RISK_SORTS)[number], (a: RiskRow, b: RiskRow) => number> = {
    id: (a, b) => compareId(a.id, b.id),
    title: (a, b) => a.title.localeCompare(b.title),
    inherent: (a, b) => score(a, 'inherent') - score(b, 'inherent'),
    residual: (a, b) => score(a, 'residual') - score(b, 'residual'),
    status: (a, b) => RISK_STATUSES.indexOf(a.status) - RISK_STATUSES.indexOf(b.status),
    owner: (a, b) => a.ownerName.localeCompare(b.ownerName),
    updated: (a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : 0),
  }
  return out.sort((a, b) => dir * by[q.sort](a, b) || compareId(a.id, b.id))
}
