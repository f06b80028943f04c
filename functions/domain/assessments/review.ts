/**
 * The ISO review of an evaluated decision (form `obligation-review`): judgements resolved,
 * conclusions confirmed or adjusted with a justification. Rejected judgements run the rules
 * again on the corrected profile; adjustments override a conclusion and recompute the
 * duties, fines and recommendations that depend on it. Nothing here re-implements a rule.
 */
import { carveOuts, duties, fines } from '../obligations/duties.js'
import {
  type CompanyProfile,
  categoryTerm,
  evaluateObligations,
  type Nis2Category,
  type ObligationDecision,
  type RulesCatalogue,
  type Text,
} from '../obligations/index.js'
import { recommendations } from '../obligations/recommend.js'
import type { Adjustment, Conclusion, JudgementResolution } from './types.js'

/** Form id of the ISO review. */
export const REVIEW_FORM_ID = 'obligation-review'

/** The answer of `judgementsOpen` when the rules left nothing to judge. */
export const NO_JUDGEMENTS = 'none'

/** Prefill of the review form: the judgements the evaluation left open (or `none`). */
export function reviewPrefill(decision: ObligationDecision): { judgementsOpen: string[] } {
  const ids = [...new Set(decision.judgements.map((j) => j.id))]
  return { judgementsOpen: ids.length ? ids : [NO_JUDGEMENTS] }
}

/** The review answers the step reads (cleaned answers of `obligation-review`). */
export interface ReviewAnswers {
  negligibleConfirmed?: 'yes' | 'no'
  itIndependenceConfirmed?: 'yes' | 'no'
  tisaxAvailabilityLevel?: 'AL2' | 'AL3'
  judgementNotes?: string
  outcome?: 'confirm' | 'adjust' | 'return'
  adjustments?: Conclusion[]
  adjustNis2?: Nis2Category
  adjustKritis?: 'yes' | 'no'
  adjustDpo?: 'yes' | 'no'
  adjustTisax?: 'none' | 'AL2' | 'AL3'
  justification?: string
  returnReason?: string
  comment?: string
}

/** Shortest justification accepted for an adjustment. */
export const MIN_JUSTIFICATION = 20

/** The outcome of applying a review. */
export type ReviewResult =
  | {
      status: 'ok'
      outcome: 'confirm' | 'adjust'
      decision: ObligationDecision
      judgements: JudgementResolution[]
      adjustments: Adjustment[]
    }
  /** Something the ISO must still resolve; each problem names the review question. */
  | { status: 'refused'; problems: { field: string; text: Text }[] }
  /** The ISO sent the questionnaire back to be completed. */
  | { status: 'returned'; reason: string }

const t = (en: string, de: string): Text => ({ en, de })
const covered = (c: string) => c === 'essential' || c === 'important'

/**
 * Applies the ISO's review answers to the evaluated decision.
 *
 * @example
 * const r = applyReview({ profile, evaluated, answers, catalogue })
 * if (r.status === 'refused') // show r.problems at the review task again
 */
