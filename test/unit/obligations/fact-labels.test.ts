import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { FormDefinition } from '../../../functions/domain/forms/index.js'
import { factLabel, factQuestionId } from '../../../functions/domain/obligations/index.js'

const form = JSON.parse(
  readFileSync('workflows/forms/obligation-questionnaire.json', 'utf8'),
) as FormDefinition

describe('facts of the profile named by the questionnaire', () => {
  it('finds the question behind a fact', () => {
    expect(factQuestionId('annualTurnoverEur')).toBe('annualTurnover')
    expect(factQuestionId('automotive.prototypes')).toBe('autoPrototypes')
    expect(factQuestionId('linkedEnterprises.1.employees')).toBe('linked2Employees')
    expect(factQuestionId('unknown')).toBeUndefined()
  })

  it("labels facts with the question's label in both languages", () => {
    expect(factLabel(form, 'automotive.prototypes')?.en).toMatch(/^Do you handle prototype parts/)
    expect(factLabel(form, 'annualTurnoverEur')?.de).toMatch(/umsatz/i)
    expect(factLabel(form, 'linkedEnterprises.0.employees')?.en).toMatch(/^Linked company 1: /)
    expect(factLabel(form, 'activities.2')).toEqual({ en: 'Activities (NIS2) 3', de: 'Tätigkeiten (NIS2) 3' })
  })

  it('every mapped question exists in the form', () => {
    const fields = [
      'employees',
      'annualTurnoverEur',
      'balanceSheetEur',
      'itIndependentOfGroup',
      'publicAdministration',
      'kritisOperator',
      'doraFinancialEntity',
      'personalData.personsProcessing',
      'personalData.publicBody',
      'personalData.coreLargeScaleMonitoring',
      'personalData.coreLargeScaleSpecialCategories',
      'personalData.dpiaRequired',
      'personalData.commercialTransferOrResearch',
      'automotive.confidentiality',
      'automotive.availability',
      'automotive.prototypes',
      'automotive.personalDataOnBehalf',
      'automotive.specialCategoriesOnBehalf',
      'partnerEnterprises.4.sharePercent',
    ]
    for (const f of fields) expect(factLabel(form, f), f).toBeDefined()
  })
})
