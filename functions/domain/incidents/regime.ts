/**
 * The reporting regime of an organisation from its current obligation decision: NIS2 category
 * (KRITIS operators count as essential), trust service provider (24 h notification) and DORA.
 */
import type { ObligationDecision } from '../obligations/index.js'
import type { ReportingRegime } from './types.js'

const TRUST_SERVICES = ['digital.trust.qualified', 'digital.trust.non-qualified']

/** No decision on record: no NIS2 or DORA clocks (GDPR clocks run regardless). */
export const NO_REGIME: ReportingRegime = {
  category: 'none',
  trustServiceProvider: false,
  doraFinancialEntity: false,
}

/** The regime a decision implies. */
export function regimeOf(
  decision: Pick<ObligationDecision, 'nis2' | 'kritis' | 'activitiesCounted'> | undefined,
): ReportingRegime {
  if (!decision) return NO_REGIME
  const cat = decision.nis2.category
  const category = decision.kritis.operator
    ? 'kritis'
    : cat === 'essential' || cat === 'important'
      ? cat
      : 'none'
  return {
    category,
    trustServiceProvider: decision.activitiesCounted.some((a) => TRUST_SERVICES.includes(a)),
    doraFinancialEntity: decision.nis2.carveOuts.some((c) => c.id === 'dora'),
  }
}
