import { BUILT_IN_RULES, type RulesCatalogue } from './catalogue.js'
import type { Judgement, MissingFact, Nis2Category, ObligationDecision, SizeClass } from './decision.js'
import { evaluateDpo } from './dpo.js'
import { carveOuts, duties, fines } from './duties.js'
import type { ActivityId } from './facts.js'
import { evaluateKritis } from './kritis.js'
import { CATEGORY_TERMS, evaluateNis2 } from './nis2.js'
import type { CompanyProfile } from './profile.js'
import { recommendations } from './recommend.js'
import { computeSize } from './size.js'
import { reason, type Text } from './text.js'
import { evaluateTisax } from './tisax.js'

/** Version of the rules (date of the German law they implement). */
export const RULES_VERSION = '2025-12-06'

const uniq = <T>(xs: readonly T[]) => [...new Set(xs)]

/**
 * Evaluates a company profile against obligations.md: NIS2 category (Germany, with the
 * directive's view), KRITIS, data protection officer, TISAX, ISO 27001 and security officer
 * recommendations, size, duties, judgements for the ISO and missing or contradictory facts.
 * Pure: no I/O, the same in browser and server. Pass the catalogue for activity titles in
 * the reasons; without it the built-in rule facts are used and activities are named by id.
 *
 * @example
 * const d = evaluateObligations({ activities: ['digital.tld'], employees: 12, annualTurnoverEur: 1.5e6, balanceSheetEur: 1e6 })
 * d.nis2.category // 'essential'
 */
