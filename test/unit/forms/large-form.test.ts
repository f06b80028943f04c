import { describe, expect, it } from 'vitest'
import { evaluateForm, parseFormDefinition } from '../../../functions/domain/forms/index.js'
import { answers93, form93 } from '../../bench/fixtures/form-93.js'
import { TODAY } from './helpers.js'

describe('the 93-question benchmark form', () => {
  const def = parseFormDefinition(form93())

  it('has 93 questions and loads', () => {
    expect(def.pages.reduce((n, p) => n + (p.questions?.length ?? 0), 0)).toBe(93)
  })

  it('shows pages by the profile answers and validates both variants', async () => {
    const a = await evaluateForm(def, answers93(0), TODAY)
    expect(a.valid).toBe(true)
    expect(a.visiblePages).toHaveLength(10)
    expect(a.computed).toMatchObject({ large: true, riskScore: 2, budgetTotal: 225_000, policiesInPlace: 9 })
    const b = await evaluateForm(def, answers93(1), TODAY)
    expect(b.valid).toBe(true)
    expect(b.visiblePages).not.toContain('crypto')
    expect(b.visiblePages).not.toContain('suppliers')
    expect(b.visiblePages).not.toContain('continuity')
    expect(b.cleanedAnswers).not.toHaveProperty('crypto1')
    expect(b.cleanedAnswers).not.toHaveProperty('cloudProviders')
    expect(b.progress.percent).toBe(100)
  })

  it('a cross-field validator fires across pages', async () => {
    const r = await evaluateForm(def, { ...answers93(1), access4: 41 }, TODAY)
    expect(Object.keys(r.errors)).toEqual(['access4'])
  })
})
