import { StatesError } from './errors.js'
import { evaluateIntrinsic, isIntrinsic } from './intrinsics.js'
import { isPath, MISSING, normalizedPath, type PathScope, readPath, rebase, writePath } from './jsonpath.js'

/**
 * JSONPath-mode data flow: InputPath → Parameters → (task) → ResultSelector → ResultPath →
 * OutputPath, payload templates with `.$` keys, and `Assign`. Everything here is pure and
 * synchronous; values are treated as immutable (never mutated in place).
 */

const short = (v: unknown) => {
  const s = JSON.stringify(v) ?? 'undefined'
  return s.length > 200 ? `${s.slice(0, 200)}…` : s
}

/** Resolves a path (input, context or variable) for intrinsic arguments; missing → States.Runtime. */
function resolver(scope: PathScope, field: string) {
  return (path: string) => {
    const v = readPath(path, scope)
    if (v === MISSING) {
      throw new StatesError(
        'States.Runtime',
        `The JSONPath '${path}' specified for the field '${field}' could not be found in the input '${short(scope.input)}'`,
      )
    }
    return v
  }
}

/** Evaluates the string of a `.$` key (a path or an intrinsic function). */
export function evaluateDynamic(expr: unknown, scope: PathScope, field: string): unknown {
  if (typeof expr !== 'string') {
    throw new StatesError(
      'States.Runtime',
      `The value of the field '${field}' must be a path or an intrinsic function`,
    )
  }
  if (isIntrinsic(expr)) return evaluateIntrinsic(expr, resolver(scope, field))
  if (isPath(expr)) return resolver(scope, field)(expr)
  throw new StatesError(
    'States.Runtime',
    `The value of the field '${field}' is neither a path nor an intrinsic function: ${expr}`,
  )
}

/**
 * A payload template (Parameters, ResultSelector, ItemSelector): keys ending in `.$` are
 * evaluated, everything else is data (including keys named `Comment`).
 */
export function applyTemplate(tpl: unknown, scope: PathScope): unknown {
  if (Array.isArray(tpl)) return tpl.map((x) => applyTemplate(x, scope))
  if (tpl === null || typeof tpl !== 'object') return tpl
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(tpl)) {
    if (k.endsWith('.$')) out[k.slice(0, -2)] = evaluateDynamic(v, scope, k)
    else out[k] = applyTemplate(v, scope)
  }
  return out
}

/** InputPath: absent = `$`, null = `{}`, a path that matches nothing = States.Runtime. */
export function applyInputPath(state: Record<string, unknown>, scope: PathScope): unknown {
  if (!('InputPath' in state)) return scope.input
  return selectPath(state.InputPath, scope, 'InputPath')
}

/** OutputPath on a state's output (variables from state entry stay visible). */
export function applyOutputPath(state: Record<string, unknown>, output: unknown, scope: PathScope): unknown {
  if (!('OutputPath' in state)) return output
  return selectPath(state.OutputPath, rebase(scope, output), 'OutputPath')
}

function selectPath(path: unknown, scope: PathScope, field: string): unknown {
  if (path === null) return {}
  if (typeof path !== 'string') throw new StatesError('States.Runtime', `${field} must be a string or null`)
  if (path === '$') return scope.input
  const v = readPath(path, scope)
  if (v === MISSING) {
    throw new StatesError(
      'States.Runtime',
      `Invalid path '${path}' : No results for path: ${normalizedPath(path)}`,
    )
  }
  return v
}

/** ResultPath: absent = `$` (the result replaces the input), null = keep the input, else merge. */
export function applyResultPath(
  state: Record<string, unknown>,
  rawInput: unknown,
  result: unknown,
  path: unknown = state.ResultPath,
): unknown {
  if (path === undefined || path === '$') return result
  if (path === null) return rawInput
  if (typeof path !== 'string') throw new StatesError('States.Runtime', 'ResultPath must be a string or null')
  return writePath(rawInput, path, result)
}

/**
 * JSONPath-mode Assign: `.$` keys are paths (on `$`, `$$` or variables) or intrinsics,
 * everything else is a literal. Values are computed with the variables at state entry.
 */
export function evaluateAssign(assign: unknown, scope: PathScope): Record<string, unknown> {
  if (assign === null || typeof assign !== 'object' || Array.isArray(assign)) {
    throw new StatesError('States.Runtime', 'Assign must be an object')
  }
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(assign)) {
    if (k.endsWith('.$')) out[k.slice(0, -2)] = evaluateDynamic(v, scope, k)
    else out[k] = applyTemplate(v, scope)
  }
  return out
}

/** Reads a path field such as ErrorPath, SecondsPath, ItemsPath (missing → States.Runtime). */
export function readRequired(path: string, scope: PathScope, field: string): unknown {
  if (isIntrinsic(path)) return evaluateIntrinsic(path, resolver(scope, field))
  const v = readPath(path, scope)
  if (v === MISSING) {
    throw new StatesError(
      'States.Runtime',
      `The JSONPath '${path}' specified for the field '${field}' could not be found in the input '${short(scope.input)}'`,
    )
  }
  return v
}
