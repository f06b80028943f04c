/** What the assessments API answers, as the pages read it. */
import type {
  Adjustment,
  DecisionDiff,
  DecisionOutcome,
  DecisionRecord,
  FollowUp,
  Signature,
} from '../../../../functions/domain/assessments/index.js'
import type { ObligationDecision, Text } from '../../../../functions/domain/obligations/index.js'

/** `GET /api/assessments`, its decision rows and the assessments under way (the API's contracts). */
export type {
  AssessmentList,
  DecisionRow,
  InProgressRow,
} from '../../../../functions/domain/contracts/obligations.js'

/** `GET /api/assessments/:id`. */
export type DecisionDetail = DecisionRecord & {
  id: string
  version: number
  createdAt: string
  updatedAt: string
  followUps: FollowUp[]
  openTasks: {
    taskId: string
    kind: string
    decisionId: string | null
    followUpId: string | null
    dueAt: string | null
  }[]
  history: { at: string; action: string; actor: { userId: string; name?: string } }[]
}

/** One side of a diff. */
export interface DiffSide {
  id: string
  sequence: number
  decidedAt: string
  summary: string
  outcome: DecisionOutcome
}

/** `GET /api/assessments/diff`. */
export interface DiffView {
  a: DiffSide
  b: DiffSide
  diff: DecisionDiff
}

/**
 * What an obligation task carries in `context` (the review and the acknowledgement, as the
 * obligation-assessment workflow writes it): the evaluated or reviewed decision, what changed
 * since the previous one, a refused review's problems, the ISO's adjustments and review.
 */
export interface ObligationTaskContext {
  decision?: ObligationDecision
  changes?: DecisionDiff | null
  /** The problems of a review the rules refused (the review task comes back with them). */
  refusal?: { field: string; text: Text }[] | null
  adjustments?: Adjustment[]
  previous?: { id: string; sequence: number; summary?: string } | null
  /** The ISO's review: its note for management is what management reads before signing. */
  review?: { outcome?: string; by?: Signature; justification?: string; comment?: string } | null
}
