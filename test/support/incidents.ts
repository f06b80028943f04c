import { type IncidentData, NO_REGIME } from '../../functions/domain/incidents/index.js'

/**
 * An incident as the register stores it, written straight into the store by tests that need
 * many (paging, exports): aware and reported at `awareAt`, by the ISO, no regime, nothing
 * reported or tracked yet; `data` sets what a test varies (classification, people, closing).
 */
export function storedIncident(orgId: string, awareAt: string, data: Partial<IncidentData>): IncidentData {
  return {
    title: 'Probe incident',
    awareAt,
    reportedBy: 'demo-iso',
    reportedAt: awareAt,
    hints: {},
    classification: { significant: null, personalDataBreach: null, gdprRisk: null },
    regime: NO_REGIME,
    reportingEntity: { name: orgId },
    timeZone: 'Europe/Berlin',
    reports: [],
    notes: [],
    tracked: {},
    assignees: [],
    timeline: [{ at: awareAt, what: 'aware' }],
    ...data,
  }
}
