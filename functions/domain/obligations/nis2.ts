import type { RulesCatalogue } from './catalogue.js'
import type { Nis2Category, Nis2Rule, Nis2View, SizeClass } from './decision.js'
import type { CompanyProfile } from './profile.js'
import { type Reason, reason, type Text } from './text.js'

/** German and English terms for each category. */
export const CATEGORY_TERMS: Record<Nis2Category | 'undetermined', Text> = {
  essential: { en: 'essential entity', de: 'besonders wichtige Einrichtung' },
  important: { en: 'important entity', de: 'wichtige Einrichtung' },
  'not-covered': { en: 'not covered', de: 'nicht erfasst' },
  'state-law': {
    en: 'outside the federal law (state law may apply)',
    de: 'nicht vom Bundesrecht erfasst (Landesrecht kann gelten)',
  },
  undetermined: {
    en: 'cannot be determined yet (facts missing)',
    de: 'noch nicht bestimmbar (Angaben fehlen)',
  },
}

/** The German and English term of a category (for pages that show only the id). */
export const categoryTerm = (category: Nis2Category | 'undetermined') => CATEGORY_TERMS[category]

/** Facts the NIS2 rules read, already prepared by `evaluateObligations`. */
export interface Nis2Input {
  profile: CompanyProfile
  rules: RulesCatalogue
  /** Activity ids that count (negligible ones removed; EU-only ones removed for Germany). */
  activities: readonly string[]
  kritisOperator: boolean
  possibleSizes: SizeClass[]
  jurisdiction: 'de' | 'eu'
}

interface Fired {
  rule: Nis2Rule
  categories: Nis2Category[]
  reasons: Reason[]
}

const title = (rules: RulesCatalogue, id: string): Text => {
  const t = rules.activities.find((a) => a.id === id)?.title
  return t ? { en: `${t.en} (${id})`, de: `${t.de} (${id})` } : { en: id, de: id }
}
const list = (rules: RulesCatalogue, ids: string[]): Text => ({
  en: ids.map((id) => title(rules, id).en).join(', '),
  de: ids.map((id) => title(rules, id).de).join(', '),
})
const uniq = <T>(xs: T[]) => [...new Set(xs)]
const covered = (c: Nis2Category) => c === 'essential' || c === 'important'

/**
 * NIS2 category (obligations.md §1): the rules in order, the first that fires decides,
 * later rules add their reasons. When missing figures leave several categories possible,
 * the category is `undetermined` and `possibleCategories` lists them.
 */
