/**
 * A fast path for the simple expressions most conditions are (`kritis = 'yes'`,
 * `employees >= 50 and sector in ['energy', 'health']`, `$exists(a)`): the JSONata AST of
 * such an expression is turned into plain closures with JSONata's own semantics, which
 * run synchronously and about twenty times faster than JSONata's async evaluator. Anything
 * outside this subset, and any value the subset does not handle at run time, goes to
 * JSONata itself (the closure returns {@link USE_JSONATA}). No code is generated or eval'ed.
 */

/** Returned when the fast path cannot decide; the caller evaluates with JSONata instead. */
export const USE_JSONATA: unique symbol = Symbol('use-jsonata')

/** A compiled fast expression. */
export type FastFn = (input: Record<string, unknown>, bindings: Record<string, unknown>) => unknown

type Node = Record<string, any>
const FAST_FUNCTIONS = new Set(['not', 'exists', 'boolean', 'count', 'sum', 'max', 'min'])
const FAST_VARIABLES = new Set(['today', 'value'])

/** Compiles a JSONata AST into a fast function, or undefined when it is outside the subset. */
export function compileFast(ast: Node): FastFn | undefined {
  try {
    return build(ast)
  } catch (err) {
    if (err === UNSUPPORTED) return undefined
    throw err
  }
}

const UNSUPPORTED = Symbol('unsupported')
const only = (node: Node, keys: string[]) => {
  for (const k of Object.keys(node))
    if (k !== 'type' && k !== 'position' && !keys.includes(k)) throw UNSUPPORTED
}

/** JSONata's `$boolean`. */
export function jsonataBoolean(v: unknown): boolean | undefined {
  if (v === undefined) return undefined
  if (Array.isArray(v)) {
    if (v.length === 1) return jsonataBoolean(v[0])
    return v.some((x) => jsonataBoolean(x) === true)
  }
  if (typeof v === 'string') return v.length > 0
  if (typeof v === 'number') return v !== 0
  if (typeof v === 'boolean') return v
  if (v === null) return false
  if (typeof v === 'function') return false
  if (typeof v === 'object') return Object.keys(v).length > 0
  return false
}
const boolize = (v: unknown) => jsonataBoolean(v) ?? false
const isPrimitive = (v: unknown) =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'

function build(n: Node): FastFn {
  switch (n.type) {
    case 'string':
    case 'number':
    case 'value': {
      only(n, ['value'])
      const v = n.value
      return () => v
    }
    case 'variable': {
      only(n, ['value'])
      if (!FAST_VARIABLES.has(n.value)) throw UNSUPPORTED
      const name = n.value as string
      return (_, b) => b[name]
    }
    case 'path':
      return buildPath(n)
    case 'block': {
      only(n, ['expressions'])
      if (n.expressions.length !== 1) throw UNSUPPORTED
      return build(n.expressions[0])
    }
    case 'unary':
      return buildUnary(n)
    case 'binary':
      return buildBinary(n)
    case 'condition': {
      only(n, ['condition', 'then', 'else'])
      const c = build(n.condition)
      const t = build(n.then)
      const e = n.else === undefined ? undefined : build(n.else)
      return (i, b) => {
        const cv = c(i, b)
        if (cv === USE_JSONATA) return USE_JSONATA
        if (jsonataBoolean(cv)) return t(i, b)
        return e ? e(i, b) : undefined
      }
    }
    case 'function': {
      only(n, ['value', 'arguments', 'procedure'])
      const p = n.procedure as Node
      if (
        n.value !== '(' ||
        p?.type !== 'variable' ||
        !FAST_FUNCTIONS.has(p.value) ||
        n.arguments.length !== 1
      )
        throw UNSUPPORTED
      only(p, ['value'])
      const arg = build(n.arguments[0])
      if (p.value === 'exists')
        return (i, b) => {
          const v = arg(i, b)
          return v === USE_JSONATA ? v : v !== undefined
        }
      if (p.value === 'boolean')
        return (i, b) => {
          const v = arg(i, b)
          return v === USE_JSONATA ? v : jsonataBoolean(v)
        }
      if (p.value === 'count')
        return (i, b) => {
          const v = arg(i, b)
          if (v === USE_JSONATA) return v
          return v === undefined ? 0 : Array.isArray(v) ? v.length : 1
        }
      if (p.value === 'sum' || p.value === 'max' || p.value === 'min') {
        const fold = p.value
        return (i, b) => {
          const v = arg(i, b)
          if (v === USE_JSONATA || v === undefined) return v
          const xs = Array.isArray(v) ? v : [v]
          if (!xs.every((x) => typeof x === 'number')) return USE_JSONATA // JSONata raises T0412
          if (fold === 'sum') return (xs as number[]).reduce((a, x) => a + x, 0)
          if (xs.length === 0) return undefined
          return fold === 'max' ? Math.max(...(xs as number[])) : Math.min(...(xs as number[]))
        }
      }
      return (i, b) => {
        const v = arg(i, b)
        if (v === USE_JSONATA || v === undefined) return v
        return !jsonataBoolean(v)
      }
    }
    default:
      throw UNSUPPORTED
  }
}

