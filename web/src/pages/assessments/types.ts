/** What the assessments API answers, as the pages read it. */
import type {
  DecisionDiff,
  DecisionOutcome,
  DecisionRecord,
  FollowUp,
} from '../../../../functions/domain/assessments/index.js'

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
