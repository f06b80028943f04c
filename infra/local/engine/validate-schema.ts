import { aslValidate } from './asl-validator.js'
import {
  isJsonataExpression,
  isObject,
  JSONATA_SCALARS,
  type Json,
  PAYLOAD_TEMPLATES,
  type QueryLanguage,
  walkStates,
} from './validate-common.js'

/**
 * The bridge to the `asl-validator` package (v4), used as a schema backstop after the own
 * rules: value types and ranges, JSONPath syntax, ARN format, Map configuration details.
 * Its JSON schema is narrower than AWS for data (payload literals, JSONata values), so it sees
 * a copy with that data neutralised; its checks that validate-rules.ts does itself (scope by
 * scope, where asl-validator scans the whole document, payloads included) are dropped.
 */

/** asl-validator checks that validate-rules.ts does itself. */
const OWN_CHECKS = new Set([
  'MISSING_TRANSITION_TARGET',
  'BRANCH_OUTBOUND_TRANSITION_TARGET',
  'MAP_OUTBOUND_TRANSITION_TARGET',
  'DUPLICATE_STATE_NAMES',
  'MISSING_TERMINAL_STATE',
  'TERMINAL_STATE_WITH_NEXT',
  'WAIT_DURATION',
  'MAP_ITEM_PROCESSOR',
  'FAIL_CAUSE_PROPERTY',
  'FAIL_ERROR_PROPERTY',
])

/**
 * asl-validator's schema tries a JSONPath and a JSONata variant of each state and also reports
 * the losing variant's `Type`/`QueryLanguage` mismatch; the rules have checked both fields.
 */
const ONE_OF_ARTIFACT = /\/(Type|QueryLanguage)$/

/**
 * Problems asl-validator finds in one definition (`CODE: message at /pointer`); a few
 * milliseconds, its schema compiled once per process (asl-validator.ts).
 */
export function schemaProblems(definition: Json): string[] {
  const errors = aslValidate(prepare(definition)).filter((e) => !OWN_CHECKS.has(e['Error code']))
  const real = errors.filter((e) => !ONE_OF_ARTIFACT.test(e.schemaError?.instancePath ?? ''))
  // asl-validator reports only its deepest errors: if those were all artifacts, keep them
  // rather than call an invalid definition valid.
  return (real.length > 0 ? real : errors).map((e) => {
    const where = e.schemaError?.instancePath
    if (where === undefined) return `${e['Error code']}: ${e.Message}`
    const prefix = `${where} is invalid. `
    const detail = e.Message.startsWith(prefix) ? e.Message.slice(prefix.length) : e.Message
    return `${e['Error code']}: The value is invalid (${detail}) at ${where || '/'}`
  })
}

/** A copy for asl-validator: data neutralised, every state's query language spelled out. */
function prepare(definition: Json): Json {
  const copy = structuredClone(definition)
  const top = copy.QueryLanguage === 'JSONata' ? 'JSONata' : 'JSONPath'
  walkStates(copy, (state) => neutralizeState(state, top))
  return copy
}

/** Stands in for any JSONata expression (the rules have already compiled the real ones). */
const EXPRESSION = '{% 0 %}'

/**
 * Replaces data that asl-validator's schema judges too narrowly: literals inside JSONPath
 * payload templates (it rejects `null` and `{% %}`-like strings in arrays) become 0, with
 * `.$` paths kept for its path check; JSONata values become `{}` or a stand-in expression
 * (it rejects literal arrays, empty strings and nested arrays). Pass `Result` is pure data.
 */
function neutralizeState(state: Json, top: QueryLanguage): void {
  const language =
    state.QueryLanguage === 'JSONata' || state.QueryLanguage === 'JSONPath' ? state.QueryLanguage : top
  state.QueryLanguage = language
  if (state.Result !== undefined) state.Result = 0
  const rules = Array.isArray(state.Choices) ? state.Choices.filter(isObject) : []
  const catchers = Array.isArray(state.Catch) ? state.Catch.filter(isObject) : []
  if (language === 'JSONata') {
    for (const holder of [state, ...rules, ...catchers]) {
      for (const key of ['Output', 'Arguments', 'Assign', 'ItemSelector']) {
        if (holder[key] !== undefined) holder[key] = isJsonataExpression(holder[key]) ? EXPRESSION : {}
      }
      if (isJsonataExpression(holder.Condition)) holder.Condition = EXPRESSION
    }
    if (state.Items !== undefined) state.Items = Array.isArray(state.Items) ? [] : EXPRESSION
    for (const key of JSONATA_SCALARS) if (isJsonataExpression(state[key])) state[key] = EXPRESSION
  } else {
    for (const key of PAYLOAD_TEMPLATES) {
      if (state[key] !== undefined) state[key] = neutralTemplate(state[key])
    }
    for (const holder of [...rules, ...catchers]) {
      if (holder.Assign !== undefined) holder.Assign = neutralTemplate(holder.Assign)
    }
    if (isObject(state.ItemReader) && state.ItemReader.Parameters !== undefined) {
      state.ItemReader.Parameters = neutralTemplate(state.ItemReader.Parameters)
    }
  }
}

/** Literals become 0 (accepted everywhere); `.$` values stay for the path check. */
function neutralTemplate(value: unknown): unknown {
  const inner = (v: unknown) => (Array.isArray(v) || isObject(v) ? neutralTemplate(v) : 0)
  if (Array.isArray(value)) return value.map(inner)
  if (!isObject(value)) return value
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k.endsWith('.$') ? v : inner(v)]))
}
