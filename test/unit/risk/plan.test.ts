import { describe, expect, it } from 'vitest'
import { type AppError, ValidationError } from '../../../functions/domain/errors.js'
import {
  planCostEur,
  planProblems,
  residualProblems,
  riskProblems,
  type TreatmentPlanInput,
  targetScore,
  validatePlan,
  validateRisk,
} from '../../../functions/domain/risk/index.js'

const risk = { likelihood: 4, impact: 4 }
const measure = {
  id: 'm1',
  description: 'Enforce MFA for remote access',
  ownerId: 'u-it',
  dueDate: '2026-09-30',
  costEur: 1200.5,
  controlId: 'A.8.5',
}
const mitigate: TreatmentPlanInput = {
  option: 'mitigate',
  measures: [measure],
  targetLikelihood: 2,
  targetImpact: 4,
}

describe('planProblems', () => {
  it('accepts a sound mitigation', () => {
    expect(planProblems(mitigate, risk)).toEqual({})
    expect(validatePlan(mitigate, risk).justification).toBe('')
  })

  it('requires a measure to mitigate, transfer or avoid', () => {
    expect(planProblems({ ...mitigate, measures: [] }, risk)).toEqual({
      measures: 'a mitigation needs at least one measure',
    })
    expect(planProblems({ ...mitigate, option: 'avoid', measures: [] }, risk)).toHaveProperty('measures')
    expect(
      planProblems({ ...mitigate, option: 'transfer', measures: [], justification: 'Cyber insurance' }, risk),
    ).toHaveProperty('measures')
  })

  it('requires a justification to accept or transfer', () => {
    const accept = { option: 'accept', targetLikelihood: 4, targetImpact: 4 }
    expect(planProblems(accept, risk)).toEqual({ justification: 'an acceptance needs a justification' })
    expect(
      planProblems({ ...accept, justification: 'Cost of controls exceeds the expected loss' }, risk),
    ).toEqual({})
    expect(planProblems({ ...mitigate, option: 'transfer' }, risk)).toHaveProperty('justification')
  })

  it('keeps an accepted risk as it is, without measures', () => {
    const fields = planProblems(
      { option: 'accept', justification: 'ok', measures: [measure], targetLikelihood: 3, targetImpact: 4 },
      risk,
    )
    expect(fields).toHaveProperty('measures')
    expect(fields.targetLikelihood).toMatch(/keeps its likelihood/)
  })

  it('refuses a target above the inherent values, per field', () => {
    expect(planProblems({ ...mitigate, targetLikelihood: 5, targetImpact: 2 }, risk)).toEqual({
      targetLikelihood: 'must not exceed the inherent likelihood (4)',
    })
    expect(planProblems({ ...mitigate, targetLikelihood: 1, targetImpact: 5 }, risk)).toEqual({
      targetImpact: 'must not exceed the inherent impact (4)',
    })
  })

  it('refuses a mitigation that lowers nothing', () => {
    expect(planProblems({ ...mitigate, targetLikelihood: 4, targetImpact: 4 }, risk)).toEqual({
      targetLikelihood: 'a mitigation must lower the likelihood or the impact',
    })
  })

  it('checks targets against the scale and measures field by field', () => {
    expect(planProblems({ ...mitigate, targetLikelihood: 0 }, risk)).toHaveProperty('targetLikelihood')
    const bad = planProblems(
      {
        ...mitigate,
        measures: [
          { ...measure, dueDate: '2026-02-30', costEur: -1, controlId: 'A.9.1' },
          { ...measure, id: 'm1', description: '' },
        ],
      },
      risk,
    )
    expect(Object.keys(bad).sort()).toEqual([
      'measures.0.controlId',
      'measures.0.costEur',
      'measures.0.dueDate',
      'measures.1.description',
    ])
    expect(planProblems({ ...mitigate, measures: [measure, { ...measure }] }, risk)).toEqual({
      'measures.1.id': '"m1" is used by another measure',
    })
    expect(planProblems({ ...mitigate, extra: 1 }, risk)).toEqual({ extra: 'is not a known field' })
  })

  it('refuses due dates in the past when today is given', () => {
    expect(planProblems(mitigate, risk, { today: '2026-10-01' })).toEqual({
      'measures.0.dueDate': 'must not be in the past',
    })
    expect(planProblems(mitigate, risk, { today: '2026-09-30' })).toEqual({})
  })

  it('throws a 400 naming the fields', () => {
    try {
      validatePlan({ ...mitigate, measures: [] }, risk)
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError)
      expect((err as AppError).fields).toEqual({ measures: 'a mitigation needs at least one measure' })
    }
  })

  it('sums costs and scores the target', () => {
    expect(
      planCostEur({
        measures: [
          { ...measure, costEur: 0.1 },
          { ...measure, costEur: 0.2 },
          { ...measure, costEur: undefined },
        ],
      }),
    ).toBe(0.3)
    expect(targetScore({ targetLikelihood: 2, targetImpact: 4 })).toMatchObject({ score: 8, level: 'medium' })
  })
})

describe('riskProblems', () => {
  const good = {
    title: 'Ransomware on file server',
    category: 'cyber',
    ownerId: 'u-1',
    likelihood: 3,
    impact: 5,
    controlIds: ['A.8.7', 'A.8.13'],
    obligationRefs: ['nis2.30.2.c'],
  }

  it('accepts a complete risk and fills defaults', () => {
    expect(riskProblems(good)).toEqual({})
    expect(validateRisk(good)).toMatchObject({ status: 'identified', assets: [], description: '' })
  })

  it('names each bad field', () => {
    const fields = riskProblems({
      ...good,
      title: ' ',
      likelihood: 6,
      impact: 0,
      controlIds: ['A.5.38'],
      obligationRefs: ['NIS2 §30'],
      category: 'misc',
    })
    expect(Object.keys(fields).sort()).toEqual([
      'category',
      'controlIds.0',
      'impact',
      'likelihood',
      'obligationRefs.0',
      'title',
    ])
    expect(fields.likelihood).toBe('must be a whole number from 1 to 5')
  })

  it('leaves residual values to the verification step', () => {
    expect(riskProblems({ ...good, residualLikelihood: 2 })).toEqual({
      residualLikelihood: 'is not a known field',
    })
    expect(residualProblems({ residualLikelihood: 2 }, good)).toEqual({
      residualImpact: 'must be a whole number from 1 to 5',
    })
    expect(residualProblems({ residualLikelihood: 4, residualImpact: 5 }, good)).toEqual({
      residualLikelihood: 'must not exceed the inherent likelihood (3)',
    })
    expect(residualProblems({ residualLikelihood: 1, residualImpact: 3 }, good)).toEqual({})
  })
})
