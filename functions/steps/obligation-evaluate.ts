import { z } from 'zod'
import { diffDecisions, outcomeOf, reviewPrefill, summaryLine } from '../domain/assessments/index.js'
import { ValidationError } from '../domain/errors.js'
import {
  answersToProfile,
  type CompanyProfile,
  companyProfileSchema,
  evaluateObligations,
  obligationDecisionSchema,
} from '../domain/obligations/index.js'
import { obligationCatalogue } from '../forms/catalogues.js'
import { defineStep, StepError } from './step.js'

/** Input of the evaluate step: the questionnaire's answers and, when re-assessing, the previous decision. */
export const evaluateInput = z.strictObject({
  answers: z.record(z.string(), z.unknown()),
  previous: z
    .looseObject({
      id: z.string(),
      decision: obligationDecisionSchema,
      profile: companyProfileSchema,
    })
    .nullable()
    .default(null),
})

/**
 * The rules, pure: maps the questionnaire's answers to the company profile
 * (`answersToProfile`, the one mapping), evaluates it (`evaluateObligations`), and compares
 * the result with the previous decision. Answers that do not make a valid profile are
 * `Obligation.InvalidAnswers` with the fields named, so the workflow can send the
 * questionnaire back.
 */
export const handler = defineStep({
  name: 'obligation-evaluate',
  input: evaluateInput,
  async run(input) {
    let profile: CompanyProfile
    try {
      profile = answersToProfile(input.answers)
    } catch (err) {
      if (err instanceof ValidationError)
        throw new StepError(
          'Obligation.InvalidAnswers',
          `${err.message} ${Object.entries(err.fields ?? {})
            .map(([k, v]) => `${k}: ${v}`)
            .join('; ')}`,
        )
      throw err
    }
    const decision = evaluateObligations(profile, obligationCatalogue())
    const outcome = outcomeOf(decision)
    const previous = input.previous
    return {
      profile,
      decision,
      outcome,
      summary: summaryLine(outcome),
      reviewPrefill: reviewPrefill(decision),
      changes: previous
        ? diffDecisions({ decision: previous.decision, profile: previous.profile }, { decision, profile })
        : null,
    }
  },
})
