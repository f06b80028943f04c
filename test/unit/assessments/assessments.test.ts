import { describe, expect, it } from 'vitest'
import {
  applyReview,
  carryOver,
  diffDecisions,
  followUpsFor,
  reviewPrefill,
} from '../../../functions/domain/assessments/index.js'
import type { CompanyProfile } from '../../../functions/domain/obligations/index.js'
import { base, catalogue, evaluate } from '../obligations/helpers.js'

const machineBuilder = base({
  activities: ['manufacturing.machinery'],
  employees: 180,
  annualTurnoverEur: 40e6,
  balanceSheetEur: 25e6,
  personalData: { personsProcessing: 40 },
})
/** Small on its own, large with its parent; says its IT runs independently. */
const smallSubsidiary = base({
  activities: ['manufacturing.machinery'],
  employees: 30,
  annualTurnoverEur: 5e6,
  balanceSheetEur: 4e6,
  linkedEnterprises: [{ employees: 3000, annualTurnoverEur: 6e8, balanceSheetEur: 5e8 }],
  itIndependentOfGroup: true,
})
const review = (profile: CompanyProfile, answers: Parameters<typeof applyReview>[0]['answers']) =>
  applyReview({ profile, evaluated: evaluate(profile), answers, catalogue })

describe('ISO review', () => {
  it('prefills the open judgements, or none', () => {
    expect(reviewPrefill(evaluate(machineBuilder))).toEqual({ judgementsOpen: ['none'] })
    expect(reviewPrefill(evaluate(smallSubsidiary))).toEqual({ judgementsOpen: ['it-independence'] })
  })

  it('confirms a decided result unchanged', () => {
    const r = review(machineBuilder, { outcome: 'confirm' })
    expect(r.status).toBe('ok')
    if (r.status !== 'ok') return
    expect(r.decision.nis2.category).toBe('important')
    expect(r.adjustments).toEqual([])
  })

  it('refuses an unresolved judgement, naming the question', () => {
    const r = review(smallSubsidiary, { outcome: 'confirm' })
    expect(r).toMatchObject({ status: 'refused' })
    if (r.status !== 'refused') return
    expect(r.problems.map((p) => p.field).sort()).toEqual(['itIndependenceConfirmed', 'judgementNotes'])
  })

  it('a rejected judgement runs the rules again: group figures count, the category follows', () => {
    expect(evaluate(smallSubsidiary).nis2.category).toBe('not-covered')
    const r = review(smallSubsidiary, {
      itIndependenceConfirmed: 'no',
      judgementNotes: 'Shared directory with the parent.',
      outcome: 'confirm',
    })
    expect(r.status).toBe('ok')
    if (r.status !== 'ok') return
    expect(r.decision.nis2.category).toBe('important')
    expect(r.decision.judgements).toEqual([])
    expect(r.judgements).toMatchObject([{ id: 'it-independence', resolution: 'rejected' }])
    expect(r.adjustments).toMatchObject([
      { conclusion: 'nis2', from: 'not-covered', to: 'important', source: 'judgement' },
    ])
    expect(r.decision.duties.map((d) => d.id)).toContain('bsi-registration')
  })

  it('very high availability is AL3 by rule: the review asks no level for it', () => {
    const p = base({
      automotive: {
        confidentiality: 'none',
        availability: 'very-high',
        prototypes: false,
        personalDataOnBehalf: false,
      },
    })
    const r = review(p, { outcome: 'confirm' })
    expect(r.status).toBe('ok')
    if (r.status !== 'ok') return
    expect(r.decision.tisax.assessmentLevel).toBe('AL3')
    expect(r.adjustments).toEqual([])
  })

  it('an adjustment needs a justification and a different value; it recomputes duties and fines', () => {
    expect(
      review(machineBuilder, { outcome: 'adjust', adjustments: ['nis2'], adjustNis2: 'not-covered' }),
    ).toMatchObject({
      status: 'refused',
      problems: [{ field: 'justification' }],
    })
    expect(
      review(machineBuilder, {
        outcome: 'adjust',
        adjustments: ['nis2'],
        adjustNis2: 'important',
        justification: 'This is long enough to count.',
      }),
    ).toMatchObject({ status: 'refused', problems: [{ field: 'adjustNis2' }] })
    const r = review(machineBuilder, {
      outcome: 'adjust',
      adjustments: ['nis2'],
      adjustNis2: 'not-covered',
      justification: 'The machinery is built only for our own plants, not offered to others.',
    })
    expect(r.status).toBe('ok')
    if (r.status !== 'ok') return
    expect(r.decision.nis2).toMatchObject({ category: 'not-covered', de: 'nicht erfasst', fines: null })
    expect(r.decision.duties).toEqual([])
    expect(r.decision.nis2.reasons[0]!.ref).toBe('ISO review')
  })

  it('nothing stays undetermined: missing facts must be sent back or adjusted', () => {
    const p = base({
      activities: ['manufacturing.machinery'],
      employees: null,
      annualTurnoverEur: null,
      balanceSheetEur: null,
    })
    expect(evaluate(p).nis2.category).toBe('undetermined')
    const r = review(p, { outcome: 'confirm' })
    expect(r).toMatchObject({ status: 'refused', problems: [{ field: 'outcome' }] })
    expect(review(p, { outcome: 'return', returnReason: 'Enter the staff figures.' })).toEqual({
      status: 'returned',
      reason: 'Enter the staff figures.',
    })
  })
})

