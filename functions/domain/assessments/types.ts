import type { CompanyProfile, ObligationDecision, Text } from '../obligations/index.js'

/** Record type of a recorded obligation decision (one per assessment execution). */
export const DECISION_RECORD = 'obligation-decision'

/** The conclusions a review may adjust and a diff compares. */
export const CONCLUSIONS = ['nis2', 'kritis', 'dpo', 'tisax'] as const
/** One of `CONCLUSIONS`. */
export type Conclusion = (typeof CONCLUSIONS)[number]

/** The headline of a decision: what applies, in a form lists and diffs can show. */
export interface DecisionOutcome {
  nis2: { category: ObligationDecision['nis2']['category']; en: string; de: string }
  kritis: boolean
  dpo: boolean | null
  tisax: { relevant: boolean | null; level: 'AL2' | 'AL3' | null }
}

/** Who did something and when. */
export interface Signature {
  userId: string
  name: string
  at: string
}

/** How the ISO resolved one judgement of the evaluation. */
export interface JudgementResolution {
  id: ObligationDecision['judgements'][number]['id']
  subject: string
  question: Text
  ref: string
  /** `confirmed`: the company's view stands; `rejected`: the rules ran again without it. */
  resolution: 'confirmed' | 'rejected'
  /** For the TISAX availability judgement: the level the ISO chose. */
  level?: 'AL2' | 'AL3'
}

/** A conclusion that differs from what the rules said, and why. */
export interface Adjustment {
  conclusion: Conclusion
  from: string
  to: string
  /** `iso`: adjusted in the review with a justification; `judgement`: follows from a resolved judgement. */
  source: 'iso' | 'judgement'
  justification: string
}

/** Status of a follow-up task on the record. */
export type FollowUpStatus = 'open' | 'done' | 'not-applicable'

/** A task that follows from a duty of the decision. */
export interface FollowUp {
  /** The duty id, or `dpo-appointment` / `tisax-assessment`. */
  id: string
  title: Text
  detail: Text
  ref: string
  /** Months after the decision the task is due. */
  dueWithinMonths: number
  /** Whether the law sets the deadline (registration) or it is our default. */
  legalDeadline: boolean
  dueAt: string
  assignee: 'iso' | 'management'
  status: FollowUpStatus
  /** Set when the task ran late and was escalated to management. */
  escalatedAt?: string
  completed?: Signature & { note?: string; evidence?: unknown[] }
  /** Done (or still open) under an earlier decision: no new task is opened. */
  carriedFrom?: string
}

/** A recorded obligation decision (record type `obligation-decision`, id = the execution name). */
export interface DecisionRecord {
  /** Shown in lists and in the management review package. */
  title: string
  /** One line: NIS2, KRITIS, DPO, TISAX. */
  summary: string
  /** 1 for the organisation's first decision, then +1. */
  sequence: number
  /** When management acknowledged it: the decision's date. */
  decidedAt: string
  rulesVersion: string
  execution: { arn: string; name: string }
  previousDecisionId: string | null
  /** The decision that replaced this one. */
  supersededBy?: string
  /** The questionnaire as filled in. */
  inputs: { formId: string; formVersion: number; answers: Record<string, unknown>; filledBy: Signature }
  profile: CompanyProfile
  /** What the rules said. */
  evaluated: ObligationDecision
  /** The decision after the ISO review (judgements resolved, adjustments applied). */
  decision: ObligationDecision
  outcome: DecisionOutcome
  judgements: JudgementResolution[]
  adjustments: Adjustment[]
  review: {
    outcome: 'confirm' | 'adjust'
    justification?: string
    judgementNotes?: string
    comment?: string
    by: Signature
  }
  acknowledgement: { typedName: string; statement: Text; comment?: string; by: Signature }
  /** What changed since the previous decision. */
  changes: import('./diff.js').DecisionDiff | null
  followUps: FollowUp[]
  /** When the next assessment opens (11 months after the decision). */
  reassessAt: string
}
