/** What the assessments API answers, as the pages read it. */
import type {
  DecisionDiff,
  DecisionOutcome,
  DecisionRecord,
  FollowUp,
  Signature,
} from '../../../../functions/domain/assessments/index.js'
import type { Text } from '../../../../functions/domain/obligations/index.js'

/** One row of `GET /api/assessments`. */
export interface DecisionRow {
  id: string
  version: number
  sequence: number
  title: string
  summary: string
  decidedAt: string
  outcome: DecisionOutcome
  current: boolean
  previousDecisionId: string | null
  supersededBy: string | null
  reviewedBy: Signature
  reviewOutcome: 'confirm' | 'adjust'
  acknowledgedBy: Signature & { typedName: string }
  adjustments: number
  followUps: { total: number; open: number; done: number }
  reassessAt: string
}

/** An assessment under way. */
export interface InProgressRow {
  assessmentId: string
  executionArn: string
  stage: string
  taskId: string
  title: Text
  status: string
  dueAt: string | null
  assigneeUserId: string | null
  candidateRole: string | null
  createdAt: string
}

/** `GET /api/assessments`. */
export interface AssessmentList {
  items: DecisionRow[]
  inProgress: InProgressRow[]
}

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
