import { describe, expect, it } from 'vitest'
import { evaluateObligations } from '../../../functions/domain/obligations/index.js'
import { base, evaluate, texts } from './helpers.js'

const micro = { employees: 3, annualTurnoverEur: 200_000, balanceSheetEur: 100_000 }
const large = { employees: 800, annualTurnoverEur: 200e6, balanceSheetEur: 150e6 }

describe('NIS2 rule 1: KRITIS operator', () => {
  it('is essential whatever the size and decides before everything else', () => {
    const d = evaluate(
      base({
        activities: ['energy.electricity.producer'],
        ...micro,
        criticalFacilities: [{ type: 'power-generation', value: 104 }],
      }),
    )
    expect(d.nis2).toMatchObject({
      category: 'essential',
      de: 'besonders wichtige Einrichtung',
      decidedBy: 'kritis-operator',
    })
    expect(d.nis2.reasons[0]!.ref).toBe('BSIG §28(1) Nr 1')
  })

  it('declared operator (kritisOperator: true) without figures', () => {
    const d = evaluate(base({ activities: ['water.drinking'], ...micro, kritisOperator: true }))
    expect(d.nis2.category).toBe('essential')
    expect(d.kritis).toMatchObject({ operator: true, declared: true, facilities: [] })
  })

  it('later rules add reasons only', () => {
    const d = evaluate(base({ activities: ['digital.dns'], ...large, kritisOperator: true }))
    expect(d.nis2.decidedBy).toBe('kritis-operator')
    expect(texts(d.nis2.reasons)).toContain(
      'Also: DNS service provider (digital.dns): essential entity whatever the size',
    )
    expect(texts(d.nis2.reasons)).toContain('Also: Annex I activity')
  })
})

describe('NIS2 rule 2: size-independent essential entities', () => {
  it.each(['digital.trust.qualified', 'digital.tld', 'digital.dns'] as const)(
    '%s is essential even as a micro enterprise',
    (id) => {
      const d = evaluate(base({ activities: [id], ...micro }))
      expect(d.nis2).toMatchObject({ category: 'essential', decidedBy: 'size-independent' })
      expect(d.nis2.reasons[0]!.ref).toBe('BSIG §28(1) Nr 2')
      expect(d.nis2.eu.category).toBe('essential')
    },
  )
})

describe('NIS2 rule 3: public telecommunications', () => {
  it('below 50 staff and not both money figures over €10M: important', () => {
    const d = evaluate(
      base({
        activities: ['digital.telecom'],
        employees: 49,
        annualTurnoverEur: 20e6,
        balanceSheetEur: 10e6,
      }),
    )
    expect(d.nis2).toMatchObject({ category: 'important', decidedBy: 'telecom' })
    expect(d.nis2.reasons[0]!.ref).toBe('BSIG §28(2) Nr 2')
  })
  it('at least 50 staff: essential', () => {
    expect(evaluate(base({ activities: ['digital.telecom'], employees: 50 })).nis2.category).toBe('essential')
  })
  it('turnover and balance over €10M: essential', () => {
    const d = evaluate(
      base({
        activities: ['digital.telecom'],
        employees: 5,
        annualTurnoverEur: 10_000_001,
        balanceSheetEur: 10_000_001,
      }),
    )
    expect(d.nis2.category).toBe('essential')
    expect(d.nis2.reasons[0]!.ref).toBe('BSIG §28(1) Nr 3')
  })
  it('TKG carve-out changes duties, not the category; registration remains', () => {
    const d = evaluate(base({ activities: ['digital.telecom'], employees: 60 }))
    expect(d.nis2.carveOuts.map((c) => c.id)).toEqual(['tkg'])
    expect(d.duties.find((x) => x.id === 'bsi-registration')!.replacedBy).toBeUndefined()
    expect(d.duties.find((x) => x.id === 'risk-measures')!.replacedBy!.ref).toContain('TKG')
  })
})

describe('NIS2 rule 4: non-qualified trust service provider', () => {
  it('is important whatever the size when not large (BSIG §28(2) Nr 1)', () => {
    expect(evaluate(base({ activities: ['digital.trust.non-qualified'], ...micro })).nis2).toMatchObject({
      category: 'important',
      decidedBy: 'trust-non-qualified',
    })
    const medium = { employees: 120, annualTurnoverEur: 20e6, balanceSheetEur: 15e6 }
    const d = evaluate(base({ activities: ['digital.trust.non-qualified'], ...medium }))
    expect(d.nis2.category).toBe('important')
    expect(d.nis2.reasons[0]!.ref).toBe('BSIG §28(2) Nr 1')
  })
  it('a large one is essential: an Annex 1 entity type, and §28(2) "Davon ausgenommen sind besonders wichtige Einrichtungen" (§28(1) Nr 4)', () => {
    const d = evaluate(base({ activities: ['digital.trust.non-qualified'], ...large }))
    expect(d.nis2).toMatchObject({ category: 'essential', decidedBy: 'trust-non-qualified' })
    expect(d.nis2.reasons[0]!.ref).toBe('BSIG §28(1) Nr 4, Anlage 1')
    // German law and the directive (Art. 3(1)(a)) agree now.
    expect(d.nis2.eu).toMatchObject({ category: 'essential', differs: false })
  })
  it('missing figures leave essential or important open', () => {
    const d = evaluate(
      base({
        activities: ['digital.trust.non-qualified'],
        employees: null,
        annualTurnoverEur: null,
        balanceSheetEur: null,
      }),
    )
    expect(d.nis2.category).toBe('undetermined')
    expect(d.nis2.possibleCategories).toEqual(['essential', 'important'])
  })
})

