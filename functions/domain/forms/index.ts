/**
 * Forms and questionnaires: the definition format, its loader and the one evaluator used by
 * the browser renderer and the server alike. Pure: no I/O (the server's file loader is
 * `functions/forms/load.ts`).
 */
export type { AnswerEnv, AnswerResult } from './answers.js'
export { isEmptyAnswer, sameName } from './answers.js'
export type { FormCheck, FormIssue } from './compile.js'
export {
  checkFormDefinition,
  FormDefinitionError,
  formatPath,
  isRealDate,
  parseFormDefinition,
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
export type { FormRegistry } from './registry.js'
export { createFormRegistry } from './registry.js'
export type {
  AcknowledgementAnswer,
  Answers,
  CatalogueEntry,
  Catalogues,
  ChoiceOption,
  ComputedValue,
  DecisionAnswer,
  DecisionOutcome,
  EvidenceItem,
  FormDefinition,
  FormPage,
  FormSection,
  Lang,
  LocalText,
  Question,
  QuestionOf,
  QuestionType,
} from './schema.js'
export { DECISION_OUTCOMES, formDefinitionSchema, LANGS } from './schema.js'
export type { FormSubmission, SubmissionOptions } from './submission.js'
export { findDecision, validateSubmission } from './submission.js'
