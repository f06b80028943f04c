import type { SizeClass, SizeDecision } from './decision.js'
import type { CompanyProfile } from './profile.js'
import { eur, num, type Reason, reason } from './text.js'

/** Three-valued truth: `null` when missing figures leave it open. */
export type Tri = boolean | null

/** Size thresholds as the German text words them: "at least" staff, "over" money. */
export const SIZE_THRESHOLDS = {
  large: { employees: 250, annualTurnoverEur: 50_000_000, balanceSheetEur: 43_000_000 },
  medium: { employees: 50, annualTurnoverEur: 10_000_000, balanceSheetEur: 10_000_000 },
  small: { employees: 10, annualTurnoverEur: 2_000_000, balanceSheetEur: 2_000_000 },
} as const

type Key = 'employees' | 'annualTurnoverEur' | 'balanceSheetEur'
const KEYS: Key[] = ['employees', 'annualTurnoverEur', 'balanceSheetEur']

/** An aggregated figure: exact value when every part is known, and a lower bound from the known parts. */
interface Bound {
  value: number | null
  atLeast: number
}

const round = (n: number) => Math.round(n * 1e6) / 1e6
const ge = (b: Bound, t: number): Tri => (b.atLeast >= t ? true : b.value === null ? null : false)
const gt = (b: Bound, t: number): Tri => (b.atLeast > t ? true : b.value === null ? null : false)
/** Kleene "and". */
export const and3 = (x: Tri, y: Tri): Tri =>
  x === false || y === false ? false : x === true && y === true ? true : null
/** Kleene "or". */
export const or3 = (x: Tri, y: Tri): Tri =>
  x === true || y === true ? true : x === false && y === false ? false : null

/** Size computation plus the profile paths of figures that were needed but missing. */
export interface SizeResult extends SizeDecision {
  missingFields: string[]
  /** Partner rows whose share lies outside 25–50 % (only reachable without the schema). */
  badShares: number[]
}

/**
 * Aggregates own, linked (100 %) and partner (pro rata) figures — or own figures only when
 * `addGroup` is false — and classifies the size with three-valued logic, so missing figures
 * never become a guess: a class is only given when every possibility agrees.
 */
export function computeSize(profile: CompanyProfile, addGroup: boolean): SizeResult {
  const linked = profile.linkedEnterprises ?? []
  const partners = profile.partnerEnterprises ?? []
  const hasGroup = linked.length + partners.length > 0
  const contributions: SizeDecision['contributions'] = []
  const missingFields: string[] = []
  const badShares: number[] = []
  const scaled = (v: number | null | undefined, factor: number) => (v == null ? null : round(v * factor))

  const push = (
    source: 'own' | 'linked' | 'partner',
    row: Partial<Record<Key, number | null>> & { name?: string },
    factor: number,
    path: string,
    index?: number,
  ) => {
    const c = {
      source,
      ...(index === undefined ? {} : { index }),
      ...(row.name ? { name: row.name } : {}),
      factor,
      employees: scaled(row.employees, factor),
      annualTurnoverEur: scaled(row.annualTurnoverEur, factor),
      balanceSheetEur: scaled(row.balanceSheetEur, factor),
    }
    contributions.push(c)
    if (factor > 0) for (const k of KEYS) if (row[k] == null) missingFields.push(path ? `${path}.${k}` : k)
  }

  push('own', profile, 1, '')
  linked.forEach((row, i) => {
    push('linked', row, addGroup ? 1 : 0, `linkedEnterprises.${i}`, i)
  })
  partners.forEach((row, i) => {
    const share = row.sharePercent
    if (share < 25 || share > 50) badShares.push(i)
    const factor = addGroup && share >= 25 ? share / 100 : 0
    push('partner', row, factor, `partnerEnterprises.${i}`, i)
  })

  const bound = (k: Key): Bound => {
    const parts = contributions.filter((c) => c.factor > 0).map((c) => c[k])
    const atLeast = round(parts.reduce<number>((s, v) => s + (v ?? 0), 0))
    return { value: parts.some((v) => v === null) ? null : atLeast, atLeast }
  }
  const E = bound('employees')
  const T = bound('annualTurnoverEur')
  const B = bound('balanceSheetEur')

  const level = (t: (typeof SIZE_THRESHOLDS)[keyof typeof SIZE_THRESHOLDS]): Tri =>
    or3(ge(E, t.employees), and3(gt(T, t.annualTurnoverEur), gt(B, t.balanceSheetEur)))
  const possibleClasses: SizeClass[] = []
  const levels: [SizeClass, Tri][] = [
    ['large', level(SIZE_THRESHOLDS.large)],
    ['medium', level(SIZE_THRESHOLDS.medium)],
    ['small', level(SIZE_THRESHOLDS.small)],
  ]
  let settled = false
  for (const [cls, holds] of levels) {
    if (holds === false) continue
    possibleClasses.push(cls)
    if (holds === true) {
      settled = true
      break
    }
  }
  if (!settled) possibleClasses.push('micro')
  const cls = possibleClasses.length === 1 ? possibleClasses[0]! : null

  const groupFiguresAdded = addGroup && hasGroup
  const method = !hasGroup
    ? {
        en: 'Own figures only: no linked or partner enterprises were given.',
        de: 'Nur eigene Zahlen: keine verbundenen oder Partnerunternehmen angegeben.',
      }
    : groupFiguresAdded
      ? {
          en: `Own figures plus 100 % of ${linked.length} linked and the share of ${partners.length} partner enterprise(s) (EU recommendation 2003/361/EC as applied by §28(4) BSIG).`,
          de: `Eigene Zahlen plus 100 % von ${linked.length} verbundenen und der Anteil von ${partners.length} Partnerunternehmen (Empfehlung 2003/361/EG, angewandt nach §28 Abs. 4 BSIG).`,
        }
      : {
          en: 'Own figures only: the company runs its IT systems independently of its group, so linked and partner figures are not added.',
          de: 'Nur eigene Zahlen: Das Unternehmen betreibt seine IT unabhängig von der Gruppe, daher werden Zahlen verbundener und Partnerunternehmen nicht hinzugerechnet.',
        }

  const reasons: Reason[] = []
  if (hasGroup && !addGroup)
    reasons.push(
      reason(
        'Group figures are not added because the company runs its IT systems independently of its linked and partner enterprises.',
        'Zahlen der Gruppe werden nicht hinzugerechnet, weil das Unternehmen seine IT-Systeme unabhängig von verbundenen und Partnerunternehmen betreibt.',
        'BSIG §28(4) sentence 2',
      ),
    )
  reasons.push(...explainClass(cls, E, T, B))

  const atLeast = { employees: E.atLeast, annualTurnoverEur: T.atLeast, balanceSheetEur: B.atLeast }
  return {
    class: cls,
    possibleClasses,
    figures: { employees: E.value, annualTurnoverEur: T.value, balanceSheetEur: B.value },
    atLeast,
    groupFiguresAdded,
    contributions,
    method,
    reasons,
    missingFields: [...new Set(missingFields)],
    badShares,
  }
}

