import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  type Answers,
  evaluateForm,
  parseFormDefinition,
  type Question,
} from '../../../functions/domain/forms/index.js'
import {
  answersToProfile,
  FACILITY_TYPE_IDS,
  facilityQuestionId,
  QUESTIONNAIRE_FORM_ID,
  QUESTIONNAIRE_GROUP_ROWS,
  questionnaireCatalogues,
  sectorCatalogueName,
  sectorQuestionId,
} from '../../../functions/domain/obligations/index.js'
import { catalogue, evaluate } from './helpers.js'

const definition = parseFormDefinition(
  JSON.parse(
    readFileSync(new URL('../../../workflows/forms/obligation-questionnaire.json', import.meta.url), 'utf8'),
  ),
)
const catalogues = questionnaireCatalogues(catalogue)
const fill = (answers: Answers) => evaluateForm(definition, answers, { catalogues, today: '2026-01-15' })
const questions = (): Question[] =>
  definition.pages.flatMap((p) => [...(p.questions ?? []), ...(p.sections ?? []).flatMap((s) => s.questions)])

/** Answers every always-visible question with "no"/nothing special. */
const baseline: Answers = {
  sectors: ['none'],
  employees: 20,
  annualTurnover: 2_000_000,
  balanceSheet: 1_000_000,
  linkedExists: 'no',
  partnerExists: 'no',
  publicAdministration: 'no',
  personsProcessing: 5,
  otherPublicBody: 'no',
  monitoring: 'no',
  specialCategories: 'no',
  dpia: 'no',
  commercialTransfer: 'no',
  automotiveBusiness: 'no',
}

