/**
 * The context of the organisation (ISO/IEC 27001:2022 4.1, 4.2; Amd 1:2024): interested
 * parties with their requirements and how the ISMS addresses them, the internal and external
 * issues, and whether climate change is a relevant issue. The ISO keeps them; management and
 * auditors read; a member reads the parties they own. The management review package reads
 * them for its inputs b), c) and e).
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { climateBody, issueBody, partyBody } from '../../domain/context/index.js'
import { requireAuth, requireRole } from '../auth/index.js'
import type { AppEnv } from '../env.js'
import { jsonBody, queryParams } from '../validate.js'
import {
  createIssue,
  createParty,
  deleteIssue,
  deleteParty,
  getClimate,
  getIssue,
  getParty,
  listIssues,
  listParties,
  setClimate,
  updateIssue,
  updateParty,
} from './context/register.js'

const iso = requireRole('iso')
const readers = requireRole('iso', 'management', 'auditor')
/** Query of the context lists (`GET /api/context/parties`, `/issues`). */
export const pageQuery = z.object({ cursor: z.string().max(2000).optional() }).strict()
const version = { version: z.number().int().positive('must be the version you read') }
/** Body of `PUT /api/context/parties/:id`. */
export const partyUpdate = partyBody.extend(version)
/** Body of `PUT /api/context/issues/:id`. */
export const issueUpdate = issueBody.extend(version)

export const context = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get('/parties', async (c) => {
    const q = queryParams(c, pageQuery)
    return c.json(await listParties(c.get('deps'), c.get('principal'), q.cursor))
  })
  .post('/parties', iso, async (c) => {
    const body = await jsonBody(c, partyBody)
    return c.json(await createParty(c.get('deps'), c.get('principal'), body), 201)
  })
  .get('/parties/:id', async (c) =>
    c.json(await getParty(c.get('deps'), c.get('principal'), c.req.param('id'))),
  )
  .put('/parties/:id', iso, async (c) => {
    const body = await jsonBody(c, partyUpdate)
    return c.json(await updateParty(c.get('deps'), c.get('principal'), c.req.param('id'), body))
  })
  .delete('/parties/:id', iso, async (c) => {
    await deleteParty(c.get('deps'), c.get('principal'), c.req.param('id'))
    return c.body(null, 204)
  })
  .get('/issues', readers, async (c) => {
    const q = queryParams(c, pageQuery)
    return c.json(await listIssues(c.get('deps'), c.get('principal'), q.cursor))
  })
  .post('/issues', iso, async (c) => {
    const body = await jsonBody(c, issueBody)
    return c.json(await createIssue(c.get('deps'), c.get('principal'), body), 201)
  })
  .get('/issues/:id', readers, async (c) =>
    c.json(await getIssue(c.get('deps'), c.get('principal'), c.req.param('id'))),
  )
  .put('/issues/:id', iso, async (c) => {
    const body = await jsonBody(c, issueUpdate)
    return c.json(await updateIssue(c.get('deps'), c.get('principal'), c.req.param('id'), body))
  })
  .delete('/issues/:id', iso, async (c) => {
    await deleteIssue(c.get('deps'), c.get('principal'), c.req.param('id'))
    return c.body(null, 204)
  })
  .get('/climate', readers, async (c) =>
    c.json({ climate: await getClimate(c.get('deps'), c.get('principal')) }),
  )
  .put('/climate', iso, async (c) => {
    const body = await jsonBody(c, climateBody)
    return c.json({ climate: await setClimate(c.get('deps'), c.get('principal'), body) })
  })
