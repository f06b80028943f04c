/**
 * What the incident routes answer: the register row, the incident with its deadlines, and who
 * may see an incident (the same roles as risks: the ISO, management and auditors read all;
 * members see what they reported or are assigned to).
 */
import type { Incident, IncidentRow } from '../../domain/contracts/incidents.js'
import { clockWords, deadlines, type IncidentData, isOpenIncident } from '../../domain/incidents/index.js'
import type { IncidentRecord } from '../../store/incidents.js'
import type { Principal } from '../env.js'

/** Whether the person reads the whole register. */
export const readsAllIncidents = (p: Pick<Principal, 'roles'>) =>
  p.roles.some((r) => r === 'iso' || r === 'management' || r === 'auditor')

/** Whether a person may see an incident. */
export const maySeeIncident = (p: Pick<Principal, 'roles' | 'userId'>, d: IncidentData) =>
  readsAllIncidents(p) || d.reportedBy === p.userId || d.assignees.includes(p.userId)

/** One line of the register. */
export function incidentRow(rec: IncidentRecord, now: Date): IncidentRow {
  const d = rec.data
  const ds = deadlines(d, now)
  const next = ds
    .filter((x) => x.status === 'open' || x.status === 'overdue')
    .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))[0]
  return {
    id: rec.id,
    title: d.title,
    awareAt: d.awareAt,
    reportedAt: d.reportedAt,
    status: isOpenIncident(d) ? (d.triage ? 'triaged' : 'reported') : 'closed',
    significant: d.classification.significant,
    personalDataBreach: d.classification.personalDataBreach,
    overdue: ds.filter((x) => x.status === 'overdue').length,
    nextDeadline: next ? { kind: next.kind, dueAt: next.dueAt, status: next.status } : null,
    closedAt: d.closedAt ?? null,
  }
}

/** The incident as `GET /api/incidents/{id}` answers it. */
export function incidentDetail(rec: IncidentRecord, now: Date): Incident {
  const d = rec.data
  return {
    id: rec.id,
    version: rec.version,
    title: d.title,
    description: d.description ?? null,
    awareAt: d.awareAt,
    detectedBy: d.detectedBy ?? null,
    affected: d.affected ?? null,
    reportedBy: d.reportedBy,
    reportedByName: d.reportedByName ?? null,
    reportedAt: d.reportedAt,
    status: isOpenIncident(d) ? (d.triage ? 'triaged' : 'reported') : 'closed',
    hints: d.hints,
    classification: d.classification,
    triage: d.triage ?? null,
    regime: d.regime,
    timeZone: d.timeZone,
    deadlines: deadlines(d, now).map((x) => ({
      ...x,
      words: { en: clockWords(x, now, 'en'), de: clockWords(x, now, 'de') },
    })),
    reports: d.reports,
    notes: d.notes,
    bsiRequest: d.bsiRequest ?? null,
    assignees: d.assignees,
    timeline: [...d.timeline].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)),
    closedAt: d.closedAt ?? null,
    lessonsLearned: d.lessonsLearned ?? null,
    newRiskRequested: d.newRiskRequested ?? null,
    lessonsRiskId: d.lessonsRisk?.riskId ?? null,
    evidence: d.evidence ?? [],
  }
}