describe('obligation questionnaire definition', () => {
  it('loads, has its id, and names the questions the mapping reads', () => {
    expect(definition.id).toBe(QUESTIONNAIRE_FORM_ID)
    const ids = new Set(questions().map((q) => q.id))
    for (const sector of new Set(catalogue.activities.map((a) => a.sector.id))) {
      expect(ids).toContain(sectorQuestionId(sector))
      const q = questions().find((x) => x.id === sectorQuestionId(sector))
      expect(q).toMatchObject({ type: 'catalogue', catalogue: sectorCatalogueName(sector), multiple: true })
    }
    for (const type of FACILITY_TYPE_IDS) expect(ids).toContain(facilityQuestionId(type))
    for (let n = 1; n <= QUESTIONNAIRE_GROUP_ROWS; n++) {
      expect(ids).toContain(`linked${n}Employees`)
      expect(ids).toContain(`partner${n}Share`)
    }
  })

  it('every sector catalogue holds exactly that sector’s activities, with description and examples as hint', () => {
    expect(catalogues['nis2-activities']).toHaveLength(66)
    expect(catalogues['nis2-activities-health']!.map((e) => e.id)).toEqual([
      'health.provider',
      'health.reference-lab',
      'health.pharma-rnd',
      'health.pharma-manufacturing',
      'health.critical-medical-devices',
    ])
    expect(catalogues['nis2-activities-digital']!.find((e) => e.id === 'digital.tld')!.hint!.de).toContain(
      'Beispiele:',
    )
  })

  it('a company in no sector: no activity pages, KRITIS or automotive pages; not covered', async () => {
    const form = await fill(baseline)
    expect(form.valid).toBe(true)
    expect(form.progress.percent).toBe(100)
    expect(form.visiblePages).not.toContain('activities')
    expect(form.visiblePages).not.toContain('kritis')
    expect(form.visiblePages).not.toContain('automotive')
    const profile = answersToProfile(form.cleanedAnswers)
    expect(profile).toMatchObject({
      activities: [],
      employees: 20,
      linkedEnterprises: [],
      partnerEnterprises: [],
      publicAdministration: null,
    })
    const d = evaluate(profile)
    expect(d.nis2.category).toBe('not-covered')
    expect(d.dpo.required).toBe(false)
    expect(d.tisax.relevant).toBe(false)
  })

  it('vehicle-parts maker: automotive page shown, maps to the example profile and decision (important, AL3)', async () => {
    const answers: Answers = {
      ...baseline,
      sectors: ['manufacturing'],
      actManufacturing: ['manufacturing.vehicles'],
      hasNegligible: 'no',
      employees: 80,
      annualTurnover: 15_000_000,
      balanceSheet: 12_000_000,
      personsProcessing: 25,
      autoConfidentiality: 'strictly-confidential',
      autoAvailability: 'none',
      autoPrototypes: 'no',
      autoPersonalData: 'no',
    }
    const form = await fill(answers)
    expect(form.errors).toEqual({})
    expect(form.visiblePages).toContain('automotive')
    expect(form.visiblePages).not.toContain('kritis')
    const profile = answersToProfile(form.cleanedAnswers)
    expect(profile).toMatchObject({
      activities: ['manufacturing.vehicles'],
      employees: 80,
      annualTurnoverEur: 15e6,
      balanceSheetEur: 12e6,
      automotive: {
        confidentiality: 'strictly-confidential',
        availability: 'none',
        prototypes: false,
        personalDataOnBehalf: false,
        specialCategoriesOnBehalf: false,
      },
    })
    const d = evaluate(profile)
    expect(d.nis2.category).toBe('important')
    expect(d.tisax.assessmentLevel).toBe('AL3')
    expect(d.dpo.required).toBe(true)
  })

  it('automotive answers are dropped when the automotive page is hidden', async () => {
    const form = await fill({ ...baseline, autoConfidentiality: 'confidential', autoPrototypes: 'yes' })
    expect(form.cleanedAnswers.autoConfidentiality).toBeUndefined()
    expect(answersToProfile(form.cleanedAnswers).automotive).toBeUndefined()
  })

  it('hospital with a linked parent and a partner: facility metric for KRITIS-relevant activities only, rows become enterprises', async () => {
    const answers: Answers = {
      ...baseline,
      sectors: ['health'],
      actHealth: ['health.provider'],
      hasNegligible: 'no',
      employees: 40,
      annualTurnover: 5_000_000,
      balanceSheet: 4_000_000,
      linkedExists: 'yes',
      linkedCount: 1,
      linked1Name: 'Klinikverbund AG',
      linked1Employees: 900,
      linked1Turnover: 120_000_000,
      linked1Balance: 90_000_000,
      partnerExists: 'yes',
      partnerCount: 1,
      partner1Share: 30,
      partner1Employees: 100,
      itIndependent: 'no',
      kritisKnown: 'no',
      facHospital: 30_000,
      facPowerGeneration: 500,
    }
    const form = await fill(answers)
    expect(form.errors).toEqual({})
    expect(form.questions.facHospital!.visible).toBe(true)
    expect(form.questions.facPowerGeneration!.visible).toBe(false)
    const profile = answersToProfile(form.cleanedAnswers)
    expect(profile.criticalFacilities).toEqual([{ type: 'hospital', value: 30_000 }])
    expect(profile.linkedEnterprises).toEqual([
      { name: 'Klinikverbund AG', employees: 900, annualTurnoverEur: 120e6, balanceSheetEur: 90e6 },
    ])
    expect(profile.partnerEnterprises).toEqual([
      { sharePercent: 30, employees: 100, annualTurnoverEur: null, balanceSheetEur: null },
    ])
    expect(profile.itIndependentOfGroup).toBe(false)
    const d = evaluate(profile)
    expect(d.kritis.operator).toBe(true)
    expect(d.nis2).toMatchObject({ category: 'essential', decidedBy: 'kritis-operator' })
    expect(d.size.figures.employees).toBe(970)
    expect(d.missingFacts.map((m) => m.field)).toEqual([
      'partnerEnterprises.0.annualTurnoverEur',
      'partnerEnterprises.0.balanceSheetEur',
    ])
  })

  it('"I\'m not sure" answers become null and are named as missing, never guessed', async () => {
    const answers: Answers = {
      ...baseline,
      sectors: ['digital'],
      actDigital: ['digital.cloud'],
      hasNegligible: 'no',
      employees: 30,
      annualTurnover: 20_000_000,
      balanceSheet: undefined,
      linkedExists: 'not-sure',
      itIndependent: 'not-sure',
      kritisKnown: 'not-sure',
      personsProcessing: undefined,
      dpia: 'not-sure',
      automotiveBusiness: 'not-sure',
    }
    const form = await fill(answers)
    expect(form.errors).toEqual({})
    const profile = answersToProfile(form.cleanedAnswers)
    expect(profile.balanceSheetEur).toBeNull()
    expect(profile.linkedEnterprises).toEqual([
      { employees: null, annualTurnoverEur: null, balanceSheetEur: null },
    ])
    expect(profile.itIndependentOfGroup).toBeNull()
    expect(profile.kritisOperator).toBeUndefined()
    expect(profile.personalData).toMatchObject({ personsProcessing: null, dpiaRequired: null })
    const d = evaluate(profile)
    expect(d.nis2.category).toBe('undetermined')
    expect(d.dpo.required).toBeNull()
    expect(d.tisax.relevant).toBeNull()
    const named = d.missingFacts.map((m) => m.field)
    expect(named).toEqual(
      expect.arrayContaining([
        'balanceSheetEur',
        'linkedEnterprises.0.employees',
        'personalData.personsProcessing',
        'personalData.dpiaRequired',
        'automotive.confidentiality',
      ]),
    )
  })

  it('negligible activities must be among those chosen', async () => {
    const answers: Answers = {
      ...baseline,
      sectors: ['digital', 'manufacturing'],
      actDigital: ['digital.cloud'],
      actManufacturing: ['manufacturing.machinery'],
      hasNegligible: 'yes',
      negligibleActivities: ['digital.dns'],
      employees: 300,
      kritisKnown: 'no',
    }
    const bad = await fill(answers)
    expect(bad.errors.negligibleActivities?.en).toContain('only activities you chose')
    const good = await fill({ ...answers, negligibleActivities: ['digital.cloud'] })
    expect(good.errors).toEqual({})
    const d = evaluate(answersToProfile(good.cleanedAnswers))
    expect(d.nis2.category).toBe('important')
    expect(d.judgements).toContainEqual(
      expect.objectContaining({
        id: 'negligible-activity',
        subject: 'digital.cloud',
        ifRejected: 'essential',
      }),
    )
  })

  it('DORA and public administration', async () => {
    const form = await fill({
      ...baseline,
      sectors: ['finance'],
      actFinance: ['finance.credit-institution'],
      hasNegligible: 'no',
      employees: 400,
      doraEntity: 'yes',
      kritisKnown: 'no',
      publicAdministration: 'no',
    })
    expect(form.errors).toEqual({})
    const d = evaluate(answersToProfile(form.cleanedAnswers))
    expect(d.nis2.carveOuts.map((c) => c.id)).toEqual(['dora'])
    const fed = await fill({ ...baseline, publicAdministration: 'federal', otherPublicBody: undefined })
    expect(fed.questions.otherPublicBody!.visible).toBe(false)
    expect(evaluate(answersToProfile(fed.cleanedAnswers)).nis2.category).toBe('essential')
    // A municipal enterprise (Eigenbetrieb) is asked for and reaches the profile.
    const utility = await fill({
      ...baseline,
      publicAdministration: 'municipal-enterprise',
      otherPublicBody: undefined,
    })
    expect(utility.errors).toEqual({})
    expect(answersToProfile(utility.cleanedAnswers).publicAdministration).toBe('municipal-enterprise')
  })

  it('English and German texts on every question', () => {
    for (const q of questions()) {
      expect(q.label.en).not.toBe(q.label.de)
      if (q.hint) expect(q.hint.de.length).toBeGreaterThan(3)
    }
  })
})