export function applyReview(input: {
  profile: CompanyProfile
  evaluated: ObligationDecision
  answers: ReviewAnswers
  catalogue: RulesCatalogue
}): ReviewResult {
  const { evaluated, catalogue } = input
  const a = input.answers
  const problems: { field: string; text: Text }[] = []
  const need = (field: string, en: string, de: string) => problems.push({ field, text: t(en, de) })

  if (a.outcome === 'return') {
    const reason = a.returnReason?.trim()
    if (!reason)
      need(
        'returnReason',
        'Say what is missing in the questionnaire.',
        'Geben Sie an, was im Fragebogen fehlt.',
      )
    else return { status: 'returned', reason }
  }
  if (a.outcome !== 'confirm' && a.outcome !== 'adjust' && a.outcome !== 'return')
    need(
      'outcome',
      'Choose confirm, adjust or send back.',
      'Wählen Sie bestätigen, anpassen oder zurückgeben.',
    )

  // Judgements: each one resolved, with a note.
  const judgements: JudgementResolution[] = []
  let profile = input.profile
  for (const j of evaluated.judgements) {
    const base = { id: j.id, subject: j.subject, question: j.question, ref: j.ref }
    if (j.id === 'negligible-activity') {
      if (!a.negligibleConfirmed)
        need(
          'negligibleConfirmed',
          `Confirm or reject that ${j.subject} is negligible.`,
          `Bestätigen oder verwerfen Sie, dass ${j.subject} vernachlässigbar ist.`,
        )
      else
        judgements.push({ ...base, resolution: a.negligibleConfirmed === 'yes' ? 'confirmed' : 'rejected' })
    } else if (j.id === 'it-independence') {
      if (!a.itIndependenceConfirmed)
        need(
          'itIndependenceConfirmed',
          'Confirm or reject that the IT runs independently of the group.',
          'Bestätigen oder verwerfen Sie, dass die IT unabhängig von der Gruppe betrieben wird.',
        )
      else
        judgements.push({
          ...base,
          resolution: a.itIndependenceConfirmed === 'yes' ? 'confirmed' : 'rejected',
        })
    } else if (j.id === 'tisax-very-high-availability') {
      if (!a.tisaxAvailabilityLevel)
        need(
          'tisaxAvailabilityLevel',
          'Choose AL2 or AL3 for very high availability.',
          'Wählen Sie AL2 oder AL3 für sehr hohe Verfügbarkeit.',
        )
      else
        judgements.push({
          ...base,
          resolution: a.tisaxAvailabilityLevel === 'AL2' ? 'confirmed' : 'rejected',
          level: a.tisaxAvailabilityLevel,
        })
    }
  }
  if (evaluated.judgements.length > 0 && !a.judgementNotes?.trim())
    need(
      'judgementNotes',
      'Explain how you resolved the judgements.',
      'Erläutern Sie, wie Sie die Ermessensfragen entschieden haben.',
    )
  if (problems.length) return { status: 'refused', problems }

  // Rejected judgements: the rules run again without the company's view.
  const adjustments: Adjustment[] = []
  const rejected = (id: JudgementResolution['id']) =>
    judgements.some((j) => j.id === id && j.resolution === 'rejected')
  if (rejected('negligible-activity')) profile = { ...profile, negligibleActivities: [] }
  if (rejected('it-independence')) profile = { ...profile, itIndependentOfGroup: false }
  let decision: ObligationDecision =
    profile === input.profile ? structuredClone(evaluated) : evaluateObligations(profile, catalogue)
  // Judgements the ISO settled are not open any more.
  decision.judgements = decision.judgements.filter((j) => !judgements.some((r) => r.id === j.id))
  if (decision.nis2.category !== evaluated.nis2.category)
    adjustments.push({
      conclusion: 'nis2',
      from: evaluated.nis2.category,
      to: decision.nis2.category,
      source: 'judgement',
      justification: a.judgementNotes!.trim(),
    })
  if (judgements.some((j) => j.level === 'AL3') && decision.tisax.assessmentLevel !== 'AL3') {
    adjustments.push({
      conclusion: 'tisax',
      from: String(decision.tisax.assessmentLevel),
      to: 'AL3',
      source: 'judgement',
      justification: a.judgementNotes!.trim(),
    })
    decision = withTisax(decision, 'AL3', a.judgementNotes!.trim())
  }

  // Adjustments by the ISO, each with the justification.
  if (a.outcome === 'adjust') {
    const justification = a.justification?.trim() ?? ''
    if (justification.length < MIN_JUSTIFICATION)
      need(
        'justification',
        `Justify the adjustment (at least ${MIN_JUSTIFICATION} characters).`,
        `Begründen Sie die Anpassung (mindestens ${MIN_JUSTIFICATION} Zeichen).`,
      )
    const chosen = a.adjustments ?? []
    if (chosen.length === 0) need('adjustments', 'Choose what you adjust.', 'Wählen Sie, was Sie anpassen.')
    for (const c of chosen) {
      const next = adjustedValue(c, a)
      const field = `adjust${c.charAt(0).toUpperCase()}${c.slice(1)}`
      if (next === undefined) {
        need(field, 'Choose the adjusted value.', 'Wählen Sie den angepassten Wert.')
        continue
      }
      const from = currentValue(c, decision)
      if (next === from) {
        need(
          field,
          'This is what the evaluation says; confirm instead or choose another value.',
          'Das ergibt bereits die Bewertung; bestätigen Sie stattdessen oder wählen Sie einen anderen Wert.',
        )
        continue
      }
      adjustments.push({ conclusion: c, from, to: next, source: 'iso', justification })
    }
    if (problems.length) return { status: 'refused', problems }
    for (const adj of adjustments.filter((x) => x.source === 'iso'))
      decision = applyAdjustment(decision, adj, { profile, catalogue })
  }

  // Nothing may stay open once the decision is recorded.
  if (decision.nis2.category === 'undetermined')
    need(
      'outcome',
      'The NIS2 category is undetermined because facts are missing: send the questionnaire back, or adjust the category with a justification.',
      'Die NIS2-Einstufung ist unbestimmt, weil Angaben fehlen: Geben Sie den Fragebogen zurück oder passen Sie die Einstufung mit Begründung an.',
    )
  if (decision.dpo.required === null)
    need(
      'outcome',
      'Whether a data protection officer is required is unknown: send the questionnaire back, or adjust it with a justification.',
      'Ob ein Datenschutzbeauftragter erforderlich ist, ist unbekannt: Geben Sie den Fragebogen zurück oder passen Sie es mit Begründung an.',
    )
  if (
    decision.tisax.relevant === null ||
    (decision.tisax.relevant && decision.tisax.assessmentLevel === null)
  )
    need(
      'outcome',
      'The TISAX level is unknown: send the questionnaire back, or adjust it with a justification.',
      'Das TISAX-Niveau ist unbekannt: Geben Sie den Fragebogen zurück oder passen Sie es mit Begründung an.',
    )
  if (problems.length) return { status: 'refused', problems }
  return { status: 'ok', outcome: a.outcome as 'confirm' | 'adjust', decision, judgements, adjustments }
}

