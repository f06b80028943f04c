import { describe, expect, it } from 'vitest'
import { base, evaluate, texts } from './helpers.js'

const annexI = (over = {}) => evaluate(base({ activities: ['digital.cloud'], ...over }))
const annexII = (over = {}) => evaluate(base({ activities: ['manufacturing.machinery'], ...over }))

describe('size thresholds (exact as the German text words them)', () => {
  it('staff: 249 is medium, 250 is large ("at least 250")', () => {
    expect(annexI({ employees: 249 }).size.class).toBe('medium')
    expect(annexI({ employees: 249 }).nis2.category).toBe('important')
    expect(annexI({ employees: 250 }).size.class).toBe('large')
    expect(annexI({ employees: 250 }).nis2.category).toBe('essential')
  })

  it('staff: 49 is small, 50 is medium ("at least 50"); fractional annual work units count', () => {
    expect(annexI({ employees: 49 }).nis2.category).toBe('not-covered')
    expect(annexI({ employees: 49.5 }).size.class).toBe('small')
    expect(annexI({ employees: 50 }).nis2.category).toBe('important')
  })

  it('turnover €50,000,000 is not over €50M; €50,000,001 is (balance over €43M)', () => {
    const at = annexI({ employees: 100, annualTurnoverEur: 50_000_000, balanceSheetEur: 60_000_000 })
    expect(at.size.class).toBe('medium')
    expect(at.nis2.category).toBe('important')
    const over = annexI({ employees: 100, annualTurnoverEur: 50_000_001, balanceSheetEur: 60_000_000 })
    expect(over.size.class).toBe('large')
    expect(over.nis2.category).toBe('essential')
  })

  it('balance €43,000,000 is not over €43M; €43,000,001 is', () => {
    expect(annexI({ employees: 100, annualTurnoverEur: 90e6, balanceSheetEur: 43_000_000 }).size.class).toBe(
      'medium',
    )
    expect(annexI({ employees: 100, annualTurnoverEur: 90e6, balanceSheetEur: 43_000_001 }).size.class).toBe(
      'large',
    )
  })

  it('large needs turnover AND balance: one alone is not enough', () => {
    expect(annexI({ employees: 100, annualTurnoverEur: 900e6, balanceSheetEur: 1e6 }).size.class).toBe(
      'medium',
    )
    expect(annexI({ employees: 100, annualTurnoverEur: 1e6, balanceSheetEur: 900e6 }).size.class).toBe(
      'medium',
    )
  })

  it('medium money: exactly €10M is not over; €10,000,001 turnover and balance is medium', () => {
    expect(annexI({ employees: 5, annualTurnoverEur: 10_000_000, balanceSheetEur: 20e6 }).nis2.category).toBe(
      'not-covered',
    )
    expect(annexI({ employees: 5, annualTurnoverEur: 20e6, balanceSheetEur: 10_000_000 }).nis2.category).toBe(
      'not-covered',
    )
    const m = annexI({ employees: 5, annualTurnoverEur: 10_000_001, balanceSheetEur: 10_000_001 })
    expect(m.size.class).toBe('medium')
    expect(m.nis2.category).toBe('important')
  })

  it('Annex I medium is important, Annex I large is essential; Annex II is important when medium or large', () => {
    expect(annexI({ employees: 60 }).nis2.category).toBe('important')
    expect(annexI({ employees: 300 }).nis2.category).toBe('essential')
    expect(annexII({ employees: 60 }).nis2.category).toBe('important')
    const big = annexII({ employees: 5000, annualTurnoverEur: 2e9, balanceSheetEur: 1e9 })
    expect(big.nis2.category).toBe('important')
    expect(texts(big.nis2.reasons)).toContain('never essential by size alone')
    expect(annexII({ employees: 49 }).nis2.category).toBe('not-covered')
  })

  it('distinguishes small and micro (both not covered)', () => {
    expect(annexI({ employees: 9, annualTurnoverEur: 2_000_000, balanceSheetEur: 5e6 }).size.class).toBe(
      'micro',
    )
    expect(annexI({ employees: 10, annualTurnoverEur: 1e6, balanceSheetEur: 1e6 }).size.class).toBe('small')
  })
})

