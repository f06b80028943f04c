/**
 * Programme entries: the request body, and the checks that turn it into a stored entry.
 * Every problem is collected and named by field (`kind`, `expression`, `timeZone`,
 * `formId`, `ownerId`, …); a collision with another review of the same kind is an
 * `expression` error. Pure: the caller passes the templates, the known forms, the members
 * and the other entries.
 */
import { z } from 'zod'
import { AppError, type FieldErrors, validationError } from '../errors.js'
import { findCollision, nextOccurrences } from '../schedules/occurrences.js'
import { CADENCES, type Cadence, cadenceExpression, detectCadence } from '../schedules/presets.js'
import { compileSchedule, type ScheduleTiming } from '../schedules/schedule.js'
import type { ReviewTemplate } from '../schedules/templates.js'
import { DEFAULT_TIME_ZONE } from '../schedules/zone.js'
import type { PerformerRole, ReviewEntry } from './types.js'

/** Entry ids: lower-case letters, digits and dashes (they name schedules and executions). */
export const ENTRY_ID = /^[a-z][a-z0-9-]{1,40}$/

const localized = z.strictObject({
  en: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
  de: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
})

/** Fields a person sets on an entry (create: `kind` required; update: everything optional). */
export const entryFields = {
  title: localized.optional(),
  formId: z.string().trim().min(1, 'is required').max(80).optional(),
  cadence: z.enum(CADENCES, `must be one of ${CADENCES.join(', ')}`).optional(),
  expression: z.string().trim().min(1, 'is required').max(200).optional(),
  timeZone: z.string().trim().min(1, 'is required').max(80).optional(),
  startDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
    .nullable()
    .optional(),
  ownerId: z.string().trim().min(1).max(200).nullable().optional(),
  managementSignOff: z.boolean('must be true or false').optional(),
  dueAfterDays: z.int('must be a whole number').min(1, 'must be at least 1').max(365).optional(),
  escalationGraceDays: z.int('must be a whole number').min(0, 'must be at least 0').max(90).optional(),
  enabled: z.boolean('must be true or false').optional(),
}

/** Body of `POST /api/reviews/programme`. */
export const createEntryBody = z.strictObject({
  id: z.string().regex(ENTRY_ID, 'must be 2-41 lower-case letters, digits or dashes').optional(),
  kind: z.string().trim().min(1, 'is required').max(60),
  ...entryFields,
})

/** Body of `PUT /api/reviews/programme/:id`: the fields to change and the version you saw. */
export const updateEntryBody = z.strictObject({
  expectedVersion: z.int('must be a whole number').min(1, 'must be at least 1'),
  ...entryFields,
})

export type CreateEntryBody = z.infer<typeof createEntryBody>
export type UpdateEntryBody = z.infer<typeof updateEntryBody>

/** What `resolveEntry` needs to know besides the body. */
export interface EntryContext {
  templates: readonly ReviewTemplate[]
  /** Whether a form definition exists. */
  formExists: (formId: string) => boolean
  /** Members of the organisation and their roles. */
  members: ReadonlyMap<string, readonly string[]>
  /** The organisation's other entries (for collisions). */
  others: readonly { id: string; entry: ReviewEntry }[]
  now: Date
  /** The entry as stored (updates). */
  existing?: ReviewEntry
}

/** Reviews must not repeat more often than this (a schedule firing every minute would flood the inbox). */
export const MIN_INTERVAL_MS = 23 * 3_600_000

const timing = (
  e: Pick<ReviewEntry, 'expression' | 'timeZone' | 'startDate' | 'createdAt'>,
): ScheduleTiming => ({
  expression: e.expression,
  timeZone: e.timeZone,
  startDate: e.startDate,
  createdAt: e.createdAt,
})

/** The schedule timing of an entry, for the occurrence functions and the scheduler. */
export const entryTiming = timing

const PERFORMERS: readonly PerformerRole[] = ['iso', 'management', 'member']

/**
 * Checks a create or update body against the templates, the forms, the members and the
 * other entries, and returns the entry to store. Throws a 400 naming every bad field.
 */
