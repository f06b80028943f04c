import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { itemSize } from '../../../infra/local/dynamo-item-size.js'
import { seededRandom } from '../../support/random.js'

/**
 * infra/local/dynamo-item-size.ts counts an item's size without allocating: it must give
 * dynalite's own `itemSize` (db/index.js) for every item, with every combination of its
 * arguments, and fail where dynalite's fails.
 */
const require = createRequire(import.meta.url)
const dynalite: {
  itemSize(item: unknown, compress?: boolean, addMetaSize?: boolean, rangeKey?: string): number
} = require('dynalite/db')

/** Numbers as DynamoDB's wire format holds them, and the shapes big.js reads differently. */
const NUMBERS = [
  '0',
  '-0',
  '0.0',
  '00',
  '000.000',
  '.0',
  '0e5',
  '1',
  '-1',
  '10',
  '100',
  '1000',
  '0.1',
  '.5',
  '5.',
  '-5.',
  '0.001',
  '123',
  '1234',
  '12345',
  '-12345',
  '1.5',
  '15.25',
  '1e3',
  '1E3',
  '1e-3',
  '1e+3',
  '1.5e10',
  '-1.5e-10',
  '.5e3',
  '5.e3',
  '0012300',
  '-0012.3400',
  '9007199254740993',
  '1e125',
  '1e-130',
  '12.345e-2',
  '120e1',
  '1200e-1',
  '3.14159265358979323846264338327950288',
]

function number(r: () => number): string {
  if (r() < 0.4) return NUMBERS[Math.floor(r() * NUMBERS.length)]
  const digits = (n: number) => Array.from({ length: n }, () => String(Math.floor(r() * 10))).join('')
  let s = `${r() < 0.3 ? '-' : ''}${digits(1 + Math.floor(r() * 12))}`
  if (r() < 0.4) s += `.${digits(Math.floor(r() * 8))}`
  if (r() < 0.2) s += `e${r() < 0.5 ? '-' : r() < 0.5 ? '+' : ''}${Math.floor(r() * 40)}`
  return s
}

function string(r: () => number): string {
  const chars = ['a', 'Z', '#', '"', 'ü', '€', '😀', '\\', ' ', '0']
  const long = r() < 0.1 ? 200 + Math.floor(r() * 20000) : Math.floor(r() * 140)
  let s = ''
  for (let i = 0; i < long; i++) s += chars[Math.floor(r() * chars.length)]
  return s
}

function value(r: () => number, depth: number): Record<string, unknown> {
  const pick = Math.floor(r() * (depth > 2 ? 8 : 10))
  switch (pick) {
    case 0:
    case 1:
      return { S: string(r) }
    case 2:
    case 3:
      return { N: number(r) }
    case 4:
      return { B: Buffer.from(string(r)).toString('base64') }
    case 5:
      return r() < 0.5 ? { BOOL: r() < 0.5 } : { NULL: true }
    case 6:
      return r() < 0.4
        ? { SS: Array.from({ length: 1 + Math.floor(r() * 4) }, () => string(r)) }
        : r() < 0.6
          ? { NS: Array.from({ length: 1 + Math.floor(r() * 4) }, () => number(r)) }
          : {
              BS: Array.from({ length: 1 + Math.floor(r() * 3) }, () =>
                Buffer.from(string(r)).toString('base64'),
              ),
            }
    case 7:
      return { S: string(r) }
    case 8:
      return { L: Array.from({ length: Math.floor(r() * 4) }, () => value(r, depth + 1)) }
    default:
      return { M: item(r, depth + 1) }
  }
}

function item(r: () => number, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const n = Math.floor(r() * 8)
  for (let i = 0; i < n; i++) out[r() < 0.1 ? String(i) : `${string(r).slice(0, 12)}${i}`] = value(r, depth)
  return out
}

const ARGS: [boolean | undefined, boolean | undefined, string | undefined][] = [
  [undefined, undefined, undefined],
  [true, true, 'sk'],
  [true, true, undefined],
  [true, false, 'sk'],
  [false, true, 'sk'],
  [true, true, 'missing'],
]

describe('the embedded store counts item sizes as dynalite does', () => {
  it('gives dynalite’s size for generated items, with each combination of arguments', () => {
    const r = seededRandom(15)
    for (let i = 0; i < 3000; i++) {
      const it = { pk: { S: `org#${i}` }, sk: i % 3 ? { S: string(r) } : { N: number(r) }, ...item(r, 0) }
      for (const [compress, meta, rangeKey] of ARGS)
        expect(itemSize(it, compress, meta, rangeKey), JSON.stringify([it, compress, meta, rangeKey])).toBe(
          dynalite.itemSize(it, compress, meta, rangeKey),
        )
    }
  })

  it('gives dynalite’s size for every number shape big.js reads', () => {
    for (const n of NUMBERS)
      for (const signed of [n, n.startsWith('-') ? n : `-${n}`]) {
        const it = { a: { N: signed }, l: { NS: [signed, '1'] } }
        for (const [compress, meta, rangeKey] of ARGS)
          expect(itemSize(it, compress, meta, rangeKey), signed).toBe(
            dynalite.itemSize(it, compress, meta, rangeKey),
          )
      }
  })

  it('gives dynalite’s answer for what it does not count itself (unknown types, numbers big.js refuses)', () => {
    const odd: Record<string, unknown>[] = [
      { a: {} },
      { a: { X: 'y' } },
      { a: 'plain' },
      { a: { S: 5 } },
      { a: { SS: 'not a list' } },
      { a: { L: [{ N: '1' }, {}] } },
      { a: { M: { b: { S: 'x' }, c: { Z: 1 } } } },
    ]
    /** A call's number, or the message it threw. */
    const outcome = (size: () => number) => {
      try {
        return size()
      } catch (err) {
        return err instanceof Error ? `threw ${err.message}` : 'threw'
      }
    }
    for (const it of odd)
      for (const [compress, meta, rangeKey] of ARGS)
        expect(
          outcome(() => itemSize(it, compress, meta, rangeKey)),
          JSON.stringify(it),
        ).toEqual(outcome(() => dynalite.itemSize(it, compress, meta, rangeKey)))
    for (const bad of ['abc', '1e', '--1', '1.2.3', '']) {
      expect(() => dynalite.itemSize({ a: { N: bad } }), bad).toThrow('[big.js] Invalid number')
      expect(() => itemSize({ a: { N: bad } }), bad).toThrow('[big.js] Invalid number')
    }
  })
})
