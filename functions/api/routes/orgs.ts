import { Hono } from 'hono'
import { notFound } from '../../domain/errors.js'
import { identityFor } from '../auth/identity-for.js'
import { requireAuth } from '../auth/middleware.js'
import type { AppEnv } from '../env.js'

/** `/api/orgs`: `GET /current` answers the profile of the organisation the request acts in. */
export const orgs = new Hono<AppEnv>().use(requireAuth).get('/current', async (c) => {
  const { orgId, roles } = c.get('principal')
  const org = await identityFor(c.get('deps')).getOrg(orgId)
  if (!org) throw notFound('The organisation')
  return c.json({ organisation: org, roles })
})
