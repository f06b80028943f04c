import { Hono } from 'hono'
import { z } from 'zod'
import { buildIcs, groupByDay } from '../../domain/calendar/index.js'
import { validationError } from '../../domain/errors.js'
import { addDays } from '../../domain/risk/calendar.js'
import { DEFAULT_TIME_ZONE, instantToLocal } from '../../domain/schedules/index.js'
import { requireAuth } from '../auth/index.js'
import type { AppEnv, Principal } from '../env.js'
import { orgTimeZone } from '../org-time-zone.js'
import { queryParams } from '../validate.js'
import { calendarItems, type OrgView } from './calendar/items.js'

const DATE = /^\d{4}-\d{2}-\d{2}$/
/** Longest window one request may ask for. */
const MAX_DAYS = 400

/** Query of `GET /api/calendar`. */
export const calendarQuery = z.strictObject({
  scope: z.enum(['org', 'all'], 'must be org or all').default('org'),
  from: z.string().regex(DATE, 'must be a date written YYYY-MM-DD').optional(),
  to: z.string().regex(DATE, 'must be a date written YYYY-MM-DD').optional(),
})

const localToday = (now: Date, zone: string) => {
  const t = instantToLocal(now.getTime(), zone)
  return `${t.year}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`
}

const feedPath = (secret: string) => `/api/calendar/feed/${secret}.ics`

const orgsOf = (p: Principal, scope: 'org' | 'all'): OrgView[] =>
  scope === 'all'
    ? p.memberships.map((m) => ({ orgId: m.orgId, orgName: m.orgName, roles: m.roles }))
    : p.memberships
        .filter((m) => m.orgId === p.orgId)
        .map((m) => ({ orgId: m.orgId, orgName: m.orgName, roles: m.roles }))

/**
 * `/api/calendar`: everything due (reviews, milestones, task due dates, risk-acceptance
 * expiries) in the current organisation or across all of yours (`scope=all`), and your
 * iCalendar feed: `POST /feed` creates or rotates its secret URL, `DELETE /feed` revokes it,
 * `GET /feed/<secret>.ics` serves it without a session (the secret is the credential and is
 * stored only hashed).
 */
export const calendar = new Hono<AppEnv>()
  .get('/feed/:file', async (c) => {
    const deps = c.get('deps')
    const file = c.req.param('file')
    const secret = file.endsWith('.ics') ? file.slice(0, -4) : ''
    const userId = await deps.calendarFeeds.userFor(secret)
    const loaded = userId ? await deps.identity.userWithMemberships(userId) : undefined
    if (!loaded) return c.text('This calendar feed does not exist or was revoked.', 404)
    const orgs = new Map(
      (await deps.identity.getOrgs(loaded.memberships.map((m) => m.orgId))).map((o) => [o.id, o]),
    )
    const views: OrgView[] = loaded.memberships
      .filter((m) => orgs.has(m.orgId) && m.roles.length > 0)
      .map((m) => ({ orgId: m.orgId, orgName: orgs.get(m.orgId)!.name, roles: m.roles }))
    const now = deps.now()
    // Dates fall on the days of the person's first organisation's zone.
    const zone = orgs.get(views[0]?.orgId ?? '')?.timeZone ?? DEFAULT_TIME_ZONE
    const today = localToday(now, zone)
    const items = await calendarItems(deps, loaded.user.id, views, {
      from: addDays(today, -30),
      to: addDays(today, 365),
      zone,
    })
    const lang = c.req.query('lang') === 'de' ? 'de' : 'en'
    const ics = buildIcs(items, {
      name: `ismsflow — ${loaded.user.name}`,
      locale: lang,
      now,
      baseUrl: deps.config.publicUrl,
    })
    return c.body(ics, 200, {
      'content-type': 'text/calendar; charset=utf-8',
      'cache-control': 'private, max-age=300',
      'content-disposition': 'inline; filename="ismsflow.ics"',
    })
  })
  .get('/feed', requireAuth, async (c) => {
    const p = c.get('principal')
    const status = await c.get('deps').calendarFeeds.status(p.userId)
    return c.json({ feed: status ? { createdAt: status.createdAt } : null })
  })
  .post('/feed', requireAuth, async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const { secret, createdAt } = await deps.calendarFeeds.rotate(p.userId)
    await deps.records.forOrg(p.orgId).audit({
      actor: { userId: p.userId, name: p.name },
      action: 'calendar-feed.create',
      type: 'calendar-feed',
      id: p.userId,
    })
    const path = feedPath(secret)
    return c.json(
      { feed: { createdAt, path, url: `${deps.config.publicUrl.replace(/\/$/, '')}${path}` } },
      201,
    )
  })
  .delete('/feed', requireAuth, async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    if (await deps.calendarFeeds.revoke(p.userId))
      await deps.records.forOrg(p.orgId).audit({
        actor: { userId: p.userId, name: p.name },
        action: 'calendar-feed.revoke',
        type: 'calendar-feed',
        id: p.userId,
      })
    return c.body(null, 204)
  })
  .get('/', requireAuth, async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const q = queryParams(c, calendarQuery)
    // The current organisation's zone (across organisations too: the one the person works in).
    const zone = await orgTimeZone(deps, p.orgId)
    const today = localToday(deps.now(), zone)
    const from = q.from ?? addDays(today, -7)
    const to = q.to ?? addDays(today, 120)
    if (Number.isNaN(Date.parse(from))) throw validationError({ from: 'is not a calendar date' })
    if (Number.isNaN(Date.parse(to))) throw validationError({ to: 'is not a calendar date' })
    if (to < from) throw validationError({ to: 'must not be before from' })
    if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > MAX_DAYS)
      throw validationError({ to: `must be at most ${MAX_DAYS} days after from` })
    const items = await calendarItems(deps, p.userId, orgsOf(p, q.scope), { from, to, zone })
    return c.json({ from, to, zone, today, items, days: groupByDay(items, zone) })
  })
