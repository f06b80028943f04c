/** Shapes of the internal audit API and the helpers its pages share. */
import { ApiError } from '../../lib/api.js'
import { formatDate } from '../../lib/dates.js'
import { type Locale, type MessageKey, t } from '../../lib/i18n/index.js'

type Localized = { en: string; de: string }

/** A corrective action as the API answers it. */
export interface CorrectiveActionView {
  description: string
  ownerId: string
  dueOn: string
  status: 'open' | 'implemented' | 'closed'
  implementation?: { rootCause: string; actionTaken: string; on: string; by: string; byName?: string }
  checks: { on: string; effective: boolean; note: string; by: string; byName?: string }[]
  closedOn?: string
  overdue: boolean
}

/** A finding with its corrective action. */
export interface FindingView {
  id: string
  type: 'nonconformity' | 'observation' | 'opportunity'
  severity?: 'major' | 'minor'
  area: string
  reference?: string
  description: string
  recordedOn: string
  correctiveAction: CorrectiveActionView | null
}

/** An audit in lists. */
export interface AuditSummary {
  id: string
  version: number
  title: string
  plannedOn: string
  areas: string[]
  auditorId: string | null
  auditorName: string | null
  status: 'planned' | 'completed' | 'cancelled'
  heldOn: string | null
  findings: { total: number; nonconformities: number; openActions: number; overdueActions: number }
}

/** A person of the organisation. */
export interface PersonView {
  userId: string
  name: string
  roles: string[]
}

/** `GET /api/audits/programme`. */
export interface ProgrammeView {
  programme: { cycleStart: number; years: number; owners: Record<string, string>; version: number } | null
  coverage: {
    years: number[]
    areas: {
      id: string
      title: Localized
      ownerId: string | null
      byYear: Record<string, string[]>
      covered: boolean
    }[]
    uncovered: string[]
  } | null
  audits: AuditSummary[]
  people: PersonView[]
}

/** One line of `GET /api/audits/actions`. */
export interface ActionLine extends CorrectiveActionView {
  auditId: string
  auditTitle: string
  findingId: string
  type: string
  severity: string | null
  area: string
  reference: string | null
  finding: string
}

/** `GET /api/audits/:id`. */
export interface AuditDetail {
  audit: AuditSummary & { summary: string | null }
  findings: FindingView[]
  checklist: {
    area: string
    title: Localized
    noSoa?: boolean
    items: { ref: string; title: Localized; applicable?: boolean; status?: string; justification?: string }[]
  }[]
  soaProject: { id: string; title: string } | null
  people: PersonView[]
}

/** The area ids, in order (as the API). */
export const AREA_IDS = ['4', '5', '6', '7', '8', '9', '10', 'A.5', 'A.6', 'A.7', 'A.8'] as const

/** What the error summary says for each field the API names. */
const ERROR_KEYS: Record<string, MessageKey> = {
  title: 'audits.error.title',
  plannedOn: 'audits.error.plannedOn',
  areas: 'audits.error.areas',
  auditorId: 'audits.error.auditorId',
  auditorName: 'audits.error.auditorName',
  programme: 'audits.error.programme',
  type: 'audits.error.type',
  severity: 'audits.error.severity',
  area: 'audits.error.area',
  reference: 'audits.error.reference',
  description: 'audits.error.description',
  correctiveAction: 'audits.error.correctiveAction',
  rootCause: 'audits.error.rootCause',
  actionTaken: 'audits.error.actionTaken',
  note: 'audits.error.note',
  dueOn: 'audits.error.dueOn',
  effective: 'audits.error.effective',
  heldOn: 'audits.error.heldOn',
  summary: 'audits.error.summary',
  status: 'audits.error.status',
}

/** A problem for an error summary: its text and the id of the field it links to. */
export interface Problem {
  field?: string
  text: string
}

/**
 * The problems of a failed request: one per field the API named (by the field's first part,
 * `correctiveAction.ownerId` → `correctiveAction.ownerId` when the form has that id, else
 * `correctiveAction`), linked to the form's input by `ids`.
 */
export function problemsOf(err: unknown, ids: Record<string, string>): Problem[] {
  if (!(err instanceof ApiError)) return [{ text: t('common.error.generic') }]
  if (err.status === 0) return [{ text: t('common.error.network') }]
  const seen = new Set<string>()
  const out: Problem[] = []
  for (const name of Object.keys(err.fields)) {
    const head = name.split('.')[0] ?? name
    const field = ids[name] ?? ids[head]
    const key = ERROR_KEYS[head]
    const text = key ? t(key) : err.message
    if (seen.has(text)) continue
    seen.add(text)
    out.push({ ...(field ? { field } : {}), text })
  }
  return out.length > 0 ? out : [{ text: err.message }]
}

/** A date in the page's language (7 May 2027). */
export const fmtDate = (iso: string, lang: Locale) => formatDate(iso.slice(0, 10), lang, { length: 'medium' })

/** The words of an action's status. */
export const ACTION_STATUS_KEYS: Record<CorrectiveActionView['status'], MessageKey> = {
  open: 'audits.action.open',
  implemented: 'audits.action.implemented',
  closed: 'audits.action.closed',
}

/** The words of an audit's status. */
export const AUDIT_STATUS_KEYS: Record<AuditSummary['status'], MessageKey> = {
  planned: 'audits.status.planned',
  completed: 'audits.status.completed',
  cancelled: 'audits.status.cancelled',
}

/** The words of a finding's kind and severity. */
export const FINDING_KEYS: Record<FindingView['type'], MessageKey> = {
  nonconformity: 'audits.finding.type.nonconformity',
  observation: 'audits.finding.type.observation',
  opportunity: 'audits.finding.type.opportunity',
}
export const SEVERITY_KEYS: Record<'major' | 'minor', MessageKey> = {
  major: 'audits.finding.severity.major',
  minor: 'audits.finding.severity.minor',
}
