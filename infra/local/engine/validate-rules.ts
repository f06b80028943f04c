import jsonata from 'jsonata'
import { StatesError } from './errors.js'
import { isIntrinsic, parseIntrinsic } from './intrinsics.js'

/**
 * The project's own checks of an Amazon States Language definition: structure, transitions,
 * reachability, Choice rules, Retry/Catch, Wait, query-language fields, expressions and
 * resources. Each problem names its place with a JSON pointer (`/States/Bar/Next`), as AWS does.
 */

/** One thing wrong with a definition, as AWS reports it: `CODE: message at /pointer`. */
export interface DefinitionProblem {
  code: string
  message: string
  at: string
}

/** The query language of a state: JSONPath (the default) or JSONata. */
export type QueryLanguage = 'JSONPath' | 'JSONata'

type Json = Record<string, unknown>
type Edge = { target: string; field: 'Next' | 'Default' | 'StartAt'; at: string }

const STATE_TYPES = ['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'] as const
type StateType = (typeof STATE_TYPES)[number]

const BASE = ['Type', 'Comment', 'QueryLanguage']
const IO = ['InputPath', 'OutputPath', 'Output']
const FLOW = ['Next', 'End', 'Assign']
const RESULT = ['ResultSelector', 'ResultPath', 'Retry', 'Catch']

/** The fields each state type accepts (in either query language). */
const FIELDS: Record<StateType, ReadonlySet<string>> = {
  Pass: new Set([...BASE, ...IO, ...FLOW, 'Result', 'ResultPath', 'Parameters']),
  Task: new Set([
    ...BASE,
    ...IO,
    ...FLOW,
    ...RESULT,
    'Resource',
    'Parameters',
    'Arguments',
    'Credentials',
    'TimeoutSeconds',
    'TimeoutSecondsPath',
    'HeartbeatSeconds',
    'HeartbeatSecondsPath',
  ]),
  Choice: new Set([...BASE, ...IO, 'Assign', 'Choices', 'Default']),
  Wait: new Set([...BASE, ...IO, ...FLOW, 'Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath']),
  Succeed: new Set([...BASE, ...IO]),
  Fail: new Set([...BASE, 'Error', 'ErrorPath', 'Cause', 'CausePath']),
  Parallel: new Set([...BASE, ...IO, ...FLOW, ...RESULT, 'Branches', 'Parameters', 'Arguments']),
  Map: new Set([
    ...BASE,
    ...IO,
    ...FLOW,
    ...RESULT,
    'ItemProcessor',
    'Iterator',
    'ItemsPath',
    'Items',
    'ItemSelector',
    'Parameters',
    'ItemReader',
    'ItemBatcher',
    'ResultWriter',
    'Label',
    'MaxConcurrency',
    'MaxConcurrencyPath',
    'ToleratedFailureCount',
    'ToleratedFailureCountPath',
    'ToleratedFailurePercentage',
    'ToleratedFailurePercentagePath',
  ]),
}

/** Fields that exist only in JSONPath states. */
const JSONPATH_ONLY = new Set([
  'InputPath',
  'OutputPath',
  'Parameters',
  'ResultSelector',
  'ResultPath',
  'Result',
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
])

/** Fields that exist only in JSONata states. */
const JSONATA_ONLY = new Set(['Output', 'Arguments', 'Items'])

