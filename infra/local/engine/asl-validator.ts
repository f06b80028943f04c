import { createRequire } from 'node:module'
import { isObject } from './validate-common.js'

/**
 * The `asl-validator` package's entry (v4.0.0, `dist/src/validator.js` and
 * `dist/src/checks/json-schema-errors.js`), carried here with one change: its JSON schema is
 * compiled once per process, not at every call. The package builds an Ajv instance and compiles
 * the whole state machine schema on each call (0.2–0.6 s of CPU); the compiled validator is
 * reused here, so a call costs milliseconds. Its schemas, formats and other checks are the
 * package's own, loaded from it (they hold no state). Options are fixed to what the engine uses
 * (`checkPaths` and `checkArn`).
 *
 * asl-validator: Copyright 2017 Christophe Bougère, Apache License 2.0
 * (node_modules/asl-validator/LICENSE and NOTICE).
 */

/** One problem as asl-validator reports it. */
export interface AslError {
  'Error code': string
  Message: string
  schemaError?: { instancePath: string; schemaPath: string }
}

type Definition = Record<string, unknown>
type Options = { checkPaths: boolean; checkArn: boolean }
type Check = (definition: Definition, options: Options) => AslError[]
type Entry = { state: Definition }
type EntryCheck = { filter: (entry: Entry) => boolean; checker: (entry: Entry) => AslError | undefined }
type Rule = { props: string[]; errorCode: string; path?: string }
interface AjvError {
  instancePath: string
  schemaPath: string
  keyword: string
  message?: string
}
interface Ajv {
  addFormat(name: string, format: ((value: string) => boolean) | RegExp): void
  getSchema(uri: string): ((data: unknown) => boolean) & { errors?: AjvError[] | null }
}

/** Requires resolved from the package itself: its own files and its own dependencies. */
const fromPackage = createRequire(createRequire(import.meta.url).resolve('asl-validator'))
const load = <T>(id: string): T => fromPackage(id) as T

const OPTIONS: Options = { checkPaths: true, checkArn: true }
const SCHEMAS = [
  'common',
  'paths',
  'jsonata',
  'choice',
  'fail',
  'parallel',
  'pass',
  'base-state-machine',
  'state-machine',
  'state',
  'succeed',
  'task',
  'wait',
  'map',
  'errors',
]
const STATE_MACHINE_SCHEMA = 'http://asl-validator.cloud/state-machine.json#'

/** The package's Ajv set up as `jsonSchemaErrors` sets it up, and its compiled schema. */
function compileSchema() {
  const AjvClass = load<{ default: new (options: object) => Ajv }>('ajv').default
  const addFormats = load<{ default: (ajv: Ajv) => void }>('ajv-formats').default
  const jsonata = load<(expression: string) => unknown>('jsonata')
  const { registerAll } = load<{ registerAll: (ajv: Ajv) => void }>('asl-path-validator')
  const { isArnFormatValid } = load<{ isArnFormatValid: (value: string) => boolean }>('./checks/formats')
  const ajv = new AjvClass({
    schemas: SCHEMAS.map((name) => load<object>(`./schemas/${name}.json`)),
    allowUnionTypes: true,
  })
  addFormats(ajv)
  const validateJsonataString = (value: string) => {
    const trimmed = value.trim()
    try {
      let expression = trimmed.startsWith('{%') ? trimmed.slice(2) : trimmed
      expression = expression.endsWith('%}') ? expression.slice(0, -2) : expression
      jsonata(expression)
      return true
    } catch {
      return false
    }
  }
  ajv.addFormat('jsonata_string', validateJsonataString)
  ajv.addFormat('maybe_jsonata_string', (value) => {
    const trimmed = value.trim()
    return trimmed.startsWith('{%') || trimmed.endsWith('%}') ? validateJsonataString(trimmed) : true
  })
  registerAll(ajv)
  ajv.addFormat('asl_arn', isArnFormatValid)
  return ajv.getSchema(STATE_MACHINE_SCHEMA)
}

let compiled: ReturnType<typeof compileSchema> | undefined

/** `jsonSchemaErrors` of the package: the deepest schema errors, `oneOf` ones preferred, no duplicates. */
function jsonSchemaErrors(definition: Definition): AslError[] {
  compiled ??= compileSchema()
  if (compiled(definition)) return []
  let selected: AjvError[] = []
  let deepest = 0
  for (const error of compiled.errors ?? []) {
    const depth = error.instancePath.split('/').length
    if (depth === deepest) selected.push(error)
    else if (depth > deepest) selected = [error]
    deepest = Math.max(deepest, depth)
  }
  const withOneOf = new Set(selected.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath))
  const errors = selected
    .filter((e) => e.keyword === 'oneOf' || !withOneOf.has(e.instancePath))
    .map(
      (e): AslError => ({
        'Error code': 'SCHEMA_VALIDATION_FAILED',
        Message: `${e.instancePath} is invalid. ${e.message ?? ''}`,
        schemaError: { instancePath: e.instancePath, schemaPath: decodeURIComponent(e.schemaPath) },
      }),
    )
  return errors.filter(
    (v, i) =>
      errors.findIndex(
        (w) =>
          w.schemaError?.schemaPath === v.schemaError?.schemaPath &&
          w.schemaError?.instancePath === v.schemaError?.instancePath,
      ) === i,
  )
}

