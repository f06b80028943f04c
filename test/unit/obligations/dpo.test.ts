import { describe, expect, it } from 'vitest'
import { base, evaluate } from './helpers.js'

const dpo = (personalData: Record<string, unknown> | null | undefined, over = {}) =>
  evaluate(base({ personalData: personalData as never, ...over })).dpo

describe('data protection officer', () => {
  it('19 persons processing: not required; 20: required (BDSG §38(1) "at least 20")', () => {
    expect(dpo({ personsProcessing: 19 }).required).toBe(false)
    const d = dpo({ personsProcessing: 20 })
    expect(d.required).toBe(true)
    expect(d.reasons[0]!.ref).toBe('BDSG §38(1) sentence 1')
  })

  it.each([
    ['publicBody', 'GDPR Art. 37(1)(a)'],
    ['coreLargeScaleMonitoring', 'GDPR Art. 37(1)(b)'],
    ['coreLargeScaleSpecialCategories', 'GDPR Art. 37(1)(c)'],
    ['dpiaRequired', 'BDSG §38(1) sentence 2; GDPR Art. 35'],
    ['commercialTransferOrResearch', 'BDSG §38(1) sentence 2'],
  ])('%s alone makes it required (%s)', (field, ref) => {
    const d = dpo({ personsProcessing: 2, [field]: true })
    expect(d.required).toBe(true)
    expect(d.reasons.map((r) => r.ref)).toEqual([ref])
  })

  it('public administration counts as a public body', () => {
    expect(dpo({ personsProcessing: 1 }, { publicAdministration: 'municipal' }).required).toBe(true)
  })

  it('public administration but "not a public body" is contradictory', () => {
    const d = evaluate(
      base({ publicAdministration: 'state', personalData: { personsProcessing: 1, publicBody: false } }),
    )
    expect(d.dpo.required).toBe(true)
    expect(d.missingFacts).toContainEqual(
      expect.objectContaining({ field: 'personalData.publicBody', kind: 'contradictory' }),
    )
  })

  it('persons unknown and nothing else holds: undetermined, and the fact is named', () => {
    const d = evaluate(base({ personalData: { personsProcessing: null } }))
    expect(d.dpo.required).toBeNull()
    expect(d.missingFacts).toContainEqual(
      expect.objectContaining({ field: 'personalData.personsProcessing', affects: ['dpo'] }),
    )
  })

  it('"not sure" about a condition is undetermined unless another condition holds', () => {
    expect(dpo({ personsProcessing: 5, dpiaRequired: null }).required).toBeNull()
    expect(dpo({ personsProcessing: 25, dpiaRequired: null }).required).toBe(true)
  })

  it('no personal-data facts at all: undetermined, named as missing', () => {
    const d = evaluate(base({ personalData: undefined }))
    expect(d.dpo.required).toBeNull()
    expect(d.missingFacts).toContainEqual(
      expect.objectContaining({ field: 'personalData', kind: 'missing', affects: ['dpo'] }),
    )
  })

  it('lists every condition with whether it holds', () => {
    const d = dpo({ personsProcessing: 40 })
    expect(d.conditions.map((c) => [c.id, c.holds])).toEqual([
      ['public-body', false],
      ['monitoring', false],
      ['special-categories', false],
      ['persons-processing', true],
      ['dpia', false],
      ['commercial-transfer', false],
    ])
  })
})
