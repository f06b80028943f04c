import jsonata from 'jsonata'
import { messageOf } from '../../../functions/domain/errors.js'
import { StatesError } from './errors.js'
import { isIntrinsic, parseIntrinsic } from './intrinsics.js'
import {
  isJsonataExpression,
  isObject,
  JSONATA_SCALARS,
  type Json,
  PATH_FIELDS,
  PAYLOAD_TEMPLATES,
  quote,
  type Rules,
  SCHEMA,
} from './validate-common.js'

/**
 * Definition validation, data fields: `{% %}` expressions and variable names in JSONata
 * states; payload templates, paths and intrinsic functions in JSONPath states.
 */

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
  ...JSONATA_SCALARS,
]
const NULLABLE_PATHS = new Set(['InputPath', 'OutputPath', 'ResultPath'])
const INTRINSIC_PATHS = new Set(['ErrorPath', 'CausePath'])

const VARIABLE_NAME = /^[\p{L}_][\p{L}\p{N}_]*$/u
const MAX_VARIABLE_NAME = 80

/** In a JSONata state: every `{% %}` string in the fields that allow them must compile. */
export function checkJsonataValues(r: Rules, s: Json, at: string): void {
  for (const key of JSONATA_VALUE_FIELDS) {
    if (s[key] !== undefined) checkExpressions(r, s[key], `${at}/${key}`)
  }
  if (s.Assign !== undefined) checkAssignNames(r, s.Assign, `${at}/Assign`)
}

export function checkExpressions(r: Rules, value: unknown, at: string): void {
  if (typeof value === 'string') {
    if (!isJsonataExpression(value)) return
    const body = value.slice(2, -2)
    if (body.trim() === '') {
      r.add(SCHEMA, 'The JSONata expression is empty', at)
      return
    }
    const problem = parseProblem(body)
    if (problem !== undefined)
      r.add(SCHEMA, `The JSONata expression ${quote(value)} is invalid: ${problem}`, at)
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      checkExpressions(r, item, `${at}/${i}`)
    })
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) checkExpressions(r, item, `${at}/${key}`)
  }
}

/**
 * Why JSONata cannot parse `body`, or `undefined`: remembered per expression, since every
 * stack start validates the same workflows (registration and CreateStateMachine each parse all
 * their expressions).
 */
function parseProblem(body: string): string | undefined {
  if (parsed.has(body)) return parsed.get(body)
  let problem: string | undefined
  try {
    jsonata(body)
  } catch (error) {
    problem = messageOf(error)
  }
  if (parsed.size >= PARSED_LIMIT) parsed.clear()
  parsed.set(body, problem)
  return problem
}

const parsed = new Map<string, string | undefined>()
const PARSED_LIMIT = 5_000

export function checkAssignNames(r: Rules, assign: unknown, at: string): void {
  if (!isObject(assign)) {
    r.add(SCHEMA, '"Assign" must be a JSON object of variable names and values', at)
    return
  }
  for (const key of Object.keys(assign)) {
    const name = key.endsWith('.$') ? key.slice(0, -2) : key
    if (name.length > MAX_VARIABLE_NAME || !VARIABLE_NAME.test(name) || name === 'states') {
      r.add(
        SCHEMA,
        `${quote(name)} is not a valid variable name (letters, digits and _, not starting with a digit, at most ${MAX_VARIABLE_NAME} characters, not "states")`,
        `${at}/${key}`,
      )
    }
  }
}

/** In a JSONPath state: payload templates and path fields. */
export function checkJsonPathValues(r: Rules, s: Json, at: string): void {
  for (const key of PAYLOAD_TEMPLATES) {
    if (s[key] !== undefined) checkPayloadTemplate(r, s[key], `${at}/${key}`, key === 'Assign')
  }
  if (isObject(s.ItemReader) && s.ItemReader.Parameters !== undefined) {
    checkPayloadTemplate(r, s.ItemReader.Parameters, `${at}/ItemReader/Parameters`, false)
  }
  for (const key of PATH_FIELDS) {
    if (s[key] !== undefined) checkPath(r, s[key], `${at}/${key}`, key)
  }
}

export function checkPath(r: Rules, value: unknown, at: string, field: string): void {
  if (value === null && NULLABLE_PATHS.has(field)) return
  if (typeof value !== 'string') {
    r.add(SCHEMA, `${quote(field)} must be a path (a string starting with $)`, at)
  } else if (INTRINSIC_PATHS.has(field) && isIntrinsic(value)) {
    checkIntrinsic(r, value, at)
  } else if (!value.startsWith('$')) {
    r.add(SCHEMA, `${quote(field)} must be a path starting with $, not ${quote(value)}`, at)
  } else if (field === 'ResultPath' && value.startsWith('$$')) {
    r.add(SCHEMA, '"ResultPath" cannot refer to the context object ($$)', at)
  }
}

export function checkIntrinsic(r: Rules, value: string, at: string): void {
  try {
    parseIntrinsic(value)
  } catch (error) {
    r.add(SCHEMA, error instanceof StatesError ? error.causeText : String(error), at)
  }
}

/** A JSONPath payload template: every `.$` key needs a path or an intrinsic function call. */
export function checkPayloadTemplate(r: Rules, value: unknown, at: string, isAssign: boolean): void {
  if (isAssign) checkAssignNames(r, value, at)
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      checkPayloadTemplate(r, item, `${at}/${i}`, false)
    })
    return
  }
  if (!isObject(value)) return
  for (const [key, item] of Object.entries(value)) {
    const itemAt = `${at}/${key}`
    if (!key.endsWith('.$')) {
      checkPayloadTemplate(r, item, itemAt, false)
    } else if (typeof item !== 'string') {
      r.add(
        SCHEMA,
        `The value of ${quote(key)} must be a path or an intrinsic function call (a string)`,
        itemAt,
      )
    } else if (isIntrinsic(item)) {
      checkIntrinsic(r, item, itemAt)
    } else if (!item.startsWith('$')) {
      r.add(
        SCHEMA,
        `The value of ${quote(key)} must be a JSONPath ($.x), a context path ($$.x), a variable ($x) or an intrinsic function call, not ${quote(item)}`,
        itemAt,
      )
    }
  }
}
