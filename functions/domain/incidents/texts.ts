/**
 * The title of each reporting clock, in English and German, naming the paragraph it comes from.
 */
import type { Localized } from '../tasks.js'
import type { ClockKind } from './types.js'

const TITLES: Record<ClockKind, Localized> = {
  'nis2-early-warning': {
    en: 'Early warning to the BSI within 24 h (§32(1) no. 1 BSIG)',
    de: 'Frühe Erstmeldung an das BSI binnen 24 Std. (§ 32 Abs. 1 Nr. 1 BSIG)',
  },
  'nis2-notification': {
    en: 'Incident notification to the BSI within 72 h (§32(1) no. 2 BSIG)',
    de: 'Meldung des Sicherheitsvorfalls an das BSI binnen 72 Std. (§ 32 Abs. 1 Nr. 2 BSIG)',
  },
  'nis2-intermediate': {
    en: "Intermediate report on the BSI's request (§32(1) no. 3 BSIG)",
    de: 'Zwischenmeldung auf Ersuchen des BSI (§ 32 Abs. 1 Nr. 3 BSIG)',
  },
  'nis2-progress-report': {
    en: 'Progress report: the incident is still ongoing one month after the notification (§32(2) BSIG)',
    de: 'Fortschrittsmeldung: der Vorfall dauert einen Monat nach der Meldung noch an (§ 32 Abs. 2 BSIG)',
  },
  'nis2-final-report': {
    en: 'Final report one month after the notification (§32(1) no. 4 BSIG)',
    de: 'Abschlussmeldung einen Monat nach der Meldung (§ 32 Abs. 1 Nr. 4 BSIG)',
  },
  'gdpr-authority': {
    en: 'Notify the data protection authority within 72 h (Art. 33(1) GDPR)',
    de: 'Meldung an die Datenschutzaufsicht binnen 72 Std. (Art. 33 Abs. 1 DSGVO)',
  },
  'gdpr-data-subjects': {
    en: 'Inform the people affected without undue delay (Art. 34(1) GDPR)',
    de: 'Benachrichtigung der betroffenen Personen unverzüglich (Art. 34 Abs. 1 DSGVO)',
  },
  'dora-initial': {
    en: 'DORA initial notification: 4 h after classification as major, at most 24 h after awareness (Art. 19(4)(a) DORA)',
    de: 'DORA-Erstmeldung: 4 Std. nach Einstufung als schwerwiegend, spätestens 24 Std. nach Kenntnis (Art. 19 Abs. 4 lit. a DORA)',
  },
  'dora-intermediate': {
    en: 'DORA intermediate report within 72 h of the initial notification (Art. 19(4)(b) DORA)',
    de: 'DORA-Zwischenmeldung binnen 72 Std. nach der Erstmeldung (Art. 19 Abs. 4 lit. b DORA)',
  },
  'dora-final': {
    en: 'DORA final report one month after the intermediate report (Art. 19(4)(c) DORA)',
    de: 'DORA-Abschlussmeldung einen Monat nach der Zwischenmeldung (Art. 19 Abs. 4 lit. c DORA)',
  },
}

/** A clock's title; a trust service provider's notification names its 24 h. */
export function clockTitle(kind: ClockKind, opts: { trustServiceProvider?: boolean } = {}): Localized {
  if (kind === 'nis2-notification' && opts.trustServiceProvider)
    return {
      en: 'Incident notification to the BSI within 24 h, trust service provider (§32(1) no. 2 BSIG, Art. 23(4)(b) NIS2)',
      de: 'Meldung des Sicherheitsvorfalls an das BSI binnen 24 Std., Vertrauensdiensteanbieter (§ 32 Abs. 1 Nr. 2 BSIG, Art. 23 Abs. 4 lit. b NIS2)',
    }
  return TITLES[kind]
}

/** Why a clock stopped, in words naming the paragraph. */
export const STOP_REASONS = {
  notSignificant: {
    en: 'Not a significant incident (§2 no. 11 BSIG): no report to the BSI is due.',
    de: 'Kein erheblicher Sicherheitsvorfall (§ 2 Nr. 11 BSIG): keine Meldung an das BSI fällig.',
  },
  notMajor: {
    en: 'Not a major ICT-related incident (Art. 18 DORA): no report is due.',
    de: 'Kein schwerwiegender IKT-bezogener Vorfall (Art. 18 DORA): keine Meldung fällig.',
  },
  unlikelyRisk: {
    en: 'Unlikely to result in a risk to people (Art. 33(1) GDPR); documented under Art. 33(5).',
    de: 'Voraussichtlich kein Risiko für Betroffene (Art. 33 Abs. 1 DSGVO); dokumentiert nach Art. 33 Abs. 5.',
  },
  art34: {
    protected: {
      en: 'Exception of Art. 34(3)(a) GDPR: the data was protected (e.g. encrypted).',
      de: 'Ausnahme nach Art. 34 Abs. 3 lit. a DSGVO: die Daten waren geschützt (z. B. verschlüsselt).',
    },
    measures: {
      en: 'Exception of Art. 34(3)(b) GDPR: later measures ensure the high risk is no longer likely.',
      de: 'Ausnahme nach Art. 34 Abs. 3 lit. b DSGVO: nachfolgende Maßnahmen schließen das hohe Risiko aus.',
    },
    disproportionate: {
      en: 'Exception of Art. 34(3)(c) GDPR: disproportionate effort; a public communication instead.',
      de: 'Ausnahme nach Art. 34 Abs. 3 lit. c DSGVO: unverhältnismäßiger Aufwand; stattdessen öffentliche Bekanntmachung.',
    },
  },
} as const
