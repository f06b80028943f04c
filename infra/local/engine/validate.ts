import { messageOf } from '../../../functions/domain/errors.js'
import { ApiError } from './errors.js'
import { checkDefinitionRules, type DefinitionProblem } from './validate-rules.js'
import { schemaProblems } from './validate-schema.js'

/**
 * Validation of state machine definitions on CreateStateMachine/UpdateStateMachine: the
 * project's own rules (validate-rules.ts) first, then the `asl-validator` package as a schema
 * backstop (validate-schema.ts). Messages are AWS's: `CODE: problem at /States/Bar/Next`.
 */

/** AWS's limit on the size of a definition: 1 MB of UTF-8 JSON. */
export const MAX_DEFINITION_BYTES = 1_048_576

/** Options of `validateDefinition`. */
export interface ValidateOptions {
  /** Answers false for a Task `Resource` ARN the engine cannot run; omitted = every ARN is accepted. */
  isKnownResource?: (arn: string) => boolean
}

/**
 * Throws unless `definition` is a valid Amazon States Language definition, with AWS's error:
 * `ApiError('InvalidDefinition', "Invalid State Machine Definition: 'CODE: problem at /States/Bar/Next, …'")`.
 * `definition` is the JSON text (as the API receives it) or the parsed value.
 *
 * @example validateDefinition(text, { isKnownResource: (arn) => registry.has(arn) })
 */
export function validateDefinition(definition: unknown, options: ValidateOptions = {}): void {
  const problems = definitionProblems(definition, options)
  if (problems.length > 0) {
    throw new ApiError('InvalidDefinition', `Invalid State Machine Definition: '${problems.join(', ')}'`)
  }
}

/**
 * Every problem of a definition as AWS words it (`CODE: message at /pointer`); empty when valid.
 * Own rules are reported first; the asl-validator schema check runs only when they all pass.
 */
export function definitionProblems(definition: unknown, options: ValidateOptions = {}): string[] {
  return definitionsProblems([definition], options)[0]
}

/**
 * `definitionProblems` for many definitions (one list per definition, in order). asl-validator's
 * answers are remembered for later calls in this process: validating all workflows this way at
 * start-up makes their CreateStateMachine validation nearly free.
 */
export function definitionsProblems(definitions: unknown[], options: ValidateOptions = {}): string[][] {
  return definitions.map((definition) => {
    const parsed = parse(definition)
    if (typeof parsed === 'string') return [parsed]
    const own = checkDefinitionRules(parsed, options.isKnownResource)
    if (own.length > 0) return own.map(format)
    const key = JSON.stringify(parsed)
    const known = schemaCache.get(key)
    if (known) return known
    const problems = schemaProblems(parsed as Record<string, unknown>)
    if (schemaCache.size >= SCHEMA_CACHE_LIMIT) schemaCache.clear()
    schemaCache.set(key, problems)
    return problems
  })
}

/** asl-validator's answers per definition text. */
const schemaCache = new Map<string, string[]>()
const SCHEMA_CACHE_LIMIT = 256

/** The parsed definition, or the one problem that stops all checks (not JSON, too large). */
function parse(definition: unknown): unknown {
  if (typeof definition === 'string') {
    const bytes = Buffer.byteLength(definition, 'utf8')
    if (bytes > MAX_DEFINITION_BYTES) return tooLarge(bytes)
    try {
      return JSON.parse(definition)
    } catch (error) {
      return `INVALID_JSON_DESCRIPTION: ${messageOf(error)}`
    }
  }
  const bytes = Buffer.byteLength(JSON.stringify(definition) ?? '', 'utf8')
  return bytes > MAX_DEFINITION_BYTES ? tooLarge(bytes) : definition
}

const tooLarge = (bytes: number) =>
  `SCHEMA_VALIDATION_FAILED: The definition is ${bytes} bytes, more than the limit of ${MAX_DEFINITION_BYTES} bytes (1 MB) at /`

const format = (p: DefinitionProblem) => `${p.code}: ${p.message} at ${p.at}`