function buildPath(n: Node): FastFn {
  only(n, ['steps'])
  const names: string[] = n.steps.map((s: Node) => {
    if (s.type !== 'name') throw UNSUPPORTED
    only(s, ['value'])
    return s.value as string
  })
  if (names.length === 0) throw UNSUPPORTED
  const [first, ...rest] = names
  if (rest.length === 0) return (i) => (Object.hasOwn(i, first) ? i[first] : undefined)
  return (i) => {
    let cur: unknown = Object.hasOwn(i, first) ? i[first] : undefined
    for (const name of rest) {
      if (cur === undefined) return undefined
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return USE_JSONATA
      cur = Object.hasOwn(cur, name) ? (cur as Record<string, unknown>)[name] : undefined
    }
    return Array.isArray(cur) || (cur !== null && typeof cur === 'object') ? USE_JSONATA : cur
  }
}

function buildUnary(n: Node): FastFn {
  if (n.value === '-') {
    only(n, ['value', 'expression'])
    const e = build(n.expression)
    return (i, b) => {
      const v = e(i, b)
      if (v === undefined) return undefined
      return typeof v === 'number' ? -v : USE_JSONATA
    }
  }
  if (n.value === '[') {
    // JSONata's array constructor: undefined items are skipped, arrays are spliced in
    // (except a nested constructor, which stays one item)
    only(n, ['value', 'expressions'])
    const items = (n.expressions as Node[]).map((x) => ({
      fn: build(x),
      nested: x.type === 'unary' && x.value === '[',
    }))
    return (i, b) => {
      const out: unknown[] = []
      for (const item of items) {
        const v = item.fn(i, b)
        if (v === USE_JSONATA) return v
        if (v === undefined) continue
        if (Array.isArray(v) && !item.nested) out.push(...v)
        else out.push(v)
      }
      return out
    }
  }
  throw UNSUPPORTED
}

function buildBinary(n: Node): FastFn {
  only(n, ['value', 'lhs', 'rhs'])
  const op = n.value as string
  const l = build(n.lhs)
  const r = build(n.rhs)
  switch (op) {
    case 'and':
    case 'or':
      return (i, b) => {
        const lv = l(i, b)
        if (lv === USE_JSONATA) return lv
        const lb = boolize(lv)
        if (op === 'and' ? !lb : lb) return lb
        const rv = r(i, b)
        return rv === USE_JSONATA ? rv : boolize(rv)
      }
    case '=':
    case '!=':
      return (i, b) => {
        const lv = l(i, b)
        const rv = r(i, b)
        if (lv === USE_JSONATA || rv === USE_JSONATA) return USE_JSONATA
        if (lv === undefined || rv === undefined) return false
        if (!isPrimitive(lv) || !isPrimitive(rv)) return USE_JSONATA
        return op === '=' ? lv === rv : lv !== rv
      }
    case '<':
    case '<=':
    case '>':
    case '>=':
      return (i, b) => {
        const lv = l(i, b)
        const rv = r(i, b)
        if (lv === USE_JSONATA || rv === USE_JSONATA) return USE_JSONATA
        const lt = typeof lv
        const rt = typeof rv
        if (
          (lt !== 'undefined' && lt !== 'string' && lt !== 'number') ||
          (rt !== 'undefined' && rt !== 'string' && rt !== 'number')
        )
          return USE_JSONATA // JSONata raises T2010
        if (lv === undefined || rv === undefined) return undefined
        if (lt !== rt) return USE_JSONATA // JSONata raises T2009
        const a = lv as number | string
        const c = rv as number | string
        return op === '<' ? a < c : op === '<=' ? a <= c : op === '>' ? a > c : a >= c
      }
    case 'in':
      return (i, b) => {
        const lv = l(i, b)
        const rv = r(i, b)
        if (lv === USE_JSONATA || rv === USE_JSONATA) return USE_JSONATA
        if (lv === undefined || rv === undefined) return false
        return Array.isArray(rv) ? rv.some((x) => x === lv) : rv === lv
      }
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return (i, b) => {
        const lv = l(i, b)
        const rv = r(i, b)
        if (lv === USE_JSONATA || rv === USE_JSONATA) return USE_JSONATA
        if ((lv !== undefined && typeof lv !== 'number') || (rv !== undefined && typeof rv !== 'number'))
          return USE_JSONATA // JSONata raises T2001/T2002
        if (lv === undefined || rv === undefined) return undefined
        const a = lv as number
        const c = rv as number
        const out = op === '+' ? a + c : op === '-' ? a - c : op === '*' ? a * c : op === '/' ? a / c : a % c
        return Number.isFinite(out) ? out : USE_JSONATA
      }
    default:
      throw UNSUPPORTED
  }
}
