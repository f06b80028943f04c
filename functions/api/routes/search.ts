import { Hono } from 'hono'
import { z } from 'zod'
import { matchesAll, queryWords, termsOf } from '../../domain/search-terms.js'
import { RISK, type RiskData } from '../../store/risk-register.js'
import { ensureSearchIndexed, findInIndex, riskSearchEntries } from '../../store/search-index.js'
import { requireAuth } from '../auth/index.js'
import type { AppEnv } from '../env.js'
import { queryParams } from '../validate.js'
import { mayRead } from './risks/access.js'

const searchQuery = z.strictObject({
  q: z.string('is required').trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
})

/** Most hits answered per type. */
const MAX_HITS = 20

/**
 * `/api/search?q=`: records of the current organisation whose words begin with every word of
 * `q`, grouped by type, read through the search index (`store/search-index.ts`) and filtered
 * by what the person may read. Today: risks.
 */
export const search = new Hono<AppEnv>().use(requireAuth).get('/', async (c) => {
  const { q } = queryParams(c, searchQuery)
  const p = c.get('principal')
  const org = c.get('deps').records.forOrg(p.orgId)
  await ensureSearchIndexed(org, async (o) => {
    for (const r of await o.all<RiskData>(RISK)) await o.putSide(riskSearchEntries(r.id, r.data))
  })
  const words = queryWords(q)
  const hits = await findInIndex(org, words)
  const risks = []
  for (const hit of hits.filter((h) => h.type === 'risk')) {
    if (risks.length >= MAX_HITS) break
    const rec = await org.get<RiskData>(RISK, hit.id)
    if (!rec || !mayRead(p, rec.data)) continue
    if (!matchesAll(words, termsOf(rec.id, rec.data.title, rec.data.description, rec.data.threat))) continue
    risks.push({ id: rec.id, title: rec.data.title, status: rec.data.status, href: `/risks/${rec.id}` })
  }
  return c.json({ q, groups: [{ type: 'risk', items: risks }] })
})
