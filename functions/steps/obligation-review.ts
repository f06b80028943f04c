import { z } from 'zod'
import { applyReview, outcomeOf, type ReviewAnswers, summaryLine } from '../domain/assessments/index.js'
import { companyProfileSchema, obligationDecisionSchema } from '../domain/obligations/index.js'
import { obligationCatalogue } from '../forms/catalogues.js'
import { signatureOf, taskResult } from './obligation-common.js'
import { defineStep } from './step.js'

/** Input of the review step: the ISO's review task result and what was evaluated. */
export const reviewInput = z.strictObject({
  review: taskResult,
  profile: companyProfileSchema,
  evaluated: obligationDecisionSchema,
})

/**
 * Applies the ISO review, pure: every judgement must be resolved, an adjustment needs its
 * justification, and nothing may stay undetermined. Answers `{status: 'refused', problems}`
 * (the review task opens again showing them), `{status: 'returned', reason}` (the
 * questionnaire opens again), or `{status: 'ok', decision, outcome, summary, judgements,
 * adjustments, reviewedBy}`.
 */
export const handler = defineStep({
  name: 'obligation-review',
  input: reviewInput,
  async run(input) {
    const result = applyReview({
      profile: input.profile,
      evaluated: input.evaluated,
      answers: input.review.answers as ReviewAnswers,
      catalogue: obligationCatalogue(),
    })
    const by = signatureOf(input.review)
    if (result.status === 'returned') return { ...result, by }
    if (result.status === 'refused') return { ...result, by }
    const { outcome: choice, ...rest } = result
    const outcome = outcomeOf(result.decision)
    return { ...rest, choice, outcome, summary: summaryLine(outcome), by }
  },
})