describe('follow-ups', () => {
  it('one per duty but the registration with the BSI (its own workflow); DPO and TISAX when they apply', () => {
    const d = evaluate({
      ...machineBuilder,
      automotive: {
        confidentiality: 'strictly-confidential',
        availability: 'none',
        prototypes: false,
        personalDataOnBehalf: false,
      },
    })
    const f = followUpsFor(d, '2026-01-31T09:00:00.000Z')
    expect(d.duties.map((x) => x.id)).toContain('bsi-registration')
    expect(f.map((x) => x.id)).toEqual([
      'risk-measures',
      'incident-reporting',
      'management-duties',
      'dpo-appointment',
      'tisax-assessment',
    ])
    expect(f.find((x) => x.id === 'incident-reporting')).toMatchObject({
      dueAt: '2026-02-28T09:00:00.000Z',
      legalDeadline: false,
      status: 'open',
    })
    expect(f.find((x) => x.id === 'tisax-assessment')!.title.en).toContain('AL3')
  })

  it('duties another law sets instead (DORA) get no task; registration stays a duty, for its workflow', () => {
    const d = evaluate(
      base({
        activities: ['finance.credit-institution'],
        employees: 300,
        annualTurnoverEur: 9e7,
        balanceSheetEur: 9e7,
        doraFinancialEntity: true,
      }),
    )
    const ids = followUpsFor(d, '2026-01-01T00:00:00.000Z').map((x) => x.id)
    expect(d.duties.find((x) => x.id === 'bsi-registration')?.replacedBy).toBeUndefined()
    expect(ids).not.toContain('bsi-registration')
    expect(ids).not.toContain('incident-reporting')
  })

  it('carries over what was settled or is still open under the previous decision', () => {
    const f = followUpsFor(evaluate(machineBuilder), '2027-01-01T00:00:00.000Z')
    const prev = followUpsFor(evaluate(machineBuilder), '2026-01-01T00:00:00.000Z').map((x) =>
      x.id === 'management-duties' ? { ...x, status: 'done' as const } : x,
    )
    const carried = carryOver(f, prev, 'd1')
    expect(carried.find((x) => x.id === 'management-duties')).toMatchObject({
      status: 'done',
      carriedFrom: 'd1',
    })
    expect(carried.find((x) => x.id === 'risk-measures')).toMatchObject({ status: 'open', carriedFrom: 'd1' })
    expect(carryOver(f, undefined, null)).toEqual(f)
  })
})

describe('diff', () => {
  it('names changed conclusions, duties, reasons and facts', () => {
    const small = { ...machineBuilder, employees: 40, annualTurnoverEur: 8e6, balanceSheetEur: 5e6 }
    const a = { decision: evaluate(small), profile: small }
    const b = { decision: evaluate(machineBuilder), profile: machineBuilder }
    const d = diffDecisions(a, b)
    expect(d.changed).toBe(true)
    expect(d.conclusions.find((c) => c.id === 'nis2')).toMatchObject({
      changed: true,
      from: { en: 'not covered' },
      to: { de: 'wichtige Einrichtung' },
    })
    expect(d.duties.added.map((x) => x.id)).toContain('bsi-registration')
    expect(d.reasons.find((r) => r.id === 'nis2')!.added.length).toBeGreaterThan(0)
    expect(d.facts).toEqual(
      expect.arrayContaining([
        { field: 'employees', from: 40, to: 180 },
        { field: 'annualTurnoverEur', from: 8e6, to: 40e6 },
      ]),
    )
    expect(diffDecisions(b, b)).toMatchObject({ changed: false, facts: [], reasons: [] })
  })
})
