import { Hono } from 'hono'
import { z } from 'zod'
import { IMPLEMENTATION_STATUS_NAMES } from '../../domain/certification/index.js'
import type { IncidentData } from '../../domain/incidents/index.js'
import { naturalCompare } from '../../domain/natural-compare.js'
import { REVIEW_STATUS_LABELS, type ReviewCycle } from '../../domain/reviews/index.js'
import { RISK_STATUS_NAMES } from '../../domain/risk/index.js'
import { matchesAll, queryWords } from '../../domain/search-terms.js'
import { isOpen, mayView, type Task } from '../../domain/tasks.js'
import type { SoaRecord } from '../../store/certification.js'
import type { OrgRecords, StoredRecord } from '../../store/records.js'
import type { RiskData } from '../../store/risk-register.js'
import {
  controlTitle,
  ensureSearchIndexed,
  findInIndex,
  recordTypeOf,
  SEARCH_TYPES,
  type SearchType,
  searchTermsOf,
} from '../../store/search-index.js'
import { requireAuth } from '../auth/index.js'
import type { AppEnv, Principal } from '../env.js'
import { queryParams } from '../validate.js'
import { readsAll as readsWholeProject } from './certification/context.js'
import { maySeeIncident } from './incidents-views.js'
import { maySeeCycle } from './reviews/access.js'
import { mayRead as mayReadRisk } from './risks/access.js'

/** Query of `GET /api/search`. */
export const searchQuery = z.strictObject({
  q: z.string('is required').trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
})

/** Most hits answered per type. */
const MAX_HITS = 20
/** Most index hits per type checked against their record and the reader's rights. */
const MAX_CHECKED = 60

type Localized = { en: string; de: string }
const same = (text: string): Localized => ({ en: text, de: text })

/** One result: what the results page shows and where it links. */
interface Hit {
  /** The record's id (unique in its group). */
  id: string
  /** The reference people know it by (risk id, control id, incident id), when it has one. */
  ref?: string
  title: Localized
  status?: Localized
  /** The date that tells cycles and incidents apart (ISO). */
  date?: string
  href: string
  /** Sort key within the group. */
  order: string
}

const DONE: Record<'open' | 'completed' | 'closed', Localized> = {
  open: { en: 'Open', de: 'Offen' },
  completed: { en: 'Completed', de: 'Erledigt' },
  closed: { en: 'Closed', de: 'Geschlossen' },
}

/** Per type: whether the person may read the record, and how it is shown. */
const VIEWS: {
  [K in SearchType]: (p: Principal, rec: StoredRecord<never>) => Hit | undefined
} = {
  risk(p, rec: StoredRecord<RiskData>) {
    if (!mayReadRisk(p, rec.data)) return undefined
    const d = rec.data
    return {
      id: rec.id,
      ref: rec.id,
      title: same(d.title),
      status: RISK_STATUS_NAMES[d.status],
      href: `/risks/${encodeURIComponent(rec.id)}`,
      order: rec.id,
    }
  },
  control(p, rec: StoredRecord<SoaRecord>) {
    const d = rec.data
    if (!readsWholeProject(p) && d.ownerId !== p.userId) return undefined
    return {
      id: rec.id,
      ref: d.controlId,
      title: controlTitle(d.controlId) ?? same(d.controlId),
      status: IMPLEMENTATION_STATUS_NAMES[d.status],
      href: `/certification/${encodeURIComponent(d.projectId)}/soa/${encodeURIComponent(d.controlId)}`,
      order: `${d.projectId}#${d.controlId}`,
    }
  },
  task(p, rec: StoredRecord<Task>) {
    const d = rec.data
    if (!mayView(d, p)) return undefined
    return {
      id: rec.id,
      title: d.title,
      status: isOpen(d) ? DONE.open : d.status === 'completed' ? DONE.completed : DONE.closed,
      ...(d.dueAt ? { date: d.dueAt } : {}),
      href: `/tasks/${encodeURIComponent(rec.id)}`,
      // Open tasks first, then the newest.
      order: `${isOpen(d) ? 0 : 1}${invert(d.createdAt)}`,
    }
  },
  review(p, rec: StoredRecord<ReviewCycle>) {
    const d = rec.data
    if (!maySeeCycle(p, d)) return undefined
    return {
      id: rec.id,
      title: d.title,
      status: REVIEW_STATUS_LABELS[d.status],
      date: d.dueAt,
      href: `/reviews/${encodeURIComponent(rec.id)}`,
      order: invert(d.scheduledAt),
    }
  },
  incident(p, rec: StoredRecord<IncidentData>) {
    const d = rec.data
    if (!maySeeIncident(p, d)) return undefined
    return {
      id: rec.id,
      ref: rec.id,
      title: same(d.title),
      status: d.closedAt ? DONE.closed : DONE.open,
      date: d.awareAt,
      href: `/incidents/${encodeURIComponent(rec.id)}`,
      order: invert(d.awareAt),
    }
  },
}

/** A timestamp turned so that an ascending sort puts the newest first. */
function invert(iso: string | undefined): string {
  return [...(iso ?? '')].map((ch) => (/\d/.test(ch) ? String(9 - Number(ch)) : ch)).join('')
}

/** One type's group: the records the person may read whose words still match. */
async function group(org: OrgRecords, p: Principal, type: SearchType, words: string[]) {
  const ids = await findInIndex(org, type, words)
  const checked = ids.sort(naturalCompare).slice(0, MAX_CHECKED)
  const recordType = recordTypeOf(type)
  const recs = await Promise.all(checked.map((id) => org.get<never>(recordType, id)))
  const hits = recs
    .filter((rec): rec is StoredRecord<never> => rec !== undefined)
    .filter((rec) => matchesAll(words, searchTermsOf(recordType, rec.id, rec.data)))
    .map((rec) => VIEWS[type](p, rec))
    .filter((hit): hit is Hit => hit !== undefined)
    .sort((a, b) => naturalCompare(a.order, b.order))
  return {
    type,
    count: hits.length,
    /** More records matched than were checked: `count` is a lower bound. */
    more: ids.length > MAX_CHECKED,
    items: hits.slice(0, MAX_HITS).map(({ order: _order, ...hit }) => hit),
  }
}

/**
 * `/api/search?q=`: records of the current organisation whose words begin with every word of
 * `q` — risks, controls (SoA entries), tasks, review cycles and incidents — grouped by type,
 * read through the search index (`store/search-index.ts`, key-condition reads only) and
 * filtered by what the person may read.
 */
export const search = new Hono<AppEnv>().use(requireAuth).get('/', async (c) => {
  const { q } = queryParams(c, searchQuery)
  const p = c.get('principal')
  const org = c.get('deps').records.forOrg(p.orgId)
  // Records written before the index existed (once per organisation; one key read after that).
  await ensureSearchIndexed(org)
  const words = queryWords(q)
  const groups = await Promise.all(SEARCH_TYPES.map((type) => group(org, p, type, words)))
  return c.json({ q, total: groups.reduce((n, g) => n + g.count, 0), groups })
})
