/**
 * What the modules of definition validation (`validate-rules.ts` and its rule families
 * `validate-choice.ts`, `validate-errors.ts`, `validate-data.ts`, and the schema bridge
 * `validate-schema.ts`) share: the problem sink, the shapes they walk, the field vocabulary,
 * the walk over nested state machines and small helpers.
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

/** JSONata-state scalar fields that may be a `{% %}` expression instead of their literal. */
export const JSONATA_SCALARS = [
  'TimeoutSeconds',
  'HeartbeatSeconds',
  'Seconds',
  'Timestamp',
  'MaxConcurrency',
  'ToleratedFailureCount',
  'ToleratedFailurePercentage',
  'Error',
  'Cause',
]

/** JSONPath-state fields that are payload templates (`.$` keys are evaluated). */
export const PAYLOAD_TEMPLATES = ['Parameters', 'ResultSelector', 'ItemSelector', 'Assign', 'Credentials']

/** JSONPath-state fields holding a path (some also accept an intrinsic function). */
export const PATH_FIELDS = [
  'InputPath',
  'OutputPath',
  'ResultPath',
  'ItemsPath',
  'TimeoutSecondsPath',
  'HeartbeatSecondsPath',
  'SecondsPath',
  'TimestampPath',
  'ErrorPath',
  'CausePath',
  'MaxConcurrencyPath',
  'ToleratedFailureCountPath',
  'ToleratedFailurePercentagePath',
]

/** The state machines a state holds: a Parallel's branches, a Map's ItemProcessor (or Iterator). */
export const nestedMachines = (state: Json): unknown[] => [
  ...(Array.isArray(state.Branches) ? state.Branches : []),
  state.ItemProcessor,
  state.Iterator,
]

/**
 * Visits every state of a machine that is a JSON object, then the states of the machines it
 * holds, depth first in document order; what is not an object is passed over (the rules
 * report it).
 */
export function walkStates(machine: Json, visit: (state: Json) => void): void {
  if (!isObject(machine.States)) return
  for (const state of Object.values(machine.States)) {
    if (!isObject(state)) continue
    visit(state)
    for (const nested of nestedMachines(state)) if (isObject(nested)) walkStates(nested, visit)
  }
}
