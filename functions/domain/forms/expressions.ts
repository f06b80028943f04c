/**
 * JSONata expressions in form definitions: compiling (never `eval`) and finding which
 * answers an expression refers to, so a definition with a typo or a reference to a later
 * question is rejected when it loads rather than silently hiding a page.
 *
 * JSONata itself is loaded on first need, so a browser that shows only forms without
 * expressions never downloads it: `await loadExpressionLanguage()` before compiling a form
 * that has expressions (`prepareFormDefinition` and the evaluator do). The server's
 * synchronous loader (`parse.ts`) imports it directly and hands it over.
 */
import type jsonata from 'jsonata'
import { compileFast, type FastFn } from './fast.js'

let language: typeof jsonata | undefined

/** Loads JSONata (once). */
export async function loadExpressionLanguage(): Promise<void> {
  language ??= (await import('jsonata')).default
}

/** Hands over JSONata imported by the caller, for synchronous compiling (the server's loader). */
export function useExpressionLanguage(imported: typeof jsonata): void {
  language ??= imported
}

/** True once JSONata is there to compile with. */
export const expressionLanguageLoaded = (): boolean => language !== undefined

/** A compiled expression with its source. */
export interface CompiledExpression {
  source: string
  expr: jsonata.Expression
  /** Answer or computed ids the expression reads from the root (`a`, `a.b`, `$$.a`). */
  refs: ReadonlySet<string>
  /** True when it reads the root as a whole (`$`, `$$`, `*`, `**`), so its references are unknown. */
  opaque: boolean
  /** Synchronous evaluation for simple expressions (see `fast.ts`); absent for the rest. */
  fast?: FastFn
}

/** Compiles an expression or throws an Error whose message says why and where. */
export function compileExpression(source: string): CompiledExpression {
  if (!language) throw new Error('JSONata is not loaded: await loadExpressionLanguage() first')
  let expr: jsonata.Expression
  try {
    expr = language(source)
  } catch (err) {
    const e = err as { message?: string; position?: number }
    const at = typeof e.position === 'number' ? ` (at character ${e.position})` : ''
    throw new Error(`expression does not parse: ${e.message ?? String(err)}${at}`)
  }
  const refs = new Set<string>()
  const state = { opaque: false }
  const ast = expr.ast()
  collect(ast, true, refs, state)
  return { source, expr, refs, opaque: state.opaque, fast: compileFast(ast) }
}

type Node = Record<string, any>

/** Walks the AST; `rooted` is true where the context item is the root (the answers). */
function collect(node: unknown, rooted: boolean, refs: Set<string>, state: { opaque: boolean }): void {
  if (node === null || typeof node !== 'object') return
  if (Array.isArray(node)) {
    for (const n of node) collect(n, rooted, refs, state)
    return
  }
  const n = node as Node
  switch (n.type) {
    case 'path': {
      const steps: Node[] = n.steps ?? []
      steps.forEach((step, i) => {
        if (i === 0 && rooted) firstStep(step, steps[1], refs, state)
        else if (i === 1 && rooted && isRootVariable(steps[0]) && step.type === 'name') refs.add(step.value)
        // step contents (predicates, blocks, function calls) run against each item, not the root
        collectInside(step, i === 0 && rooted, refs, state)
      })
      if (n.group) collect(n.group, false, refs, state)
      return
    }
    case 'variable':
      if (rooted && (n.value === '' || n.value === '$')) state.opaque = true
      collect(n.stages, false, refs, state)
      collect(n.predicate, false, refs, state)
      return
    case 'wildcard':
    case 'descendant':
      if (rooted) state.opaque = true
      return
    case 'name':
      if (rooted) refs.add(n.value)
      collect(n.stages, false, refs, state)
      return
    default:
      for (const [key, value] of Object.entries(n)) {
        if (key === 'type' || key === 'value' || key === 'position') continue
        collect(value, rooted && key !== 'stages' && key !== 'predicate' && key !== 'group', refs, state)
      }
  }
}

function isRootVariable(step: Node | undefined) {
  return step?.type === 'variable' && (step.value === '' || step.value === '$')
}

function firstStep(step: Node, next: Node | undefined, refs: Set<string>, state: { opaque: boolean }) {
  if (step.type === 'name') refs.add(step.value)
  else if (step.type === 'wildcard' || step.type === 'descendant') state.opaque = true
  else if (isRootVariable(step) && next?.type !== 'name') state.opaque = true
}

/** The parts of a path step that are evaluated: stages/predicates relative, a first-step expression rooted. */
function collectInside(step: Node, rootedStep: boolean, refs: Set<string>, state: { opaque: boolean }) {
  collect(step.stages, false, refs, state)
  collect(step.predicate, false, refs, state)
  if (
    step.type === 'name' ||
    step.type === 'variable' ||
    step.type === 'wildcard' ||
    step.type === 'descendant'
  )
    return
  // a non-name step: `(a + b).c`, `$f(a).x`, `[a, b]` — its own content
  const { stages: _s, predicate: _p, ...rest } = step
  collect(rest, rootedStep, refs, state)
}

/** JSONata truthiness (as `$boolean`): empty strings, 0, empty arrays, null and undefined are false. */
export function truthy(value: unknown): boolean {
  if (value === undefined || value === null) return false
  if (Array.isArray(value)) return value.some(truthy)
  if (typeof value === 'string') return value.length > 0
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value)
  if (typeof value === 'boolean') return value
  if (typeof value === 'function') return false
  if (typeof value === 'object') return Object.keys(value).length > 0
  return Boolean(value)
}
