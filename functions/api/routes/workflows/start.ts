/**
 * Starting the generic workflows (`approval`, `questionnaire`) for an organisation, and
 * the small `execution` record that lists them without ever crossing tenants. Used by
 * `POST /api/workflows/start` and by the demo seed.
 */
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { ConflictError, type FieldErrors, validationError } from '../../../domain/errors.js'
import { findDecision } from '../../../domain/forms/index.js'
import type { Localized } from '../../../domain/tasks.js'
import { noteExecution } from '../../../store/execution-index.js'
import type { Actor } from '../../../store/records.js'
import { isAlreadyStarted } from '../../../workflow-client.js'
import type { Deps } from '../../env.js'
import { EXECUTION, type ExecutionRecord, executionIdOf } from './executions.js'

/** The generic workflows the ISO may start from the workflows page. */
export const GENERIC_WORKFLOWS = ['approval', 'questionnaire'] as const
export type GenericWorkflow = (typeof GENERIC_WORKFLOWS)[number]

/** Roles a questionnaire may go to (auditors only read). */
const ASSIGNABLE_ROLES = ['iso', 'management', 'member'] as const

/** Body of `POST /api/workflows/start`. */
export const startBody = z
  .object({
    type: z.enum(GENERIC_WORKFLOWS, 'must be approval or questionnaire'),
    title: z
      .object({
        en: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
        de: z.string().trim().max(200, 'must be at most 200 characters').optional(),
      })
      .strict(),
    formId: z.string().min(1, 'is required').max(80).optional(),
    assignee: z
      .object({
        userId: z.string().min(1, 'is required').max(100).optional(),
        role: z.enum(ASSIGNABLE_ROLES, 'must be iso, management or member').optional(),
      })
      .strict()
      .refine(
        (a) => (a.userId === undefined) !== (a.role === undefined),
        'must name either a person (userId) or a role',
      )
      .optional(),
    dueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (yyyy-mm-dd)'),
    details: z.string().trim().max(4000, 'must be at most 4000 characters').optional(),
    reference: z.string().trim().max(200, 'must be at most 200 characters').optional(),
  })
  .strict()

export type StartBody = z.infer<typeof startBody>

/** A start, checked and ready for the engine. */
export interface GenericStart {
  type: GenericWorkflow
  title: Localized
  requestedBy: string
  dueInDays: number
  formId?: string
  assignee?: { userId: string } | { role: string }
  context: Record<string, unknown>
  /** Escalation after this many seconds (default: the definition's). */
  escalateAfterSeconds?: number
}

const DAY = 86_400_000

/** Days from today (UTC) to a yyyy-mm-dd date; undefined for an invalid date. */
export function daysUntil(date: string, now: Date): number | undefined {
  const due = Date.parse(`${date}T00:00:00Z`)
  if (Number.isNaN(due) || new Date(due).toISOString().slice(0, 10) !== date) return undefined
  const today = Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`)
  return Math.round((due - today) / DAY)
}

/**
 * Checks a start body against the organisation (members, forms) and answers the start, or
 * throws 400 naming every field.
 */
export async function checkStart(
  deps: Deps,
  orgId: string,
  requester: { userId: string; name: string },
  body: StartBody,
): Promise<GenericStart> {
  const fields: FieldErrors = {}
  const days = daysUntil(body.dueDate, deps.now())
  if (days === undefined) fields.dueDate = 'must be a real date'
  else if (days < 1) fields.dueDate = 'must be after today'
  else if (days > 365) fields.dueDate = 'must be within a year'
  if (body.type === 'questionnaire') {
    if (!body.formId) fields.formId = 'is required for a questionnaire'
    else {
      const form = (await deps.forms()).get(body.formId)
      if (!form) fields.formId = 'is not a known form'
      else if (findDecision(form, {})) fields.formId = 'is a decision form; start an approval instead'
    }
    if (!body.assignee) fields.assignee = 'is required for a questionnaire'
    else if (body.assignee.userId) {
      const members = await deps.identity.orgMembers(orgId)
      const member = members.find((m) => m.userId === body.assignee?.userId)
      if (!member) fields['assignee.userId'] = 'is not a member of this organisation'
      else if (member.roles.every((r) => r === 'auditor'))
        fields['assignee.userId'] = 'is an auditor, who only reads'
    }
  } else {
    if (body.formId) fields.formId = 'is not used by an approval (management decides with the approval form)'
    if (body.assignee) fields.assignee = 'is not used by an approval (it goes to management)'
  }
  if (Object.keys(fields).length > 0) throw validationError(fields)
  const context: Record<string, unknown> = { requestedByName: requester.name }
  if (body.reference) context.reference = body.reference
  if (body.details) context.details = body.details
  return {
    type: body.type,
    title: { en: body.title.en, de: body.title.de || body.title.en },
    requestedBy: requester.userId,
    dueInDays: days!,
    formId: body.formId,
    assignee:
      body.assignee &&
      (body.assignee.userId ? { userId: body.assignee.userId } : { role: body.assignee.role! }),
    context,
  }
}

/** The execution input of a checked start. */
export function executionInput(orgId: string, s: GenericStart): Record<string, unknown> {
  const common = {
    orgId,
    title: s.title,
    requestedBy: s.requestedBy,
    dueInDays: s.dueInDays,
    context: s.context,
  }
  const escalation = s.escalateAfterSeconds ? { escalateAfterSeconds: s.escalateAfterSeconds } : {}
  return s.type === 'questionnaire'
    ? { ...common, formId: s.formId, assignee: s.assignee, ...escalation }
    : { ...common, ...escalation }
}

/**
 * Starts a generic workflow and records it in the organisation. With `executionName` the
 * start is idempotent: when the execution exists already it is only recorded (if it was
 * not) and `created` is false.
 */
export async function startGeneric(
  deps: Deps,
  orgId: string,
  actor: Actor,
  s: GenericStart,
  executionName = `${s.type}-${randomUUID()}`,
): Promise<{ id: string; executionArn: string; created: boolean }> {
  const machine = deps.workflows.machineArn(s.type)
  const executionArn = `${machine.replace(':stateMachine:', ':execution:')}:${executionName}`
  const id = executionIdOf(executionArn)
  const org = deps.records.forOrg(orgId)
  if (await org.get(EXECUTION, id)) return { id, executionArn, created: false }
  let created = true
  try {
    await deps.workflows.start(s.type, executionInput(orgId, s), executionName)
  } catch (err) {
    if (!isAlreadyStarted(err)) throw err
    created = false
  }
  const record: ExecutionRecord = {
    executionArn,
    workflow: s.type,
    title: s.title,
    startedAt: deps.now().toISOString(),
    startedBy: actor.userId,
    startedByName: actor.name,
    formId: s.formId,
    assignee: s.assignee,
    dueInDays: s.dueInDays,
  }
  await org
    .create(EXECUTION, id, stripUndefined(record), { actor, action: 'workflow.start' })
    .catch((err) => {
      if (!(err instanceof ConflictError)) throw err
    })
  await noteExecution(org, executionArn, record.startedAt, {
    workflow: record.workflow,
    title: record.title,
    startedBy: record.startedBy,
    startedByName: record.startedByName,
  })
  return { id, executionArn, created }
}

const stripUndefined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
