import { Hono } from 'hono'
import { z } from 'zod'
import { notFound } from '../../domain/errors.js'
import { DEFAULT_TIME_ZONE } from '../../domain/schedules/zone.js'
import type { MailLogEntry } from '../../mail/index.js'
import { emailField, nameField, orgNameField, rolesField } from '../accounts/fields.js'
import { invitationView, invite, listInvitations, resend, revoke } from '../accounts/invitations.js'
import { changeRoles, listMembers, removeMember } from '../accounts/members.js'
import { createOrganisation } from '../accounts/organisations.js'
import { identityFor } from '../auth/identity-for.js'
import { requireAuth, requireRole } from '../auth/middleware.js'
import type { AppEnv } from '../env.js'
import { setOrgTimeZone } from '../org-time-zone.js'
import { pageCursor, pageLimit } from '../page-query.js'
import { jsonBody, queryParams } from '../validate.js'

/** Body of `PUT /api/orgs/current/time-zone`. */
export const timeZoneBody = z.strictObject({
  timeZone: z.string('is required').max(100, 'must be at most 100 characters'),
})
/** Body of `POST /api/orgs`. */
export const createBody = z.object({ name: orgNameField }).strict()
/** Body of `POST /api/orgs/current/invitations`. */
export const inviteBody = z
  .object({ email: emailField, roles: rolesField, name: nameField.optional() })
  .strict()
/** Body of `PUT /api/orgs/current/members/:userId/roles`. */
export const rolesBody = z.object({ roles: rolesField }).strict()
/** Query of `GET /api/orgs/current/mail`. */
export const mailQuery = z
  .object({
    limit: pageLimit(100).default(50),
    cursor: pageCursor(),
  })
  .strict()

const USER_ID = /^[A-Za-z0-9:_-]{1,100}$/
const ID = /^[a-f0-9]{24}$/
/** A malformed id cannot exist: the same 404 as another organisation's. */
const param = (value: string, pattern: RegExp, what: string) => {
  if (!pattern.test(value)) throw notFound(what)
  return value
}

/**
 * `/api/orgs`: create a client organisation (`POST /`, you become its ISO), the current
 * organisation (`GET /current`), and — for its ISO — its people: members (change roles,
 * remove), invitations (invite, resend, revoke) and the mail sent about it.
 */
export const orgs = new Hono<AppEnv>()
  .use(requireAuth)
  .get('/current', async (c) => {
    const { orgId, roles } = c.get('principal')
    const org = await identityFor(c.get('deps')).getOrg(orgId)
    if (!org) throw notFound('The organisation')
    return c.json({ organisation: { ...org, timeZone: org.timeZone ?? DEFAULT_TIME_ZONE }, roles })
  })
  .put('/current/time-zone', requireRole('iso'), async (c) => {
    const p = c.get('principal')
    const body = await jsonBody(c, timeZoneBody)
    const timeZone = await setOrgTimeZone(c.get('deps'), p.orgId, body.timeZone, {
      userId: p.userId,
      name: p.name,
    })
    return c.json({ timeZone })
  })
  .post('/', requireRole('iso'), async (c) => {
    const p = c.get('principal')
    const body = await jsonBody(c, createBody)
    const org = await createOrganisation(c.get('deps'), { userId: p.userId, name: p.name }, body.name)
    return c.json(org, 201)
  })
  .get('/current/members', requireRole('iso'), async (c) =>
    c.json({ items: await listMembers(c.get('deps'), c.get('principal').orgId) }),
  )
  .put('/current/members/:userId/roles', requireRole('iso'), async (c) => {
    const userId = param(c.req.param('userId'), USER_ID, 'The member')
    const body = await jsonBody(c, rolesBody)
    return c.json(await changeRoles(c.get('deps'), c.get('principal'), userId, body.roles))
  })
  .delete('/current/members/:userId', requireRole('iso'), async (c) => {
    const userId = param(c.req.param('userId'), USER_ID, 'The member')
    return c.json(await removeMember(c.get('deps'), c.get('principal'), userId))
  })
  .get('/current/invitations', requireRole('iso'), async (c) =>
    c.json({ items: await listInvitations(c.get('deps'), c.get('principal').orgId) }),
  )
  .post('/current/invitations', requireRole('iso'), async (c) => {
    const body = await jsonBody(c, inviteBody)
    const deps = c.get('deps')
    const rec = await invite(deps, c.get('principal'), body)
    return c.json(invitationView(rec, deps.now()), 201)
  })
  .post('/current/invitations/:id/resend', requireRole('iso'), async (c) => {
    const id = param(c.req.param('id'), ID, 'The invitation')
    const deps = c.get('deps')
    return c.json(invitationView(await resend(deps, c.get('principal'), id), deps.now()))
  })
  .delete('/current/invitations/:id', requireRole('iso'), async (c) => {
    const id = param(c.req.param('id'), ID, 'The invitation')
    const deps = c.get('deps')
    return c.json(invitationView(await revoke(deps, c.get('principal'), id), deps.now()))
  })
  .get('/current/mail', requireRole('iso'), async (c) => {
    const q = queryParams(c, mailQuery)
    const page = await c
      .get('deps')
      .records.forOrg(c.get('principal').orgId)
      .list<MailLogEntry>('mail', { limit: q.limit, cursor: q.cursor, reverse: true })
    return c.json({
      transport: c.get('deps').mail.transport,
      items: page.items.map((r) => ({ id: r.id, ...r.data })),
      cursor: page.cursor,
    })
  })
