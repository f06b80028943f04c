/**
 * Awareness and training campaigns (ISO/IEC 27001 A.6.3, A.5.1; BSIG §38(3)): the ISO starts
 * one for all members, a role or a list of people; `workflows/awareness-campaign.asl.json`
 * gives each person their own acknowledgement task. The same request twice starts one
 * campaign (the execution name derives from what is asked); a new policy version (another
 * title or reference) starts a new one.
 */
import { createHash } from 'node:crypto'
import { Hono } from 'hono'
import { z } from 'zod'
import { type FieldErrors, validationError } from '../../domain/errors.js'
import { requireAuth, requireRole } from '../auth/index.js'
import type { AppEnv } from '../env.js'
import { jsonBody } from '../validate.js'
import { EXECUTION, type ExecutionRecord, executionIdOf } from './workflows/executions.js'
import { daysUntil } from './workflows/start.js'

export const CAMPAIGN_KINDS = ['policy', 'training', 'phishing'] as const
const AUDIENCE_ROLES = ['iso', 'management', 'member'] as const

/** Body of `POST /api/awareness/campaigns`. */
export const campaignBody = z
  .object({
    kind: z.enum(CAMPAIGN_KINDS, 'must be policy, training or phishing'),
    title: z
      .object({
        en: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
        de: z.string().trim().max(200, 'must be at most 200 characters').optional(),
      })
      .strict(),
    reference: z.string().trim().max(200, 'must be at most 200 characters').optional(),
    audience: z.discriminatedUnion(
      'type',
      [
        z.object({ type: z.literal('all') }).strict(),
        z
          .object({
            type: z.literal('role'),
            role: z.enum(AUDIENCE_ROLES, 'must be iso, management or member'),
          })
          .strict(),
        z
          .object({
            type: z.literal('people'),
            userIds: z.array(z.string().min(1).max(100)).min(1, 'name at least one person').max(500),
          })
          .strict(),
      ],
      'must be all, role or people',
    ),
    dueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (yyyy-mm-dd)'),
  })
  .strict()

export const awareness = new Hono<AppEnv>()
  .use('*', requireAuth)
  .post('/campaigns', requireRole('iso'), async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const body = await jsonBody(c, campaignBody)
    const fields: FieldErrors = {}
    const days = daysUntil(body.dueDate, deps.now())
    if (days === undefined) fields.dueDate = 'must be a real date'
    else if (days < 1) fields.dueDate = 'must be after today'
    else if (days > 365) fields.dueDate = 'must be within a year'
    // Auditors only read: they are never part of a campaign.
    const members = (await deps.identity.orgMembers(p.orgId)).filter((m) =>
      m.roles.some((r) => r !== 'auditor'),
    )
    const a = body.audience
    let people: string[] = []
    if (a.type === 'all') people = members.map((m) => m.userId)
    else if (a.type === 'role') people = members.filter((m) => m.roles.includes(a.role)).map((m) => m.userId)
    else {
      const known = new Set(members.map((m) => m.userId))
      const unknown = a.userIds.filter((id) => !known.has(id))
      if (unknown.length > 0)
        fields['audience.userIds'] = `not members of this organisation: ${unknown.join(', ')}`
      people = [...new Set(a.userIds)]
    }
    if (people.length === 0 && !fields['audience.userIds']) fields.audience = 'reaches nobody'
    if (Object.keys(fields).length > 0) throw validationError(fields)
    people.sort()
    const title = { en: body.title.en, de: body.title.de || body.title.en }
    const campaignId = `awareness-${createHash('sha256')
      .update(JSON.stringify([p.orgId, body.kind, title, body.reference ?? '', body.dueDate, people]))
      .digest('hex')
      .slice(0, 24)}`
    const executionArn = `${deps.workflows.machineArn('awareness-campaign').replace(':stateMachine:', ':execution:')}:${campaignId}`
    const id = executionIdOf(executionArn)
    const org = deps.records.forOrg(p.orgId)
    if (!(await org.get(EXECUTION, id))) {
      try {
        await deps.workflows.start(
          'awareness-campaign',
          {
            orgId: p.orgId,
            requestedBy: p.userId,
            campaignId,
            kind: body.kind,
            title,
            dueInDays: days,
            context: { requestedByName: p.name, ...(body.reference ? { reference: body.reference } : {}) },
            people: people.map((userId) => ({ userId })),
          },
          campaignId,
        )
      } catch (err) {
        if ((err as { name?: string }).name !== 'ExecutionAlreadyExists') throw err
      }
      const record: ExecutionRecord = {
        executionArn,
        workflow: 'awareness-campaign',
        title,
        startedAt: deps.now().toISOString(),
        startedBy: p.userId,
        startedByName: p.name,
        dueInDays: days,
      }
      await org.create(EXECUTION, id, record, { actor: p, action: 'workflow.start' }).catch((err) => {
        if ((err as { code?: string }).code !== 'conflict') throw err
      })
    }
    return c.json({ campaign: { id: campaignId, execution: id, people: people.length } }, 201)
  })