function adjustedValue(c: Conclusion, a: ReviewAnswers): string | undefined {
  if (c === 'nis2') return a.adjustNis2
  if (c === 'kritis') return a.adjustKritis === undefined ? undefined : String(a.adjustKritis === 'yes')
  if (c === 'dpo') return a.adjustDpo === undefined ? undefined : String(a.adjustDpo === 'yes')
  return a.adjustTisax
}

function currentValue(c: Conclusion, d: ObligationDecision): string {
  if (c === 'nis2') return d.nis2.category
  if (c === 'kritis') return String(d.kritis.operator)
  if (c === 'dpo') return String(d.dpo.required)
  return d.tisax.relevant === false ? 'none' : String(d.tisax.assessmentLevel)
}

const reviewReason = (justification: string) => ({
  text: t(
    `Adjusted in the ISO review: ${justification}`,
    `In der Prüfung durch den ISB angepasst: ${justification}`,
  ),
  ref: 'ISO review',
})

function withTisax(d: ObligationDecision, level: 'none' | 'AL2' | 'AL3', justification: string) {
  const next = structuredClone(d)
  next.tisax.relevant = level !== 'none'
  next.tisax.assessmentLevel = level === 'none' ? null : level
  next.tisax.reasons.unshift(reviewReason(justification))
  return next
}

/** The group turnover the fines read (own plus linked enterprises), `null` when a figure is missing. */
function groupTurnover(d: ObligationDecision): number | null {
  const parts = d.size.contributions.filter((c) => c.source === 'own' || c.source === 'linked')
  return parts.some((c) => c.annualTurnoverEur === null)
    ? null
    : parts.reduce((s, c) => s + (c.annualTurnoverEur ?? 0), 0)
}

/** Overrides one conclusion and recomputes what depends on it (duties, fines, recommendations). */
function applyAdjustment(
  d: ObligationDecision,
  adj: Adjustment,
  ctx: { profile: CompanyProfile; catalogue: RulesCatalogue },
): ObligationDecision {
  if (adj.conclusion === 'tisax') return withTisax(d, adj.to as 'none' | 'AL2' | 'AL3', adj.justification)
  const next = structuredClone(d)
  const reason = reviewReason(adj.justification)
  if (adj.conclusion === 'dpo') {
    next.dpo.required = adj.to === 'true'
    next.dpo.reasons.unshift(reason)
    return next
  }
  if (adj.conclusion === 'kritis') {
    next.kritis.operator = adj.to === 'true'
    next.kritis.reasons.unshift(reason)
  } else {
    const category = adj.to as Nis2Category
    const term = categoryTerm(category)
    next.nis2.category = category
    next.nis2.possibleCategories = [category]
    next.nis2.en = term.en
    next.nis2.de = term.de
    next.nis2.reasons.unshift(reason)
  }
  const federal = ctx.profile.publicAdministration === 'federal'
  const dora = ctx.profile.doraFinancialEntity === true
  const category = next.nis2.category as Nis2Category
  next.duties = duties({
    nis2: { category, possibleCategories: [category] },
    kritisOperator: next.kritis.operator,
    activities: next.activitiesCounted,
    rules: ctx.catalogue,
    dora,
    federal,
  })
  next.nis2.fines = fines(category, federal, groupTurnover(next))
  next.nis2.carveOuts = covered(category)
    ? carveOuts({ activities: next.activitiesCounted, rules: ctx.catalogue, dora })
    : []
  const rec = recommendations({
    possibleCategories: [category],
    kritisOperator: next.kritis.operator,
    tisaxRelevant: next.tisax.relevant,
    federal,
  })
  next.iso27001 = rec.iso27001
  next.informationSecurityOfficer = rec.informationSecurityOfficer
  return next
}
