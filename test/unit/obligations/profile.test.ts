import { describe, expect, it } from 'vitest'
import { companyProfileSchema } from '../../../functions/domain/obligations/index.js'

const issues = (input: unknown) => {
  const r = companyProfileSchema.safeParse(input)
  return r.success ? [] : r.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code }))
}

describe('companyProfileSchema', () => {
  it('accepts the example of the issue', () => {
    const profile = {
      activities: ['digital.dns'],
      employees: 120,
      annualTurnoverEur: 25000000,
      balanceSheetEur: 18000000,
      linkedEnterprises: [{ employees: 3000, annualTurnoverEur: 6e8, balanceSheetEur: 5e8 }],
      partnerEnterprises: [
        { sharePercent: 30, employees: 200, annualTurnoverEur: 4e7, balanceSheetEur: 3e7 },
      ],
      itIndependentOfGroup: false,
      negligibleActivities: [],
      publicAdministration: null,
      criticalFacilities: [{ type: 'power-generation', value: 120 }],
      doraFinancialEntity: false,
      personalData: {
        personsProcessing: 25,
        publicBody: false,
        coreLargeScaleMonitoring: false,
        coreLargeScaleSpecialCategories: false,
        dpiaRequired: false,
        commercialTransferOrResearch: false,
      },
      automotive: {
        confidentiality: 'none',
        availability: 'none',
        prototypes: false,
        personalDataOnBehalf: false,
        specialCategoriesOnBehalf: false,
      },
    }
    expect(issues(profile)).toEqual([])
    expect(issues({ activities: [] })).toEqual([])
  })

  it('rejects unknown fields by name, at every level', () => {
    expect(issues({ activities: [], staff: 3 })).toEqual([{ path: '', code: 'unrecognized_keys' }])
    expect(issues({ activities: [], personalData: { persons: 3 } })).toEqual([
      { path: 'personalData', code: 'unrecognized_keys' },
    ])
  })

  it('names the failing field', () => {
    expect(issues({})).toEqual([{ path: 'activities', code: 'invalid_type' }])
    expect(issues({ activities: ['digital.root-server'] })).toEqual([
      { path: 'activities.0', code: 'invalid_value' },
    ])
    expect(issues({ activities: [], employees: -1 })).toEqual([{ path: 'employees', code: 'too_small' }])
    expect(issues({ activities: [], annualTurnoverEur: '5' })).toEqual([
      { path: 'annualTurnoverEur', code: 'invalid_type' },
    ])
    expect(issues({ activities: [], publicAdministration: 'county' })).toEqual([
      { path: 'publicAdministration', code: 'invalid_value' },
    ])
    expect(issues({ activities: [], criticalFacilities: [{ type: 'castle', value: 1 }] })).toEqual([
      { path: 'criticalFacilities.0.type', code: 'invalid_value' },
    ])
    expect(issues({ activities: [], automotive: { availability: 'extreme' } })).toEqual([
      { path: 'automotive.availability', code: 'invalid_value' },
    ])
  })

  it('partner share must be 25–50 %', () => {
    const p = (sharePercent: number) => issues({ activities: [], partnerEnterprises: [{ sharePercent }] })
    expect(p(24.9)).toEqual([{ path: 'partnerEnterprises.0.sharePercent', code: 'too_small' }])
    expect(p(51)).toEqual([{ path: 'partnerEnterprises.0.sharePercent', code: 'too_big' }])
    expect(p(25)).toEqual([])
    expect(p(50)).toEqual([])
  })

  it('accepts null for "not sure"', () => {
    expect(
      issues({
        activities: [],
        employees: null,
        itIndependentOfGroup: null,
        personalData: { personsProcessing: null, dpiaRequired: null },
      }),
    ).toEqual([])
  })
})