/** The package's checks after the schema, and its table of per-state property rules. */
function loadChecks() {
  const { JSONPath } = load<{ JSONPath: (o: { path: string; json: unknown }) => Record<string, unknown>[] }>(
    'jsonpath-plus',
  )
  const { StateMachineErrorCode: code } = load<{ StateMachineErrorCode: Record<string, string> }>('./types')
  const s = load<{
    stateChecks: (definition: Definition, options: Options, checks: EntryCheck[]) => AslError[]
    AtMostOne: (rule: Rule) => EntryCheck['checker']
    ExactlyOne: (rule: Rule) => EntryCheck['checker']
    IsTask: EntryCheck['filter']
    IsMap: EntryCheck['filter']
    IsWait: EntryCheck['filter']
    IsSucceed: EntryCheck['filter']
    IsFail: EntryCheck['filter']
    IsChoice: EntryCheck['filter']
  }>('./checks/state-checks')
  const checks: Check[] = [
    load<{ missingTransitionTargetErrors: Check }>('./checks/missing-transition-target-errors')
      .missingTransitionTargetErrors,
    load<{ stateTransitionsErrors: Check }>('./checks/state-transitions-errors').stateTransitionsErrors,
    load<{ duplicateStateNames: Check }>('./checks/duplicate-state-names-errors').duplicateStateNames,
    load<{ missingTerminalStateErrors: Check }>('./checks/missing-terminal-state-errors')
      .missingTerminalStateErrors,
    load<{ mustNotHaveDuplicateFieldNamesAfterEvaluation: Check }>(
      './checks/duplicate-payload-template-fields',
    ).mustNotHaveDuplicateFieldNamesAfterEvaluation,
  ]
  const atMostOne = (filter: EntryCheck['filter'], rule: Rule) => ({ filter, checker: s.AtMostOne(rule) })
  const exactlyOne = (filter: EntryCheck['filter'], rule: Rule) => ({ filter, checker: s.ExactlyOne(rule) })
  const entryChecks: EntryCheck[] = [
    atMostOne(s.IsTask, {
      props: ['TimeoutSeconds', 'TimeoutSecondsPath'],
      errorCode: code.TaskTimeoutError,
    }),
    atMostOne(s.IsTask, {
      props: ['HeartbeatSeconds', 'HeartbeatSecondsPath'],
      errorCode: code.TaskHeartbeatError,
    }),
    exactlyOne(s.IsMap, { props: ['ItemProcessor', 'Iterator'], errorCode: code.MapItemProcessorError }),
    atMostOne(s.IsMap, { props: ['ItemSelector', 'Parameters'], errorCode: code.MapItemSelectorError }),
    exactlyOne(s.IsWait, {
      props: ['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath'],
      errorCode: code.WaitDurationError,
    }),
    exactlyOne((entry) => !(s.IsSucceed(entry) || s.IsFail(entry) || s.IsChoice(entry)), {
      props: ['End', 'Next'],
      errorCode: code.TerminalStateWithNextError,
    }),
    atMostOne(s.IsMap, {
      props: ['ToleratedFailureCount', 'ToleratedFailureCountPath'],
      errorCode: code.MapToleratedFailureError,
    }),
    atMostOne(s.IsMap, {
      props: ['ToleratedFailurePercentage', 'ToleratedFailurePercentagePath'],
      errorCode: code.MapToleratedFailureError,
    }),
    atMostOne(s.IsMap, {
      props: ['MaxConcurrency', 'MaxConcurrencyPath'],
      errorCode: code.MapMaxConcurrencyError,
    }),
    atMostOne(s.IsMap, { props: ['Items', 'ItemsPath'], errorCode: code.MapItemsError }),
    atMostOne(s.IsMap, {
      props: ['MaxItems', 'MaxItemsPath'],
      path: '$.ItemReader.ReaderConfig',
      errorCode: code.MapItemReaderMaxItemsError,
    }),
    atMostOne(s.IsMap, {
      props: ['MaxItemsPerBatch', 'MaxItemsPerBatchPath'],
      path: '$.ItemBatcher',
      errorCode: code.MapItemBatcherError,
    }),
    atMostOne(s.IsMap, {
      props: ['MaxInputBytesPerBatch', 'MaxInputBytesPerBatchPath'],
      path: '$.ItemBatcher',
      errorCode: code.MapItemBatcherError,
    }),
    atMostOne(s.IsFail, { props: ['Cause', 'CausePath'], errorCode: code.FailCauseProperty }),
    atMostOne(s.IsFail, { props: ['Error', 'ErrorPath'], errorCode: code.FailErrorProperty }),
  ]
  return {
    statesObjects: (definition: Definition) => JSONPath({ path: '$..States', json: definition }),
    all: (definition: Definition) => [
      ...checks.flatMap((check) => check(definition, OPTIONS)),
      ...s.stateChecks(definition, OPTIONS, entryChecks),
    ],
  }
}

let checks: ReturnType<typeof loadChecks> | undefined

/**
 * asl-validator's `validator(definition, { checkPaths: true, checkArn: true })`: every state
 * without a `QueryLanguage` gets the definition's (it changes `definition`, as the package does),
 * then the schema, and only when that passes the other checks.
 */
export function aslValidate(definition: Definition): AslError[] {
  checks ??= loadChecks()
  const language = definition.QueryLanguage ?? 'JSONPath'
  for (const states of checks.statesObjects(definition)) {
    for (const state of Object.values(states)) {
      if (isObject(state) && !state.QueryLanguage) state.QueryLanguage = language
    }
  }
  const errors = jsonSchemaErrors(definition)
  return errors.length > 0 ? errors : checks.all(definition)
}
