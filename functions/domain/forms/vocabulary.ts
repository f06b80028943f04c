/**
 * The fixed words of the form definition format, apart from its zod schema (`schema.ts`) so
 * that code which only reads definitions, such as the browser's renderer, does not load zod.
 */

/** The languages every text exists in. */
export const LANGS = ['en', 'de'] as const
/** One of {@link LANGS}. */
export type Lang = (typeof LANGS)[number]

/** Outcomes of a decision question. */
export const DECISION_OUTCOMES = ['approve', 'reject', 'request-changes'] as const
/** One of {@link DECISION_OUTCOMES}. */
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number]

/** The properties of a definition that hold JSONata expressions: conditions, validator rules, computed values. */
export const EXPRESSION_KEYS: ReadonlySet<string> = new Set([
  'visibleIf',
  'enableIf',
  'requiredIf',
  'rule',
  'expression',
])
