/**
 * Findings of an internal audit and their corrective actions (ISO/IEC 27001:2022 9.2, 10.2):
 * a nonconformity (major or minor) gets a corrective action with an owner and a due date; an
 * observation or an opportunity for improvement does not. The owner records what was done and
 * the root cause; someone else (the ISO, never the owner or whoever implemented it) checks
 * that it was effective — effective closes it, not effective reopens it with a new due date.
 */
import { z } from 'zod'
import type { FieldErrors } from '../errors.js'
import { type IsoDate, isIsoDate } from '../risk/calendar.js'
import type { Text } from '../risk/text.js'
import { AUDIT_AREA_IDS, areaOf } from './areas.js'

/** Kinds of finding. */
export const FINDING_TYPES = ['nonconformity', 'observation', 'opportunity'] as const
export type FindingType = (typeof FINDING_TYPES)[number]

/** Names of the kinds, en/de. */
export const FINDING_TYPE_NAMES: Record<FindingType, Text> = {
  nonconformity: { en: 'Nonconformity', de: 'Nichtkonformität' },
  observation: { en: 'Observation', de: 'Beobachtung' },
  opportunity: { en: 'Opportunity for improvement', de: 'Verbesserungspotenzial' },
}

/** Where a corrective action stands. */
export const ACTION_STATUSES = ['open', 'implemented', 'closed'] as const
export type ActionStatus = (typeof ACTION_STATUSES)[number]

/** One effectiveness check of a corrective action. */
export interface EffectivenessCheck {
  on: IsoDate
  effective: boolean
  note: string
  by: string
  byName?: string
}

/** A corrective action (10.2): what will be done, by whom, by when, and what became of it. */
export interface CorrectiveAction {
  description: string
  ownerId: string
  dueOn: IsoDate
  status: ActionStatus
  implementation?: { rootCause: string; actionTaken: string; on: IsoDate; by: string; byName?: string }
  checks: EffectivenessCheck[]
  closedOn?: IsoDate
}

/** One finding of an audit. */
export interface Finding {
  id: string
  type: FindingType
  severity?: 'major' | 'minor'
  area: string
  /** The clause or control, e.g. `9.1` or `A.8.13`. */
  reference?: string
  description: string
  recordedOn: IsoDate
  recordedBy: string
  correctiveAction?: CorrectiveAction
}

const dateField = z.string().refine(isIsoDate, 'must be a date written YYYY-MM-DD')
const text = (max: number) =>
  z.string().trim().min(1, 'is required').max(max, `must be at most ${max} characters`)

/** Body of `POST /api/audits/:id/findings`. */
export const findingBody = z.strictObject({
  type: z.enum(FINDING_TYPES, `must be one of ${FINDING_TYPES.join(', ')}`),
  severity: z.enum(['major', 'minor'], 'must be major or minor').optional(),
  area: z.enum(AUDIT_AREA_IDS, `must be one of ${AUDIT_AREA_IDS.join(', ')}`),
  reference: z
    .string()
    .trim()
    .regex(/^(A\.[5-8]\.\d{1,2}|\d{1,2}(\.\d{1,2}){0,2})$/, 'must be a clause (9.1) or control (A.8.13)')
    .optional(),
  description: text(5000),
  correctiveAction: z
    .strictObject({ description: text(5000), ownerId: text(200), dueOn: dateField })
    .optional(),
})

/** Body of `POST /api/audits/:id/findings/:findingId/implementation`. */
export const implementationBody = z.strictObject({
  rootCause: text(5000),
  actionTaken: text(5000),
})

/** Body of `POST /api/audits/:id/findings/:findingId/effectiveness`. */
export const effectivenessBody = z.strictObject({
  effective: z.boolean('must be true or false'),
  note: text(5000),
  /** A new due date, required when the action was not effective. */
  dueOn: dateField.optional(),
})

/**
 * Every problem with a new finding on an audit over `auditAreas`: the area is one of the
 * audit's; the reference belongs to the area; a nonconformity has a severity and a corrective
 * action whose owner is a member and whose due date is not before today; other findings have
 * neither.
 */
