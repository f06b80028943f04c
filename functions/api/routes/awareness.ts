/**
 * Awareness and training campaigns (ISO/IEC 27001 A.6.3, A.5.1; BSIG §38(3)): the ISO starts
 * one for all members, a role or a list of people; `workflows/awareness-campaign.asl.json`
 * gives each person their own acknowledgement task. The same request twice starts one
 * campaign; a new policy version (another title or reference) starts a new one. The register
 * and the campaigns are read by the ISO, management and auditors (evidence for A.6.3 and
 * A.5.1); a person of a campaign reads their own line. Managers for escalation: reporting lines.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { requireAuth, requireRole } from '../auth/index.js'
import type { AppEnv } from '../env.js'
import { jsonBody, queryParams } from '../validate.js'
import { campaignBody, getCampaign, listCampaigns, startCampaign } from './awareness/campaigns.js'
import { listReportingLines, reportingLineBody, setReportingLine } from './awareness/reporting-lines.js'

export { campaignBody } from './awareness/campaigns.js'

const readers = requireRole('iso', 'management', 'auditor')
/** Query of `GET /api/awareness/campaigns`. */
export const pageQuery = z.object({ cursor: z.string().max(2000).optional() }).strict()
const idParam = (id: string) => (/^awareness-[a-z0-9-]{1,60}$/.test(id) ? id : 'awareness-none')

export const awareness = new Hono<AppEnv>()
  .use('*', requireAuth)
  .post('/campaigns', requireRole('iso'), async (c) => {
    const body = await jsonBody(c, campaignBody)
    return c.json({ campaign: await startCampaign(c.get('deps'), c.get('principal'), body) }, 201)
  })
  .get('/campaigns', readers, async (c) => {
    const q = queryParams(c, pageQuery)
    return c.json(await listCampaigns(c.get('deps'), c.get('principal'), q.cursor))
  })
  .get('/campaigns/:id', async (c) =>
    c.json(await getCampaign(c.get('deps'), c.get('principal'), idParam(c.req.param('id')))),
  )
  .get('/reporting-lines', requireRole('iso'), async (c) =>
    c.json({ items: await listReportingLines(c.get('deps'), c.get('principal')) }),
  )
  .put('/reporting-lines/:userId', requireRole('iso'), async (c) => {
    const body = await jsonBody(c, reportingLineBody)
    return c.json(await setReportingLine(c.get('deps'), c.get('principal'), c.req.param('userId'), body))
  })
