/**
 * The internal audit programme (ISO/IEC 27001:2022 9.2): a certification cycle of planned
 * audits, each over some areas (clauses and Annex A themes), with an auditor who does not
 * audit their own area; over the cycle every area is audited. Pure rules: the caller passes
 * the members, the programme and today.
 */
import { z } from 'zod'
import type { FieldErrors } from '../errors.js'
import { type IsoDate, isIsoDate } from '../risk/calendar.js'
import { AUDIT_AREA_IDS, AUDIT_AREAS } from './areas.js'
import type { Finding } from './findings.js'

/** Record type of the programme (one per organisation, id `programme`). */
export const AUDIT_PROGRAMME = 'audit-programme'
/** Record type of an internal audit (id `IA-<year>-<nn>`). */
export const INTERNAL_AUDIT = 'internal-audit'
/** The id of the programme record. */
export const PROGRAMME_ID = 'programme'

/** The programme: the cycle it spans and who owns each area (an auditor may not audit their own). */
export interface AuditProgramme {
  /** First calendar year of the cycle. */
  cycleStart: number
  /** Years in the cycle (a certification cycle is three). */
  years: number
  /** Area id → the person responsible for it. */
  owners: Partial<Record<string, string>>
}

/** Where an audit stands. */
export const AUDIT_STATUSES = ['planned', 'completed', 'cancelled'] as const
export type AuditStatus = (typeof AUDIT_STATUSES)[number]

/** One internal audit. */
export interface InternalAudit {
  id: string
  title: string
  plannedOn: IsoDate
  areas: string[]
  /** The auditor, a person of the organisation … */
  auditorId?: string
  /** … or someone from outside (a consultant), by name. */
  auditorName?: string
  status: AuditStatus
  heldOn?: IsoDate
  summary?: string
  completedBy?: string
  findings: Finding[]
}

const dateField = z.string().refine(isIsoDate, 'must be a date written YYYY-MM-DD')
const areaField = z.enum(AUDIT_AREA_IDS, `must be one of ${AUDIT_AREA_IDS.join(', ')}`)

/** Body of `PUT /api/audits/programme`. */
export const programmeBody = z.strictObject({
  cycleStart: z
    .int('must be a whole number')
    .min(2000, 'must be 2000 or later')
    .max(2100, 'must be 2100 or earlier'),
  years: z.int('must be a whole number').min(1, 'must be at least 1').max(5, 'must be at most 5').default(3),
  owners: z.partialRecord(areaField, z.string().trim().min(1, 'is required').max(200)).default({}),
  /** The version you saw (omit when creating). */
  version: z.int().min(1).optional(),
})

/** Body of `POST /api/audits`. */
export const auditBody = z.strictObject({
  title: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
  plannedOn: dateField,
  areas: z.array(areaField).min(1, 'choose at least one area').max(AUDIT_AREA_IDS.length),
  auditorId: z.string().trim().min(1, 'is required').max(200).optional(),
  auditorName: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters').optional(),
})

/** Body of `PATCH /api/audits/:id`: record it as held, or cancel it. */
export const auditUpdateBody = z.strictObject({
  version: z.int('must be a whole number').min(1),
  status: z.enum(['completed', 'cancelled'], 'must be completed or cancelled'),
  heldOn: dateField.optional(),
  summary: z.string().trim().max(5000, 'must be at most 5000 characters').optional(),
})

/** The first and last day of a programme's cycle. */
export const cycleDates = (p: Pick<AuditProgramme, 'cycleStart' | 'years'>) => ({
  from: `${p.cycleStart}-01-01`,
  to: `${p.cycleStart + p.years - 1}-12-31`,
})

/** Checks a programme against the members (owners must be people of the organisation). */
export function programmeProblems(
  body: z.infer<typeof programmeBody>,
  members: ReadonlyMap<string, readonly string[]>,
): FieldErrors {
  const fields: FieldErrors = {}
  for (const [area, userId] of Object.entries(body.owners))
    if (!members.has(userId)) fields[`owners.${area}`] = 'is not a member of this organisation'
  return fields
}

