import { JSONPath } from 'jsonpath-plus'
import { StatesError } from './errors.js'

/**
 * JSONPath as Step Functions uses it: paths on the state input (`$.a.b`), on the context
 * object (`$$.Execution.Id`) and on variables (`$name.field`). Simple paths are compiled
 * once and walked directly; filters and recursive descent go to jsonpath-plus.
 *
 * A *definite* path (keys and indexes only) yields one value or nothing; any wildcard,
 * slice, union or filter yields an array of matches (empty when nothing matches).
 */

type Segment =
  | { k: 'key'; name: string }
  | { k: 'index'; i: number }
  | { k: 'wild' }
  | { k: 'slice'; start?: number; end?: number; step?: number }
  | { k: 'union'; items: (string | number)[] }

interface Compiled {
  /** '$' input, '$$' context, or a variable name. */
  root: string
  segs: Segment[]
  definite: boolean
  /** Hand the whole path to jsonpath-plus (filters, recursive descent). */
  complex?: string
}

/** Marker for "the path matched nothing". */
export const MISSING: unique symbol = Symbol('missing')

const cache = new Map<string, Compiled>()

const VAR_START = /^\$([A-Za-z_][A-Za-z0-9_]*)/

/** True for strings Step Functions treats as a path (`$…`). */
export const isPath = (s: string) => s.startsWith('$')

function compile(path: string): Compiled {
  let c = cache.get(path)
  if (c) return c
  c = parse(path)
  if (cache.size > 10_000) cache.clear()
  cache.set(path, c)
  return c
}

function parse(path: string): Compiled {
  let root: string
  let pos: number
  if (path.startsWith('$$')) {
    root = '$$'
    pos = 2
  } else if (path.startsWith('$')) {
    const m = VAR_START.exec(path)
    if (m) {
      root = m[1]
      pos = m[0].length
    } else {
      root = '$'
      pos = 1
    }
  } else {
    throw new StatesError('States.Runtime', `Invalid path '${path}': a path starts with '$'`)
  }
  const rest = path.slice(pos)
  if (rest.includes('..') || rest.includes('[?') || rest.includes('[(')) {
    return { root, segs: [], definite: false, complex: `$${rest}` }
  }
  const segs: Segment[] = []
  let i = 0
  const bad = () => new StatesError('States.Runtime', `Invalid path '${path}'`)
  while (i < rest.length) {
    const ch = rest[i]
    if (ch === '.') {
      i++
      if (rest[i] === '*') {
        segs.push({ k: 'wild' })
        i++
        continue
      }
      let j = i
      while (j < rest.length && rest[j] !== '.' && rest[j] !== '[') j++
      if (j === i) throw bad()
      segs.push({ k: 'key', name: rest.slice(i, j) })
      i = j
    } else if (ch === '[') {
      const { seg, next } = parseBracket(rest, i + 1, bad)
      segs.push(seg)
      i = next
    } else {
      throw bad()
    }
  }
  const definite = segs.every((s) => s.k === 'key' || s.k === 'index')
  return { root, segs, definite }
}