export function findingProblems(
  body: z.infer<typeof findingBody>,
  ctx: { auditAreas: readonly string[]; members: ReadonlyMap<string, readonly string[]>; today: IsoDate },
): FieldErrors {
  const fields: FieldErrors = {}
  if (!ctx.auditAreas.includes(body.area))
    fields.area = `must be one of the audit's areas: ${ctx.auditAreas.join(', ')}`
  if (body.reference && areaOf(body.reference) !== body.area)
    fields.reference = `must belong to area ${body.area}`
  if (body.type === 'nonconformity') {
    if (!body.severity) fields.severity = 'a nonconformity is major or minor'
    const ca = body.correctiveAction
    if (!ca)
      fields.correctiveAction = 'a nonconformity needs a corrective action with an owner and a due date'
    else {
      if (!ctx.members.has(ca.ownerId))
        fields['correctiveAction.ownerId'] = 'is not a member of this organisation'
      if (ca.dueOn < ctx.today) fields['correctiveAction.dueOn'] = 'must not be in the past'
    }
  } else {
    if (body.severity) fields.severity = 'only a nonconformity has a severity'
    if (body.correctiveAction) fields.correctiveAction = 'only a nonconformity gets a corrective action'
  }
  return fields
}

/** The finding to store from a checked body. */
export function newFinding(
  body: z.infer<typeof findingBody>,
  id: string,
  by: string,
  today: IsoDate,
): Finding {
  return {
    id,
    type: body.type,
    ...(body.severity ? { severity: body.severity } : {}),
    area: body.area,
    ...(body.reference ? { reference: body.reference } : {}),
    description: body.description,
    recordedOn: today,
    recordedBy: by,
    ...(body.correctiveAction
      ? { correctiveAction: { ...body.correctiveAction, status: 'open' as const, checks: [] } }
      : {}),
  }
}

/** Who acts on a corrective action. */
export interface ActionActor {
  userId: string
  name?: string
  isIso: boolean
}

/** Problems with recording the implementation: the action is open and it is the owner's (or the ISO's) to record. */
export function implementationProblems(
  ca: CorrectiveAction,
  who: ActionActor,
): { forbidden?: string; fields: FieldErrors } {
  if (ca.ownerId !== who.userId && !who.isIso)
    return {
      forbidden: 'Only the owner of the corrective action or the ISO records what was done.',
      fields: {},
    }
  if (ca.status !== 'open') return { fields: { status: `the corrective action is ${ca.status}, not open` } }
  return { fields: {} }
}

/** Records the implementation (pure). */
export function implement(
  ca: CorrectiveAction,
  body: z.infer<typeof implementationBody>,
  who: ActionActor,
  today: IsoDate,
): CorrectiveAction {
  return {
    ...ca,
    status: 'implemented',
    implementation: { ...body, on: today, by: who.userId, ...(who.name ? { byName: who.name } : {}) },
  }
}

/**
 * Problems with an effectiveness check: only the ISO checks, never the owner nor whoever
 * implemented it; the action must be implemented; not effective needs a new due date from today.
 */
export function effectivenessProblems(
  ca: CorrectiveAction,
  body: z.infer<typeof effectivenessBody>,
  who: ActionActor,
  today: IsoDate,
): { forbidden?: string; fields: FieldErrors } {
  if (!who.isIso) return { forbidden: 'The ISO checks the effectiveness of corrective actions.', fields: {} }
  if (who.userId === ca.ownerId || who.userId === ca.implementation?.by)
    return {
      forbidden: 'Whoever owns or implemented a corrective action may not check its effectiveness.',
      fields: {},
    }
  const fields: FieldErrors = {}
  if (ca.status !== 'implemented') fields.status = `the corrective action is ${ca.status}, not implemented`
  if (!body.effective) {
    if (!body.dueOn) fields.dueOn = 'give a new due date for the rework'
    else if (body.dueOn < today) fields.dueOn = 'must not be in the past'
  } else if (body.dueOn) fields.dueOn = 'only a corrective action that was not effective gets a new due date'
  return { fields }
}

/** Records an effectiveness check (pure): effective closes the action, not effective reopens it. */
export function checkEffectiveness(
  ca: CorrectiveAction,
  body: z.infer<typeof effectivenessBody>,
  who: ActionActor,
  today: IsoDate,
): CorrectiveAction {
  const check: EffectivenessCheck = {
    on: today,
    effective: body.effective,
    note: body.note,
    by: who.userId,
    ...(who.name ? { byName: who.name } : {}),
  }
  return body.effective
    ? { ...ca, status: 'closed', closedOn: today, checks: [...ca.checks, check] }
    : { ...ca, status: 'open', dueOn: body.dueOn ?? ca.dueOn, checks: [...ca.checks, check] }
}

/** True when a corrective action is open or waiting for its check and past its due date. */
export const actionOverdue = (ca: CorrectiveAction, today: IsoDate) =>
  ca.status === 'open' && ca.dueOn < today
