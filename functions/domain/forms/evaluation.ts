/**
 * Everything that reads and evaluates a checked form definition, without the zod schema
 * and with JSONata loaded on first need: what the browser imports (the server has it all
 * through `index.ts`, which adds the loader `parse.ts` and the registry).
 */
export type { AnswerEnv, AnswerResult } from './answers.js'
export { isEmptyAnswer, sameName } from './answers.js'
export type { FormCheck, FormIssue } from './compile.js'
export {
  FormDefinitionError,
  formatPath,
  hasExpressions,
  isRealDate,
  prepareFormDefinition,
} from './compile.js'
export type {
  EvaluateOptions,
  ExpressionFailure,
  FormEvaluation,
  FormProgress,
  PageState,
  QuestionState,
} from './evaluate.js'
export { evaluateForm, localToday } from './evaluate.js'
export type { FieldMessage, FieldMessageCode } from './messages.js'
export { formatDate, formatMoney, formatNumber } from './messages.js'
export type {
  AcknowledgementAnswer,
  Answers,
  CatalogueEntry,
  Catalogues,
  ChoiceOption,
  ComputedValue,
  DecisionAnswer,
  EvidenceItem,
  FormDefinition,
  FormPage,
  FormSection,
  LocalText,
  Question,
  QuestionOf,
  QuestionType,
} from './schema.js'
export type { FormSubmission, SubmissionOptions } from './submission.js'
export { findDecision, validateSubmission } from './submission.js'
export { DECISION_OUTCOMES, type DecisionOutcome, LANGS, type Lang } from './vocabulary.js'
