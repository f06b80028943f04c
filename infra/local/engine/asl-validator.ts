import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { isObject } from './validate-common.js'

/**
 * The `asl-validator` package's entry (v4.0.0, `dist/src/validator.js` and
 * `dist/src/checks/json-schema-errors.js`), carried here with one change: its JSON schema is
 * compiled once per process, not at every call. The package builds an Ajv instance and compiles
 * the whole state machine schema on each call (0.2–0.6 s of CPU); the compiled validator is
 * reused here, so a call costs milliseconds. Ajv's generated code is also kept on disk (see
 * `cachedSchema`), so a new process (a test worker, a crash test's child, `npm start`) loads it
 * in milliseconds instead of compiling again. Its schemas, formats and other checks are the
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
type Format = ((value: string) => boolean) | RegExp | object
interface Ajv {
  addFormat(name: string, format: Format): void
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

export type Validate = ((data: unknown) => boolean) & { errors?: AjvError[] | null }

/** Whether a module's export is a validating function (Ajv's generated code exports one). */
const isValidate = (x: unknown): x is Validate => typeof x === 'function'

/** Where `cachedSchema` keeps Ajv's generated code: beside the package, in `node_modules/.cache`. */
const CACHE_DIR = join(dirname(fromPackage.resolve('../../package.json')), '..', '.cache')

/**
 * The formats the schema names, as `jsonSchemaErrors` of the package registers them: those of
 * ajv-formats (the `addFormats(ajv)` default, full mode), JSONata expressions, asl-path-validator's
 * paths and the ARN check.
 */
function aslFormats(): Record<string, Format> {
  const formats: Record<string, Format> = {
    ...load<{ fullFormats: Record<string, Format> }>('ajv-formats/dist/formats').fullFormats,
  }
  const jsonata = load<(expression: string) => unknown>('jsonata')
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
  formats.jsonata_string = validateJsonataString
  formats.maybe_jsonata_string = (value: string) => {
    const trimmed = value.trim()
    return trimmed.startsWith('{%') || trimmed.endsWith('%}') ? validateJsonataString(trimmed) : true
  }
  const { registerAll } = load<{ registerAll: (ajv: Pick<Ajv, 'addFormat'>) => void }>('asl-path-validator')
  registerAll({
    addFormat: (name, format) => {
      formats[name] = format
    },
  })
  formats.asl_arn = load<{ isArnFormatValid: (value: string) => boolean }>(
    './checks/formats',
  ).isArnFormatValid
  return formats
}

/**
 * The package's Ajv set up as `jsonSchemaErrors` sets it up (its schemas, `allowUnionTypes`,
 * ajv-formats, then `formats`), and its compiled schema with its generated code as a module
 * (`formats` named by the free variable `formats`).
 */
function compileSchema(formats: Record<string, Format>) {
  const ajvModule = load<{
    default: new (options: object) => Ajv
    _: (strings: TemplateStringsArray) => unknown
  }>('ajv')
  const standaloneCode = load<{ default: (ajv: Ajv, validate: Validate) => string }>(
    'ajv/dist/standalone',
  ).default
  const addFormats = load<{ default: (ajv: Ajv) => void }>('ajv-formats').default
  const ajv = new ajvModule.default({
    schemas: SCHEMAS.map((name) => load<object>(`./schemas/${name}.json`)),
    allowUnionTypes: true,
    code: { source: true, formats: ajvModule._`formats` },
  })
  addFormats(ajv)
  for (const [name, format] of Object.entries(formats)) ajv.addFormat(name, format)
  const validate = ajv.getSchema(STATE_MACHINE_SCHEMA)
  return { validate, source: standaloneCode(ajv, validate) }
}

/**
 * The compiled schema, from Ajv's generated code in `cacheDir` when an earlier process left it
 * there (keyed by the versions of Ajv, ajv-formats, asl-path-validator and asl-validator, the
 * schemas, `compileSchema` and `aslFormats` themselves: any change compiles anew), compiled and
 * stored there otherwise (under a temporary name, then renamed: processes starting together never
 * read half a file; a folder that cannot be written only costs the compile next time). The code
 * is the one Ajv runs after compiling, so both answer and report errors alike. `source` says
 * which it was (for the test that compares them).
 */
export function cachedSchema(cacheDir = CACHE_DIR): { validate: Validate; source: 'cache' | 'compiled' } {
  const formats = aslFormats()
  const version = (name: string) => load<{ version: string }>(`${name}/package.json`).version
  const key = createHash('sha256')
    .update(
      JSON.stringify([
        ['ajv', 'ajv-formats', 'asl-path-validator'].map(version),
        load<{ version: string }>('../../package.json').version,
        SCHEMAS.map((name) => readFileSync(fromPackage.resolve(`./schemas/${name}.json`), 'utf8')),
        String(compileSchema),
        String(aslFormats),
      ]),
    )
    .digest('hex')
    .slice(0, 16)
  const file = join(cacheDir, `ismsflow-asl-schema-${key}.cjs`)
  let source: string | undefined
  try {
    source = readFileSync(file, 'utf8')
  } catch {}
  if (source !== undefined) {
    const module: { exports: unknown } = { exports: {} }
    new Function('formats', 'module', 'exports', 'require', source)(
      formats,
      module,
      module.exports,
      fromPackage,
    )
    // Ajv's standalone code exports the validating function; anything else is compiled afresh.
    if (isValidate(module.exports)) return { validate: module.exports, source: 'cache' }
  }
  const compiled = compileSchema(formats)
  try {
    mkdirSync(cacheDir, { recursive: true })
    const tmp = `${file}.${process.pid}.tmp`
    writeFileSync(tmp, compiled.source)
    renameSync(tmp, file)
  } catch {}
  return { validate: compiled.validate, source: 'compiled' }
}

let compiled: Validate | undefined

/** `jsonSchemaErrors` of the package: the deepest schema errors, `oneOf` ones preferred, no duplicates. */
function jsonSchemaErrors(definition: Definition): AslError[] {
  compiled ??= cachedSchema().validate
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
