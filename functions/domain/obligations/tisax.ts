import type { Judgement, MissingFact, TisaxDecision, TisaxObjective } from './decision.js'
import type { CompanyProfile } from './profile.js'
import { type Reason, reason, type Text } from './text.js'

const REF = 'VDA ISA; TISAX Participant Handbook'
/** ENX assessment objectives: "Availability (very high)" is assessed at AL3. */
const AVAILABILITY_REF = 'TISAX assessment objectives (ENX): availability very high → AL3; VDA ISA'

const OBJECTIVES: Record<TisaxObjective['id'], { level: 'AL2' | 'AL3'; title: Text }> = {
  'info-high': {
    level: 'AL2',
    title: {
      en: 'Confidential information (high protection need)',
      de: 'Vertrauliche Informationen (hoher Schutzbedarf)',
    },
  },
  'info-very-high': {
    level: 'AL3',
    title: {
      en: 'Strictly confidential information (very high protection need)',
      de: 'Streng vertrauliche Informationen (sehr hoher Schutzbedarf)',
    },
  },
  'availability-high': { level: 'AL2', title: { en: 'High availability', de: 'Hohe Verfügbarkeit' } },
  'availability-very-high': {
    level: 'AL3',
    title: { en: 'Very high availability', de: 'Sehr hohe Verfügbarkeit' },
  },
  prototype: {
    level: 'AL3',
    title: {
      en: 'Prototype protection (parts, vehicles, test vehicles, events)',
      de: 'Prototypenschutz (Bauteile, Fahrzeuge, Versuchsfahrzeuge, Veranstaltungen)',
    },
  },
  data: {
    level: 'AL2',
    title: {
      en: 'Personal data processed on behalf (Art. 28 GDPR)',
      de: 'Personenbezogene Daten im Auftrag (Art. 28 DSGVO)',
    },
  },
  'special-data': {
    level: 'AL3',
    title: {
      en: 'Special categories of personal data processed on behalf',
      de: 'Besondere Kategorien personenbezogener Daten im Auftrag',
    },
  },
}

/** Activities whose companies usually work for automotive OEMs or suppliers: automotive facts are expected. */
const AUTOMOTIVE_ACTIVITIES = ['manufacturing.vehicles']

/**
 * TISAX (obligations.md §4): relevant when the company handles OEM or supplier information
 * or prototypes, or processes personal data on their behalf; the level follows the highest
 * objective. A value left out counts as "none"; `null` means not sure and is named.
 */
