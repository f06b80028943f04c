/**
 * A security incident as recorded: what happened, when we became aware, how it is classified,
 * the reports sent (append-only), notes, the BSI's request for an intermediate report and the
 * closing with lessons learned. Pure: validation of a new report and the triage's answers.
 */
import { z } from 'zod'
import { validationError } from '../errors.js'
import { localToInstants } from '../schedules/zone.js'
import { zodFields } from '../zod-fields.js'
import type { Art34Exception, Classification, ClockKind, ReportingRegime, SentReport } from './types.js'

/** One line of the incident's timeline. */
export interface TimelineEntry {
  at: string
  what:
    | 'aware'
    | 'reported'
    | 'triaged'
    | 'reclassified'
    | 'report-sent'
    | 'reminder'
    | 'escalated'
    | 'bsi-request'
    | 'note'
    | 'closed'
    | 'risk-created'
    | 'evidence'
  kind?: ClockKind
  by?: string
  byName?: string
  text?: string
}

/** An evidence file of an incident (its bytes are in the evidence store, subject `incident`/<id>). */
export interface IncidentEvidence {
  fileId: string
  name: string
  size: number
  contentType: string
  sha256?: string
  uploadedAt: string
  by: string
  byName?: string
}

/** An incident as stored (record type `incident`). */
export interface IncidentData {
  title: string
  description?: string
  awareAt: string
  detectedBy?: string
  affected?: string
  reportedBy: string
  reportedByName?: string
  reportedAt: string
  /** The reporter's hints before triage. */
  hints: { significant?: boolean; personalDataBreach?: boolean }
  classification: Classification
  /** Triage answers as the ISO gave them (malicious, cross-border, users, duration, assessment). */
  triage?: { answers: Record<string, unknown>; by: string; byName?: string; at: string }
  regime: ReportingRegime
  /** Who reports (the BSI's "reporting entity"), for the drafts. */
  reportingEntity: { name: string; sector?: string }
  timeZone: string
  reports: SentReport[]
  notes: { at: string; by: string; byName?: string; text: string }[]
  bsiRequest?: { requestedAt: string; dueAt: string; by: string }
  /** Clock slots a workflow execution is tracking (so two executions never track one clock). */
  tracked: Record<string, string>
  /** People assigned to work on it (they, and the reporter, see it as members). */
  assignees: string[]
  closedAt?: string
  lessonsLearned?: string
  newRiskRequested?: boolean
  /**
   * The draft risk made from the lessons learned (one per incident): `creating` while one
   * request makes it (a conditional write, so a double click makes one risk).
   */
  lessonsRisk?: { riskId?: string; creating?: string; at: string; by: string }
  /** Evidence files (logs, screenshots, the portal's confirmation), kept in the evidence store. */
  evidence?: IncidentEvidence[]
  timeline: TimelineEntry[]
  execution?: { arn: string; name: string }
}

/** Whether the incident is still open. */
export const isOpenIncident = (d: Pick<IncidentData, 'closedAt'>) => d.closedAt === undefined

const OFFSET_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/

/** Body of `POST /api/incidents`. */
export const reportIncidentBody = z.strictObject({
  title: z
    .string('is required')
    .trim()
    .min(3, 'must be at least 3 characters')
    .max(200, 'must be at most 200 characters'),
  awareAt: z
    .string('is required')
    .regex(OFFSET_DATE_TIME, 'must be a date-time with a time zone, e.g. 2026-03-29T09:30:00+02:00'),
  description: z.string().trim().max(10_000, 'must be at most 10000 characters').optional(),
  detectedBy: z.string().trim().max(200, 'must be at most 200 characters').optional(),
  affected: z.string().trim().max(2000, 'must be at most 2000 characters').optional(),
  significant: z.boolean('must be true or false').optional(),
  personalDataBreach: z.boolean('must be true or false').optional(),
})
export type ReportIncidentBody = z.infer<typeof reportIncidentBody>

/**
 * Checks a new incident: fields by zod, then `awareAt` not in the future (a minute of clock
 * skew allowed). Throws a validation error naming the field.
 */
export function validateNewIncident(body: unknown, now: Date): ReportIncidentBody {
  const parsed = reportIncidentBody.safeParse(body)
  if (!parsed.success) throw validationError(zodFields(parsed.error), 'The incident has invalid fields.')
  const aware = Date.parse(parsed.data.awareAt)
  if (Number.isNaN(aware)) throw validationError({ awareAt: 'is not a valid date-time' })
  if (aware > now.getTime() + 60_000) throw validationError({ awareAt: 'may not be in the future' })
  return { ...parsed.data, awareAt: new Date(aware).toISOString() }
}

const yes = (v: unknown) => v === 'yes'
const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined)

/** The classification the triage form's answers give. */
export function classificationFromTriage(answers: Record<string, unknown>, at: string): Classification {
  const personal = yes(answers.personalDataBreach)
  const risk = personal ? ((answers.gdprRisk as Classification['gdprRisk']) ?? null) : null
  return {
    significant: yes(answers.significant),
    ...(answers.significant === 'no' && text(answers.notSignificantReason)
      ? { notSignificantReason: text(answers.notSignificantReason) }
      : {}),
    personalDataBreach: personal,
    gdprRisk: risk,
    ...(risk === 'unlikely' && text(answers.notNotifyingReason)
      ? { notNotifyingReason: text(answers.notNotifyingReason) }
      : {}),
    ...(risk === 'high' ? { art34Exception: (answers.art34Exception as Art34Exception) ?? 'none' } : {}),
    ...(risk === 'high' && text(answers.art34Reason) ? { art34Reason: text(answers.art34Reason) } : {}),
    classifiedAt: at,
  }
}

