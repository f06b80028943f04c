/**
 * Awareness campaigns, the application functions behind `/api/awareness`: start one (the
 * campaign record with its people, then the workflow for everyone still to acknowledge),
 * the register (one page of the index) and one campaign as the reader may see it.
 */
import { createHash } from 'node:crypto'
import { z } from 'zod'
import {
  type Audience,
  CAMPAIGN_KINDS,
  type CampaignData,
  completion,
  type Participant,
  stillOpen,
} from '../../../domain/awareness/index.js'
import { ConflictError, type FieldErrors, notFound, validationError } from '../../../domain/errors.js'
import {
  CAMPAIGN,
  type CampaignRecord,
  campaignIndex,
  campaignPage,
  managersOf,
} from '../../../store/awareness.js'
import { noteExecution } from '../../../store/execution-index.js'
import { isAlreadyStarted } from '../../../workflow-client.js'
import type { Deps, Principal } from '../../env.js'
import { orgPeople } from '../../people.js'
import { EXECUTION, type ExecutionRecord, executionIdOf, oversees } from '../workflows/executions.js'
import { daysUntil } from '../workflows/start.js'

const AUDIENCE_ROLES = ['iso', 'management', 'member'] as const
/** Days after the due date before an unacknowledged task is escalated (the inbox reminds meanwhile). */
export const ESCALATION_GRACE_DAYS = 3

/** A second write of the same record (a retry): the first one stands. */

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
    /** The campaign this one follows (e.g. the previous version of the policy). */
    follows: z
      .string()
      .regex(/^awareness-[a-z0-9-]{1,60}$/, 'must be a campaign id')
      .optional(),
  })
  .strict()

export type CampaignBody = z.infer<typeof campaignBody>

/**
 * Starts a campaign, or finds the one the same request started before (the id derives from
 * what is asked). Auditors only read: they are never part of a campaign.
 */
export async function startCampaign(deps: Deps, p: Principal, body: CampaignBody) {
  const fields: FieldErrors = {}
  const days = daysUntil(body.dueDate, deps.now())
  if (days === undefined) fields.dueDate = 'must be a real date'
  else if (days < 1) fields.dueDate = 'must be after today'
  else if (days > 365) fields.dueDate = 'must be within a year'
  const org = deps.records.forOrg(p.orgId)
  const members = (await orgPeople(deps, p.orgId)).filter((m) => m.roles.some((r) => r !== 'auditor'))
  const a = body.audience
  let ids: string[] = []
  if (a.type === 'all') ids = members.map((m) => m.userId)
  else if (a.type === 'role') ids = members.filter((m) => m.roles.includes(a.role)).map((m) => m.userId)
  else {
    const known = new Set(members.map((m) => m.userId))
    const unknown = a.userIds.filter((id) => !known.has(id))
    if (unknown.length > 0)
      fields['audience.userIds'] = `not members of this organisation: ${unknown.join(', ')}`
    ids = [...new Set(a.userIds)]
  }
  if (ids.length === 0 && !fields['audience.userIds']) fields.audience = 'reaches nobody'
  if (body.follows && !(await org.get(CAMPAIGN, body.follows)))
    fields.follows = 'is not a campaign of this organisation'
  if (Object.keys(fields).length > 0) throw validationError(fields)
  ids.sort()
  const title = { en: body.title.en, de: body.title.de || body.title.en }
  const campaignId = `awareness-${createHash('sha256')
    .update(JSON.stringify([p.orgId, body.kind, title, body.reference ?? '', body.dueDate, ids]))
    .digest('hex')
    .slice(0, 24)}`
  const executionArn = `${deps.workflows.machineArn('awareness-campaign').replace(':stateMachine:', ':execution:')}:${campaignId}`
  const execution = executionIdOf(executionArn)
  const existing = await org.get<CampaignData>(CAMPAIGN, campaignId)
  if (existing) return { id: campaignId, execution, people: existing.data.people.length }

  const names = new Map(members.map((m) => [m.userId, m.name]))
  const managers = await managersOf(org)
  const people: Participant[] = ids.map((userId) => {
    const manager = managers.get(userId)
    return {
      userId,
      name: names.get(userId) ?? userId,
      ...(manager && manager !== userId && names.has(manager)
        ? { managerUserId: manager, managerName: names.get(manager) }
        : {}),
      status: 'open',
    }
  })
  const startedAt = deps.now().toISOString()
  const audience: Audience = a.type === 'people' ? { type: 'people' } : a
  const data: CampaignData = {
    kind: body.kind,
    title,
    ...(body.reference ? { reference: body.reference } : {}),
    audience,
    dueDate: body.dueDate,
    startedAt,
    startedBy: p.userId,
    startedByName: p.name,
    ...(body.follows ? { follows: body.follows } : {}),
    execution,
    status: 'running',
    people,
  }
  // The record first: the workflow's record step finds it. A retry finds it and goes on.
  await org
    .create<CampaignData>(CAMPAIGN, campaignId, data, {
      actor: p,
      action: 'awareness.start',
      index: campaignIndex(p.orgId, startedAt, campaignId),
    })
    .catch((err) => {
      if (!(err instanceof ConflictError)) throw err
    })
  await startWorkflow(deps, p.orgId, p, campaignId, data, days ?? 1)
  return { id: campaignId, execution, people: people.length }
}