export function evaluateTisax(
  profile: CompanyProfile,
  activities: readonly string[],
): TisaxDecision & { missing: MissingFact[]; judgements: Judgement[] } {
  const au = profile.automotive
  const missing: MissingFact[] = []
  const judgements: Judgement[] = []
  const reasons: Reason[] = []
  if (!au) {
    const expected = activities.some((a) => AUTOMOTIVE_ACTIVITIES.includes(a))
    if (expected)
      missing.push({
        field: 'automotive',
        kind: 'missing',
        text: {
          en: 'The company makes vehicles or vehicle parts; say what information or prototypes it handles for automotive customers.',
          de: 'Das Unternehmen stellt Fahrzeuge oder Fahrzeugteile her; bitte angeben, welche Informationen oder Prototypen es für Automobilkunden verarbeitet.',
        },
        affects: ['tisax'],
      })
    reasons.push(
      expected
        ? reason(
            'Cannot be decided yet: it is not known what the company handles for automotive customers.',
            'Noch nicht entscheidbar: Es ist nicht bekannt, was das Unternehmen für Automobilkunden verarbeitet.',
            REF,
          )
        : reason(
            'The company handles no information, prototypes or personal data for automotive OEMs or their suppliers.',
            'Das Unternehmen verarbeitet keine Informationen, Prototypen oder personenbezogenen Daten für Automobilhersteller oder deren Zulieferer.',
            REF,
          ),
    )
    return {
      relevant: expected ? null : false,
      assessmentLevel: null,
      minimumLevel: null,
      objectives: [],
      labelValidityYears: 3,
      reasons,
      missing,
      judgements,
    }
  }

  const objectives: TisaxObjective[] = []
  const unknownLevels: ('AL2' | 'AL3')[] = []
  const add = (id: TisaxObjective['id']) => objectives.push({ id, ...OBJECTIVES[id] })
  const unsure = (field: string, could: 'AL2' | 'AL3', en: string, de: string) => {
    unknownLevels.push(could)
    missing.push({ field: `automotive.${field}`, kind: 'missing', text: { en, de }, affects: ['tisax'] })
  }

  if (au.confidentiality === 'confidential') add('info-high')
  else if (au.confidentiality === 'strictly-confidential') add('info-very-high')
  else if (au.confidentiality === null)
    unsure(
      'confidentiality',
      'AL3',
      'Not known how confidential the automotive information is.',
      'Unbekannt, wie vertraulich die Automobil-Informationen sind.',
    )
  if (au.availability === 'high') add('availability-high')
  else if (au.availability === 'very-high') add('availability-very-high')
  else if (au.availability === null)
    unsure(
      'availability',
      'AL2',
      'Not known what availability the automotive customers require.',
      'Unbekannt, welche Verfügbarkeit die Automobilkunden fordern.',
    )
  if (au.prototypes === true) add('prototype')
  else if (au.prototypes === null)
    unsure(
      'prototypes',
      'AL3',
      'Not known whether the company handles prototypes.',
      'Unbekannt, ob das Unternehmen mit Prototypen umgeht.',
    )
  if (au.specialCategoriesOnBehalf === true) {
    add('special-data')
    if (au.personalDataOnBehalf === false)
      missing.push({
        field: 'automotive.personalDataOnBehalf',
        kind: 'contradictory',
        text: {
          en: 'Special categories are processed on behalf, but personal data on behalf is denied; special categories decide.',
          de: 'Besondere Kategorien werden im Auftrag verarbeitet, personenbezogene Daten im Auftrag aber verneint; die besonderen Kategorien entscheiden.',
        },
        affects: ['tisax'],
      })
  } else if (au.personalDataOnBehalf === true) {
    add('data')
    if (au.specialCategoriesOnBehalf === null)
      unsure(
        'specialCategoriesOnBehalf',
        'AL3',
        'Not known whether special categories of personal data are processed on behalf.',
        'Unbekannt, ob besondere Kategorien personenbezogener Daten im Auftrag verarbeitet werden.',
      )
  } else if (au.personalDataOnBehalf === null)
    unsure(
      'personalDataOnBehalf',
      au.specialCategoriesOnBehalf === false ? 'AL2' : 'AL3',
      'Not known whether personal data is processed on behalf of automotive customers.',
      'Unbekannt, ob personenbezogene Daten im Auftrag von Automobilkunden verarbeitet werden.',
    )
  else if (au.specialCategoriesOnBehalf === null)
    unsure(
      'specialCategoriesOnBehalf',
      'AL3',
      'Not known whether special categories of personal data are processed on behalf.',
      'Unbekannt, ob besondere Kategorien personenbezogener Daten im Auftrag verarbeitet werden.',
    )

  const rank = (l: 'AL2' | 'AL3' | null) => (l === 'AL3' ? 3 : l === 'AL2' ? 2 : 0)
  const minimumLevel = objectives.reduce<'AL2' | 'AL3' | null>(
    (m, o) => (rank(o.level) > rank(m) ? o.level : m),
    null,
  )
  const couldRaise = unknownLevels.some((l) => rank(l) > rank(minimumLevel))
  const relevant = objectives.length > 0 ? true : unknownLevels.length > 0 ? null : false
  const assessmentLevel = couldRaise ? null : minimumLevel
  for (const o of objectives)
    reasons.push(
      reason(
        `${o.title.en}: assessment level ${o.level}.`,
        `${o.title.de}: Prüfniveau ${o.level}.`,
        o.id === 'availability-very-high' ? AVAILABILITY_REF : REF,
      ),
    )
  if (relevant)
    reasons.push(
      reason(
        `The highest objective decides${assessmentLevel ? `: ${assessmentLevel}` : couldRaise ? `: at least ${minimumLevel}, possibly higher (facts missing)` : ''}. AL1 is a self-assessment without a label; labels are valid for 3 years.`,
        `Das höchste Ziel entscheidet${assessmentLevel ? `: ${assessmentLevel}` : couldRaise ? `: mindestens ${minimumLevel}, möglicherweise höher (Angaben fehlen)` : ''}. AL1 ist eine Selbstauskunft ohne Label; Labels gelten 3 Jahre.`,
        REF,
      ),
    )
  else if (relevant === false)
    reasons.push(
      reason(
        'No TISAX objective applies: no confidential information, availability requirement, prototypes or personal data for automotive customers.',
        'Kein TISAX-Ziel trifft zu: keine vertraulichen Informationen, Verfügbarkeitsanforderungen, Prototypen oder personenbezogenen Daten für Automobilkunden.',
        REF,
      ),
    )
  else
    reasons.push(
      reason(
        'Cannot be decided yet: some automotive facts are not known.',
        'Noch nicht entscheidbar: Einige Angaben zum Automobilgeschäft sind unbekannt.',
        REF,
      ),
    )
  return {
    relevant,
    assessmentLevel,
    minimumLevel,
    objectives,
    labelValidityYears: 3,
    reasons,
    missing,
    judgements,
  }
}