function parseBracket(s: string, i: number, bad: () => Error): { seg: Segment; next: number } {
  const items: (string | number)[] = []
  let sliceParts: string[] | undefined
  let raw = ''
  const flush = () => {
    const t = raw.trim()
    raw = ''
    if (t === '') return
    if (!/^-?\d+$/.test(t)) throw bad()
    items.push(Number(t))
  }
  while (i < s.length) {
    const ch = s[i]
    if (ch === "'" || ch === '"') {
      // Quoted key: taken verbatim up to the matching quote (AWS keeps backslashes as they are).
      const end = s.indexOf(ch, i + 1)
      if (end < 0) throw bad()
      items.push(s.slice(i + 1, end))
      i = end + 1
      continue
    }
    if (ch === '*') {
      if (s[i + 1] !== ']') throw bad()
      return { seg: { k: 'wild' }, next: i + 2 }
    }
    if (ch === ':') {
      sliceParts ??= []
      sliceParts.push(raw.trim())
      raw = ''
      i++
      continue
    }
    if (ch === ',') {
      flush()
      i++
      continue
    }
    if (ch === ']') {
      if (sliceParts) {
        sliceParts.push(raw.trim())
        const n = (x: string | undefined) => (x === undefined || x === '' ? undefined : Number(x))
        const [start, end, step] = sliceParts.map(n)
        if ([start, end, step].some((x) => x !== undefined && !Number.isInteger(x))) throw bad()
        return { seg: { k: 'slice', start, end, step }, next: i + 1 }
      }
      flush()
      if (items.length === 1) {
        const it = items[0]
        return { seg: typeof it === 'number' ? { k: 'index', i: it } : { k: 'key', name: it }, next: i + 1 }
      }
      if (items.length === 0) throw bad()
      return { seg: { k: 'union', items }, next: i + 1 }
    }
    raw += ch
    i++
  }
  throw bad()
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

function step(values: unknown[], seg: Segment): unknown[] {
  const out: unknown[] = []
  for (const v of values) {
    switch (seg.k) {
      case 'key':
        if (isObj(v) && Object.hasOwn(v, seg.name)) out.push(v[seg.name])
        break
      case 'index':
        if (Array.isArray(v)) {
          const i = seg.i < 0 ? v.length + seg.i : seg.i
          if (i >= 0 && i < v.length) out.push(v[i])
        }
        break
      case 'wild':
        if (Array.isArray(v)) out.push(...v)
        else if (isObj(v)) out.push(...Object.values(v))
        break
      case 'slice':
        if (Array.isArray(v)) {
          const len = v.length
          const st = seg.step ?? 1
          if (st === 0) break
          const norm = (x: number) => (x < 0 ? Math.max(0, len + x) : Math.min(x, len))
          if (st > 0) {
            const a = norm(seg.start ?? 0)
            const b = norm(seg.end ?? len)
            for (let i = a; i < b; i += st) out.push(v[i])
          } else {
            const a = seg.start === undefined ? len - 1 : norm(seg.start)
            const b = seg.end === undefined ? -1 : norm(seg.end)
            for (let i = Math.min(a, len - 1); i > b; i += st) out.push(v[i])
          }
        }
        break
      case 'union':
        for (const it of seg.items) {
          if (typeof it === 'number' && Array.isArray(v)) {
            const i = it < 0 ? v.length + it : it
            if (i >= 0 && i < v.length) out.push(v[i])
          } else if (typeof it === 'string' && isObj(v) && Object.hasOwn(v, it)) out.push(v[it])
        }
        break
    }
  }
  return out
}

/** Resolves the roots a path may start from. */
export interface PathScope {
  input: unknown
  context: () => unknown
  /** A variable's value, or MISSING. */
  variable: (name: string) => unknown
}

/** The same scope with another `$` (OutputPath reads the output, variables stay). */
export function rebase(scope: PathScope, input: unknown): PathScope {
  return new Rebased(scope, input)
}

class Rebased implements PathScope {
  constructor(
    private readonly base: PathScope,
    readonly input: unknown,
  ) {}
  context() {
    return this.base.context()
  }
  variable(name: string) {
    return this.base.variable(name)
  }
}

function walk(c: Compiled, doc: unknown): unknown {
  if (c.complex) {
    if (doc === null || typeof doc !== 'object') return []
    return JSONPath({ path: c.complex, json: doc as object, wrap: true, eval: 'safe' }) ?? []
  }
  if (c.definite) {
    let v: unknown = doc
    for (const seg of c.segs) {
      if (seg.k === 'key') {
        if (!isObj(v) || !Object.hasOwn(v, seg.name)) return MISSING
        v = v[seg.name]
      } else if (seg.k === 'index') {
        if (!Array.isArray(v)) return MISSING
        const i = seg.i < 0 ? v.length + seg.i : seg.i
        if (i < 0 || i >= v.length) return MISSING
        v = v[i]
      }
    }
    return v
  }
  let values: unknown[] = [doc]
  for (const seg of c.segs) values = step(values, seg)
  return values
}

/**
 * Reads a path; returns MISSING when a definite path matches nothing. Indefinite paths
 * always return an array.
 */
export function readPath(path: string, scope: PathScope): unknown {
  const c = compile(path)
  let doc: unknown
  if (c.root === '$') doc = scope.input
  else if (c.root === '$$') doc = scope.context()
  else {
    doc = scope.variable(c.root)
    if (doc === MISSING) return MISSING
  }
  if (c.segs.length === 0 && !c.complex) return doc
  return walk(c, doc)
}

/** AWS's rendering of a path in "No results for path" messages: `$['a']['b']`. */
export function normalizedPath(path: string): string {
  const c = compile(path)
  const head = c.root === '$' ? '$' : c.root === '$$' ? '$$' : `$${c.root}`
  return (
    head +
    c.segs
      .map((s) => {
        if (s.k === 'key') return `['${s.name}']`
        if (s.k === 'index') return `[${s.i}]`
        if (s.k === 'wild') return '[*]'
        return ''
      })
      .join('')
  )
}

/** True when the path is a plain reference path (keys and indexes only) on the input. */
export function isReferencePath(path: string): boolean {
  try {
    const c = compile(path)
    return c.root === '$' && c.definite && !c.complex
  } catch {
    return false
  }
}

/**
 * Writes `value` at a reference path inside `doc` without mutating it (copies along the
 * path); missing intermediate objects are created. A non-object on the way is
 * `States.ResultPathMatchFailure`.
 */
export function writePath(doc: unknown, path: string, value: unknown): unknown {
  const c = compile(path)
  if (c.root !== '$' || !c.definite || c.complex) {
    throw new StatesError(
      'States.Runtime',
      `Invalid ResultPath '${path}': only a reference path on the input is allowed`,
    )
  }
  if (c.segs.length === 0) return value
  return setAt(c.segs, 0, doc, value, doc, path)
}

function setAt(
  segs: Segment[],
  i: number,
  node: unknown,
  value: unknown,
  doc: unknown,
  path: string,
): unknown {
  const seg = segs[i] as { k: 'key'; name: string } | { k: 'index'; i: number }
  const last = i === segs.length - 1
  if (seg.k === 'key') {
    if (node !== undefined && !isObj(node)) throw resultPathFailure(path, doc)
    const obj: Record<string, unknown> = node === undefined ? {} : { ...node }
    obj[seg.name] = last ? value : setAt(segs, i + 1, obj[seg.name], value, doc, path)
    return obj
  }
  if (!Array.isArray(node)) throw resultPathFailure(path, doc)
  const idx = seg.i < 0 ? node.length + seg.i : seg.i
  if (idx < 0 || idx >= node.length) throw resultPathFailure(path, doc)
  const arr = node.slice()
  arr[idx] = last ? value : setAt(segs, i + 1, arr[idx], value, doc, path)
  return arr
}

function resultPathFailure(path: string, doc: unknown) {
  return new StatesError(
    'States.ResultPathMatchFailure',
    `Unable to apply step "${path}" to input ${JSON.stringify(doc)}`,
  )
}