describe('linked and partner enterprises', () => {
  it('adds 100 % of linked enterprises', () => {
    const d = annexI({
      employees: 100,
      linkedEnterprises: [{ employees: 150, annualTurnoverEur: 1e6, balanceSheetEur: 1e6 }],
    })
    expect(d.size.figures.employees).toBe(250)
    expect(d.size.groupFiguresAdded).toBe(true)
    expect(d.size.contributions).toMatchObject([
      { source: 'own', factor: 1, employees: 100 },
      { source: 'linked', index: 0, factor: 1, employees: 150 },
    ])
    expect(d.nis2.category).toBe('essential')
  })

  it('adds partner enterprises pro rata to the share', () => {
    const d = annexI({
      employees: 40,
      annualTurnoverEur: 5e6,
      balanceSheetEur: 5e6,
      partnerEnterprises: [
        { sharePercent: 30, employees: 200, annualTurnoverEur: 4e7, balanceSheetEur: 3e7 },
      ],
    })
    expect(d.size.figures).toEqual({ employees: 100, annualTurnoverEur: 17e6, balanceSheetEur: 14e6 })
    expect(d.size.contributions[1]).toMatchObject({ source: 'partner', factor: 0.3, employees: 60 })
    expect(d.nis2.category).toBe('important')
  })

  it('partner share: exactly 25 % and 50 % count pro rata', () => {
    const p = (sharePercent: number) =>
      annexI({
        employees: 0,
        partnerEnterprises: [{ sharePercent, employees: 200, annualTurnoverEur: 0, balanceSheetEur: 0 }],
      })
    expect(p(25).size.figures.employees).toBe(50)
    expect(p(25).nis2.category).toBe('important')
    expect(p(50).size.figures.employees).toBe(100)
  })

  it('a group pushes a small company over the threshold: 49 + 1 linked = 50', () => {
    const d = annexI({
      employees: 49,
      linkedEnterprises: [{ employees: 1, annualTurnoverEur: 0, balanceSheetEur: 0 }],
    })
    expect(d.nis2.category).toBe('important')
  })

  it('does not add group figures when IT runs independently (§28(4)), and asks the ISO to confirm', () => {
    const d = annexI({
      employees: 30,
      linkedEnterprises: [
        { name: 'Parent AG', employees: 3000, annualTurnoverEur: 6e8, balanceSheetEur: 5e8 },
      ],
      partnerEnterprises: [
        { sharePercent: 30, employees: 200, annualTurnoverEur: 4e7, balanceSheetEur: 3e7 },
      ],
      itIndependentOfGroup: true,
    })
    expect(d.size.groupFiguresAdded).toBe(false)
    expect(d.size.figures.employees).toBe(30)
    expect(d.size.contributions.map((c) => c.factor)).toEqual([1, 0, 0])
    expect(d.size.method.en).toContain('independently')
    expect(d.nis2.category).toBe('not-covered')
    expect(d.judgements).toContainEqual(
      expect.objectContaining({
        id: 'it-independence',
        ifRejected: 'essential',
        ref: 'BSIG §28(4) sentence 2',
      }),
    )
    // The directive knows no such exception: its view adds the group.
    expect(d.nis2.eu.category).toBe('essential')
    expect(d.nis2.eu.differs).toBe(true)
  })

  it('IT not independent: group figures are added and no judgement is raised', () => {
    const d = annexI({
      employees: 30,
      linkedEnterprises: [{ employees: 3000, annualTurnoverEur: 6e8, balanceSheetEur: 5e8 }],
      itIndependentOfGroup: false,
    })
    expect(d.nis2.category).toBe('essential')
    expect(d.judgements.find((j) => j.id === 'it-independence')).toBeUndefined()
  })

  it('IT independence unknown with a group that matters: undetermined, and the fact is named', () => {
    const d = annexI({
      employees: 30,
      linkedEnterprises: [{ employees: 3000, annualTurnoverEur: 6e8, balanceSheetEur: 5e8 }],
      itIndependentOfGroup: null,
    })
    expect(d.nis2.category).toBe('undetermined')
    expect(d.nis2.possibleCategories).toEqual(['essential', 'not-covered'])
    expect(d.missingFacts).toContainEqual(
      expect.objectContaining({ field: 'itIndependentOfGroup', affects: ['size', 'nis2'] }),
    )
  })
})

describe('missing figures are named, never guessed', () => {
  it('a missing balance sheet leaves medium vs small open when staff is below 50', () => {
    const d = annexI({ employees: 20, annualTurnoverEur: 20e6, balanceSheetEur: null })
    expect(d.size.class).toBeNull()
    expect(d.nis2.category).toBe('undetermined')
    expect(d.nis2.possibleCategories).toEqual(['important', 'not-covered'])
    expect(d.missingFacts).toContainEqual(
      expect.objectContaining({ field: 'balanceSheetEur', kind: 'missing', affects: ['size', 'nis2'] }),
    )
    expect(d.duties.every((x) => x.provisional)).toBe(true)
  })

  it('staff alone decides when it reaches 250, even with money figures missing', () => {
    const d = annexI({ employees: 250, annualTurnoverEur: undefined, balanceSheetEur: undefined })
    expect(d.nis2.category).toBe('essential')
    expect(d.missingFacts.map((m) => m.field)).toEqual(
      expect.arrayContaining(['annualTurnoverEur', 'balanceSheetEur']),
    )
    expect(d.missingFacts.find((m) => m.field === 'annualTurnoverEur')!.affects).toEqual(['size'])
  })

  it('known parts are a lower bound: a linked row with unknown staff cannot lower the sum', () => {
    const d = annexI({
      employees: 260,
      linkedEnterprises: [{ employees: null, annualTurnoverEur: 1, balanceSheetEur: 1 }],
    })
    expect(d.nis2.category).toBe('essential')
    expect(d.size.atLeast.employees).toBe(260)
    expect(d.size.figures.employees).toBeNull()
    expect(d.missingFacts).toContainEqual(expect.objectContaining({ field: 'linkedEnterprises.0.employees' }))
  })

  it('size does not matter for size-independent entities: figures missing, category decided', () => {
    const d = evaluate(
      base({ activities: ['digital.dns'], employees: null, annualTurnoverEur: null, balanceSheetEur: null }),
    )
    expect(d.nis2.category).toBe('essential')
    expect(d.missingFacts.filter((m) => m.affects.includes('nis2'))).toEqual([])
  })
})
