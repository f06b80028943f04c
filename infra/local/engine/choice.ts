import { StatesError } from './errors.js'
import { MISSING, type PathScope, readPath } from './jsonpath.js'

/**
 * JSONPath-mode Choice rules: `And/Or/Not`, the type tests, and the String/Numeric/
 * Boolean/Timestamp comparisons (each with a `…Path` form). A comparison against a value of
 * another type is false, not an error; a missing `Variable` is States.Runtime (except for
 * `IsPresent`).
 */

type Rule = Record<string, any>

const TS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/

/** Parses an RFC 3339 timestamp (with `T` and a zone); undefined when it is not one. */
export function parseTimestamp(s: unknown): number | undefined {
  if (typeof s !== 'string') return undefined
  const m = TS.exec(s)
  if (!m) return undefined
  const [, y, mo, d, h, mi, sec] = m.map(Number)
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return undefined
  const ms = Date.parse(s.replace(/(\.\d{3})\d+/, '$1'))
  if (Number.isNaN(ms)) return undefined
  // Reject impossible dates Date.parse would roll over (e.g. 2021-02-30).
  const check = new Date(Date.UTC(y, mo - 1, d))
  if (check.getUTCMonth() !== mo - 1) return undefined
  return ms
}

const COMPARATORS = ['Equals', 'GreaterThan', 'GreaterThanEquals', 'LessThan', 'LessThanEquals'] as const
type Cmp = (typeof COMPARATORS)[number]

function compare(cmp: Cmp, a: number | string, b: number | string): boolean {
  switch (cmp) {
    case 'Equals':
      return a === b
    case 'GreaterThan':
      return a > b
    case 'GreaterThanEquals':
      return a >= b
    case 'LessThan':
      return a < b
    case 'LessThanEquals':
      return a <= b
  }
}

function wildcardMatch(value: string, pattern: string): boolean {
  let re = '^'
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]
    if (ch === '\\' && i + 1 < pattern.length) {
      re += pattern[i + 1].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      i++
    } else if (ch === '*') re += '[\\s\\S]*'
    else re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`${re}$`).test(value)
}

function readVar(path: string, scope: PathScope): unknown {
  const v = readPath(path, scope)
  if (v === MISSING) {
    throw new StatesError(
      'States.Runtime',
      `Invalid path '${path}': The choice state's condition path references an invalid value.`,
    )
  }
  return v
}

type Kind = 'String' | 'Numeric' | 'Timestamp'
const OPERATORS = new Map<string, { kind: Kind; cmp: Cmp; path: boolean }>()
for (const kind of ['String', 'Numeric', 'Timestamp'] as const) {
  for (const cmp of COMPARATORS) {
    OPERATORS.set(`${kind}${cmp}`, { kind, cmp, path: false })
    OPERATORS.set(`${kind}${cmp}Path`, { kind, cmp, path: true })
  }
}
const TESTS = new Set([
  'IsPresent',
  'IsNull',
  'IsString',
  'IsNumeric',
  'IsBoolean',
  'IsTimestamp',
  'BooleanEquals',
  'BooleanEqualsPath',
  'StringMatches',
])

/** The operator key of a rule, found once per rule object. */
const operatorOf = new WeakMap<Rule, string>()
function operator(rule: Rule): string {
  let op = operatorOf.get(rule)
  if (op === undefined) {
    op = Object.keys(rule).find((k) => OPERATORS.has(k) || TESTS.has(k)) ?? ''
    operatorOf.set(rule, op)
  }
  return op
}

/** Evaluates one JSONPath Choice rule (or nested rule) to true/false. */
export function evaluateRule(rule: Rule, scope: PathScope): boolean {
  if (Array.isArray(rule.And)) return rule.And.every((r: Rule) => evaluateRule(r, scope))
  if (Array.isArray(rule.Or)) return rule.Or.some((r: Rule) => evaluateRule(r, scope))
  if (rule.Not && typeof rule.Not === 'object') return !evaluateRule(rule.Not, scope)
  const path = rule.Variable
  if (typeof path !== 'string') throw new StatesError('States.Runtime', 'A choice rule needs a Variable')
  const op = operator(rule)
  if (op === 'IsPresent') return (readPath(path, scope) !== MISSING) === rule.IsPresent
  const v = readVar(path, scope)
  const comparison = OPERATORS.get(op)
  if (comparison) {
    const other = comparison.path ? readVar(rule[op], scope) : rule[op]
    if (comparison.kind === 'String')
      return typeof v === 'string' && typeof other === 'string' && compare(comparison.cmp, v, other)
    if (comparison.kind === 'Numeric')
      return typeof v === 'number' && typeof other === 'number' && compare(comparison.cmp, v, other)
    const a = parseTimestamp(v)
    const b = parseTimestamp(other)
    return a !== undefined && b !== undefined && compare(comparison.cmp, a, b)
  }
  switch (op) {
    case 'IsNull':
      return (v === null) === rule.IsNull
    case 'IsString':
      return (typeof v === 'string') === rule.IsString
    case 'IsNumeric':
      return (typeof v === 'number') === rule.IsNumeric
    case 'IsBoolean':
      return (typeof v === 'boolean') === rule.IsBoolean
    case 'IsTimestamp':
      return (parseTimestamp(v) !== undefined) === rule.IsTimestamp
    case 'BooleanEquals':
      return typeof v === 'boolean' && v === rule.BooleanEquals
    case 'BooleanEqualsPath':
      return typeof v === 'boolean' && v === readVar(rule.BooleanEqualsPath, scope)
    case 'StringMatches':
      return typeof v === 'string' && wildcardMatch(v, String(rule.StringMatches))
  }
  throw new StatesError('States.Runtime', `Unsupported choice rule: ${JSON.stringify(rule).slice(0, 200)}`)
}