/** JSONata-state fields whose strings may be `{% %}` expressions. */
const JSONATA_VALUE_FIELDS = [
  'Output',
  'Arguments',
  'Assign',
  'Items',
  'ItemSelector',
  'Credentials',
  'ItemReader',
  'ItemBatcher',
  'ResultWriter',
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
const PAYLOAD_TEMPLATES = ['Parameters', 'ResultSelector', 'ItemSelector', 'Assign', 'Credentials']

/** JSONPath-state fields holding a path (some also accept an intrinsic function). */
const PATH_FIELDS = [
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
const NULLABLE_PATHS = new Set(['InputPath', 'OutputPath', 'ResultPath'])
const INTRINSIC_PATHS = new Set(['ErrorPath', 'CausePath'])

const COMPARISONS: Record<string, 'string' | 'number' | 'boolean' | 'timestamp' | 'path'> = {}
for (const op of ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals']) {
  COMPARISONS[`String${op}`] = 'string'
  COMPARISONS[`Numeric${op}`] = 'number'
  COMPARISONS[`Timestamp${op}`] = 'timestamp'
  COMPARISONS[`String${op}Path`] = 'path'
  COMPARISONS[`Numeric${op}Path`] = 'path'
  COMPARISONS[`Timestamp${op}Path`] = 'path'
}
Object.assign(COMPARISONS, {
  StringMatches: 'string',
  BooleanEquals: 'boolean',
  BooleanEqualsPath: 'path',
  IsNull: 'boolean',
  IsPresent: 'boolean',
  IsNumeric: 'boolean',
  IsString: 'boolean',
  IsBoolean: 'boolean',
  IsTimestamp: 'boolean',
})
const BOOLEAN_OPERATORS = ['And', 'Or', 'Not']

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/
const VARIABLE_NAME = /^[\p{L}_][\p{L}\p{N}_]*$/u
const MAX_VARIABLE_NAME = 80
const MAX_STATE_NAME = 80

const SCHEMA = 'SCHEMA_VALIDATION_FAILED'
const TRANSITION = 'MISSING_TRANSITION_TARGET'

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const quote = (s: string) => JSON.stringify(s)

/** True for a JSONata expression string: `{% … %}` with nothing outside the delimiters. */
export const isJsonataExpression = (v: unknown): v is string =>
  typeof v === 'string' && v.length >= 4 && v.startsWith('{%') && v.endsWith('%}')

/**
 * Runs the project's own checks on a parsed definition and returns every problem found
 * (an empty list for a valid definition).
 */
export function checkDefinitionRules(
  definition: unknown,
  isKnownResource?: (arn: string) => boolean,
): DefinitionProblem[] {
  const checker = new RuleChecker(isKnownResource)
  checker.root(definition)
  return checker.problems
}

/** Walks the definition once, collecting problems. */
class RuleChecker {
  readonly problems: DefinitionProblem[] = []
  private topLanguage: QueryLanguage = 'JSONPath'
  private readonly stateNames = new Map<string, string>()

  constructor(private readonly isKnownResource?: (arn: string) => boolean) {}

  private add(code: string, message: string, at: string): void {
    this.problems.push({ code, message, at: at || '/' })
  }

  root(definition: unknown): void {
    if (!isObject(definition)) {
      this.add(SCHEMA, 'The definition must be a JSON object', '')
      return
    }
    const language = definition.QueryLanguage
    if (language !== undefined && language !== 'JSONPath' && language !== 'JSONata') {
      this.add(SCHEMA, '"QueryLanguage" must be "JSONPath" or "JSONata"', '/QueryLanguage')
    } else if (language === 'JSONata') {
      this.topLanguage = 'JSONata'
    }
    if (
      definition.TimeoutSeconds !== undefined &&
      !(Number.isInteger(definition.TimeoutSeconds) && (definition.TimeoutSeconds as number) > 0)
    ) {
      this.add(SCHEMA, '"TimeoutSeconds" must be a positive integer', '/TimeoutSeconds')
    }
    this.machine(definition, '', [
      'StartAt',
      'States',
      'Comment',
      'Version',
      'TimeoutSeconds',
      'QueryLanguage',
    ])
  }

  /** A state machine, a Parallel branch or a Map ItemProcessor: its own scope of state names. */
  private machine(m: unknown, at: string, allowed: string[]): void {
    if (!isObject(m)) {
      this.add(SCHEMA, 'A state machine must be a JSON object with "StartAt" and "States"', at)
      return
    }
    for (const key of Object.keys(m)) {
      if (allowed.includes(key)) continue
      const hint =
        key === 'QueryLanguage'
          ? '; set "QueryLanguage" on the state machine or on a state, not on a branch or ItemProcessor'
          : ''
      this.add(SCHEMA, `Field ${quote(key)} is not supported here${hint}`, `${at}/${key}`)
    }
    const missing = ['StartAt', 'States'].filter((k) => m[k] === undefined)
    if (missing.length > 0) this.add(SCHEMA, `These fields are required: [${missing.join(', ')}]`, at)
    if (m.StartAt !== undefined && typeof m.StartAt !== 'string') {
      this.add(SCHEMA, '"StartAt" must be the name of a state (a string)', `${at}/StartAt`)
    }
    if (m.States === undefined) return
    if (!isObject(m.States) || Object.keys(m.States).length === 0) {
      this.add(SCHEMA, '"States" must be a JSON object with at least one state', `${at}/States`)
      return
    }
    const states = m.States
    const edges = new Map<string, Edge[]>()
    for (const [name, state] of Object.entries(states)) {
      const stateAt = `${at}/States/${name}`
      if (name.length === 0 || name.length > MAX_STATE_NAME) {
        this.add(SCHEMA, `State names must be 1 to ${MAX_STATE_NAME} characters long`, stateAt)
      }
      const first = this.stateNames.get(name)
      if (first !== undefined) this.add('DUPLICATE_STATE_NAME', `Duplicate State name: ${name}`, stateAt)
      else this.stateNames.set(name, stateAt)
      edges.set(name, this.state(state, stateAt))
    }
    const names = new Set(Object.keys(states))
    const startAt = typeof m.StartAt === 'string' ? m.StartAt : undefined
    if (startAt !== undefined && !names.has(startAt)) {
      this.add(TRANSITION, `Missing 'StartAt' target: ${startAt}`, `${at}/StartAt`)
    }
    for (const list of edges.values()) {
      for (const edge of list) {
        if (!names.has(edge.target))
          this.add(TRANSITION, `Missing '${edge.field}' target: ${edge.target}`, edge.at)
      }
    }
    if (startAt !== undefined && names.has(startAt)) {
      const reached = new Set([startAt])
      const queue = [startAt]
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        for (const edge of edges.get(name) ?? []) {
          if (names.has(edge.target) && !reached.has(edge.target)) {
            reached.add(edge.target)
            queue.push(edge.target)
          }
        }
      }
      for (const name of names) {
        if (!reached.has(name))
          this.add(TRANSITION, `State ${quote(name)} is not reachable.`, `${at}/States/${name}`)
      }
    }
    const terminal = Object.values(states).some(
      (s) => isObject(s) && (s.Type === 'Succeed' || s.Type === 'Fail' || s.End === true),
    )
    if (!terminal) {
      this.add(
        'MISSING_TERMINAL_STATE',
        'No terminal state: at least one state must be a Succeed or Fail state or have "End": true',
        at,
      )
    }
  }

  /** Checks one state and returns its outgoing transitions. */
  private state(s: unknown, at: string): Edge[] {
    if (!isObject(s)) {
      this.add(SCHEMA, 'A state must be a JSON object', at)
      return []
    }
    if (s.Type === undefined || !STATE_TYPES.includes(s.Type as StateType)) {
      if (s.Type === undefined) this.add(SCHEMA, 'These fields are required: [Type]', at)
      else
        this.add(
          SCHEMA,
          `${quote(String(s.Type))} is not a state Type (${STATE_TYPES.join(', ')})`,
          `${at}/Type`,
        )
      // keep its transition, so that the states after it are not also reported as unreachable
      return typeof s.Next === 'string' ? [{ target: s.Next, field: 'Next', at: `${at}/Next` }] : []
    }
    const type = s.Type as StateType
    const language = this.language(s, at)
    for (const key of Object.keys(s)) {
      if (!FIELDS[type].has(key)) {
        this.add(SCHEMA, `Field ${quote(key)} is not supported in a ${type} state`, `${at}/${key}`)
      } else if (language === 'JSONata' && JSONPATH_ONLY.has(key)) {
        this.add(
          SCHEMA,
          `The field ${quote(key)} is not supported in a JSONata state (it is JSONPath only; use Arguments, Output or Assign)`,
          `${at}/${key}`,
        )
      } else if (language === 'JSONPath' && JSONATA_ONLY.has(key)) {
        this.add(
          SCHEMA,
          `The field ${quote(key)} is only supported in JSONata; set "QueryLanguage": "JSONata" on the state or the state machine`,
          `${at}/${key}`,
        )
      }
    }
    const edges: Edge[] = []
    if (type !== 'Choice' && type !== 'Succeed' && type !== 'Fail') this.flow(s, type, at, edges)
    if (language === 'JSONata') this.jsonataValues(s, at)
    else this.jsonPathValues(s, at)
    switch (type) {
      case 'Task':
        this.task(s, at, language)
        break
      case 'Choice':
        this.choice(s, at, language, edges)
        break
      case 'Wait':
        this.wait(s, at, language)
        break
      case 'Fail':
        this.atMostOne(s, at, 'Error', 'ErrorPath')
        this.atMostOne(s, at, 'Cause', 'CausePath')
        for (const key of ['Error', 'Cause']) {
          if (s[key] !== undefined && typeof s[key] !== 'string')
            this.add(SCHEMA, `${quote(key)} must be a string`, `${at}/${key}`)
        }
        break
      case 'Parallel':
        if (!Array.isArray(s.Branches) || s.Branches.length === 0) {
          this.add(SCHEMA, '"Branches" must be an array with at least one branch', `${at}/Branches`)
        } else {
          s.Branches.forEach((branch, i) => {
            this.machine(branch, `${at}/Branches/${i}`, ['StartAt', 'States', 'Comment'])
          })
        }
        break
      case 'Map':
        this.map(s, at, language)
        break
    }
    if (s.Retry !== undefined) this.retry(s.Retry, `${at}/Retry`)
    if (s.Catch !== undefined) this.catch(s.Catch, `${at}/Catch`, language, edges)
    return edges
  }

  private language(s: Json, at: string): QueryLanguage {
    const value = s.QueryLanguage
    if (value === undefined) return this.topLanguage
    if (value !== 'JSONPath' && value !== 'JSONata') {
      this.add(SCHEMA, '"QueryLanguage" must be "JSONPath" or "JSONata"', `${at}/QueryLanguage`)
      return this.topLanguage
    }
    if (value === 'JSONPath' && this.topLanguage === 'JSONata') {
      this.add(
        SCHEMA,
        'A state cannot go back to JSONPath when the state machine\'s "QueryLanguage" is JSONata',
        `${at}/QueryLanguage`,
      )
    }
    return value
  }

  private flow(s: Json, type: StateType, at: string, edges: Edge[]): void {
    if (s.End !== undefined && s.End !== true)
      this.add(SCHEMA, '"End" must be true when present', `${at}/End`)
    const hasNext = s.Next !== undefined
    const hasEnd = s.End === true
    if (hasNext && hasEnd) this.add(SCHEMA, `A ${type} state cannot have both "Next" and "End"`, at)
    if (!hasNext && !hasEnd) this.add(SCHEMA, `A ${type} state must have either "Next" or "End": true`, at)
    if (hasNext) {
      if (typeof s.Next === 'string') edges.push({ target: s.Next, field: 'Next', at: `${at}/Next` })
      else this.add(SCHEMA, '"Next" must be the name of a state (a string)', `${at}/Next`)
    }
  }

  private atMostOne(s: Json, at: string, a: string, b: string): void {
    if (s[a] !== undefined && s[b] !== undefined) {
      this.add(SCHEMA, `A state can have ${quote(a)} or ${quote(b)}, not both`, at)
    }
  }

  /** A whole-number field that a JSONata state may also give as an expression. */
  private integerField(
    s: Json,
    at: string,
    key: string,
    language: QueryLanguage,
    min: number,
    max?: number,
  ): void {
    const v = s[key]
    if (v === undefined || (language === 'JSONata' && isJsonataExpression(v))) return
    if (!Number.isInteger(v) || (v as number) < min || (max !== undefined && (v as number) > max)) {
      const range =
        max !== undefined ? `from ${min} to ${max}` : min === 0 ? 'of 0 or more' : `of ${min} or more`
      this.add(SCHEMA, `${quote(key)} must be an integer ${range}`, `${at}/${key}`)
    }
  }

  private task(s: Json, at: string, language: QueryLanguage): void {
    this.atMostOne(s, at, 'TimeoutSeconds', 'TimeoutSecondsPath')
    this.atMostOne(s, at, 'HeartbeatSeconds', 'HeartbeatSecondsPath')
    this.integerField(s, at, 'TimeoutSeconds', language, 1)
    this.integerField(s, at, 'HeartbeatSeconds', language, 1)
    if (s.Resource === undefined) {
      this.add(SCHEMA, 'These fields are required: [Resource]', at)
    } else if (typeof s.Resource !== 'string') {
      this.add(SCHEMA, '"Resource" must be an ARN (a string)', `${at}/Resource`)
    } else if (!s.Resource.startsWith('arn:')) {
      this.add(SCHEMA, `The resource provided ${s.Resource} is not a valid resource ARN.`, `${at}/Resource`)
    } else if (this.isKnownResource && !this.isKnownResource(s.Resource)) {
      this.add(
        SCHEMA,
        `The resource provided ${s.Resource} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.`,
        `${at}/Resource`,
      )
    }
  }

  private map(s: Json, at: string, language: QueryLanguage): void {
    this.integerField(s, at, 'MaxConcurrency', language, 0)
    this.integerField(s, at, 'ToleratedFailureCount', language, 0)
    this.integerField(s, at, 'ToleratedFailurePercentage', language, 0, 100)
    const processors = ['ItemProcessor', 'Iterator'].filter((k) => s[k] !== undefined)
    if (processors.length !== 1) {
      this.add(SCHEMA, 'A Map state must have exactly one of "ItemProcessor" or "Iterator"', at)
    }
    for (const key of processors) {
      this.machine(s[key], `${at}/${key}`, ['StartAt', 'States', 'Comment', 'ProcessorConfig'])
    }
    this.atMostOne(s, at, 'ItemSelector', 'Parameters')
    this.atMostOne(s, at, 'MaxConcurrency', 'MaxConcurrencyPath')
    this.atMostOne(s, at, 'ToleratedFailureCount', 'ToleratedFailureCountPath')
    this.atMostOne(s, at, 'ToleratedFailurePercentage', 'ToleratedFailurePercentagePath')
  }

  private wait(s: Json, at: string, language: QueryLanguage): void {
    const present = ['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath'].filter((k) => s[k] !== undefined)
    if (present.length !== 1) {
      this.add(
        SCHEMA,
        `A Wait state must have exactly one of "Seconds", "SecondsPath", "Timestamp" or "TimestampPath"${present.length > 1 ? `, not ${present.join(' and ')}` : ''}`,
        at,
      )
    }
    const expression = (v: unknown) => language === 'JSONata' && isJsonataExpression(v)
    if (s.Seconds !== undefined && !expression(s.Seconds)) {
      if (!Number.isInteger(s.Seconds) || (s.Seconds as number) < 0) {
        this.add(SCHEMA, '"Seconds" must be a non-negative integer', `${at}/Seconds`)
      }
    }
    if (s.Timestamp !== undefined && !expression(s.Timestamp)) {
      if (typeof s.Timestamp !== 'string' || !RFC3339.test(s.Timestamp)) {
        this.add(
          SCHEMA,
          '"Timestamp" must be an ISO 8601 timestamp such as 2026-01-31T09:00:00Z',
          `${at}/Timestamp`,
        )
      }
    }
  }

  private choice(s: Json, at: string, language: QueryLanguage, edges: Edge[]): void {
    if (!Array.isArray(s.Choices) || s.Choices.length === 0) {
      this.add(SCHEMA, '"Choices" must be an array with at least one rule', `${at}/Choices`)
    } else {
      s.Choices.forEach((rule, i) => {
        const ruleAt = `${at}/Choices/${i}`
        if (language === 'JSONata') this.jsonataRule(rule, ruleAt)
        else this.jsonPathRule(rule, ruleAt, true)
        if (!isObject(rule)) return
        if (typeof rule.Next === 'string')
          edges.push({ target: rule.Next, field: 'Next', at: `${ruleAt}/Next` })
        else if (rule.Next === undefined) this.add(SCHEMA, 'These fields are required: [Next]', ruleAt)
        else this.add(SCHEMA, '"Next" must be the name of a state (a string)', `${ruleAt}/Next`)
      })
    }
    if (s.Default !== undefined) {
      if (typeof s.Default === 'string')
        edges.push({ target: s.Default, field: 'Default', at: `${at}/Default` })
      else this.add(SCHEMA, '"Default" must be the name of a state (a string)', `${at}/Default`)
    }
  }

  private jsonataRule(rule: unknown, at: string): void {
    if (!isObject(rule)) {
      this.add(SCHEMA, 'A Choice rule must be a JSON object', at)
      return
    }
    for (const key of Object.keys(rule)) {
      if (['Condition', 'Next', 'Assign', 'Output', 'Comment'].includes(key)) continue
      const hint = key in COMPARISONS || BOOLEAN_OPERATORS.includes(key) || key === 'Variable'
      this.add(
        SCHEMA,
        hint
          ? `The field ${quote(key)} is JSONPath only; a JSONata Choice rule uses "Condition"`
          : `Field ${quote(key)} is not supported in a Choice rule`,
        `${at}/${key}`,
      )
    }
    if (rule.Condition === undefined) this.add(SCHEMA, 'These fields are required: [Condition]', at)
    else if (typeof rule.Condition !== 'boolean' && !isJsonataExpression(rule.Condition)) {
      this.add(SCHEMA, '"Condition" must be a JSONata expression "{% … %}" or a boolean', `${at}/Condition`)
    }
    for (const key of ['Condition', 'Assign', 'Output']) {
      if (rule[key] !== undefined) this.expressions(rule[key], `${at}/${key}`)
    }
    if (rule.Assign !== undefined) this.assignNames(rule.Assign, `${at}/Assign`)
  }

  private jsonPathRule(rule: unknown, at: string, top: boolean): void {
    if (!isObject(rule)) {
      this.add(SCHEMA, 'A Choice rule must be a JSON object', at)
      return
    }
    const operators = Object.keys(rule).filter((k) => k in COMPARISONS || BOOLEAN_OPERATORS.includes(k))
    for (const key of Object.keys(rule)) {
      if (key in COMPARISONS || BOOLEAN_OPERATORS.includes(key) || key === 'Variable' || key === 'Comment')
        continue
      if (top && (key === 'Next' || key === 'Assign')) continue
      const message =
        key === 'Condition' || key === 'Output'
          ? `The field ${quote(key)} is only supported in JSONata Choice rules`
          : key === 'Next' || key === 'Assign'
            ? `A nested Choice rule (inside And, Or or Not) cannot have ${quote(key)}`
            : `Field ${quote(key)} is not supported in a Choice rule`
      this.add(SCHEMA, message, `${at}/${key}`)
    }
    if (operators.length !== 1) {
      this.add(
        SCHEMA,
        operators.length === 0
          ? 'A Choice rule must have one comparison operator (such as "StringEquals") or "And", "Or", "Not"'
          : `A Choice rule must have exactly one operator, not ${operators.join(' and ')}`,
        at,
      )
      return
    }
    const op = operators[0]
    if (top && rule.Assign !== undefined) this.payloadTemplate(rule.Assign, `${at}/Assign`, true)
    if (op === 'And' || op === 'Or') {
      if (rule.Variable !== undefined)
        this.add(SCHEMA, `An ${quote(op)} rule cannot have "Variable"`, `${at}/Variable`)
      const list = rule[op]
      if (!Array.isArray(list) || list.length === 0) {
        this.add(SCHEMA, `${quote(op)} must be an array with at least one rule`, `${at}/${op}`)
      } else {
        list.forEach((inner, i) => {
          this.jsonPathRule(inner, `${at}/${op}/${i}`, false)
        })
      }
      return
    }
    if (op === 'Not') {
      if (rule.Variable !== undefined)
        this.add(SCHEMA, 'A "Not" rule cannot have "Variable"', `${at}/Variable`)
      this.jsonPathRule(rule.Not, `${at}/Not`, false)
      return
    }
    if (typeof rule.Variable !== 'string' || !rule.Variable.startsWith('$')) {
      this.add(
        SCHEMA,
        rule.Variable === undefined
          ? `These fields are required: [Variable] (for ${op})`
          : '"Variable" must be a path starting with $',
        rule.Variable === undefined ? at : `${at}/Variable`,
      )
    }
    const value = rule[op]
    const kind = COMPARISONS[op]
    const ok =
      kind === 'string'
        ? typeof value === 'string'
        : kind === 'number'
          ? typeof value === 'number'
          : kind === 'boolean'
            ? typeof value === 'boolean'
            : kind === 'timestamp'
              ? typeof value === 'string' && RFC3339.test(value)
              : typeof value === 'string' && value.startsWith('$')
    if (!ok) {
      const expected = {
        string: 'a string',
        number: 'a number',
        boolean: 'a boolean',
        timestamp: 'an ISO 8601 timestamp such as 2026-01-31T09:00:00Z',
        path: 'a path starting with $',
      }[kind]
      this.add(SCHEMA, `The value of ${quote(op)} must be ${expected}`, `${at}/${op}`)
    }
  }

  private retry(list: unknown, at: string): void {
    if (!Array.isArray(list)) {
      this.add(SCHEMA, '"Retry" must be an array of retriers', at)
      return
    }
    list.forEach((retrier, i) => {
      const rAt = `${at}/${i}`
      if (!isObject(retrier)) {
        this.add(SCHEMA, 'A retrier must be a JSON object', rAt)
        return
      }
      const allowed = [
        'ErrorEquals',
        'IntervalSeconds',
        'MaxAttempts',
        'BackoffRate',
        'MaxDelaySeconds',
        'JitterStrategy',
        'Comment',
      ]
      for (const key of Object.keys(retrier)) {
        if (!allowed.includes(key))
          this.add(SCHEMA, `Field ${quote(key)} is not supported in a retrier`, `${rAt}/${key}`)
      }
      this.errorEquals(retrier.ErrorEquals, rAt, i === list.length - 1, 'retrier', 'Retry')
      const rules: [string, (v: unknown) => boolean, string][] = [
        ['IntervalSeconds', (v) => Number.isInteger(v) && (v as number) >= 1, 'a positive integer'],
        ['MaxAttempts', (v) => Number.isInteger(v) && (v as number) >= 0, 'a non-negative integer'],
        ['BackoffRate', (v) => typeof v === 'number' && v >= 1, 'a number of at least 1.0'],
        ['MaxDelaySeconds', (v) => Number.isInteger(v) && (v as number) >= 1, 'a positive integer'],
        ['JitterStrategy', (v) => v === 'FULL' || v === 'NONE', '"FULL" or "NONE"'],
      ]
      for (const [key, valid, expected] of rules) {
        if (retrier[key] !== undefined && !valid(retrier[key])) {
          this.add(SCHEMA, `${quote(key)} must be ${expected}`, `${rAt}/${key}`)
        }
      }
    })
  }

  private catch(list: unknown, at: string, language: QueryLanguage, edges: Edge[]): void {
    if (!Array.isArray(list)) {
      this.add(SCHEMA, '"Catch" must be an array of catchers', at)
      return
    }
    list.forEach((catcher, i) => {
      const cAt = `${at}/${i}`
      if (!isObject(catcher)) {
        this.add(SCHEMA, 'A catcher must be a JSON object', cAt)
        return
      }
      for (const key of Object.keys(catcher)) {
        if (['ErrorEquals', 'Next', 'Assign', 'Comment'].includes(key)) continue
        if (key === 'ResultPath' && language === 'JSONPath') continue
        if (key === 'Output' && language === 'JSONata') continue
        const message =
          key === 'ResultPath'
            ? 'The field "ResultPath" is not supported in a JSONata catcher (use Output)'
            : key === 'Output'
              ? 'The field "Output" is only supported in JSONata catchers (use ResultPath)'
              : `Field ${quote(key)} is not supported in a catcher`
        this.add(SCHEMA, message, `${cAt}/${key}`)
      }
      this.errorEquals(catcher.ErrorEquals, cAt, i === list.length - 1, 'catcher', 'Catch')
      if (typeof catcher.Next === 'string')
        edges.push({ target: catcher.Next, field: 'Next', at: `${cAt}/Next` })
      else if (catcher.Next === undefined) this.add(SCHEMA, 'These fields are required: [Next]', cAt)
      else this.add(SCHEMA, '"Next" must be the name of a state (a string)', `${cAt}/Next`)
      if (language === 'JSONata') {
        for (const key of ['Output', 'Assign'])
          if (catcher[key] !== undefined) this.expressions(catcher[key], `${cAt}/${key}`)
        if (catcher.Assign !== undefined) this.assignNames(catcher.Assign, `${cAt}/Assign`)
      } else {
        if (catcher.Assign !== undefined) this.payloadTemplate(catcher.Assign, `${cAt}/Assign`, true)
        if (catcher.ResultPath !== undefined) this.path(catcher.ResultPath, `${cAt}/ResultPath`, 'ResultPath')
      }
    })
  }

  private errorEquals(list: unknown, at: string, last: boolean, what: string, field: string): void {
    if (list === undefined) {
      this.add(SCHEMA, 'These fields are required: [ErrorEquals]', at)
      return
    }
    if (!Array.isArray(list) || list.length === 0 || !list.every((e) => typeof e === 'string' && e !== '')) {
      this.add(SCHEMA, '"ErrorEquals" must be a non-empty array of error names', `${at}/ErrorEquals`)
      return
    }
    if (!list.includes('States.ALL')) return
    if (list.length > 1) {
      this.add(SCHEMA, '"States.ALL" must be the only error name in its ErrorEquals', `${at}/ErrorEquals`)
    }
    if (!last) this.add(SCHEMA, `A ${what} with "States.ALL" must be the last one in ${field}`, at)
  }

  /** In a JSONata state: every `{% %}` string in the fields that allow them must compile. */
  private jsonataValues(s: Json, at: string): void {
    for (const key of JSONATA_VALUE_FIELDS) {
      if (s[key] !== undefined) this.expressions(s[key], `${at}/${key}`)
    }
    if (s.Assign !== undefined) this.assignNames(s.Assign, `${at}/Assign`)
  }

  private expressions(value: unknown, at: string): void {
    if (typeof value === 'string') {
      if (!isJsonataExpression(value)) return
      const body = value.slice(2, -2)
      if (body.trim() === '') {
        this.add(SCHEMA, 'The JSONata expression is empty', at)
        return
      }
      try {
        jsonata(body)
      } catch (error) {
        this.add(SCHEMA, `The JSONata expression ${quote(value)} is invalid: ${(error as Error).message}`, at)
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        this.expressions(item, `${at}/${i}`)
      })
    } else if (isObject(value)) {
      for (const [key, item] of Object.entries(value)) this.expressions(item, `${at}/${key}`)
    }
  }

  private assignNames(assign: unknown, at: string): void {
    if (!isObject(assign)) {
      this.add(SCHEMA, '"Assign" must be a JSON object of variable names and values', at)
      return
    }
    for (const key of Object.keys(assign)) {
      const name = key.endsWith('.$') ? key.slice(0, -2) : key
      if (name.length > MAX_VARIABLE_NAME || !VARIABLE_NAME.test(name) || name === 'states') {
        this.add(
          SCHEMA,
          `${quote(name)} is not a valid variable name (letters, digits and _, not starting with a digit, at most ${MAX_VARIABLE_NAME} characters, not "states")`,
          `${at}/${key}`,
        )
      }
    }
  }

  /** In a JSONPath state: payload templates and path fields. */
  private jsonPathValues(s: Json, at: string): void {
    for (const key of PAYLOAD_TEMPLATES) {
      if (s[key] !== undefined) this.payloadTemplate(s[key], `${at}/${key}`, key === 'Assign')
    }
    if (isObject(s.ItemReader) && s.ItemReader.Parameters !== undefined) {
      this.payloadTemplate(s.ItemReader.Parameters, `${at}/ItemReader/Parameters`, false)
    }
    for (const key of PATH_FIELDS) {
      if (s[key] !== undefined) this.path(s[key], `${at}/${key}`, key)
    }
  }

  private path(value: unknown, at: string, field: string): void {
    if (value === null && NULLABLE_PATHS.has(field)) return
    if (typeof value !== 'string') {
      this.add(SCHEMA, `${quote(field)} must be a path (a string starting with $)`, at)
    } else if (INTRINSIC_PATHS.has(field) && isIntrinsic(value)) {
      this.intrinsic(value, at)
    } else if (!value.startsWith('$')) {
      this.add(SCHEMA, `${quote(field)} must be a path starting with $, not ${quote(value)}`, at)
    } else if (field === 'ResultPath' && value.startsWith('$$')) {
      this.add(SCHEMA, '"ResultPath" cannot refer to the context object ($$)', at)
    }
  }

  private intrinsic(value: string, at: string): void {
    try {
      parseIntrinsic(value)
    } catch (error) {
      this.add(SCHEMA, error instanceof StatesError ? error.causeText : String(error), at)
    }
  }

  /** A JSONPath payload template: every `.$` key needs a path or an intrinsic function call. */
  private payloadTemplate(value: unknown, at: string, isAssign: boolean): void {
    if (isAssign) this.assignNames(value, at)
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        this.payloadTemplate(item, `${at}/${i}`, false)
      })
      return
    }
    if (!isObject(value)) return
    for (const [key, item] of Object.entries(value)) {
      const itemAt = `${at}/${key}`
      if (!key.endsWith('.$')) {
        this.payloadTemplate(item, itemAt, false)
      } else if (typeof item !== 'string') {
        this.add(
          SCHEMA,
          `The value of ${quote(key)} must be a path or an intrinsic function call (a string)`,
          itemAt,
        )
      } else if (isIntrinsic(item)) {
        this.intrinsic(item, itemAt)
      } else if (!item.startsWith('$')) {
        this.add(
          SCHEMA,
          `The value of ${quote(key)} must be a JSONPath ($.x), a context path ($$.x), a variable ($x) or an intrinsic function call, not ${quote(item)}`,
          itemAt,
        )
      }
    }
  }
}
