import type { DpoCondition, DpoDecision, MissingFact } from './decision.js'
import type { CompanyProfile } from './profile.js'
import { num, reason } from './text.js'

/** BDSG §38(1): a DPO is required from this many persons regularly processing personal data automatically. */
export const DPO_PERSONS_THRESHOLD = 20

/**
 * Data protection officer (obligations.md §3): required when any condition holds; not
 * required when all are known not to hold; `null` (undetermined) otherwise.
 */
export function evaluateDpo(profile: CompanyProfile): DpoDecision & { missing: MissingFact[] } {
  const pd = profile.personalData
  const missing: MissingFact[] = []
  // A boolean left out counts as "no"; `null` is the explicit "not sure".
  const known = (v: boolean | null | undefined) => (pd ? (v === undefined ? false : v) : null)
  const persons = pd?.personsProcessing ?? null
  const publicAdmin = profile.publicAdministration != null

  const conditions: DpoCondition[] = [
    {
      id: 'public-body',
      holds: publicAdmin ? true : known(pd?.publicBody),
      text: { en: 'Public authority or body', de: 'Behörde oder öffentliche Stelle' },
      ref: 'GDPR Art. 37(1)(a)',
    },
    {
      id: 'monitoring',
      holds: known(pd?.coreLargeScaleMonitoring),
      text: {
        en: 'Core activity: large-scale regular and systematic monitoring of people',
        de: 'Kerntätigkeit: umfangreiche regelmäßige und systematische Überwachung von Personen',
      },
      ref: 'GDPR Art. 37(1)(b)',
    },
    {
      id: 'special-categories',
      holds: known(pd?.coreLargeScaleSpecialCategories),
      text: {
        en: 'Core activity: large-scale processing of special categories or criminal-offence data',
        de: 'Kerntätigkeit: umfangreiche Verarbeitung besonderer Kategorien oder von Daten über Straftaten',
      },
      ref: 'GDPR Art. 37(1)(c)',
    },
    {
      id: 'persons-processing',
      holds: persons === null ? null : persons >= DPO_PERSONS_THRESHOLD,
      text:
        persons === null
          ? {
              en: 'At least 20 persons regularly and constantly process personal data automatically',
              de: 'Mindestens 20 Personen sind ständig mit der automatisierten Verarbeitung personenbezogener Daten beschäftigt',
            }
          : {
              en: `${num(persons).en} persons regularly process personal data automatically (threshold: at least 20)`,
              de: `${num(persons).de} Personen sind ständig mit der automatisierten Verarbeitung personenbezogener Daten beschäftigt (Schwelle: mindestens 20)`,
            },
      ref: 'BDSG §38(1) sentence 1',
    },
    {
      id: 'dpia',
      holds: known(pd?.dpiaRequired),
      text: {
        en: 'A processing operation requires a data protection impact assessment',
        de: 'Eine Verarbeitung erfordert eine Datenschutz-Folgenabschätzung',
      },
      ref: 'BDSG §38(1) sentence 2; GDPR Art. 35',
    },
    {
      id: 'commercial-transfer',
      holds: known(pd?.commercialTransferOrResearch),
      text: {
        en: 'Personal data is processed commercially for transfer, anonymised transfer, or market or opinion research',
        de: 'Personenbezogene Daten werden geschäftsmäßig zum Zweck der Übermittlung, der anonymisierten Übermittlung oder der Markt- oder Meinungsforschung verarbeitet',
      },
      ref: 'BDSG §38(1) sentence 2',
    },
  ]

  const holding = conditions.filter((c) => c.holds === true)
  const unknown = conditions.filter((c) => c.holds === null)
  const required = holding.length > 0 ? true : unknown.length > 0 ? null : false
  const reasons = holding.map((c) =>
    reason(
      `${c.text.en}: a data protection officer is required.`,
      `${c.text.de}: Ein Datenschutzbeauftragter ist zu benennen.`,
      c.ref,
    ),
  )
  if (required === false)
    reasons.push(
      reason(
        'None of the conditions for a mandatory data protection officer holds.',
        'Keine der Voraussetzungen für eine Pflicht zur Benennung eines Datenschutzbeauftragten liegt vor.',
        'GDPR Art. 37(1); BDSG §38(1)',
      ),
    )
  if (required === null)
    reasons.push(
      reason(
        `Cannot be decided yet: no condition is known to hold, and these are not known: ${unknown.map((c) => c.text.en).join('; ')}.`,
        `Noch nicht entscheidbar: Keine Voraussetzung liegt nachweislich vor, und diese sind unbekannt: ${unknown.map((c) => c.text.de).join('; ')}.`,
        'GDPR Art. 37(1); BDSG §38(1)',
      ),
    )

  const affects: MissingFact['affects'] = required === null ? ['dpo'] : []
  if (!pd)
    missing.push({
      field: 'personalData',
      kind: 'missing',
      text: {
        en: 'Facts about personal data processing are missing.',
        de: 'Angaben zur Verarbeitung personenbezogener Daten fehlen.',
      },
      affects,
    })
  else {
    const field: Record<DpoCondition['id'], string> = {
      'public-body': 'personalData.publicBody',
      monitoring: 'personalData.coreLargeScaleMonitoring',
      'special-categories': 'personalData.coreLargeScaleSpecialCategories',
      'persons-processing': 'personalData.personsProcessing',
      dpia: 'personalData.dpiaRequired',
      'commercial-transfer': 'personalData.commercialTransferOrResearch',
    }
    for (const c of unknown)
      missing.push({
        field: field[c.id],
        kind: 'missing',
        text: { en: `Not known: ${c.text.en}.`, de: `Unbekannt: ${c.text.de}.` },
        affects,
      })
  }
  if (publicAdmin && pd?.publicBody === false)
    missing.push({
      field: 'personalData.publicBody',
      kind: 'contradictory',
      text: {
        en: 'The company is named as public administration but says it is not a public body; public administration decides.',
        de: 'Das Unternehmen ist als öffentliche Verwaltung angegeben, verneint aber, eine öffentliche Stelle zu sein; die Angabe zur Verwaltung entscheidet.',
      },
      affects: ['dpo'],
    })
  return { required, conditions, reasons, missing }
}
