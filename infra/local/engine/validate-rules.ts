import { checkChoice } from './validate-choice.js'
import {
  type Edge,
  isJsonataExpression,
  isObject,
  type Json,
  PATH_FIELDS,
  type QueryLanguage,
  quote,
  RFC3339,
  type Rules,
  SCHEMA,
} from './validate-common.js'
import { checkJsonataValues, checkJsonPathValues } from './validate-data.js'
import { checkCatch, checkRetry } from './validate-errors.js'

/**
 * The project's own checks of an Amazon States Language definition: structure, transitions,
 * reachability, Choice rules, Retry/Catch, Wait, query-language fields, expressions and
 * resources. Each problem names its place with a JSON pointer (`/States/Bar/Next`), as AWS does.
 * This module walks the definition and checks states and their fields; the rule families
 * live beside it: `validate-choice.ts`, `validate-errors.ts`, `validate-data.ts`.
 */

/** One thing wrong with a definition, as AWS reports it: `CODE: message at /pointer`. */
export interface DefinitionProblem {
  code: string
  message: string
  at: string
}

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
const JSONPATH_ONLY = new Set([...PATH_FIELDS, 'Parameters', 'ResultSelector', 'Result'])

/** Fields that exist only in JSONata states. */
const JSONATA_ONLY = new Set(['Output', 'Arguments', 'Items'])

const MAX_STATE_NAME = 80

const TRANSITION = 'MISSING_TRANSITION_TARGET'

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
class RuleChecker implements Rules {
  readonly problems: DefinitionProblem[] = []
  private topLanguage: QueryLanguage = 'JSONPath'
  private readonly stateNames = new Map<string, string>()

  constructor(private readonly isKnownResource?: (arn: string) => boolean) {}

  add(code: string, message: string, at: string): void {
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
    if (language === 'JSONata') checkJsonataValues(this, s, at)
    else checkJsonPathValues(this, s, at)
    switch (type) {
      case 'Task':
        this.task(s, at, language)
        break
      case 'Choice':
        checkChoice(this, s, at, language, edges)
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
    if (s.Retry !== undefined) checkRetry(this, s.Retry, `${at}/Retry`)
    if (s.Catch !== undefined) checkCatch(this, s.Catch, `${at}/Catch`, language, edges)
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
}
