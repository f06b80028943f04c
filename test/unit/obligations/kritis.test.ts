import { describe, expect, it } from 'vitest'
import { FACILITY_TYPE_FACTS } from '../../../functions/domain/obligations/index.js'
import { base, catalogue, evaluate } from './helpers.js'

/** An activity whose facility types include the given one, so the facility is not flagged as contradictory. */
const activityFor = (type: string) =>
  catalogue.activities.find((a) => a.flags.kritisFacilityTypes.includes(type as never))!.id

describe('KRITIS facility thresholds', () => {
  it.each(FACILITY_TYPE_FACTS.map((f) => [f.id, f.threshold] as const))(
    '%s: at %d an operator, just below not',
    (type, threshold) => {
      const below = threshold >= 100 ? threshold - 1 : threshold - 0.1
      const at = evaluate(
        base({ activities: [activityFor(type)], criticalFacilities: [{ type, value: threshold }] }),
      )
      expect(at.kritis.operator).toBe(true)
      expect(at.kritis.facilities).toMatchObject([
        { type, value: threshold, threshold, meetsThreshold: true },
      ])
      expect(at.nis2.category).toBe('essential')
      expect(at.missingFacts).toEqual([])
      const under = evaluate(
        base({ activities: [activityFor(type)], criticalFacilities: [{ type, value: below }] }),
      )
      expect(under.kritis.operator).toBe(false)
      expect(under.kritis.belowThreshold).toMatchObject([{ type, meetsThreshold: false }])
    },
  )

  it('the data-centre threshold is 3.5 MW: 3.0 MW is below', () => {
    const d = evaluate(
      base({ activities: ['digital.datacenter'], criticalFacilities: [{ type: 'datacenter', value: 3.0 }] }),
    )
    expect(d.kritis.operator).toBe(false)
    expect(d.kritis.reasons[0]!.text.en).toContain('below the threshold of 3.5 MW')
  })

  it('explains when the status starts', () => {
    const d = evaluate(
      base({
        activities: ['health.provider'],
        criticalFacilities: [{ type: 'hospital', value: 30_000, name: 'Klinikum Nord' }],
      }),
    )
    expect(d.kritis.reasons.map((r) => r.text.en).join()).toContain('1 April of the year after')
    expect(d.kritis.facilities[0]!.name).toBe('Klinikum Nord')
  })

  it('one facility over the threshold is enough among several', () => {
    const d = evaluate(
      base({
        activities: ['health.provider'],
        criticalFacilities: [
          { type: 'laboratory', value: 10 },
          { type: 'hospital', value: 40_000 },
        ],
      }),
    )
    expect(d.kritis.facilities.map((f) => f.index)).toEqual([1])
    expect(d.kritis.belowThreshold.map((f) => f.index)).toEqual([0])
  })

  it('declared operator without figures is an operator', () => {
    expect(
      evaluate(base({ activities: ['transport.air.airport'], kritisOperator: true })).kritis.operator,
    ).toBe(true)
  })

  it('declaring "no" while a facility meets its threshold is named as contradictory; the figures decide', () => {
    const d = evaluate(
      base({
        activities: ['digital.ixp'],
        kritisOperator: false,
        criticalFacilities: [{ type: 'ixp', value: 150 }],
      }),
    )
    expect(d.kritis.operator).toBe(true)
    expect(d.missingFacts).toContainEqual(
      expect.objectContaining({ field: 'kritisOperator', kind: 'contradictory' }),
    )
  })

  it('a facility type that belongs to no declared activity is named as contradictory', () => {
    const d = evaluate(
      base({ activities: ['ict.msp'], criticalFacilities: [{ type: 'hospital', value: 10 }] }),
    )
    expect(d.missingFacts).toContainEqual(
      expect.objectContaining({ field: 'criticalFacilities.0.type', kind: 'contradictory' }),
    )
  })

  it('no facilities and nothing declared: not an operator', () => {
    const d = evaluate(base({ activities: ['energy.electricity.dso'] }))
    expect(d.kritis).toMatchObject({ operator: false, facilities: [], declared: null })
  })
})
