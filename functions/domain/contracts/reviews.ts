/** What the API answers about the review programme and its cycles. */
import { z } from 'zod'
import { REVIEW_STATUSES } from '../reviews/types.js'
import { dateTimeSchema, localizedSchema, namedPersonSchema } from './common.js'

const performerRole = z.enum(['iso', 'management', 'member'])

/** A review cycle in lists: where it stands, its period and dates, no answers. */
export const cycleSummarySchema = z.object({
  id: z.string(),
  entryId: z.string(),
  kind: z.string(),
  title: localizedSchema,
  status: z.enum(REVIEW_STATUSES),
  statusLabel: localizedSchema,
  scheduledAt: dateTimeSchema,
  dueAt: dateTimeSchema,
  period: z.object({ from: z.string(), to: z.string() }),
  trigger: z.enum(['schedule', 'manual', 'seed']),
  late: z.boolean(),
  /** Not done by its due date at some point (stays visible after completion). */
  overdue: z.boolean(),
  escalated: z.boolean(),
  signedOff: z.boolean(),
  signOffRequired: z.boolean(),
  completedAt: dateTimeSchema.nullable(),
  performedByName: z.string().nullable(),
  actions: z.object({ total: z.number().int(), open: z.number().int() }),
  /** Exercises and technical checks: whether the result called for follow-up (null: not such a check). */
  followUpNeeded: z.boolean().nullable(),
  note: localizedSchema.nullable(),
})

/** A review cycle in lists. */
export type CycleSummary = z.infer<typeof cycleSummarySchema>

/** `GET /api/reviews`: the cycles, newest first. */
export const cycleListSchema = z.object({
  items: z.array(cycleSummarySchema),
  /** How many cycles the list has under its filters (from counters kept on write). */
  total: z.number().int(),
  /** Where the next page begins (the query's `cursor`); absent on the last page. */
  cursor: z.string().optional(),
})

/** A programme entry with its schedule, next due date, last result and current cycle. */
export const entryViewSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  kind: z.string(),
  title: localizedSchema,
  formId: z.string(),
  /** EventBridge `cron(…)` or `rate(…)`. */
  expression: z.string(),
  timeZone: z.string(),
  startDate: z.string().optional(),
  ownerId: z.string().optional(),
  ownerName: z.string().nullable(),
  performerRole,
  managementSignOff: z.boolean(),
  dueAfterDays: z.number().int(),
  escalationGraceDays: z.number().int(),
  reminderDaysBefore: z.array(z.number().int()),
  enabled: z.boolean(),
  createdAt: dateTimeSchema,
  updatedAt: dateTimeSchema,
  cadence: z.string().nullable(),
  schedule: z.object({
    description: localizedSchema,
    nextDue: z
      .object({ at: dateTimeSchema.optional(), date: z.string().optional(), text: localizedSchema })
      .nullable(),
  }),
  lastResult: cycleSummarySchema.nullable(),
  current: cycleSummarySchema.nullable(),
  missed: z.number().int(),
  overdueCycles: z.number().int(),
})

/** A programme entry. */
export type EntryView = z.infer<typeof entryViewSchema>

/** `GET /api/reviews/programme`: the entries, the members (for the ISO) and how schedules run. */
export const programmeSchema = z.object({
  items: z.array(entryViewSchema),
  people: z.array(namedPersonSchema),
  scheduler: z.enum(['local', 'aws', 'unavailable']),
})

/** `GET /api/reviews/programme`. */
export type Programme = z.infer<typeof programmeSchema>