describe('NIS2 rule 5: public administration', () => {
  it('federal: treated as essential, no fines, security officer required (§45)', () => {
    const d = evaluate(base({ publicAdministration: 'federal' }))
    expect(d.nis2).toMatchObject({ category: 'essential', decidedBy: 'public-administration', fines: null })
    expect(d.nis2.reasons[0]!.ref).toBe('BSIG §29')
    // §29 and Part 3 Chapter 3: the federal administration's own regime.
    expect(d.nis2.reasons[0]!.text.en).toMatch(
      /own regime .*Part 3, Chapter 3.*comparable to those of essential entities/,
    )
    expect(d.nis2.reasons[0]!.text.de).toMatch(/Teil 3 Kapitel 3/)
    expect(d.informationSecurityOfficer).toMatchObject({ required: true, recommended: true })
    expect(d.duties.map((x) => x.id)).toContain('bsi-registration')
  })
  it.each(['state', 'municipal'] as const)(
    '%s: outside the federal law (state-law), no BSIG duties',
    (level) => {
      const d = evaluate(base({ publicAdministration: level, ...large, activities: ['water.drinking'] }))
      expect(d.nis2).toMatchObject({ category: 'state-law', decidedBy: 'public-administration', fines: null })
      expect(d.duties).toEqual([])
      expect(texts(d.nis2.reasons)).toContain('Also: Annex I activity')
      expect(d.informationSecurityOfficer.required).toBe(false)
    },
  )
  it.each(['municipal-enterprise', 'state-enterprise'] as const)(
    '%s ("rechtlich unselbstständige Organisationseinheiten einer Gebietskörperschaft", §28): decided by activity and size',
    (pa) => {
      const large = { employees: 300, annualTurnoverEur: 60e6, balanceSheetEur: 50e6 }
      const d = evaluate(base({ publicAdministration: pa, ...large, activities: ['water.waste'] }))
      expect(d.nis2).toMatchObject({ category: 'essential', decidedBy: 'annex-size' })
      expect(texts(d.nis2.reasons)).toMatch(/enterprise \(a legally dependent unit of a public body/)
      const medium = { employees: 80, annualTurnoverEur: 12e6, balanceSheetEur: 11e6 }
      expect(
        evaluate(base({ publicAdministration: pa, ...medium, activities: ['water.waste'] })).nis2.category,
      ).toBe('important')
      expect(
        evaluate(base({ publicAdministration: pa, ...micro, activities: ['water.waste'] })).nis2.category,
      ).toBe('not-covered')
    },
  )
  it('a municipal enterprise is measured by its own figures: the group rules do not apply', () => {
    const d = evaluate(
      base({
        publicAdministration: 'municipal-enterprise',
        activities: ['water.waste'],
        employees: 60,
        annualTurnoverEur: 8e6,
        balanceSheetEur: 5e6,
        linkedEnterprises: [
          { name: 'Stadt', employees: 2000, annualTurnoverEur: 300e6, balanceSheetEur: 400e6 },
        ],
      }),
    )
    expect(d.nis2.category).toBe('important')
  })
  it('a size-independent activity decides before public administration (rule order)', () => {
    expect(
      evaluate(base({ publicAdministration: 'municipal', activities: ['digital.dns'] })).nis2.category,
    ).toBe('essential')
  })
})

describe('NIS2 rules 6 and 7: annex activity and size', () => {
  it('several activities: Annex I decides essential for a large enterprise even with Annex II activities', () => {
    const d = evaluate(base({ activities: ['manufacturing.machinery', 'ict.msp'], ...large }))
    expect(d.nis2).toMatchObject({ category: 'essential', decidedBy: 'annex-size' })
  })
  it('no activity: not covered', () => {
    const d = evaluate(base({ activities: [], ...large }))
    expect(d.nis2).toMatchObject({ category: 'not-covered', decidedBy: 'none', de: 'nicht erfasst' })
    expect(d.duties).toEqual([])
    expect(d.nis2.fines).toBeNull()
  })
  it('chemical distribution is an EU-only activity: not covered in Germany, important in the directive', () => {
    const d = evaluate(base({ activities: ['chemicals.distribution'], employees: 80 }))
    expect(d.nis2.category).toBe('not-covered')
    expect(d.nis2.eu).toMatchObject({ category: 'important', differs: true })
    expect(texts(d.nis2.reasons)).toContain('not in the German Anlage')
  })
  it('REACH manufacturers are Annex II in Germany', () => {
    expect(evaluate(base({ activities: ['chemicals.reach'], employees: 80 })).nis2.category).toBe('important')
  })
  it('names activities with their catalogue titles; without a catalogue by id', () => {
    const withCat = evaluate(base({ activities: ['ict.msp'], employees: 80 }))
    expect(texts(withCat.nis2.reasons)).toContain('Managed service provider (B2B) (ict.msp)')
    const noCat = evaluateObligations(base({ activities: ['ict.msp'], employees: 80 }))
    expect(noCat.nis2.category).toBe('important')
    expect(texts(noCat.nis2.reasons)).toContain('(ict.msp)')
  })
})

describe('negligible activities (§28(3), judgement)', () => {
  it('a negligible activity is not counted; the ISO confirms; the alternative is shown', () => {
    const d = evaluate(
      base({
        activities: ['manufacturing.machinery', 'digital.cloud'],
        negligibleActivities: ['digital.cloud'],
        ...large,
      }),
    )
    expect(d.activitiesCounted).toEqual(['manufacturing.machinery'])
    expect(d.nis2.category).toBe('important')
    expect(d.judgements).toContainEqual(
      expect.objectContaining({
        id: 'negligible-activity',
        subject: 'digital.cloud',
        ifRejected: 'essential',
        ref: 'BSIG §28(3)',
      }),
    )
  })
  it('declaring an activity negligible that was not declared is contradictory and ignored', () => {
    const d = evaluate(
      base({ activities: ['ict.msp'], negligibleActivities: ['digital.dns'], employees: 80 }),
    )
    expect(d.nis2.category).toBe('important')
    expect(d.missingFacts).toContainEqual(
      expect.objectContaining({ field: 'negligibleActivities.0', kind: 'contradictory' }),
    )
  })
})

describe('DORA (§28(6))', () => {
  it('changes duties, not the category: registration stays, the rest follows DORA', () => {
    const d = evaluate(
      base({ activities: ['finance.credit-institution'], ...large, doraFinancialEntity: true }),
    )
    expect(d.nis2.category).toBe('essential')
    expect(d.nis2.carveOuts.map((c) => c.id)).toEqual(['dora'])
    const byId = Object.fromEntries(d.duties.map((x) => [x.id, x]))
    expect(byId['bsi-registration']!.replacedBy).toBeUndefined()
    for (const id of ['risk-measures', 'incident-reporting', 'management-duties'])
      expect(byId[id]!.replacedBy!.ref).toContain('DORA')
  })
  it('not sure about DORA is named', () => {
    const d = evaluate(
      base({ activities: ['finance.credit-institution'], ...large, doraFinancialEntity: null }),
    )
    expect(d.missingFacts).toContainEqual(
      expect.objectContaining({ field: 'doraFinancialEntity', affects: ['duties'] }),
    )
  })
})

describe('duties and fines', () => {
  it('lists registration within 3 months, the ten measures, 24 h / 72 h / 1 month, management duties', () => {
    const d = evaluate(base({ activities: ['ict.msp'], employees: 80 }))
    const byId = Object.fromEntries(d.duties.map((x) => [x.id, x]))
    expect(byId['bsi-registration']).toMatchObject({
      dueWithin: { months: 3 },
      ref: 'BSIG §33',
      provisional: false,
    })
    expect(byId['registration-extra-data']!.ref).toBe('BSIG §34')
    expect(byId['risk-measures']!.items).toHaveLength(10)
    expect(byId['incident-reporting']!.items!.map((i) => i.within)).toEqual([
      { hours: 24 },
      { hours: 72 },
      { months: 1 },
    ])
    expect(byId['management-duties']!.ref).toContain('§38')
    expect(byId['attack-detection']).toBeUndefined()
  })
  it('§34 extra data only for the listed digital services', () => {
    expect(
      evaluate(base({ activities: ['manufacturing.machinery'], employees: 80 })).duties.map((x) => x.id),
    ).not.toContain('registration-extra-data')
  })
  it('KRITIS operators additionally: attack detection (§31) and audit every 3 years (§39)', () => {
    const d = evaluate(base({ activities: ['water.drinking'], kritisOperator: true }))
    expect(d.duties.map((x) => x.ref)).toEqual(expect.arrayContaining(['BSIG §31(2)', 'BSIG §39']))
  })
  it('fines: essential up to €10M or 2 %, important up to €7M or 1.4 %, registration €500k', () => {
    const e = evaluate(
      base({ activities: ['ict.msp'], employees: 300, annualTurnoverEur: 1e9, balanceSheetEur: 1e6 }),
    ).nis2.fines!
    expect(e).toMatchObject({
      maxEur: 10_000_000,
      percentOfTurnover: 2,
      capEur: 20_000_000,
      registrationMaxEur: 500_000,
    })
    const i = evaluate(base({ activities: ['ict.msp'], employees: 80 })).nis2.fines!
    expect(i).toMatchObject({ maxEur: 7_000_000, percentOfTurnover: 1.4, capEur: 7_000_000 })
    expect(i.text.de).toContain('1,4 %')
  })
})