export function evaluateObligations(
  profile: CompanyProfile,
  catalogue: RulesCatalogue = BUILT_IN_RULES,
): ObligationDecision {
  const rules = catalogue
  const missingFacts: MissingFact[] = []
  const judgements: Judgement[] = []
  const declared = uniq(profile.activities) as ActivityId[]
  const negligibleDeclared = uniq(profile.negligibleActivities ?? [])
  for (const id of negligibleDeclared)
    if (!declared.includes(id))
      missingFacts.push({
        field: `negligibleActivities.${(profile.negligibleActivities ?? []).indexOf(id)}`,
        kind: 'contradictory',
        text: {
          en: `"${id}" is declared negligible but is not among the activities; it is ignored.`,
          de: `„${id}“ ist als vernachlässigbar angegeben, gehört aber nicht zu den Tätigkeiten; die Angabe wird ignoriert.`,
        },
        affects: ['nis2'],
      })
  const negligible = negligibleDeclared.filter((id) => declared.includes(id))
  const euOnly = new Set(rules.activities.filter((a) => a.flags.euOnly).map((a) => a.id))
  const countedEu = declared.filter((id) => !negligible.includes(id))
  const countedDe = countedEu.filter((id) => !euOnly.has(id))

  // KRITIS
  const { missing: kritisMissing, ...kritis } = evaluateKritis(profile, rules, declared)
  missingFacts.push(...kritisMissing)

  // Size: with group figures, and own only (§28(4) sentence 2 BSIG when IT runs independently).
  const hasGroup = (profile.linkedEnterprises?.length ?? 0) + (profile.partnerEnterprises?.length ?? 0) > 0
  const itIndependent = profile.itIndependentOfGroup
  const withGroup = computeSize(profile, true)
  const ownOnly = computeSize(profile, false)
  // A legally dependent unit of a public body (Eigenbetrieb, Regiebetrieb) is measured by its
  // own figures: the EU group rules (linked and partner enterprises) do not apply to it.
  const publicEnterprise =
    profile.publicAdministration === 'municipal-enterprise' ||
    profile.publicAdministration === 'state-enterprise'
  const deSize = itIndependent === true || publicEnterprise ? ownOnly : withGroup
  const dePossible: SizeClass[] =
    itIndependent === null && hasGroup && !publicEnterprise
      ? uniq([...withGroup.possibleClasses, ...ownOnly.possibleClasses])
      : deSize.possibleClasses

  const nis2For = (activities: readonly string[], sizes: SizeClass[], jurisdiction: 'de' | 'eu') =>
    evaluateNis2({
      profile,
      rules,
      activities,
      kritisOperator: kritis.operator,
      possibleSizes: sizes,
      jurisdiction,
    })
  const de = nis2For(countedDe, dePossible, 'de')
  const eu = nis2For(countedEu, withGroup.possibleClasses, 'eu')

  const droppedEu = declared.filter((id) => euOnly.has(id))
  if (droppedEu.length)
    de.reasons.push(
      reason(
        `${droppedEu.join(', ')}: listed in the directive but not in the German Anlage, so not counted here.`,
        `${droppedEu.join(', ')}: in der Richtlinie, aber nicht in der deutschen Anlage aufgeführt, daher hier nicht berücksichtigt.`,
        'BSIG Anlage 2; NIS2 Annex II',
      ),
    )
  for (const id of negligible)
    de.reasons.push(
      reason(
        `${id} is declared negligible compared with the whole business and is not counted (the ISO must confirm).`,
        `${id} ist im Verhältnis zur gesamten Geschäftstätigkeit als vernachlässigbar angegeben und wird nicht berücksichtigt (der ISB muss dies bestätigen).`,
        'BSIG §28(3)',
      ),
    )
  if (publicEnterprise)
    de.reasons.push(
      reason(
        `${profile.publicAdministration === 'state-enterprise' ? 'State' : 'Municipal'} enterprise (a legally dependent unit of a public body offering its services for payment): decided by its activity and its own size like a company, not by the public-administration rule; group figures are not added.`,
        `${profile.publicAdministration === 'state-enterprise' ? 'Landes' : 'Kommunal'}betrieb (rechtlich unselbstständige Organisationseinheit einer Gebietskörperschaft, die ihre Leistungen gegen Entgelt anbietet): Einstufung nach Tätigkeit und eigener Größe wie ein Unternehmen, nicht nach der Regel für die öffentliche Verwaltung; Zahlen einer Gruppe werden nicht hinzugerechnet.`,
        'BSIG §28',
      ),
    )
  if (hasGroup && itIndependent === true && !publicEnterprise)
    de.reasons.push(
      reason(
        'Group figures are not added: the company runs its IT systems independently of its group (the ISO must confirm).',
        'Zahlen der Gruppe werden nicht hinzugerechnet: Das Unternehmen betreibt seine IT unabhängig von der Gruppe (der ISB muss dies bestätigen).',
        'BSIG §28(4) sentence 2',
      ),
    )

  // Judgements the ISO resolves, each with the outcome if not confirmed.
  for (const id of negligible) {
    const alt = nis2For([...countedDe, ...(euOnly.has(id) ? [] : [id])], dePossible, 'de')
    judgements.push({
      id: 'negligible-activity',
      subject: id,
      question: {
        en: `Is ${id} negligible compared with the whole business?`,
        de: `Ist ${id} im Verhältnis zur gesamten Geschäftstätigkeit vernachlässigbar?`,
      },
      explanation: {
        en: 'An activity that is negligible compared with the whole business may be left out when assigning the category. Consider its share of turnover, staff and the services that depend on it.',
        de: 'Eine im Verhältnis zur gesamten Geschäftstätigkeit vernachlässigbare Tätigkeit kann bei der Zuordnung unberücksichtigt bleiben. Zu betrachten sind Umsatz- und Personalanteil und die davon abhängigen Leistungen.',
      },
      ref: 'BSIG §28(3)',
      ifRejected: alt.category,
    })
  }
  if (hasGroup && itIndependent === true) {
    const alt = nis2For(countedDe, withGroup.possibleClasses, 'de')
    judgements.push({
      id: 'it-independence',
      subject: 'itIndependentOfGroup',
      question: {
        en: 'Does the company run its IT systems independently of its linked and partner enterprises?',
        de: 'Betreibt das Unternehmen seine IT-Systeme unabhängig von verbundenen und Partnerunternehmen?',
      },
      explanation: {
        en: 'Group figures are left out only when, considering legal, economic and factual circumstances, the IT systems, components and processes are independent of the group (e.g. no shared network, directory, operations team or contracts).',
        de: 'Zahlen der Gruppe bleiben nur außer Betracht, wenn die IT-Systeme, Komponenten und Prozesse unter Berücksichtigung der rechtlichen, wirtschaftlichen und tatsächlichen Umstände von der Gruppe unabhängig sind (z. B. kein gemeinsames Netz, Verzeichnis, Betriebsteam oder Vertrag).',
      },
      ref: 'BSIG §28(4) sentence 2',
      ifRejected: alt.category,
    })
  }

  // Missing figures and facts.
  const nis2Open = de.category === 'undetermined' || eu.category === 'undetermined'
  const sizeFields = uniq([
    ...deSize.missingFields,
    ...(itIndependent === null && hasGroup ? withGroup.missingFields : []),
  ])
  for (const field of sizeFields)
    missingFacts.push({
      field,
      kind: 'missing',
      text: figureMissing(field, profile),
      affects: nis2Open ? ['size', 'nis2'] : ['size'],
    })
  for (const i of withGroup.badShares)
    missingFacts.push({
      field: `partnerEnterprises.${i}.sharePercent`,
      kind: 'contradictory',
      text: {
        en: 'A partner enterprise is held 25–50 %: below 25 % it is not counted, above 50 % it is a linked enterprise.',
        de: 'Ein Partnerunternehmen wird zu 25–50 % gehalten: unter 25 % wird es nicht berücksichtigt, über 50 % ist es ein verbundenes Unternehmen.',
      },
      affects: ['size', 'nis2'],
    })
  if (itIndependent === null && hasGroup) {
    const differs =
      nis2For(countedDe, withGroup.possibleClasses, 'de').category !==
      nis2For(countedDe, ownOnly.possibleClasses, 'de').category
    missingFacts.push({
      field: 'itIndependentOfGroup',
      kind: 'missing',
      text: {
        en: 'Not known whether the company runs its IT independently of its group; this decides whether group figures are added.',
        de: 'Unbekannt, ob das Unternehmen seine IT unabhängig von der Gruppe betreibt; davon hängt ab, ob Zahlen der Gruppe hinzugerechnet werden.',
      },
      affects: differs ? ['size', 'nis2'] : ['size'],
    })
  }
  if (profile.doraFinancialEntity === null)
    missingFacts.push({
      field: 'doraFinancialEntity',
      kind: 'missing',
      text: {
        en: 'Not known whether the company is a financial entity under DORA; DORA would replace most BSIG duties.',
        de: 'Unbekannt, ob das Unternehmen ein Finanzunternehmen nach DORA ist; DORA würde die meisten BSIG-Pflichten ersetzen.',
      },
      affects: ['duties'],
    })

  const { missing: dpoMissing, ...dpo } = evaluateDpo(profile)
  missingFacts.push(...dpoMissing)
  const { missing: tisaxMissing, judgements: tisaxJudgements, ...tisax } = evaluateTisax(profile, declared)
  missingFacts.push(...tisaxMissing)
  judgements.push(...tisaxJudgements)

  // Duties, carve-outs, fines.
  const federal = profile.publicAdministration === 'federal'
  const dora = profile.doraFinancialEntity === true
  const carve = de.possibleCategories.some((c: Nis2Category) => c === 'essential' || c === 'important')
    ? carveOuts({ activities: countedDe, rules, dora })
    : []
  const group = [withGroup.contributions[0]!, ...withGroup.contributions.filter((c) => c.source === 'linked')]
  const groupTurnover = group.some((c) => c.annualTurnoverEur === null)
    ? null
    : group.reduce((s, c) => s + (c.annualTurnoverEur ?? 0), 0)

  const { missingFields: _m, badShares: _b, ...size } = deSize
  return {
    basis: {
      rulesVersion: RULES_VERSION,
      law: {
        en: 'BSIG as amended by the NIS2 Implementation Act (in force since 6 December 2025), BSI-KritisV, GDPR and BDSG, VDA ISA / TISAX',
        de: 'BSIG in der Fassung des NIS2-Umsetzungsgesetzes (in Kraft seit 6. Dezember 2025), BSI-KritisV, DSGVO und BDSG, VDA ISA / TISAX',
      },
    },
    activitiesCounted: countedDe as ActivityId[],
    nis2: {
      ...de,
      eu: { ...eu, differs: eu.category !== de.category },
      carveOuts: carve,
      fines: fines(de.category, federal, groupTurnover),
    },
    kritis,
    dpo,
    tisax,
    ...recommendations({
      possibleCategories: de.possibleCategories,
      kritisOperator: kritis.operator,
      tisaxRelevant: tisax.relevant,
      federal,
    }),
    size,
    duties: duties({
      nis2: de,
      kritisOperator: kritis.operator,
      activities: countedDe,
      rules,
      dora,
      federal,
    }),
    judgements,
    missingFacts,
  }
}

