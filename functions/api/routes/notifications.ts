import { Hono } from 'hono'
import { z } from 'zod'
import { MAX_DELIVERY_ATTEMPTS } from '../../store/notifications.js'
import { requireAuth, requireRole } from '../auth/index.js'
import type { AppEnv } from '../env.js'
import { pageCursor, pageLimit } from '../page-query.js'
import { namesOf, orgPeople } from '../people.js'
import { queryParams } from '../validate.js'

/** Query of `GET /api/notifications`. */
export const listQuery = z
  .object({
    limit: pageLimit().default(50),
    cursor: pageCursor(),
  })
  .strict()

/**
 * `/api/notifications`: the organisation's outbox (reminders, escalations), newest first, one
 * page at a time (`cursor`), with their number (`total`), for the ISO, with the recipient's name
 * where it is a person.
 */
export const notifications = new Hono<AppEnv>().use(requireAuth).get('/', requireRole('iso'), async (c) => {
  const p = c.get('principal')
  const deps = c.get('deps')
  const q = queryParams(c, listQuery)
  const [page, people] = await Promise.all([
    deps.notifications.page(p.orgId, { limit: q.limit, cursor: q.cursor }),
    orgPeople(deps, p.orgId),
  ])
  const names = namesOf(people)
  return c.json({
    items: page.items.map((n) => ({
      ...n,
      toName: n.to.userId ? (names[n.to.userId] ?? n.to.userId) : undefined,
      maxAttempts: MAX_DELIVERY_ATTEMPTS,
    })),
    total: page.total,
    ...(page.cursor ? { cursor: page.cursor } : {}),
  })
})
