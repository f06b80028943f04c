import { createRequire } from 'node:module'

/**
 * The embedded store's (dynalite's) expressions parsed once per shape instead of on every
 * request. dynalite's validation runs its PEG parsers over each request's
 * KeyConditionExpression, FilterExpression, ConditionExpression, UpdateExpression and
 * ProjectionExpression: ~4.6 % of the app's CPU in a profile of `npm run bench:inbox-cpu`
 * (the inbox Query's `pk = :pk AND sk BETWEEN :from AND :to`, parsed anew for each page).
 *
 * A parse's result depends on the expression, on the names it resolves
 * (ExpressionAttributeNames), on whether each value it resolves (ExpressionAttributeValues)
 * is there and of which type, and, for two checks, on the values themselves: BETWEEN's bounds
 * compared (`checkBetweenArgs`) and `attribute_type`'s type name. The parsed tree holds the
 * request's value objects themselves where the expression names them. So a successful parse
 * is kept as a template, keyed by the parser, the expression, the names and the values' types,
 * with each value object replaced by a reference to its key; a later request of the same key
 * gets a fresh copy of the template with its own value objects in their places (the same tree,
 * shared parts and object prototypes included, that dynalite's parser would build for it), and
 * the same names and values marked used. A template is kept from a shape's second parse (a
 * shape seen once costs only its key). Left to dynalite's parser: every parse that fails
 * (its error message is the parser's), an expression with `attribute_type`, and a BETWEEN whose
 * new bounds would not pass its comparison. `test/integration/store/expression-cache.test.ts`
 * compares both ways' answers, errors included.
 */

const require = createRequire(import.meta.url)

/** The context dynalite's `parse` (validations/index.js) hands its parsers. */
interface ParseContext {
  attrNames?: Record<string, unknown>
  attrVals?: Record<string, unknown>
  unusedAttrNames?: Record<string, unknown>
  unusedAttrVals?: Record<string, unknown>
  isKeyCondition?: boolean
  compare: (comparison: string, value: unknown, bound: unknown) => boolean
  [other: string]: unknown
}

/** A PEG parser module of dynalite's (db/*Parser.js). */
interface Parser {
  parse(expression: string, options: { context: ParseContext }): unknown
}

/** A value's place in a template: the key of the request's value that goes there. */
class ValueRef {
  constructor(readonly key: string) {}
}

/** A kept parse: its tree with value references, the names and values it used, the BETWEEN bounds to compare. */
interface Template {
  tree: unknown
  usedNames: string[]
  usedValues: string[]
  between: [lower: string, upper: string][]
}

/** Shapes kept at most (expressions are the app's own, a few dozen; a bound against anything else). */
const MAX_TEMPLATES = 2000

/**
 * Shapes seen once and not kept yet, at most: a template is kept from a shape's second parse, so
 * a shape that never comes back (an update whose attribute names change from one request to
 * the next) costs its key and nothing more.
 */
const MAX_SEEN = 10_000

const TYPES = ['S', 'N', 'B', 'NULL', 'BOOL', 'SS', 'NS', 'BS', 'L', 'M']

/** Whether `value` is an object (arrays included) whose properties can be read by name. */
function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object'
}

/**
 * The type dynalite's parsers see in a value (their `getImmediateType`); `undefined` for a
 * value that is no attribute value object (dynalite's type checks let none through; not kept).
 */
function valueType(value: unknown): string | undefined {
  if (!isObject(value) || Array.isArray(value)) return undefined
  if (value.attrType) return undefined
  for (const t of TYPES) if (value[t] != null) return t
  return '-'
}

/** The cache key: everything but the values' contents that a parse reads; `undefined` if not to be kept. */
function shapeKey(kind: string, expression: string, context: ParseContext): string | undefined {
  let values = ''
  if (context.attrVals == null) values = '∅'
  else
    for (const k in context.attrVals) {
      const type = valueType(context.attrVals[k])
      if (type === undefined) return undefined
      values += `${k}=${type},`
    }
  const names = context.attrNames == null ? '∅' : JSON.stringify(context.attrNames)
  return `${kind}\u0000${context.isKeyCondition ? 1 : 0}\u0000${names}\u0000${values}\u0000${expression}`
}

/**
 * The template of a parsed tree: its value objects (by identity) replaced by references;
 * `undefined` where the tree holds anything but plain objects, arrays and primitives.
 */
function toTemplate(tree: unknown, values: Record<string, unknown>): unknown {
  const keyOf = new Map<unknown, string>()
  for (const k in values) if (values[k] && typeof values[k] === 'object') keyOf.set(values[k], k)
  const copies = new Map<object, unknown>()
  let plain = true
  const copy = (node: unknown): unknown => {
    if (!isObject(node)) {
      if (typeof node === 'function' || typeof node === 'symbol' || typeof node === 'bigint') plain = false
      return node
    }
    const ref = keyOf.get(node)
    if (ref !== undefined) return new ValueRef(ref)
    const seen = copies.get(node)
    if (seen !== undefined) return seen
    if (Array.isArray(node)) {
      const out: unknown[] = []
      copies.set(node, out)
      for (const item of node) out.push(copy(item))
      return out
    }
    const proto = Object.getPrototypeOf(node)
    if (proto !== Object.prototype && proto !== null) plain = false
    const out: Record<string, unknown> = Object.create(proto)
    copies.set(node, out)
    for (const k of Object.keys(node)) out[k] = copy(node[k])
    return out
  }
  const template = copy(tree)
  return plain ? template : undefined
}

