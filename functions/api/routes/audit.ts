import { Hono } from 'hono'
import { z } from 'zod'
import { requireAuth, requireRole } from '../auth/middleware.js'
import type { AppEnv } from '../env.js'
import { queryParams } from '../validate.js'

const query = z
  .object({
    limit: z.coerce
      .number('must be a number')
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(200, 'must be at most 200')
      .optional(),
    cursor: z.string().max(2000, 'is too long').optional(),
  })
  .strict()

/** `/api/audit`: the current organisation's audit log, newest first (iso, auditor, management). */
export const audit = new Hono<AppEnv>()
  .use(requireAuth)
  .get('/', requireRole('iso', 'auditor', 'management'), async (c) => {
    const q = queryParams(c, query)
    const page = await c
      .get('deps')
      .records.forOrg(c.get('principal').orgId)
      .auditLog({ limit: q.limit ?? 50, cursor: q.cursor })
    return c.json(page)
  })