const FIGURES: Record<string, Text> = {
  employees: { en: 'staff (annual work units)', de: 'Beschäftigte (Jahresarbeitseinheiten)' },
  annualTurnoverEur: { en: 'annual turnover', de: 'Jahresumsatz' },
  balanceSheetEur: { en: 'balance sheet total', de: 'Bilanzsumme' },
}

/** "Balance sheet total is not known." / "Linked enterprise 1 (Parent AG): staff … is not known." */
function figureMissing(field: string, profile: CompanyProfile): Text {
  const [first, index, key] = field.split('.')
  if (!index || !key) {
    const l = FIGURES[first!]!
    return { en: `The ${l.en} is not known.`, de: `Die Angabe ${l.de} ist nicht bekannt.` }
  }
  const linked = first === 'linkedEnterprises'
  const row = (linked ? profile.linkedEnterprises : profile.partnerEnterprises)?.[Number(index)]
  const name = row?.name ? ` (${row.name})` : ''
  const n = Number(index) + 1
  const l = FIGURES[key]!
  return linked
    ? {
        en: `Linked enterprise ${n}${name}: the ${l.en} is not known.`,
        de: `Verbundenes Unternehmen ${n}${name}: Die Angabe ${l.de} ist nicht bekannt.`,
      }
    : {
        en: `Partner enterprise ${n}${name}: the ${l.en} is not known.`,
        de: `Partnerunternehmen ${n}${name}: Die Angabe ${l.de} ist nicht bekannt.`,
      }
}
