import { z } from 'zod'
import { applyReview, outcomeOf, type ReviewAnswers, summaryLine } from '../domain/assessments/index.js'
import { companyProfileSchema, type ObligationDecision } from '../domain/obligations/index.js'
import { obligationCatalogue } from '../forms/catalogues.js'
import { parseEvent, signatureOf, taskResult } from './obligation-common.js'

/** Input of the review step: the ISO's review task result and what was evaluated. */
export const reviewInput = z.strictObject({
  review: taskResult,
  profile: companyProfileSchema,
  evaluated: z.record(z.string(), z.unknown()),
})

/**
 * Applies the ISO review, pure: every judgement must be resolved, an adjustment needs its
 * justification, and nothing may stay undetermined. Answers `{status: 'refused', problems}`
 * (the review task opens again showing them), `{status: 'returned', reason}` (the
 * questionnaire opens again), or `{status: 'ok', decision, outcome, summary, judgements,
 * adjustments, reviewedBy}`.
 */
export async function handler(event: unknown) {
  const input = parseEvent(reviewInput, event, 'obligation-review')
  const result = applyReview({
    profile: input.profile,
    evaluated: input.evaluated as unknown as ObligationDecision,
    answers: input.review.answers as ReviewAnswers,
    catalogue: obligationCatalogue(),
  })
  const by = signatureOf(input.review)
  if (result.status === 'returned') return { ...result, by }
  if (result.status === 'refused') return { ...result, by }
  const { outcome: choice, ...rest } = result
  const outcome = outcomeOf(result.decision)
  return { ...rest, choice, outcome, summary: summaryLine(outcome), by }
}
