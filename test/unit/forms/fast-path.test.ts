import jsonata from 'jsonata'
import { describe, expect, it } from 'vitest'
import { compileFast, USE_JSONATA } from '../../../functions/domain/forms/fast.js'
import { seededRandom } from '../../support/random.js'

const VALUES: unknown[] = [
  undefined,
  'x',
  'y',
  '',
  0,
  5,
  -2,
  1.5,
  true,
  false,
  null,
  ['x', 'y'],
  ['x'],
  [],
  { r: 'x' },
  {},
  [{ r: 1 }],
]
const LITERALS = [
  "'x'",
  "'y'",
  "''",
  '0',
  '5',
  '-2',
  '1.5',
  'true',
  'false',
  'null',
  "['x', 'y']",
  '[]',
  '[5, 0]',
]
const NAMES = ['a', 'b', 'c', 'm.r', 'm.s', '$today', '$value']

function expression(r: () => number, depth: number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]
  if (depth <= 0 || r() < 0.25) return r() < 0.5 ? pick(NAMES) : pick(LITERALS)
  const kind = r()
  const sub = () => expression(r, depth - 1)
  if (kind < 0.55)
    return `${sub()} ${pick(['and', 'or', '=', '!=', '<', '<=', '>', '>=', 'in', '+', '-', '*', '/', '%'])} ${sub()}`
  if (kind < 0.62)
    return `${pick(['$not', '$exists', '$boolean', '$count', '$sum', '$max', '$min'])}(${sub()})`
  if (kind < 0.7) return `[${sub()}, ${sub()}${r() < 0.5 ? `, ${sub()}` : ''}]`
  if (kind < 0.8) return `${sub()} ? ${sub()} : ${sub()}`
  if (kind < 0.9) return `(${sub()})`
  return `-${sub()}`
}

async function viaJsonata(source: string, input: Record<string, unknown>, bindings: Record<string, unknown>) {
  try {
    return { value: await jsonata(source).evaluate(input, bindings) }
  } catch (err) {
    return { error: (err as { code?: string }).code ?? String(err) }
  }
}

describe('fast path', () => {
  it('agrees with JSONata on thousands of random simple expressions, or defers to it', async () => {
    const r = seededRandom(20250327)
    let decided = 0
    for (let i = 0; i < 1200; i++) {
      const source = expression(r, 3)
      let ast: any
      try {
        ast = jsonata(source).ast()
      } catch {
        continue
      }
      const fast = compileFast(ast)
      if (!fast) continue
      const pick = () => VALUES[Math.floor(r() * VALUES.length)]
      const input: Record<string, unknown> = {}
      for (const name of ['a', 'b', 'c', 'm']) {
        const v = name === 'm' ? (r() < 0.7 ? { r: pick(), s: pick() } : pick()) : pick()
        if (v !== undefined) input[name] = v
      }
      const bindings = { today: '2025-03-27', value: pick() }
      const got = fast(input, bindings)
      if (got === USE_JSONATA) continue
      decided++
      const want = await viaJsonata(source, input, bindings)
      expect({ source, input, bindings, result: 'error' in want ? want : { value: got } }).toEqual({
        source,
        input,
        bindings,
        result: want,
      })
    }
    expect(decided).toBeGreaterThan(300)
  }, 30_000)

  it('leaves anything outside the subset to JSONata', () => {
    for (const source of [
      "$count(a[kind = 'file'])",
      '$sum(a)',
      'a & b',
      '$x := 1',
      'a[0]',
      '$',
      '**.x',
      'a.(b)',
      'function($v){$v}',
    ])
      expect(compileFast(jsonata(source).ast() as any), source).toBeUndefined()
  })

  it('reads own answer properties only, never the prototype', () => {
    const fast = compileFast(jsonata('a.constructor').ast() as any)!
    expect(fast({ a: {} }, {})).toBeUndefined()
  })
})
