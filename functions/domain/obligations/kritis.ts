import type { RulesCatalogue } from './catalogue.js'
import type { FacilityResult, KritisDecision, MissingFact } from './decision.js'
import type { CompanyProfile } from './profile.js'
import { num, type Reason, reason } from './text.js'

const REF = 'BSIG §2 Nr 22, §28(1) Nr 1; BSI-KritisV'

/**
 * KRITIS (obligations.md §2): a facility at or above the BSI-KritisV threshold of its type
 * makes the company an operator; so does declaring it (`kritisOperator: true`).
 */
export function evaluateKritis(
  profile: CompanyProfile,
  rules: RulesCatalogue,
  activities: readonly string[],
): KritisDecision & { missing: MissingFact[] } {
  const byType = new Map(rules.facilityTypes.map((t) => [t.id, t]))
  const checked: FacilityResult[] = (profile.criticalFacilities ?? []).map((f, index) => {
    const t = byType.get(f.type)!
    return {
      index,
      type: f.type,
      title: t.title,
      ...(f.name ? { name: f.name } : {}),
      value: f.value,
      threshold: t.threshold,
      unit: t.unit,
      meetsThreshold: f.value >= t.threshold,
    }
  })
  const facilities = checked.filter((f) => f.meetsThreshold)
  const belowThreshold = checked.filter((f) => !f.meetsThreshold)
  const declared = profile.kritisOperator ?? null
  const operator = declared === true || facilities.length > 0
  const reasons: Reason[] = []
  const missing: MissingFact[] = []

  const label = (f: FacilityResult) => ({
    en: `${f.name ? `${f.name} (${f.title.en})` : f.title.en}: ${num(f.value).en} ${f.unit.en}`,
    de: `${f.name ? `${f.name} (${f.title.de})` : f.title.de}: ${num(f.value).de} ${f.unit.de}`,
  })
  for (const f of facilities)
    reasons.push(
      reason(
        `${label(f).en} is at or above the threshold of ${num(f.threshold).en} ${f.unit.en}: a critical facility.`,
        `${label(f).de} erreicht den Schwellenwert von ${num(f.threshold).de} ${f.unit.de}: eine kritische Anlage.`,
        REF,
      ),
    )
  for (const f of belowThreshold)
    reasons.push(
      reason(
        `${label(f).en} is below the threshold of ${num(f.threshold).en} ${f.unit.en}.`,
        `${label(f).de} liegt unter dem Schwellenwert von ${num(f.threshold).de} ${f.unit.de}.`,
        REF,
      ),
    )
  if (declared === true)
    reasons.push(
      reason(
        'The company declares that it operates a critical facility.',
        'Das Unternehmen gibt an, eine kritische Anlage zu betreiben.',
        REF,
      ),
    )
  if (operator)
    reasons.push(
      reason(
        'Operator status starts on 1 April of the year after a facility first reaches its threshold.',
        'Die Betreibereigenschaft beginnt am 1. April des Jahres, das auf das erstmalige Erreichen des Schwellenwerts folgt.',
        'BSI-KritisV §1',
      ),
    )
  if (!operator)
    reasons.push(
      reason(
        checked.length === 0
          ? 'No facility figures were given and the company does not declare a critical facility.'
          : 'No facility reaches its threshold.',
        checked.length === 0
          ? 'Es wurden keine Anlagenkennzahlen angegeben, und das Unternehmen gibt keine kritische Anlage an.'
          : 'Keine Anlage erreicht ihren Schwellenwert.',
        REF,
      ),
    )

  if (declared === false && facilities.length > 0)
    missing.push({
      field: 'kritisOperator',
      kind: 'contradictory',
      text: {
        en: 'The company says it operates no critical facility, but a facility reaches its threshold; the facility figures decide.',
        de: 'Das Unternehmen gibt an, keine kritische Anlage zu betreiben, aber eine Anlage erreicht ihren Schwellenwert; die Anlagenkennzahlen entscheiden.',
      },
      affects: ['kritis', 'nis2'],
    })
  const relevant = new Set(
    rules.activities.filter((a) => activities.includes(a.id)).flatMap((a) => a.flags.kritisFacilityTypes),
  )
  checked.forEach((f) => {
    if (!relevant.has(f.type))
      missing.push({
        field: `criticalFacilities.${f.index}.type`,
        kind: 'contradictory',
        text: {
          en: `A facility of type "${f.title.en}" does not belong to any declared activity; check the activities or the facility.`,
          de: `Eine Anlage der Art „${f.title.de}“ gehört zu keiner angegebenen Tätigkeit; bitte Tätigkeiten oder Anlage prüfen.`,
        },
        affects: ['kritis'],
      })
  })
  return { operator, facilities, belowThreshold, declared, reasons, missing }
}
