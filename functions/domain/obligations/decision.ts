import type { ActivityId, FacilityTypeId } from './facts.js'
import type { Reason, Text } from './text.js'

/** NIS2 categories; `undetermined` when missing facts could change the category. */
export type Nis2Category = 'essential' | 'important' | 'not-covered' | 'state-law'

/** The rule of obligations.md §1 that decided the category. */
export type Nis2Rule =
  | 'kritis-operator'
  | 'size-independent'
  | 'telecom'
  | 'trust-non-qualified'
  | 'public-administration'
  | 'annex-size'
  | 'none'

/** Size classes, German thresholds (at least 250/50/10 staff; over €50M/43M, €10M, €2M). */
export type SizeClass = 'large' | 'medium' | 'small' | 'micro'

/** One NIS2 view (Germany, or the directive's). */
export interface Nis2View {
  /** The category, or `undetermined` when missing facts could change it (see `possibleCategories`). */
  category: Nis2Category | 'undetermined'
  /** The German term (`besonders wichtige Einrichtung`, …). */
  de: string
  /** The English term. */
  en: string
  /** Every category consistent with the known facts (one element when determined). */
  possibleCategories: Nis2Category[]
  /** The rule that decided (first rule that fired). */
  decidedBy: Nis2Rule
  /** The deciding rule's reasons first, then reasons added by later rules. */
  reasons: Reason[]
}

/** Fine ranges of §65 BSIG for the category. */
export interface Fines {
  /** Fixed maximum in euros. */
  maxEur: number
  /** Percentage of worldwide annual group turnover where that is higher. */
  percentOfTurnover: number
  /** The resulting cap when the group turnover is known: max(maxEur, percent × turnover). */
  capEur: number | null
  /** Maximum fine for failing to register (§33). */
  registrationMaxEur: number
  text: Text
  ref: string
}

/** The German NIS2 result plus the directive's view beside it. */
export interface Nis2Decision extends Nis2View {
  /** The directive's view; `differs` says whether it comes out differently. */
  eu: Nis2View & { differs: boolean }
  /** Duty carve-outs (DORA, gematik, TKG/EnWG) that change duties, not the category. */
  carveOuts: { id: 'dora' | 'tkg' | 'enwg'; text: Text; ref: string }[]
  /** Fine ranges, `null` when not covered or for federal bodies. */
  fines: Fines | null
}

/** One facility checked against its threshold. */
export interface FacilityResult {
  /** Position in `criticalFacilities`. */
  index: number
  type: FacilityTypeId
  title: Text
  name?: string
  value: number
  threshold: number
  unit: Text
  meetsThreshold: boolean
}

/** KRITIS result (obligations.md §2). */
export interface KritisDecision {
  operator: boolean
  /** The facilities that meet their threshold. */
  facilities: FacilityResult[]
  /** The facilities checked and found below their threshold. */
  belowThreshold: FacilityResult[]
  /** Whether the company declared itself an operator (`kritisOperator`), `null` when not said. */
  declared: boolean | null
  reasons: Reason[]
}

/** One condition of the DPO duty and whether it holds (`null` = not known). */
export interface DpoCondition {
  id:
    | 'public-body'
    | 'monitoring'
    | 'special-categories'
    | 'persons-processing'
    | 'dpia'
    | 'commercial-transfer'
  holds: boolean | null
  text: Text
  ref: string
}

/** Data protection officer result (obligations.md §3). */
export interface DpoDecision {
  /** `null` when no condition holds and some are unknown. */
  required: boolean | null
  conditions: DpoCondition[]
  reasons: Reason[]
}

/** A TISAX objective that drives the assessment level. */
export interface TisaxObjective {
  id:
    | 'info-high'
    | 'info-very-high'
    | 'availability-high'
    | 'availability-very-high'
    | 'prototype'
    | 'data'
    | 'special-data'
  level: 'AL2' | 'AL3'
  title: Text
}