export function evaluateNis2(input: Nis2Input): Nis2View {
  const { rules, activities, jurisdiction: j } = input
  const acts = rules.activities.filter((a) => activities.includes(a.id))
  const de = j === 'de'
  const sizeAtLeastMedium = input.possibleSizes.map((s) => s === 'large' || s === 'medium')
  const mediumOrLarge = (yes: Nis2Category, no: Nis2Category) =>
    uniq(sizeAtLeastMedium.map((m) => (m ? yes : no)))

  const rulesInOrder: (() => Fired | null)[] = [
    // 1. KRITIS operator.
    () =>
      input.kritisOperator
        ? {
            rule: 'kritis-operator',
            categories: ['essential'],
            reasons: [
              reason(
                'The company operates a critical facility (KRITIS): essential entity whatever its size.',
                'Das Unternehmen betreibt eine kritische Anlage (KRITIS): besonders wichtige Einrichtung unabhängig von der Größe.',
                de ? 'BSIG §28(1) Nr 1' : 'NIS2 Art. 3(1)(f)',
              ),
            ],
          }
        : null,
    // 2. Qualified trust service provider, TLD registry, DNS service provider.
    () => {
      const ids = acts.filter((a) => a.flags.sizeIndependent === 'essential').map((a) => a.id)
      if (!ids.length) return null
      const l = list(rules, ids)
      return {
        rule: 'size-independent',
        categories: ['essential'],
        reasons: [
          reason(
            `${l.en}: essential entity whatever the size (root name servers are excluded).`,
            `${l.de}: besonders wichtige Einrichtung unabhängig von der Größe (Root-Nameserver ausgenommen).`,
            de ? 'BSIG §28(1) Nr 2' : 'NIS2 Art. 2(2)(a)(ii)-(iii), Art. 3(1)(b)',
          ),
        ],
      }
    },
    // 3. Public telecommunications networks or services.
    () => {
      if (!acts.some((a) => a.flags.telecom)) return null
      const categories = mediumOrLarge('essential', 'important')
      const open = categories.length > 1
      const r: Reason[] = []
      if (categories.includes('essential'))
        r.push(
          open
            ? reason(
                'If at least 50 staff, or turnover and balance sheet both over €10,000,000: public telecommunications network or service, essential entity.',
                'Falls mindestens 50 Mitarbeitende oder Umsatz und Bilanzsumme jeweils über 10.000.000 €: öffentliches Telekommunikationsnetz oder -dienst, besonders wichtige Einrichtung.',
                de ? 'BSIG §28(1) Nr 3' : 'NIS2 Art. 3(1)(c)',
              )
            : reason(
                'Public telecommunications network or service with at least 50 staff, or turnover and balance sheet both over €10,000,000: essential entity.',
                'Öffentliches Telekommunikationsnetz oder -dienst mit mindestens 50 Mitarbeitenden oder Umsatz und Bilanzsumme jeweils über 10.000.000 €: besonders wichtige Einrichtung.',
                de ? 'BSIG §28(1) Nr 3' : 'NIS2 Art. 3(1)(c)',
              ),
        )
      if (categories.includes('important'))
        r.push(
          open
            ? reason(
                'If below the medium-size thresholds: public telecommunications network or service, important entity whatever the size.',
                'Falls unter den Schwellen eines mittleren Unternehmens: öffentliches Telekommunikationsnetz oder -dienst, wichtige Einrichtung unabhängig von der Größe.',
                de ? 'BSIG §28(2) Nr 2' : 'NIS2 Art. 2(2)(a)(i), Art. 3(2)',
              )
            : reason(
                'Public telecommunications network or service below the medium-size thresholds: important entity whatever the size.',
                'Öffentliches Telekommunikationsnetz oder -dienst unter den Schwellen eines mittleren Unternehmens: wichtige Einrichtung unabhängig von der Größe.',
                de ? 'BSIG §28(2) Nr 2' : 'NIS2 Art. 2(2)(a)(i), Art. 3(2)',
              ),
        )
      return { rule: 'telecom', categories, reasons: r }
    },
    // 4. Non-qualified trust service provider: an Annex 1 entity type, so essential when large
    //    (§28(1) Nr 4; NIS2 Art. 3(1)(a)); §28(2) Nr 1 makes the others important whatever the
    //    size ("Davon ausgenommen sind besonders wichtige Einrichtungen").
    () => {
      if (!acts.some((a) => a.flags.trustService === 'non-qualified')) return null
      const categories = uniq(
        input.possibleSizes.map((s): Nis2Category => (s === 'large' ? 'essential' : 'important')),
      )
      const r: Reason[] = []
      if (categories.includes('essential'))
        r.push(
          reason(
            categories.length > 1
              ? 'If the enterprise is large (at least 250 staff, or turnover over €50,000,000 and balance sheet over €43,000,000): non-qualified trust service provider, an Annex 1 entity type, essential entity.'
              : 'Non-qualified trust service provider, an Annex 1 entity type, and a large enterprise: essential entity.',
            categories.length > 1
              ? 'Falls Großunternehmen (mindestens 250 Mitarbeitende oder Umsatz über 50.000.000 € und Bilanzsumme über 43.000.000 €): nicht qualifizierter Vertrauensdiensteanbieter, eine Einrichtungsart der Anlage 1, besonders wichtige Einrichtung.'
              : 'Nicht qualifizierter Vertrauensdiensteanbieter, eine Einrichtungsart der Anlage 1, und Großunternehmen: besonders wichtige Einrichtung.',
            de ? 'BSIG §28(1) Nr 4, Anlage 1' : 'NIS2 Art. 2(2)(a)(iii), Art. 3(1)(a)',
          ),
        )
      if (categories.includes('important'))
        r.push(
          reason(
            categories.length > 1
              ? 'If the enterprise is not large: non-qualified trust service provider, important entity whatever the size.'
              : 'Non-qualified trust service provider below the large-enterprise thresholds: important entity whatever the size.',
            categories.length > 1
              ? 'Falls kein Großunternehmen: nicht qualifizierter Vertrauensdiensteanbieter, wichtige Einrichtung unabhängig von der Größe.'
              : 'Nicht qualifizierter Vertrauensdiensteanbieter unter den Schwellen eines Großunternehmens: wichtige Einrichtung unabhängig von der Größe.',
            de ? 'BSIG §28(2) Nr 1' : 'NIS2 Art. 2(2)(a)(iii), Art. 3(2)',
          ),
        )
      return { rule: 'trust-non-qualified', categories, reasons: r }
    },
    // 5. Public administration.
    () => {
      const pa = input.profile.publicAdministration
      // Municipal and state enterprises (Eigenbetriebe, Regiebetriebe) offer their services for
      // payment: decided by activity and size like any company (rule 6), not here.
      if (!pa || pa === 'municipal-enterprise' || pa === 'state-enterprise') return null
      if (pa === 'federal')
        return {
          rule: 'public-administration',
          categories: ['essential'],
          reasons: [
            reason(
              de
                ? 'Federal administration body: its own regime (BSIG §29 and Part 3, Chapter 3 — the federal administration) with duties comparable to those of essential entities; no fines apply.'
                : 'Central government public administration entity: essential entity.',
              de
                ? 'Einrichtung der Bundesverwaltung: eigenes Regime (BSIG §29 und Teil 3 Kapitel 3 – Bundesverwaltung) mit Pflichten vergleichbar denen besonders wichtiger Einrichtungen; Bußgelder gelten nicht.'
                : 'Einrichtung der öffentlichen Verwaltung der Zentralregierung: besonders wichtige Einrichtung.',
              de ? 'BSIG §29' : 'NIS2 Art. 2(2)(f)(i), Art. 3(1)(d)',
            ),
          ],
        }
      const level =
        pa === 'state' ? { en: 'State (Land)', de: 'Landes' } : { en: 'Municipal', de: 'Kommunal' }
      return {
        rule: 'public-administration',
        categories: ['state-law'],
        reasons: [
          de
            ? reason(
                `${level.en} administration is outside the federal law; the state's own law may apply.`,
                `${level.de}verwaltung fällt nicht unter das Bundesgesetz; das Recht des Landes kann gelten.`,
                'BSIG §28, §29; state law',
              )
            : reason(
                `${level.en} administration: the directive leaves it to the member state.`,
                `${level.de}verwaltung: Die Richtlinie überlässt dies dem Mitgliedstaat.`,
                pa === 'state' ? 'NIS2 Art. 2(2)(f)(ii)' : 'NIS2 Art. 2(5)(a)',
              ),
        ],
      }
    },
    // 6. Annex activity and size.
    () => {
      const annexI = acts.filter((a) => a.annex === 'I').map((a) => a.id)
      const annexII = acts.filter((a) => a.annex === 'II').map((a) => a.id)
      if (!annexI.length && !annexII.length) return null
      const categories = uniq(
        input.possibleSizes.map((s): Nis2Category => {
          if (s === 'large') return annexI.length ? 'essential' : 'important'
          if (s === 'medium') return 'important'
          return 'not-covered'
        }),
      )
      if (categories.length === 1 && categories[0] === 'not-covered') return null
      const r: Reason[] = []
      const refI = de ? 'BSIG §28(1) Nr 4, Anlage 1' : 'NIS2 Art. 3(1)(a), Annex I'
      const refII = de ? 'BSIG §28(2) Nr 3, Anlage 1 und 2' : 'NIS2 Art. 3(2), Annex I and II'
      const open = categories.length > 1
      if (categories.includes('essential')) {
        const l = list(rules, annexI)
        r.push(
          open
            ? reason(
                `If the enterprise is large: Annex I activity (${l.en}), essential entity.`,
                `Falls Großunternehmen: Tätigkeit nach Anlage 1 (${l.de}), besonders wichtige Einrichtung.`,
                refI,
              )
            : reason(
                `Annex I activity (${l.en}) and a large enterprise: essential entity.`,
                `Tätigkeit nach Anlage 1 (${l.de}) und Großunternehmen: besonders wichtige Einrichtung.`,
                refI,
              ),
        )
      }
      if (categories.includes('important')) {
        const l = list(rules, [...annexI, ...annexII])
        const an =
          annexI.length && annexII.length
            ? { en: 'Annex I or II', de: 'Anlage 1 oder 2' }
            : annexI.length
              ? { en: 'Annex I', de: 'Anlage 1' }
              : { en: 'Annex II', de: 'Anlage 2' }
        const annexIIOnly = !annexI.length && input.possibleSizes.includes('large')
        const size = annexIIOnly
          ? { en: 'medium-sized or large', de: 'mittleres oder Großunternehmen' }
          : { en: 'medium-sized', de: 'mittleres Unternehmen' }
        const never = annexIIOnly
          ? { en: ' (never essential by size alone)', de: ' (nie besonders wichtig allein nach Größe)' }
          : { en: '', de: '' }
        r.push(
          open
            ? reason(
                `If the enterprise is ${size.en}: ${an.en} activity (${l.en}), important entity${never.en}.`,
                `Falls ${size.de}: Tätigkeit nach ${an.de} (${l.de}), wichtige Einrichtung${never.de}.`,
                refII,
              )
            : reason(
                `${an.en} activity (${l.en}) and a ${size.en} enterprise: important entity${never.en}.`,
                `Tätigkeit nach ${an.de} (${l.de}) und ${size.de}: wichtige Einrichtung${never.de}.`,
                refII,
              ),
        )
      }
      if (categories.includes('not-covered'))
        r.push(
          reason(
            'If the enterprise is small or micro: not covered.',
            'Falls kleines oder Kleinstunternehmen: nicht erfasst.',
            de ? 'BSIG §28(1) Nr 4, §28(2) Nr 3' : 'NIS2 Art. 2(1)',
          ),
        )
      r.push(
        reason(
          'Applies when the service is offered to others for payment.',
          'Gilt, wenn die Leistung anderen gegen Entgelt angeboten wird.',
          de ? 'BSIG §28(1) Nr 4, §28(2) Nr 3' : 'NIS2 Art. 2(1)',
        ),
      )
      return { rule: 'annex-size', categories, reasons: r }
    },
  ]

  const fired = rulesInOrder.map((r) => r()).filter((x): x is Fired => x !== null)
  const first = fired[0]
  if (!first) return notCovered(input, acts.length > 0)
  const later = fired.slice(1).flatMap((f) =>
    f.reasons.map((r) => ({
      ...r,
      text: { en: `Also: ${r.text.en}`, de: `Außerdem: ${r.text.de}` },
    })),
  )
  const category = first.categories.length === 1 ? first.categories[0]! : 'undetermined'
  if (category === 'undetermined')
    first.reasons.unshift(
      reason(
        `The category depends on missing figures: it can be ${first.categories.map((c) => CATEGORY_TERMS[c].en).join(' or ')}.`,
        `Die Einstufung hängt von fehlenden Zahlen ab: möglich ist ${first.categories.map((c) => CATEGORY_TERMS[c].de).join(' oder ')}.`,
        de ? 'BSIG §28' : 'NIS2 Art. 3',
      ),
    )
  return {
    category,
    ...CATEGORY_TERMS[category],
    possibleCategories: [...first.categories].sort(order),
    decidedBy: first.rule,
    reasons: [...first.reasons, ...later],
  }
}

