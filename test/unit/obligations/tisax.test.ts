import { describe, expect, it } from 'vitest'
import type { CompanyProfile } from '../../../functions/domain/obligations/index.js'
import { base, evaluate } from './helpers.js'

const tisax = (automotive: CompanyProfile['automotive'], activities: CompanyProfile['activities'] = []) =>
  evaluate(base({ automotive, activities }))

describe('TISAX', () => {
  it.each([
    [{ confidentiality: 'confidential' }, 'AL2', 'info-high'],
    [{ confidentiality: 'strictly-confidential' }, 'AL3', 'info-very-high'],
    [{ availability: 'high' }, 'AL2', 'availability-high'],
    [{ availability: 'very-high' }, 'AL3', 'availability-very-high'],
    [{ prototypes: true }, 'AL3', 'prototype'],
    [{ personalDataOnBehalf: true }, 'AL2', 'data'],
    [{ personalDataOnBehalf: true, specialCategoriesOnBehalf: true }, 'AL3', 'special-data'],
  ] as const)('%o → %s (%s)', (automotive, level, objective) => {
    const d = tisax(automotive).tisax
    expect(d).toMatchObject({ relevant: true, assessmentLevel: level, labelValidityYears: 3 })
    expect(d.objectives.map((o) => o.id)).toEqual([objective])
  })

  it('the highest objective decides', () => {
    const d = tisax({ confidentiality: 'confidential', availability: 'high', prototypes: true }).tisax
    expect(d.assessmentLevel).toBe('AL3')
    expect(d.objectives.map((o) => o.id)).toEqual(['info-high', 'availability-high', 'prototype'])
  })

  it('very high availability is assessed at AL3 (ENX assessment objectives), a rule, not a judgement', () => {
    const d = tisax({ availability: 'very-high' })
    expect(d.tisax.assessmentLevel).toBe('AL3')
    expect(d.judgements.map((j) => j.id)).not.toContain('tisax-very-high-availability')
    expect(d.tisax.reasons.map((r) => r.ref)).toContain(
      'TISAX assessment objectives (ENX): availability very high → AL3; VDA ISA',
    )
  })

  it('nothing handled for automotive customers: not relevant', () => {
    expect(tisax({ confidentiality: 'none', availability: 'none', prototypes: false }).tisax).toMatchObject({
      relevant: false,
      assessmentLevel: null,
    })
    expect(tisax(undefined).tisax.relevant).toBe(false)
  })

  it('a vehicle-parts maker without automotive facts: undetermined, named as missing', () => {
    const d = tisax(undefined, ['manufacturing.vehicles'])
    expect(d.tisax.relevant).toBeNull()
    expect(d.missingFacts).toContainEqual(
      expect.objectContaining({ field: 'automotive', affects: ['tisax'] }),
    )
  })

  it('"not sure" that could raise the level leaves the level open with the minimum shown', () => {
    const d = tisax({ confidentiality: 'confidential', prototypes: null })
    expect(d.tisax).toMatchObject({ relevant: true, assessmentLevel: null, minimumLevel: 'AL2' })
    expect(d.missingFacts).toContainEqual(expect.objectContaining({ field: 'automotive.prototypes' }))
  })

  it('"not sure" that cannot raise the level does not block it', () => {
    expect(tisax({ prototypes: true, availability: null }).tisax.assessmentLevel).toBe('AL3')
  })

  it('special categories on behalf while denying personal data on behalf is contradictory', () => {
    const d = tisax({ personalDataOnBehalf: false, specialCategoriesOnBehalf: true })
    expect(d.tisax.assessmentLevel).toBe('AL3')
    expect(d.missingFacts).toContainEqual(
      expect.objectContaining({ field: 'automotive.personalDataOnBehalf', kind: 'contradictory' }),
    )
  })

  it('TISAX participants get the ISO 27001 and security officer recommendation', () => {
    const d = tisax({ confidentiality: 'confidential' })
    expect(d.nis2.category).toBe('not-covered')
    expect(d.iso27001.recommended).toBe(true)
    expect(d.informationSecurityOfficer.recommended).toBe(true)
  })
})