/**
 * Starts the campaign's workflow for everyone still open, once (the execution is named after
 * the campaign), and keeps the execution record for the workflow list. Shared with the demo seed.
 */
export async function startWorkflow(
  deps: Deps,
  orgId: string,
  actor: { userId: string; name?: string },
  campaignId: string,
  data: CampaignData,
  dueInDays: number,
) {
  const executionArn = `${deps.workflows.machineArn('awareness-campaign').replace(':stateMachine:', ':execution:')}:${campaignId}`
  const org = deps.records.forOrg(orgId)
  try {
    await deps.workflows.start(
      'awareness-campaign',
      {
        orgId: org.orgId,
        requestedBy: data.startedBy,
        campaignId,
        kind: data.kind,
        title: data.title,
        dueInDays,
        escalateAfterSeconds: (dueInDays + ESCALATION_GRACE_DAYS) * 86_400,
        context: {
          requestedByName: data.startedByName ?? data.startedBy,
          ...(data.reference ? { reference: data.reference } : {}),
        },
        people: stillOpen(data).map((x) => ({
          userId: x.userId,
          ...(x.managerUserId ? { managerUserId: x.managerUserId } : {}),
        })),
      },
      campaignId,
    )
  } catch (err) {
    if (!isAlreadyStarted(err)) throw err
  }
  const record: ExecutionRecord = {
    executionArn,
    workflow: 'awareness-campaign',
    title: data.title,
    startedAt: data.startedAt,
    startedBy: data.startedBy,
    ...(data.startedByName ? { startedByName: data.startedByName } : {}),
    dueInDays,
  }
  await org
    .create(EXECUTION, executionIdOf(executionArn), record, { actor, action: 'workflow.start' })
    .catch((err) => {
      if (!(err instanceof ConflictError)) throw err
    })
  await noteExecution(org, executionArn, record.startedAt, {
    workflow: record.workflow,
    title: record.title,
    startedBy: record.startedBy,
    startedByName: record.startedByName,
  })
}

/** A register row: what the list shows of a campaign. */
export function campaignRow(rec: CampaignRecord) {
  const d = rec.data
  const c = completion(d.people)
  return {
    id: rec.id,
    kind: d.kind,
    title: d.title,
    ...(d.reference ? { reference: d.reference } : {}),
    dueDate: d.dueDate,
    startedAt: d.startedAt,
    status: d.status,
    ...(d.closedAt ? { closedAt: d.closedAt } : {}),
    total: c.total,
    acknowledged: c.acknowledged,
    overdue: c.overdue + c.escalated,
    completionRate: d.completionRate ?? c.rate,
  }
}

/** One page of the register, newest first (ISO, management and auditors). */
export async function listCampaigns(deps: Deps, p: Principal, cursor?: string) {
  const page = await campaignPage(deps.records.forOrg(p.orgId), { cursor })
  return { items: page.items.map(campaignRow), ...(page.cursor ? { cursor: page.cursor } : {}) }
}

/**
 * One campaign. The ISO, management and auditors read everyone's line; a person of the
 * campaign reads only their own; anyone else gets 404 (as for another organisation's id).
 */
export async function getCampaign(deps: Deps, p: Principal, id: string) {
  const rec = await deps.records.forOrg(p.orgId).get<CampaignData>(CAMPAIGN, id)
  if (!rec) throw notFound('Campaign')
  const all = oversees(p)
  const people = all ? rec.data.people : rec.data.people.filter((x) => x.userId === p.userId)
  if (people.length === 0 && !all) throw notFound('Campaign')
  return {
    ...campaignRow(rec),
    audience: rec.data.audience,
    startedBy: rec.data.startedByName ?? rec.data.startedBy,
    ...(rec.data.follows ? { follows: rec.data.follows } : {}),
    execution: rec.data.execution,
    people: [...people].sort((a, b) => a.name.localeCompare(b.name)),
    allPeople: all,
  }
}