/**
 * When a report was sent, from the form's date and time on the organisation's wall clock;
 * the completion time when they are missing.
 */
export function sentAtOf(answers: Record<string, unknown>, zone: string, fallback: string): string {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(answers.sentOn ?? ''))
  const time = /^(\d{2}):(\d{2})$/.exec(String(answers.sentTime ?? ''))
  if (!date || !time) return fallback
  const [y, mo, d] = date.slice(1).map(Number)
  const [h, mi] = time.slice(1).map(Number)
  const instants = localToInstants({ year: y, month: mo, day: d, hour: h, minute: mi }, zone)
  const ms = instants[0] ?? localToInstants({ year: y, month: mo, day: d, hour: h + 1, minute: mi }, zone)[0]
  return ms === undefined ? fallback : new Date(ms).toISOString()
}

/** Who did something, and when. */
export interface Signed {
  by: string
  byName?: string
  at: string
}

/** Records the triage (idempotent: the same completion twice changes nothing). */
export function applyTriage(d: IncidentData, answers: Record<string, unknown>, s: Signed): IncidentData {
  if (d.triage?.at === s.at && d.triage.by === s.by) return d
  const classification = classificationFromTriage(answers, s.at)
  return {
    ...d,
    classification,
    triage: { answers, by: s.by, ...(s.byName ? { byName: s.byName } : {}), at: s.at },
    timeline: [
      ...d.timeline,
      {
        at: s.at,
        what: 'triaged',
        by: s.by,
        byName: s.byName,
        text: `${classification.significant ? 'significant' : 'not significant'}${classification.personalDataBreach ? `, personal data breach (${classification.gdprRisk})` : ''}`,
      },
    ],
  }
}

/**
 * Records a report as sent: a new entry, never a change of an earlier one (the record is
 * evidence). The same entry twice (a repeated step) is written once.
 */
export function applySent(
  d: IncidentData,
  r: Omit<SentReport, 'id' | 'recordedAt' | 'by' | 'byName'>,
  s: Signed,
): IncidentData {
  const id = `${r.kind}.${s.at}`
  if (d.reports.some((x) => x.id === id)) return d
  const entry: SentReport = {
    ...r,
    id,
    by: s.by,
    ...(s.byName ? { byName: s.byName } : {}),
    recordedAt: s.at,
  }
  return {
    ...d,
    reports: [...d.reports, entry],
    timeline: [
      ...d.timeline,
      {
        at: r.sentAt,
        what: 'report-sent',
        kind: r.kind,
        by: s.by,
        byName: s.byName,
        text: r.correctionOf ? 'correction' : r.reference,
      },
    ],
  }
}

/** Closes the incident with its lessons learned (closing twice keeps the first). */
export function applyClose(
  d: IncidentData,
  close: { lessonsLearned: string; newRisk?: boolean },
  s: Signed,
): IncidentData {
  if (d.closedAt) return d
  return {
    ...d,
    closedAt: s.at,
    lessonsLearned: close.lessonsLearned,
    ...(close.newRisk !== undefined ? { newRiskRequested: close.newRisk } : {}),
    timeline: [...d.timeline, { at: s.at, what: 'closed', by: s.by, byName: s.byName }],
  }
}

/** How long a `creating` mark of `lessonsRisk` holds before another request may try again (a crash). */
export const LESSONS_RISK_CLAIM_MS = 2 * 60_000

/**
 * The fields of a draft risk made from a closed incident's lessons learned, for the ISO to
 * assess: status `identified`, owned by who made it, likelihood and impact in the middle of
 * the matrix, the incident's title, what happened and the lessons learned as its text.
 */
export function lessonsRiskFields(
  d: Pick<IncidentData, 'title' | 'description' | 'lessonsLearned' | 'affected' | 'classification'>,
  incidentId: string,
  opts: { ownerId: string; scale: { likelihood: number; impact: number }; lang?: 'en' | 'de' },
) {
  const de = opts.lang === 'de'
  const mid = (n: number) => Math.max(1, Math.ceil(n / 2))
  const text = [
    de ? `Aus dem Sicherheitsvorfall ${incidentId}.` : `From security incident ${incidentId}.`,
    d.description ? `${de ? 'Was geschah' : 'What happened'}: ${d.description}` : '',
    `${de ? 'Erkenntnisse' : 'Lessons learned'}: ${d.lessonsLearned ?? ''}`,
  ]
    .filter(Boolean)
    .join('\n\n')
  return {
    title: `${de ? 'Erkenntnis aus' : 'Lesson from'} ${incidentId}: ${d.title}`.slice(0, 200),
    description: text.slice(0, 5000),
    category: d.classification.personalDataBreach ? ('privacy' as const) : ('information-security' as const),
    assets: d.affected ? [d.affected.slice(0, 200)] : [],
    threat: d.title.slice(0, 2000),
    vulnerability: '',
    ownerId: opts.ownerId,
    likelihood: mid(opts.scale.likelihood),
    impact: mid(opts.scale.impact),
    status: 'identified' as const,
    controlIds: [],
    obligationRefs: [],
  }
}
