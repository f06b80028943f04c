import { categoryTerm, type ObligationDecision, type Text } from '../obligations/index.js'
import type { DecisionOutcome } from './types.js'

/** The headline of a decision (NIS2 category with both terms, KRITIS, DPO, TISAX level). */
export function outcomeOf(decision: ObligationDecision): DecisionOutcome {
  const term = categoryTerm(decision.nis2.category)
  return {
    nis2: { category: decision.nis2.category, en: term.en, de: term.de },
    kritis: decision.kritis.operator,
    dpo: decision.dpo.required,
    tisax: { relevant: decision.tisax.relevant, level: decision.tisax.assessmentLevel },
  }
}

const yesNo = (v: boolean | null, yes: Text, no: Text): Text =>
  v === null ? { en: 'unknown', de: 'unbekannt' } : v ? yes : no

/** The value of each conclusion as text, for summaries and diffs. */
export function conclusionTexts(o: DecisionOutcome): Record<'nis2' | 'kritis' | 'dpo' | 'tisax', Text> {
  return {
    nis2: { en: o.nis2.en, de: o.nis2.de },
    kritis: yesNo(o.kritis, { en: 'operator', de: 'Betreiber' }, { en: 'no', de: 'nein' }),
    dpo: yesNo(
      o.dpo,
      { en: 'required', de: 'erforderlich' },
      { en: 'not required', de: 'nicht erforderlich' },
    ),
    tisax:
      o.tisax.relevant === false
        ? { en: 'not relevant', de: 'nicht relevant' }
        : o.tisax.level
          ? { en: o.tisax.level, de: o.tisax.level }
          : { en: 'unknown', de: 'unbekannt' },
  }
}

/**
 * One line for lists and the management review package, German NIS2 term included:
 * `NIS2: important entity (wichtige Einrichtung) · KRITIS: no · DPO: required · TISAX: AL3`.
 */
export function summaryLine(o: DecisionOutcome): string {
  const t = conclusionTexts(o)
  return `NIS2: ${o.nis2.en} (${o.nis2.de}) · KRITIS: ${t.kritis.en} · DPO: ${t.dpo.en} · TISAX: ${t.tisax.en}`
}

/** The record title: `Obligation decision 2 of 2026-03-14` (stored in English; see `decisionTitleText`). */
export const decisionTitle = (sequence: number, decidedAt: string) =>
  `Obligation decision ${sequence} of ${decidedAt.slice(0, 10)}`

/**
 * A stored decision title in both languages (`Pflichtenentscheidung 2 vom 14.03.2026`);
 * any other text is the same in both.
 */
export function decisionTitleText(title: string): { en: string; de: string } {
  const m = /^Obligation decision (\d+) of (\d{4})-(\d{2})-(\d{2})$/.exec(title)
  if (!m) return { en: title, de: title }
  return { en: title, de: `Pflichtenentscheidung ${m[1]} vom ${m[4]}.${m[3]}.${m[2]}` }
}
