import { Hono } from 'hono'
import { requireAuth } from '../auth/index.js'
import { buildDashboard } from '../dashboard/index.js'
import type { AppEnv } from '../env.js'

/**
 * `/api/dashboard`: the home page's cards for the current organisation and the signed-in
 * person's roles there (the union of their roles' cards), read through the store's indexes.
 */
export const dashboard = new Hono<AppEnv>()
  .use(requireAuth)
  .get('/', async (c) => c.json(await buildDashboard(c.get('deps'), c.get('principal'))))
