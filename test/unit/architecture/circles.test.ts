import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * No import circles in the application and its compositions: a module that needs another's
 * part and is needed by it is one room split in two, or a port in the wrong place
 * (e.g. the schedule port and its AWS adapter importing each other).
 */
const ROOT = resolve(import.meta.dirname, '../../..')

function files(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(join(ROOT, dir))) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue
    const rel = join(dir, name)
    if (statSync(join(ROOT, rel)).isDirectory()) out.push(...files(rel))
    else if (/\.ts$/.test(name) && !name.endsWith('.d.ts')) out.push(rel)
  }
  return out
}

// Value imports only: `import type` and `import('./x.js').T` in a type are erased and make no
// circle at run time (type-only knots, e.g. among the store's modules, are not checked yet).
const IMPORT =
  /(?:import|export)\s(?!type\s)[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)(?!\.)/g

/** The code without its comments (examples in doc comments import too). */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')

/** The module a relative specifier names (`./x.js` → `x.ts`), if it is one of ours. */
function target(file: string, spec: string): string | undefined {
  const path = relative(ROOT, resolve(ROOT, file, '..', spec)).replace(/\\/g, '/')
  for (const candidate of [path.replace(/\.js$/, '.ts'), path, `${path}.ts`, `${path}/index.ts`])
    if (candidate.endsWith('.ts') && existsSync(join(ROOT, candidate))) return candidate
  return undefined
}

/** Strongly connected components with more than one module, or a module importing itself (Tarjan). */
function circles(graph: Map<string, string[]>): string[][] {
  let index = 0
  const indices = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (v: string) => {
    indices.set(v, index)
    low.set(v, index)
    index++
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, indices.get(w) ?? 0))
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = []
      let w: string | undefined
      do {
        w = stack.pop()
        if (w === undefined) break
        onStack.delete(w)
        component.push(w)
      } while (w !== v)
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort())
    }
  }
  for (const v of graph.keys()) if (!indices.has(v)) visit(v)
  return found
}

describe('import circles', () => {
  const all = ['functions', 'infra'].flatMap((d) => files(d))
  const graph = new Map<string, string[]>()
  for (const file of all) {
    const text = code(readFileSync(join(ROOT, file), 'utf8'))
    const deps = [...text.matchAll(IMPORT)]
      .map((m) => target(file, m[1] ?? m[2]))
      .filter((t): t is string => t !== undefined)
    graph.set(file, [...new Set(deps)])
  }

  it('reads the modules it checks', () => {
    expect(graph.size).toBeGreaterThan(100)
    expect(graph.get('functions/api/deps.ts')).toContain('functions/schedules/aws.ts')
  })

  it('no module of functions/ or infra/ reaches itself through its imports', () => {
    expect(circles(graph)).toEqual([])
  })
})
