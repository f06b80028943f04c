/**
 * What the rule families of definition validation (`validate-rules.ts` and its
 * `validate-choice.ts`, `validate-errors.ts`, `validate-data.ts`) share: the problem sink,
 * the shapes they walk and small helpers.
 */

/** Where a rule reports a problem: `CODE: message at /pointer`. */
export interface Rules {
  add(code: string, message: string, at: string): void
}

/** The query language of a state: JSONPath (the default) or JSONata. */
export type QueryLanguage = 'JSONPath' | 'JSONata'

export type Json = Record<string, unknown>
export type Edge = { target: string; field: 'Next' | 'Default' | 'StartAt'; at: string }

export const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/
export const SCHEMA = 'SCHEMA_VALIDATION_FAILED'
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
export const quote = (s: string) => JSON.stringify(s)

/** True for a JSONata expression string: `{% … %}` with nothing outside the delimiters. */
export const isJsonataExpression = (v: unknown): v is string =>
  typeof v === 'string' && v.length >= 4 && v.startsWith('{%') && v.endsWith('%}')
