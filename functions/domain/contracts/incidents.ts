/** What the API answers about security incidents: the register and one incident with its clocks. */
import { z } from 'zod'
import { ART34_EXCEPTIONS, CLOCK_KINDS } from '../incidents/types.js'
import { dateTimeSchema, localizedSchema } from './common.js'

const incidentStatus = z.enum(['reported', 'triaged', 'closed'])
const clockStatus = z.enum(['open', 'done', 'overdue', 'stopped'])

/** One line of the register (`GET /api/incidents`). */
export const incidentRowSchema = z.object({
  id: z.string(),
  title: z.string(),
  awareAt: dateTimeSchema,
  reportedAt: dateTimeSchema,
  status: incidentStatus,
  significant: z.boolean().nullable(),
  personalDataBreach: z.boolean().nullable(),
  /** How many clocks are overdue. */
  overdue: z.number().int(),
  nextDeadline: z
    .object({ kind: z.enum(CLOCK_KINDS), dueAt: dateTimeSchema, status: clockStatus })
    .nullable(),
  closedAt: dateTimeSchema.nullable(),
})

/** One line of the incident register. */
export type IncidentRow = z.infer<typeof incidentRowSchema>

/** `GET /api/incidents`: one page of the register, newest awareness first. */
export const incidentPageSchema = z.object({
  items: z.array(incidentRowSchema),
  /** The organisation's time zone, which the register shows dates in. */
  timeZone: z.string(),
  cursor: z.string().optional(),
})

/** One legal clock with its state in words. */
export const deadlineViewSchema = z.object({
  kind: z.enum(CLOCK_KINDS),
  /** The clock's slot (final and progress report share the one-month slot). */
  slot: z.string(),
  startAt: dateTimeSchema,
  dueAt: dateTimeSchema,
  status: clockStatus,
  doneAt: dateTimeSchema.optional(),
  stoppedReason: z.string().optional(),
  stoppedRule: localizedSchema.optional(),
  provisional: z.boolean().optional(),
  title: localizedSchema,
  /** "due in 5 h 12 min", "sent 3 h early", "2 h late". */
  words: localizedSchema,
})

/** One legal clock of an incident. */
export type DeadlineView = z.infer<typeof deadlineViewSchema>

/** The classification: by the reporter's hints until triage, then by the ISO. */
export const classificationSchema = z.object({
  significant: z.boolean().nullable(),
  notSignificantReason: z.string().optional(),
  personalDataBreach: z.boolean().nullable(),
  gdprRisk: z.enum(['unlikely', 'risk', 'high']).nullable(),
  notNotifyingReason: z.string().optional(),
  art34Exception: z.enum(ART34_EXCEPTIONS).optional(),
  art34Reason: z.string().optional(),
  classifiedAt: dateTimeSchema.optional(),
})

/** A report marked sent: never changed; a correction is a new entry. */
export const sentReportSchema = z.object({
  id: z.string(),
  kind: z.enum(CLOCK_KINDS),
  sentAt: dateTimeSchema,
  channel: z.string(),
  reference: z.string().optional(),
  by: z.string(),
  byName: z.string().optional(),
  recordedAt: dateTimeSchema,
  correctionOf: z.string().optional(),
  note: z.string().optional(),
})

/** An incident as the API answers it: its clocks, reports, notes and timeline (the answer of every action). */
export const incidentSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  title: z.string(),
  description: z.string().nullable(),
  awareAt: dateTimeSchema,
  detectedBy: z.string().nullable(),
  affected: z.string().nullable(),
  reportedBy: z.string(),
  reportedByName: z.string().nullable(),
  reportedAt: dateTimeSchema,
  status: incidentStatus,
  /** The reporter's hints before triage. */
  hints: z.object({ significant: z.boolean().optional(), personalDataBreach: z.boolean().optional() }),
  classification: classificationSchema,
  triage: z
    .object({
      answers: z.record(z.string(), z.unknown()),
      by: z.string(),
      byName: z.string().optional(),
      at: dateTimeSchema,
    })
    .nullable(),
  regime: z.object({
    category: z.enum(['essential', 'important', 'kritis', 'none']),
    trustServiceProvider: z.boolean(),
    doraFinancialEntity: z.boolean(),
  }),
  timeZone: z.string(),
  deadlines: z.array(deadlineViewSchema),
  reports: z.array(sentReportSchema),
  notes: z.array(
    z.object({ at: dateTimeSchema, by: z.string(), byName: z.string().optional(), text: z.string() }),
  ),
  bsiRequest: z.object({ requestedAt: dateTimeSchema, dueAt: dateTimeSchema, by: z.string() }).nullable(),
  assignees: z.array(z.string()),
  timeline: z.array(
    z.object({
      at: dateTimeSchema,
      what: z.enum([
        'aware',
        'reported',
        'triaged',
        'reclassified',
        'report-sent',
        'reminder',
        'escalated',
        'bsi-request',
        'note',
        'closed',
        'risk-created',
        'evidence',
      ]),
      kind: z.enum(CLOCK_KINDS).optional(),
      by: z.string().optional(),
      byName: z.string().optional(),
      text: z.string().optional(),
    }),
  ),
  closedAt: dateTimeSchema.nullable(),
  lessonsLearned: z.string().nullable(),
  newRiskRequested: z.boolean().nullable(),
  /** The draft risk made from the lessons learned (`POST /api/incidents/:id/risk`). */
  lessonsRiskId: z.string().nullable(),
  /** Evidence files, kept in the evidence store. */
  evidence: z.array(
    z.object({
      fileId: z.string(),
      name: z.string(),
      size: z.number().int(),
      contentType: z.string(),
      sha256: z.string().optional(),
      uploadedAt: dateTimeSchema,
      by: z.string(),
      byName: z.string().optional(),
    }),
  ),
})

/** An incident as the actions answer it. */
export type Incident = z.infer<typeof incidentSchema>

/** `GET /api/incidents/:id`: the incident and its open workflow tasks (triage, reports, closing). */
export const incidentDetailSchema = incidentSchema.extend({
  openTasks: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      title: localizedSchema,
      dueAt: dateTimeSchema.nullable(),
      candidateRole: z.string().nullable(),
      assigneeUserId: z.string().nullable(),
    }),
  ),
})

/** `GET /api/incidents/:id`. */
export type IncidentDetail = z.infer<typeof incidentDetailSchema>