const show = (b: Bound, money: boolean) => {
  if (b.value === null && b.atLeast === 0) return { en: 'unknown', de: 'unbekannt' }
  if (b.value === null)
    return {
      en: `at least ${fmt(b.atLeast, money).en} (incomplete)`,
      de: `mindestens ${fmt(b.atLeast, money).de} (unvollständig)`,
    }
  return fmt(b.value, money)
}
const fmt = (n: number, money: boolean) => (money ? eur(n) : num(n))

function explainClass(cls: SizeClass | null, E: Bound, T: Bound, B: Bound): Reason[] {
  const e = show(E, false)
  const t = show(T, true)
  const b = show(B, true)
  const ref = 'BSIG §28(1) Nr 4, §28(2) Nr 3; EU recommendation 2003/361/EC'
  const figures = {
    en: `staff ${e.en}${e.en === 'unknown' ? '' : ' annual work units'}, turnover ${t.en}, balance sheet ${b.en}`,
    de: `Mitarbeitende ${e.de}${e.de === 'unbekannt' ? '' : ' Jahresarbeitseinheiten'}, Umsatz ${t.de}, Bilanzsumme ${b.de}`,
  }
  switch (cls) {
    case 'large':
      return [
        reason(
          `Large enterprise: at least 250 staff, or turnover over €50,000,000 and balance sheet over €43,000,000 (${figures.en}).`,
          `Großunternehmen: mindestens 250 Mitarbeitende oder Umsatz über 50.000.000 € und Bilanzsumme über 43.000.000 € (${figures.de}).`,
          ref,
        ),
      ]
    case 'medium':
      return [
        reason(
          `Medium-sized enterprise: at least 50 staff, or turnover over €10,000,000 and balance sheet over €10,000,000, but below the large thresholds (${figures.en}).`,
          `Mittleres Unternehmen: mindestens 50 Mitarbeitende oder Umsatz über 10.000.000 € und Bilanzsumme über 10.000.000 €, aber unter den Schwellen eines Großunternehmens (${figures.de}).`,
          ref,
        ),
      ]
    case 'small':
    case 'micro':
      return [
        reason(
          `${cls === 'small' ? 'Small' : 'Micro'} enterprise: fewer than 50 staff and not both turnover and balance sheet over €10,000,000 (${figures.en}).`,
          `${cls === 'small' ? 'Kleines Unternehmen' : 'Kleinstunternehmen'}: weniger als 50 Mitarbeitende und nicht zugleich Umsatz und Bilanzsumme über 10.000.000 € (${figures.de}).`,
          ref,
        ),
      ]
    default:
      return [
        reason(
          `The size cannot be determined because figures are missing (${figures.en}).`,
          `Die Größe lässt sich nicht bestimmen, weil Zahlen fehlen (${figures.de}).`,
          ref,
        ),
      ]
  }
}