/** TISAX result (obligations.md §4). */
export interface TisaxDecision {
  /** `null` when automotive facts are missing for an automotive business. */
  relevant: boolean | null
  /** The level, `null` when not relevant or when unknown facts could raise it (see `minimumLevel`). */
  assessmentLevel: 'AL2' | 'AL3' | null
  /** The level the known objectives require. */
  minimumLevel: 'AL2' | 'AL3' | null
  objectives: TisaxObjective[]
  labelValidityYears: 3
  reasons: Reason[]
}

/** A recommendation (ISO 27001, information security officer). */
export interface Recommendation {
  recommended: boolean
  /** Legally required (federal bodies must appoint a security officer, §45). */
  required: boolean
  reasons: Reason[]
}

/** Aggregated size with the computation shown. */
export interface SizeDecision {
  /** The class, `null` when missing figures leave more than one possible. */
  class: SizeClass | null
  possibleClasses: SizeClass[]
  /** Aggregated figures; `null` where a needed figure is missing. */
  figures: { employees: number | null; annualTurnoverEur: number | null; balanceSheetEur: number | null }
  /** Lower bounds from the known parts (equal to `figures` when complete). */
  atLeast: { employees: number; annualTurnoverEur: number; balanceSheetEur: number }
  /** Whether linked and partner figures were added (not when IT runs independently, §28(4)). */
  groupFiguresAdded: boolean
  /** Every part and the factor it was counted with (own 1, linked 1, partner share/100, or 0 when not added). */
  contributions: {
    source: 'own' | 'linked' | 'partner'
    /** Row index in `linkedEnterprises` / `partnerEnterprises`. */
    index?: number
    name?: string
    factor: number
    employees: number | null
    annualTurnoverEur: number | null
    balanceSheetEur: number | null
  }[]
  method: Text
  reasons: Reason[]
}

/** A duty that follows from the result. */
export interface Duty {
  id:
    | 'bsi-registration'
    | 'registration-extra-data'
    | 'risk-measures'
    | 'incident-reporting'
    | 'management-duties'
    | 'attack-detection'
    | 'kritis-audit'
  title: Text
  detail: Text
  ref: string
  /** Deadline relative to the decision (registration: 3 months), or per event (reporting steps). */
  dueWithin?: { months?: number; hours?: number }
  /** Parts: the ten measures, the reporting steps. */
  items?: { id: string; text: Text; ref?: string; within?: { hours?: number; months?: number } }[]
  /** Where another law sets the duty instead (DORA, TKG, EnWG); registration always remains. */
  replacedBy?: { text: Text; ref: string }
  /** True while the NIS2 category is undetermined: the duty applies if the entity is covered. */
  provisional: boolean
}

/** A point the ISO must confirm, where the law leaves room. */
export interface Judgement {
  id: 'negligible-activity' | 'it-independence' | 'tisax-very-high-availability'
  /** The field or activity it concerns. */
  subject: string
  question: Text
  explanation: Text
  ref: string
  /** The outcome if the ISO does not confirm the company's view (e.g. the NIS2 category). */
  ifRejected?: string
}

/** A fact that is missing or contradictory; never guessed. */
export interface MissingFact {
  /** Path in the profile, e.g. `balanceSheetEur`, `linkedEnterprises.0.employees`. */
  field: string
  kind: 'missing' | 'contradictory'
  text: Text
  /** Conclusions it can change. */
  affects: ('nis2' | 'size' | 'kritis' | 'dpo' | 'tisax' | 'duties')[]
}

/** The decision of `evaluateObligations`: every conclusion with its reasons and references. */
export interface ObligationDecision {
  /** Legal basis and rules version the decision was made under. */
  basis: { rulesVersion: string; law: Text }
  /** Activities counted (declared minus those declared negligible). */
  activitiesCounted: ActivityId[]
  nis2: Nis2Decision
  kritis: KritisDecision
  dpo: DpoDecision
  tisax: TisaxDecision
  iso27001: Recommendation
  informationSecurityOfficer: Recommendation
  size: SizeDecision
  duties: Duty[]
  judgements: Judgement[]
  missingFacts: MissingFact[]
}