export function resolveEntry(
  body: Partial<CreateEntryBody> & { kind?: string },
  ctx: EntryContext,
): ReviewEntry {
  const fields: FieldErrors = {}
  const base = ctx.existing
  const kind = body.kind ?? base?.kind
  const template = ctx.templates.find((t) => t.kind === kind)
  if (!template) {
    fields.kind = `must be one of ${ctx.templates.map((t) => t.kind).join(', ')}`
    throw validationError(fields)
  }
  if (base && body.kind !== undefined && body.kind !== base.kind)
    fields.kind = 'cannot change; create a new entry'

  // Timing: an explicit expression wins; a cadence keeps the template's day and time.
  let expression = body.expression ?? base?.expression ?? template.expression
  if (body.cadence !== undefined && body.expression !== undefined)
    fields.cadence = 'give a cadence or an expression, not both'
  else if (body.cadence !== undefined) expression = cadenceOf(body.cadence, template.expression)
  const entry: ReviewEntry = {
    kind: template.kind,
    title: body.title ?? base?.title ?? template.title,
    formId: body.formId ?? base?.formId ?? template.formId,
    expression,
    timeZone: body.timeZone ?? base?.timeZone ?? DEFAULT_TIME_ZONE,
    startDate: body.startDate === null ? undefined : (body.startDate ?? base?.startDate),
    ownerId: body.ownerId === null ? undefined : (body.ownerId ?? base?.ownerId),
    performerRole: base?.performerRole ?? template.performerRole,
    managementSignOff: body.managementSignOff ?? base?.managementSignOff ?? template.managementSignOff,
    dueAfterDays: body.dueAfterDays ?? base?.dueAfterDays ?? template.dueAfterDays,
    reminderDaysBefore: base?.reminderDaysBefore ?? template.reminderDaysBefore,
    escalationGraceDays:
      body.escalationGraceDays ?? base?.escalationGraceDays ?? template.escalationGraceDays,
    enabled: body.enabled ?? base?.enabled ?? true,
    createdAt: base?.createdAt ?? ctx.now.toISOString(),
  }
  entry.reminderDaysBefore = entry.reminderDaysBefore.filter((d) => d < entry.dueAfterDays)

  if (!ctx.formExists(entry.formId)) fields.formId = `form ${entry.formId} does not exist`
  if (entry.ownerId !== undefined) {
    const roles = ctx.members.get(entry.ownerId)
    if (!roles) fields.ownerId = 'is not a member of this organisation'
    else if (!roles.some((r) => (PERFORMERS as readonly string[]).includes(r)))
      fields.ownerId = 'must be able to perform reviews (role iso, management or member)'
  }

  let compiled: ReturnType<typeof compileSchedule> | undefined
  try {
    compiled = compileSchedule(timing(entry))
    entry.timeZone = compiled.zone
    entry.expression = compiled.parsed.expression
  } catch (err) {
    Object.assign(fields, (err instanceof AppError && err.fields) || { expression: String(err) })
  }
  if (compiled && !fields.expression) {
    if (compiled.parsed.type === 'at') fields.expression = 'must repeat: cron(…) or rate(…), not at(…)'
    else {
      const [a, b] = nextOccurrences(compiled, ctx.now, 2)
      if (!a) fields.expression = 'has no future occurrence'
      else if (b && b.getTime() - a.getTime() < MIN_INTERVAL_MS)
        fields.expression = 'must not repeat more often than once a day'
    }
  }
  if (compiled && !fields.expression && entry.enabled) {
    const others = ctx.others
      .filter((o) => o.entry.kind === entry.kind && o.entry.enabled)
      .map((o) => ({ id: o.id, timing: timing(o.entry) }))
    const hit = findCollision(compiled, others, ctx.now)
    if (hit)
      fields.expression = `collides with the ${entry.kind} ${hit.id} at ${hit.at.toISOString()}; pick another day or time`
  }
  if (Object.keys(fields).length) throw validationError(fields, 'The programme entry has invalid fields.')
  return entry
}

/** The cron expression of a cadence, on the day and at the time of the template's expression. */
export function cadenceOf(cadence: Cadence, templateExpression: string): string {
  const preset = detectCadence(templateExpression)
  if (!preset) return cadenceExpression(cadence)
  const { day, month, hour, minute } = preset
  return cadenceExpression(cadence, { day, month: cadence === 'monthly' ? 1 : month, hour, minute })
}

/** A free entry id for a kind: the kind itself, else `<kind>-2`, `<kind>-3`, … */
export function nextEntryId(kind: string, taken: ReadonlySet<string>): string {
  if (!taken.has(kind)) return kind
  for (let i = 2; ; i++) if (!taken.has(`${kind}-${i}`)) return `${kind}-${i}`
}
