/**
 * Server-side checking of a submission: evaluate again (never trust the browser), refuse
 * with every failing field named, or return the answers to store with the form version.
 */
import { validationError } from '../errors.js'
import { compiledForm } from './compiled.js'
import { type EvaluateOptions, evaluateForm } from './evaluate.js'
import type { AcknowledgementAnswer, Answers, DecisionAnswer, FormDefinition, Lang } from './schema.js'

/** What is stored for a completed form: the version answered, the cleaned answers and computed values. */
export interface FormSubmission {
  formId: string
  version: number
  answers: Answers
  computed: Record<string, unknown>
}

/** Options of {@link validateSubmission}. */
export interface SubmissionOptions extends EvaluateOptions {
  /** Language of the messages in the thrown error's fields (default en). */
  lang?: Lang
  /** Prefix of field names in the thrown error (default `answers.`, as in a request body `{ answers }`). */
  fieldPrefix?: string
  /** Server time to record on acknowledgements instead of the browser's timestamp. */
  acknowledgedAt?: Date
}

/**
 * Re-evaluates the answers and returns what to store, or throws `validationError(fields)`
 * naming each failing field (`answers.turnover`, `answers.decision.comment`). Answers to
 * hidden questions are dropped, not stored.
 */
export async function validateSubmission(
  definition: FormDefinition,
  answers: Answers,
  options: SubmissionOptions = {},
): Promise<FormSubmission> {
  const { lang = 'en', fieldPrefix = 'answers.', acknowledgedAt, ...evaluateOptions } = options
  const result = await evaluateForm(definition, answers, evaluateOptions)
  if (!result.valid) {
    const fields = Object.fromEntries(
      Object.entries(result.errors).map(([k, m]) => [`${fieldPrefix}${k}`, m[lang]]),
    )
    throw validationError(fields, 'The answers have errors.')
  }
  const cleaned = result.cleanedAnswers
  if (acknowledgedAt) {
    for (const q of (await compiledForm(definition)).questions.values()) {
      const a = cleaned[q.question.id] as AcknowledgementAnswer | undefined
      if (q.question.type === 'acknowledgement' && a)
        cleaned[q.question.id] = { ...a, at: acknowledgedAt.toISOString() }
    }
  }
  return { formId: result.formId, version: result.version, answers: cleaned, computed: result.computed }
}

/** The first decision question of a form and its answer, if the form has one. */
export function findDecision(
  definition: FormDefinition,
  answers: Answers,
): { questionId: string; answer?: DecisionAnswer } | undefined {
  for (const page of definition.pages)
    for (const q of page.sections?.flatMap((s) => s.questions) ?? page.questions ?? []) {
      if (q.type !== 'decision') continue
      const a = answers[q.id] as DecisionAnswer | undefined
      return { questionId: q.id, answer: a && typeof a === 'object' && a.outcome ? a : undefined }
    }
  return undefined
}