const ORDER: Nis2Category[] = ['essential', 'important', 'state-law', 'not-covered']
const order = (a: Nis2Category, b: Nis2Category) => ORDER.indexOf(a) - ORDER.indexOf(b)

function notCovered(input: Nis2Input, hasActivities: boolean): Nis2View {
  const de = input.jurisdiction === 'de'
  const r = hasActivities
    ? reason(
        'Small or micro enterprise with only size-dependent activities: not covered.',
        'Kleines oder Kleinstunternehmen mit nur größenabhängigen Tätigkeiten: nicht erfasst.',
        de ? 'BSIG §28(1) Nr 4, §28(2) Nr 3' : 'NIS2 Art. 2(1)',
      )
    : reason(
        'No activity of Annex I or II is counted: not covered.',
        'Keine Tätigkeit nach Anlage 1 oder 2 wird berücksichtigt: nicht erfasst.',
        de ? 'BSIG §28, Anlagen 1 und 2' : 'NIS2 Art. 2, Annex I and II',
      )
  return {
    category: 'not-covered',
    ...CATEGORY_TERMS['not-covered'],
    possibleCategories: ['not-covered'],
    decidedBy: 'none',
    reasons: [r],
  }
}

/** Whether a category brings the BSIG duties. */
export const isCovered = covered
