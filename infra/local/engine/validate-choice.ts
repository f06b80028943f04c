import {
  type Edge,
  isJsonataExpression,
  isObject,
  type Json,
  type QueryLanguage,
  quote,
  RFC3339,
  type Rules,
  SCHEMA,
} from './validate-common.js'
import { checkAssignNames, checkExpressions, checkPayloadTemplate } from './validate-data.js'

/** Definition validation, Choice rules: JSONata `Condition`s and JSONPath comparison and boolean rules. */

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

export function checkChoice(r: Rules, s: Json, at: string, language: QueryLanguage, edges: Edge[]): void {
  if (!Array.isArray(s.Choices) || s.Choices.length === 0) {
    r.add(SCHEMA, '"Choices" must be an array with at least one rule', `${at}/Choices`)
  } else {
    s.Choices.forEach((rule, i) => {
      const ruleAt = `${at}/Choices/${i}`
      if (language === 'JSONata') jsonataRule(r, rule, ruleAt)
      else jsonPathRule(r, rule, ruleAt, true)
      if (!isObject(rule)) return
      if (typeof rule.Next === 'string')
        edges.push({ target: rule.Next, field: 'Next', at: `${ruleAt}/Next` })
      else if (rule.Next === undefined) r.add(SCHEMA, 'These fields are required: [Next]', ruleAt)
      else r.add(SCHEMA, '"Next" must be the name of a state (a string)', `${ruleAt}/Next`)
    })
  }
  if (s.Default !== undefined) {
    if (typeof s.Default === 'string')
      edges.push({ target: s.Default, field: 'Default', at: `${at}/Default` })
    else r.add(SCHEMA, '"Default" must be the name of a state (a string)', `${at}/Default`)
  }
}

export function jsonataRule(r: Rules, rule: unknown, at: string): void {
  if (!isObject(rule)) {
    r.add(SCHEMA, 'A Choice rule must be a JSON object', at)
    return
  }
  for (const key of Object.keys(rule)) {
    if (['Condition', 'Next', 'Assign', 'Output', 'Comment'].includes(key)) continue
    const hint = key in COMPARISONS || BOOLEAN_OPERATORS.includes(key) || key === 'Variable'
    r.add(
      SCHEMA,
      hint
        ? `The field ${quote(key)} is JSONPath only; a JSONata Choice rule uses "Condition"`
        : `Field ${quote(key)} is not supported in a Choice rule`,
      `${at}/${key}`,
    )
  }
  if (rule.Condition === undefined) r.add(SCHEMA, 'These fields are required: [Condition]', at)
  else if (typeof rule.Condition !== 'boolean' && !isJsonataExpression(rule.Condition)) {
    r.add(SCHEMA, '"Condition" must be a JSONata expression "{% … %}" or a boolean', `${at}/Condition`)
  }
  for (const key of ['Condition', 'Assign', 'Output']) {
    if (rule[key] !== undefined) checkExpressions(r, rule[key], `${at}/${key}`)
  }
  if (rule.Assign !== undefined) checkAssignNames(r, rule.Assign, `${at}/Assign`)
}

export function jsonPathRule(r: Rules, rule: unknown, at: string, top: boolean): void {
  if (!isObject(rule)) {
    r.add(SCHEMA, 'A Choice rule must be a JSON object', at)
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
    r.add(SCHEMA, message, `${at}/${key}`)
  }
  if (operators.length !== 1) {
    r.add(
      SCHEMA,
      operators.length === 0
        ? 'A Choice rule must have one comparison operator (such as "StringEquals") or "And", "Or", "Not"'
        : `A Choice rule must have exactly one operator, not ${operators.join(' and ')}`,
      at,
    )
    return
  }
  const op = operators[0]
  if (top && rule.Assign !== undefined) checkPayloadTemplate(r, rule.Assign, `${at}/Assign`, true)
  if (op === 'And' || op === 'Or') {
    if (rule.Variable !== undefined)
      r.add(SCHEMA, `An ${quote(op)} rule cannot have "Variable"`, `${at}/Variable`)
    const list = rule[op]
    if (!Array.isArray(list) || list.length === 0) {
      r.add(SCHEMA, `${quote(op)} must be an array with at least one rule`, `${at}/${op}`)
    } else {
      list.forEach((inner, i) => {
        jsonPathRule(r, inner, `${at}/${op}/${i}`, false)
      })
    }
    return
  }
  if (op === 'Not') {
    if (rule.Variable !== undefined) r.add(SCHEMA, 'A "Not" rule cannot have "Variable"', `${at}/Variable`)
    jsonPathRule(r, rule.Not, `${at}/Not`, false)
    return
  }
  if (typeof rule.Variable !== 'string' || !rule.Variable.startsWith('$')) {
    r.add(
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
    r.add(SCHEMA, `The value of ${quote(op)} must be ${expected}`, `${at}/${op}`)
  }
}
