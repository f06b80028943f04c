/**
 * Obligation assessments as recorded decisions: the ISO review applied to an evaluated
 * decision, the follow-up tasks its duties call for, the diff between two decisions and the
 * record's shape. Pure: the rules themselves live in `../obligations`.
 */
export { CONCLUSION_LABELS, type DecisionDiff, type DiffSide, diffDecisions } from './diff.js'
export { addMonthsIso, carryOver, followUpsFor, needsTask } from './follow-ups.js'
export { conclusionTexts, decisionTitle, decisionTitleText, outcomeOf, summaryLine } from './outcome.js'
export {
  applyReview,
  MIN_JUSTIFICATION,
  NO_JUDGEMENTS,
  REVIEW_FORM_ID,
  type ReviewAnswers,
  type ReviewResult,
  reviewPrefill,
} from './review.js'
export { adjustmentSchema, judgementResolutionSchema } from './schemas.js'
export {
  type Adjustment,
  CONCLUSIONS,
  type Conclusion,
  DECISION_RECORD,
  type DecisionOutcome,
  type DecisionRecord,
  type FollowUp,
  type FollowUpStatus,
  type JudgementResolution,
  type Signature,
} from './types.js'

/** Months after a decision when the next assessment opens. */
export const REASSESS_AFTER_MONTHS = 11

/** State machine (`workflows/obligation-assessment.asl.json`) that runs an assessment. */
export const ASSESSMENT_WORKFLOW = 'obligation-assessment'

/** Task kinds of the assessment workflow. */
export const ASSESSMENT_TASK_KINDS = {
  questionnaire: 'obligation-questionnaire',
  review: 'obligation-review',
  acknowledgement: 'obligation-acknowledgement',
  followUp: 'obligation-follow-up',
  escalation: 'obligation-escalation',
  acknowledgementEscalation: 'obligation-acknowledgement-escalation',
  followUpEscalation: 'obligation-follow-up-escalation',
} as const

/** Kinds whose open task means an assessment is in progress (not its follow-ups). */
export const IN_PROGRESS_KINDS: readonly string[] = [
  'obligation-questionnaire',
  'obligation-review',
  'obligation-acknowledgement',
  'obligation-escalation',
  'obligation-acknowledgement-escalation',
]
