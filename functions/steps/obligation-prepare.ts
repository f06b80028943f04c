import { z } from 'zod'
import { DECISION_RECORD, type DecisionRecord } from '../domain/assessments/index.js'
import { orgIdSchema } from '../domain/org-id.js'
import { defineStep, StepError } from './step.js'

/** Input of the prepare step, as `workflows/obligation-assessment.asl.json` passes it. */
export const prepareInput = z.strictObject({
  orgId: orgIdSchema,
  previousDecisionId: z.string().min(1).max(120).nullable().default(null),
})

/**
 * Opens an assessment: the questionnaire's title, and for a re-assessment the previous
 * decision (its answers as the prefill, its outcome, decision and profile for the diff the
 * review shows). Read-only, so repeating it is harmless. A previous decision that does not
 * exist in the organisation is `Obligation.NotFound`.
 */
export const handler = defineStep({
  name: 'obligation-prepare',
  input: prepareInput,
  async run(input, deps) {
    const { records } = deps
    const title = {
      en: 'Which obligations apply to us? (NIS2, KRITIS, data protection officer, TISAX)',
      de: 'Welche Pflichten gelten für uns? (NIS2, KRITIS, Datenschutzbeauftragter, TISAX)',
    }
    if (!input.previousDecisionId) return { title, prefill: {}, previous: null }
    const prev = await records
      .forOrg(input.orgId)
      .get<DecisionRecord>(DECISION_RECORD, input.previousDecisionId)
    if (!prev)
      throw new StepError(
        'Obligation.NotFound',
        `decision ${input.previousDecisionId} does not exist in ${input.orgId}`,
      )
    const d = prev.data
    return {
      title: {
        en: `Yearly re-assessment: which obligations apply to us? (after decision ${d.sequence} of ${d.decidedAt.slice(0, 10)})`,
        de: `Jährliche Neubewertung: Welche Pflichten gelten für uns? (nach Entscheidung ${d.sequence} vom ${d.decidedAt.slice(0, 10)})`,
      },
      prefill: d.inputs.answers,
      previous: {
        id: prev.id,
        sequence: d.sequence,
        decidedAt: d.decidedAt,
        summary: d.summary,
        outcome: d.outcome,
        decision: d.decision,
        profile: d.profile,
      },
    }
  },
})