/**
 * Every problem with a planned audit: the date inside the programme's cycle, an auditor (a
 * member, or an outside auditor by name, not both), and the auditor's independence — they may
 * not audit an area they own (9.2.2: "select auditors … that ensure objectivity and the
 * impartiality of the audit process").
 */
export function auditProblems(
  body: z.infer<typeof auditBody>,
  ctx: { programme: AuditProgramme; members: ReadonlyMap<string, readonly string[]> },
): FieldErrors {
  const fields: FieldErrors = {}
  const { from, to } = cycleDates(ctx.programme)
  if (body.plannedOn < from || body.plannedOn > to)
    fields.plannedOn = `must be within the programme's cycle, ${from} to ${to}`
  if (new Set(body.areas).size !== body.areas.length) fields.areas = 'names an area twice'
  if (!body.auditorId && !body.auditorName)
    fields.auditorId = 'choose the auditor, or name an outside auditor'
  else if (body.auditorId && body.auditorName)
    fields.auditorName = 'give a person of the organisation or an outside auditor, not both'
  else if (body.auditorId) {
    const roles = ctx.members.get(body.auditorId)
    if (!roles) fields.auditorId = 'is not a member of this organisation'
    else if (roles.length === 1 && roles[0] === 'auditor')
      fields.auditorId = 'external certification auditors read only; choose an internal auditor'
    else {
      const own = body.areas.filter((a) => ctx.programme.owners[a] === body.auditorId)
      if (own.length > 0)
        fields.auditorId = `may not audit their own area (${own.join(', ')}); choose another auditor`
    }
  }
  return fields
}

/** Checks recording an audit as held: a date, not in the future, not before it could be planned. */
export function completionProblems(
  audit: InternalAudit,
  body: z.infer<typeof auditUpdateBody>,
  today: IsoDate,
): FieldErrors {
  const fields: FieldErrors = {}
  if (audit.status !== 'planned') fields.status = `the audit is ${audit.status} already`
  if (body.status === 'completed') {
    if (!body.heldOn) fields.heldOn = 'say when the audit was held'
    else if (body.heldOn > today) fields.heldOn = 'must not be in the future'
    if (!body.summary) fields.summary = 'summarise the audit (scope covered, conclusion)'
  }
  return fields
}

/** How far the programme covers the areas: per area, the audits over it per year, and what is left. */
export interface Coverage {
  years: number[]
  areas: {
    id: string
    kind: 'clause' | 'theme'
    title: { en: string; de: string }
    ownerId: string | null
    /** Audit ids per year (planned or completed; cancelled ones do not count). */
    byYear: Record<number, string[]>
    covered: boolean
  }[]
  /** Areas no audit of the cycle covers yet. */
  uncovered: string[]
}

/** The programme's coverage from its audits (9.2.2: the programme covers the whole ISMS over the cycle). */
export function coverage(programme: AuditProgramme, audits: readonly InternalAudit[]): Coverage {
  const years = Array.from({ length: programme.years }, (_, i) => programme.cycleStart + i)
  const areas = AUDIT_AREAS.map((area) => {
    const byYear: Record<number, string[]> = Object.fromEntries(years.map((y) => [y, []]))
    for (const a of audits) {
      if (a.status === 'cancelled' || !a.areas.includes(area.id)) continue
      const y = Number(a.plannedOn.slice(0, 4))
      if (byYear[y]) byYear[y].push(a.id)
    }
    return {
      id: area.id,
      kind: area.kind,
      title: area.title,
      ownerId: programme.owners[area.id] ?? null,
      byYear,
      covered: Object.values(byYear).some((ids) => ids.length > 0),
    }
  })
  return { years, areas, uncovered: areas.filter((a) => !a.covered).map((a) => a.id) }
}

/** The beginning of every audit id of a year (`IA-2026-`): the ids of one year are one key range. */
export const auditYearPrefix = (year: number) => `IA-${year}-`

/** The next free audit id of a year: `IA-2026-01`, `IA-2026-02`, … */
export function nextAuditId(year: number, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) {
    const id = `${auditYearPrefix(year)}${String(n).padStart(2, '0')}`
    if (!taken.has(id)) return id
  }
}
