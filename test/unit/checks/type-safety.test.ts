import { describe, expect, it } from 'vitest'
import { type Counts, countText, growth } from '../../checks/type-safety'

describe('type-safety count', () => {
  it('counts explicit any, casts other than `as const`, and non-null assertions', () => {
    const text = `
      const a: any = 1
      const b = a as string
      const c = [1, 2] as const
      const d = (b as unknown as number[])! // two casts
      function f(x?: { y?: number }) { return x!.y! }
      const e = <const T,>(t: T) => t
    `
    expect(countText(text)).toEqual({ any: 1, as: 3, nonNull: 3 })
  })

  it('does not count the words in strings, comments or `!==`', () => {
    expect(countText(`const s = 'x as any!'; // y as any\nif (s !== 'a' && !s) {}`)).toEqual({
      any: 0,
      as: 0,
      nonNull: 0,
    })
  })

  it('names every count that grew beyond its ceiling, and only those', () => {
    const zero = { any: 0, as: 0, nonNull: 0 }
    const ceiling: Counts = {
      functions: { any: 1, as: 5, nonNull: 2 },
      infra: zero,
      'web/src': zero,
      test: zero,
    }
    const now: Counts = { ...ceiling, functions: { any: 1, as: 6, nonNull: 1 } }
    expect(growth(now, ceiling)).toEqual(['functions: as grew from 5 to 6'])
    expect(growth(ceiling, ceiling)).toEqual([])
  })
})
