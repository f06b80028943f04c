import { describe, expect, it } from 'vitest'
import { compareControlIds } from '../../../functions/domain/certification/index.js'
import { naturalCompare } from '../../../functions/domain/natural-compare.js'

describe('naturalCompare', () => {
  it('sorts control ids by their numbers: A.5.3 before A.5.29, A.5.37 before A.6.1', () => {
    const ids = ['A.8.1', 'A.5.29', 'A.5.3', 'A.6.1', 'A.5.37', 'A.5.10']
    expect([...ids].sort(naturalCompare)).toEqual(['A.5.3', 'A.5.10', 'A.5.29', 'A.5.37', 'A.6.1', 'A.8.1'])
  })

  it('sorts TISAX-style ids and numbered names, text before numbers only where they differ', () => {
    expect(['1.2.10', '1.10.1', '1.2.9', '1.2'].sort(naturalCompare)).toEqual([
      '1.2',
      '1.2.9',
      '1.2.10',
      '1.10.1',
    ])
    expect(['Measure 10', 'measure 2', 'Measure 1'].sort(naturalCompare)).toEqual([
      'Measure 1',
      'measure 2',
      'Measure 10',
    ])
    expect(['b', 'a1', 'a'].sort(naturalCompare)).toEqual(['a', 'a1', 'b'])
  })

  it('is a total order: equal only for equal strings, antisymmetric, numbers beyond safe integers', () => {
    expect(naturalCompare('A.5.3', 'A.5.3')).toBe(0)
    expect(Math.sign(naturalCompare('a', 'A'))).toBe(-Math.sign(naturalCompare('A', 'a')))
    expect(naturalCompare('a', 'A')).not.toBe(0)
    expect(naturalCompare('x007', 'x7')).not.toBe(0)
    expect(naturalCompare('id-99999999999999999999', 'id-100000000000000000000')).toBeLessThan(0)
  })

  it('is what compareControlIds uses for ids outside Annex A', () => {
    expect(['ISA 1.10', 'ISA 1.9', 'A.5.2'].sort(compareControlIds)).toEqual(['A.5.2', 'ISA 1.9', 'ISA 1.10'])
  })
})
