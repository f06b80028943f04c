import { createHash, randomUUID } from 'node:crypto'
import jsonata from 'jsonata'
import { messageOf } from '../../../functions/domain/errors.js'
import { StatesError } from './errors.js'

/**
 * JSONata as Step Functions uses it: `"{% expr %}"` strings, `$states` and the workflow
 * variables as bindings, and AWS's extra functions `$partition, $range, $hash, $random,
 * $uuid, $parse`. Expressions are compiled once. Failures are `States.QueryEvaluationError`.
 */

/** True for a string that is a JSONata expression (`{%` … `%}` with nothing around). */
export const isJsonataString = (v: unknown): v is string =>
  typeof v === 'string' && v.startsWith('{%') && v.endsWith('%}') && v.length >= 4

/** An evaluation error with the field it happened in (for the EvaluationFailed event). */
export class QueryError extends StatesError {
  readonly location: string
  constructor(cause: string, location: string) {
    super('States.QueryEvaluationError', cause)
    this.location = location
  }
}

const cache = new Map<string, jsonata.Expression>()

const HASHES: Record<string, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
}

function seeded(seed: number): number {
  // mulberry32: a seeded value in [0, 1).
  let t = (seed + 0x6d2b79f5) | 0
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

function register(e: jsonata.Expression) {
  e.registerFunction(
    'partition',
    (arr: unknown[], size: number) => {
      if (!Array.isArray(arr)) throw new Error('$partition: the first argument must be an array')
      if (!Number.isInteger(size) || size <= 0)
        throw new Error('$partition: the size must be a positive integer')
      const out: unknown[][] = []
      for (let i = 0; i < arr.length; i += size) out.push(arr.slice(i, i + size))
      return out
    },
    '<an:a>',
  )
  e.registerFunction(
    'range',
    (start: number, end: number, step: number) => {
      if (![start, end, step].every(Number.isFinite) || step === 0)
        throw new Error('$range: numbers and a non-zero step')
      const out: number[] = []
      if (step > 0) for (let x = start; x <= end && out.length <= 10_000; x += step) out.push(x)
      else for (let x = start; x >= end && out.length <= 10_000; x += step) out.push(x)
      if (out.length > 10_000) throw new Error('$range: at most 10,000 items')
      return out
    },
    '<nnn:a<n>>',
  )
  e.registerFunction(
    'hash',
    (value: unknown, algorithm: string) => {
      const alg = HASHES[algorithm]
      if (!alg) throw new Error(`$hash: algorithm must be one of ${Object.keys(HASHES).join(', ')}`)
      const text = typeof value === 'string' ? value : JSON.stringify(value)
      return createHash(alg).update(text).digest('hex')
    },
    '<xs:s>',
  )
  e.registerFunction(
    'random',
    (seed?: number) => (seed === undefined ? Math.random() : seeded(seed)),
    '<n?:n>',
  )
  e.registerFunction('uuid', () => randomUUID(), '<:s>')
  e.registerFunction(
    'parse',
    (text: string) => {
      try {
        return JSON.parse(text)
      } catch {
        throw new Error(`$parse: not valid JSON: ${text.slice(0, 100)}`)
      }
    },
    '<s:x>',
  )
}

/** The body of a `{% … %}` string. */
export const jsonataBody = (s: string) => s.slice(2, -2).trim()

function compile(body: string, location: string): jsonata.Expression {
  let e = cache.get(body)
  if (e) return e
  try {
    e = jsonata(body)
  } catch (err) {
    throw new QueryError(
      `The JSONata expression '${body}' specified for the field '${location}' is invalid: ${messageOf(err)}`,
      location,
    )
  }
  register(e)
  if (cache.size > 5_000) cache.clear()
  cache.set(body, e)
  return e
}

/** Plain JSON out of a JSONata result (sequences become arrays, functions are refused). */
function toJson(v: unknown): unknown {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'function') throw new Error('a function is not a JSON value')
    if (typeof v === 'number' && !Number.isFinite(v)) throw new Error('the number is not finite')
    return v
  }
  return JSON.parse(JSON.stringify(v))
}

/**
 * Evaluates one `{% %}` string with `$states` and the variables bound. `location` names
 * the field for error messages (`Output`, `Arguments.x`, `Condition`).
 */
export async function evaluateJsonata(
  expr: string,
  bindings: Record<string, unknown>,
  location: string,
): Promise<unknown> {
  const body = jsonataBody(expr)
  const e = compile(body, location)
  let result: unknown
  try {
    result = await e.evaluate(undefined, bindings)
  } catch (err) {
    throw new QueryError(
      `The JSONata expression '${body}' specified for the field '${location}' could not be evaluated: ${messageOf(err)}`,
      location,
    )
  }
  if (result === undefined) {
    throw new QueryError(
      `The JSONata expression '${body}' specified for the field '${location}' returned nothing (undefined).`,
      location,
    )
  }
  try {
    return toJson(result)
  } catch (err) {
    throw new QueryError(
      `The JSONata expression '${body}' specified for the field '${location}' returned ${messageOf(err)}`,
      location,
    )
  }
}

/**
 * Evaluates a JSONata-mode template: every `{% %}` string inside objects and arrays is an
 * expression, everything else a literal.
 */
export async function evaluateTemplate(
  tpl: unknown,
  bindings: Record<string, unknown>,
  location: string,
): Promise<unknown> {
  if (isJsonataString(tpl)) return evaluateJsonata(tpl, bindings, location)
  if (Array.isArray(tpl)) {
    const out: unknown[] = []
    for (let i = 0; i < tpl.length; i++)
      out.push(await evaluateTemplate(tpl[i], bindings, `${location}[${i}]`))
    return out
  }
  if (tpl !== null && typeof tpl === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(tpl))
      out[k] = await evaluateTemplate(v, bindings, location ? `${location}.${k}` : k)
    return out
  }
  return tpl
}

/** True when a template holds any expression (literal templates need no evaluation). */
export function hasExpression(tpl: unknown): boolean {
  if (isJsonataString(tpl)) return true
  if (Array.isArray(tpl)) return tpl.some(hasExpression)
  if (tpl !== null && typeof tpl === 'object') return Object.values(tpl).some(hasExpression)
  return false
}
