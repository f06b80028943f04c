/**
 * Where the type checker is switched off by hand: explicit `any`, `as` casts (not `as const`)
 * and non-null assertions (`x!`), counted per layer in our own source (TypeScript and the
 * script blocks of Svelte components). The counts may only go down: `baseline.json` holds
 * the ceiling, `npm run check:type-safety` prints the table and fails when a count grew.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'

export const LAYERS = ['functions', 'infra', 'web/src', 'test'] as const
export type Layer = (typeof LAYERS)[number]
export type Kind = 'any' | 'as' | 'nonNull'
export type Counts = Record<Layer, Record<Kind, number>>

const SKIP = new Set(['node_modules', 'cdk.out', 'dist', '.data', '.test-data', 'fixtures'])

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue
    const path = join(dir, name)
    if (statSync(path).isDirectory()) yield* sourceFiles(path)
    else if (/\.(ts|svelte)$/.test(name) && !name.endsWith('.d.ts')) yield path
  }
}

/** The TypeScript a file holds: the whole file, or a Svelte component's `<script>` blocks. */
function scriptOf(path: string): string {
  const text = readFileSync(path, 'utf8')
  if (!path.endsWith('.svelte')) return text
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n')
}

/** The three counts for one piece of TypeScript. */
export function countText(text: string, fileName = 'x.ts'): Record<Kind, number> {
  const counts: Record<Kind, number> = { any: 0, as: 0, nonNull: 0 }
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS)
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.AnyKeyword) counts.any++
    else if (ts.isAsExpression(node)) {
      const isConst = ts.isTypeReferenceNode(node.type) && node.type.typeName.getText(source) === 'const'
      if (!isConst) counts.as++
    } else if (ts.isNonNullExpression(node)) counts.nonNull++
    ts.forEachChild(node, visit)
  }
  visit(source)
  return counts
}

export function countRepository(root: string): Counts {
  const counts = Object.fromEntries(LAYERS.map((l) => [l, { any: 0, as: 0, nonNull: 0 }])) as Counts
  for (const layer of LAYERS) {
    for (const file of sourceFiles(join(root, layer))) {
      const found = countText(scriptOf(file), relative(root, file))
      for (const kind of Object.keys(found) as Kind[]) counts[layer][kind] += found[kind]
    }
  }
  return counts
}

/** The counts that grew beyond the ceiling, in words. */
export function growth(counts: Counts, ceiling: Counts): string[] {
  const grown: string[] = []
  for (const layer of LAYERS) {
    for (const kind of ['any', 'as', 'nonNull'] as const) {
      const now = counts[layer][kind]
      const max = ceiling[layer]?.[kind] ?? 0
      if (now > max) grown.push(`${layer}: ${kind} grew from ${max} to ${now}`)
    }
  }
  return grown
}

function table(counts: Counts, ceiling: Counts): string {
  const rows = [['layer', 'any', 'as casts', 'non-null !', '(ceiling any/as/!)']]
  for (const layer of LAYERS) {
    const c = counts[layer]
    const m = ceiling[layer]
    rows.push([layer, `${c.any}`, `${c.as}`, `${c.nonNull}`, `${m.any}/${m.as}/${m.nonNull}`])
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ')).join('\n')
}

export const BASELINE = new URL('./type-safety-baseline.json', import.meta.url)

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = new URL('../..', import.meta.url).pathname
  const counts = countRepository(root)
  if (process.argv.includes('--write-baseline')) {
    writeFileSync(BASELINE, `${JSON.stringify(counts, null, 2)}\n`)
  }
  const ceiling = JSON.parse(readFileSync(BASELINE, 'utf8')) as Counts
  console.log(table(counts, ceiling))
  const grown = growth(counts, ceiling)
  if (grown.length > 0) {
    console.error(`\nType safety went down:\n  ${grown.join('\n  ')}`)
    process.exit(1)
  }
}
