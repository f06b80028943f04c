import { Hono } from 'hono'
import { z } from 'zod'
import { MAX_DELIVERY_ATTEMPTS } from '../../store/notifications.js'
import { requireAuth, requireRole } from '../auth/index.js'
import type { AppEnv } from '../env.js'
import { namesOf, orgPeople } from '../people.js'
import { queryParams } from '../validate.js'

/** Query of `GET /api/notifications`. */
export const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict()

/**
 * `/api/notifications`: the organisation's outbox (reminders, escalations), newest first,
 * for the ISO, with the recipient's name where it is a person.
 */
export const notifications = new Hono<AppEnv>().use(requireAuth).get('/', requireRole('iso'), async (c) => {
  const p = c.get('principal')
  const deps = c.get('deps')
  const q = queryParams(c, listQuery)
  const [items, people] = await Promise.all([
    deps.notifications.list(p.orgId, q.limit),
    orgPeople(deps, p.orgId),
  ])
  const names = namesOf(people)
  return c.json({
    items: items.map((n) => ({
      ...n,
      toName: n.to.userId ? (names[n.to.userId] ?? n.to.userId) : undefined,
      maxAttempts: MAX_DELIVERY_ATTEMPTS,
    })),
  })
})