/** A fresh tree from a template, with this request's value objects in their places. */
function instantiate(template: unknown, values: Record<string, unknown>): unknown {
  const copies = new Map<object, unknown>()
  const copy = (node: unknown): unknown => {
    if (!isObject(node)) return node
    if (node instanceof ValueRef) return values[node.key]
    const seen = copies.get(node)
    if (seen !== undefined) return seen
    if (Array.isArray(node)) {
      const out: unknown[] = []
      copies.set(node, out)
      for (const item of node) out.push(copy(item))
      return out
    }
    const out: Record<string, unknown> = Object.create(Object.getPrototypeOf(node))
    copies.set(node, out)
    for (const k of Object.keys(node)) out[k] = copy(node[k])
    return out
  }
  return copy(template)
}

/**
 * The BETWEEN nodes of a condition template whose bounds are both values (the only ones
 * `checkBetweenArgs` compares), as their keys; `undefined` if the tree has `attribute_type`.
 */
function betweenBounds(template: unknown): [string, string][] | undefined {
  const out: [string, string][] = []
  const seen = new Set<object>()
  let typed = false
  const walk = (node: unknown) => {
    if (!isObject(node) || node instanceof ValueRef || seen.has(node)) return
    seen.add(node)
    if (node.type === 'function' && node.name === 'attribute_type') typed = true
    if (node.type === 'between' && Array.isArray(node.args)) {
      const [, lower, upper] = node.args
      if (lower instanceof ValueRef && upper instanceof ValueRef) out.push([lower.key, upper.key])
    }
    for (const v of Array.isArray(node) ? node : Object.values(node)) walk(v)
  }
  walk(template)
  return typed ? undefined : out
}

/** Parses answered from a kept template, since the process started (the comparison test checks it uses them). */
let templateHits = 0
export const expressionTemplateHits = () => templateHits

/** `parser.parse` with its successful parses kept as templates (see above). */
function cachingParse(kind: string, parse: Parser['parse']): Parser['parse'] {
  const templates = new Map<string, Template>()
  const seen = new Set<string>()
  return (expression, options) => {
    const context = options.context
    const key = shapeKey(kind, expression, context)
    if (key === undefined) return parse(expression, options)
    const kept = templates.get(key)
    if (kept && inBounds(kept, context)) {
      templateHits++
      markUsed(context, kept.usedNames, kept.usedValues)
      return instantiate(kept.tree, context.attrVals ?? {})
    }
    if (!kept && !seen.has(key)) {
      if (seen.size >= MAX_SEEN) seen.clear()
      seen.add(key)
      return parse(expression, options)
    }
    seen.delete(key)
    // dynalite's parse, with sets of unused names and values of its own that tell which it used.
    const names = { ...context.attrNames }
    const values = { ...context.attrVals }
    const own = { ...context, unusedAttrNames: { ...names }, unusedAttrVals: { ...values } }
    let tree: unknown
    let usedNames: string[] = []
    let usedValues: string[] = []
    try {
      tree = parse(expression, { ...options, context: own })
    } finally {
      usedNames = Object.keys(names).filter((k) => !(k in own.unusedAttrNames))
      usedValues = Object.keys(values).filter((k) => !(k in own.unusedAttrVals))
      markUsed(context, usedNames, usedValues)
    }
    if (tree !== null && typeof tree === 'object') {
      const template = toTemplate(tree, context.attrVals ?? {})
      const between = template === undefined ? undefined : betweenBounds(template)
      if (between) {
        if (templates.size >= MAX_TEMPLATES) {
          const oldest = templates.keys().next()
          if (!oldest.done) templates.delete(oldest.value)
        }
        templates.set(key, { tree: template, usedNames, usedValues, between })
      }
    }
    return tree
  }
}

/** Marks names and values used as dynalite's parsers do: removed from the context's sets of unused ones. */
function markUsed(context: ParseContext, names: string[], values: string[]) {
  if (context.unusedAttrNames) for (const k of names) delete context.unusedAttrNames[k]
  if (context.unusedAttrVals) for (const k of values) delete context.unusedAttrVals[k]
}

/** Whether a request's BETWEEN bounds pass dynalite's check (lower not greater than upper); else its parser answers. */
function inBounds(template: Template, context: ParseContext): boolean {
  if (template.between.length === 0) return true
  const values = context.attrVals ?? {}
  try {
    return template.between.every(([lower, upper]) => !context.compare('GT', values[lower], values[upper]))
  } catch {
    return false
  }
}

const PARSERS = ['conditionParser', 'projectionParser', 'updateParser'] as const
const parsers = new Map(
  PARSERS.map((name) => {
    const parser: Parser = require(`dynalite/db/${name}`)
    return [name, { parser, own: parser.parse, cached: cachingParse(name, parser.parse) }]
  }),
)

/**
 * Makes dynalite's validations (which call each parser module's `parse` per expression) use
 * the kept templates, in every embedded store of the process; `false` puts dynalite's own
 * parsers back (the comparison test).
 */
export function cacheExpressions(cache = true): void {
  for (const { parser, own, cached } of parsers.values()) parser.parse = cache ? cached : own
}
