import { describe, expect, it } from 'vitest'
import type { CompanyProfile } from '../../../functions/domain/obligations/index.js'
import { evaluate } from './helpers.js'

/**
 * The example profiles of obligations.md. Rows without personal-data facts in the document
 * that expect "no DPO" state few persons processing here; the vehicle-parts maker leaves
 * the number open, so its DPO duty "depends on staff processing" (undetermined, named).
 */
const rows: {
  name: string
  profile: CompanyProfile
  nis2: string
  de: string
  kritis: boolean
  dpo: boolean | null
  tisax: string | null
}[] = [
  {
    name: 'electricity DSO, 300 staff, €80M / €60M, 40 people processing personal data',
    profile: {
      activities: ['energy.electricity.dso'],
      employees: 300,
      annualTurnoverEur: 80e6,
      balanceSheetEur: 60e6,
      personalData: { personsProcessing: 40 },
    },
    nis2: 'essential',
    de: 'besonders wichtige Einrichtung',
    kritis: false,
    dpo: true,
    tisax: null,
  },
  {
    name: 'food producer, 60 staff, €8M / €5M, 10 people processing',
    profile: {
      activities: ['food.production'],
      employees: 60,
      annualTurnoverEur: 8e6,
      balanceSheetEur: 5e6,
      personalData: { personsProcessing: 10 },
    },
    nis2: 'important',
    de: 'wichtige Einrichtung',
    kritis: false,
    dpo: false,
    tisax: null,
  },
  {
    name: 'TLD registry, 12 staff, €1.5M / €1M',
    profile: {
      activities: ['digital.tld'],
      employees: 12,
      annualTurnoverEur: 1.5e6,
      balanceSheetEur: 1e6,
      personalData: { personsProcessing: 8 },
    },
    nis2: 'essential',
    de: 'besonders wichtige Einrichtung',
    kritis: false,
    dpo: false,
    tisax: null,
  },
  {
    name: 'data centre, 45 staff, €12M / €9M, 3.0 MW',
    profile: {
      activities: ['digital.datacenter'],
      employees: 45,
      annualTurnoverEur: 12e6,
      balanceSheetEur: 9e6,
      criticalFacilities: [{ type: 'datacenter', value: 3.0 }],
      personalData: { personsProcessing: 6 },
    },
    nis2: 'not-covered',
    de: 'nicht erfasst',
    kritis: false,
    dpo: false,
    tisax: null,
  },
  {
    name: 'vehicle-parts maker, 80 staff, €15M / €12M, strictly confidential OEM data',
    profile: {
      activities: ['manufacturing.vehicles'],
      employees: 80,
      annualTurnoverEur: 15e6,
      balanceSheetEur: 12e6,
      automotive: { confidentiality: 'strictly-confidential' },
    },
    nis2: 'important',
    de: 'wichtige Einrichtung',
    kritis: false,
    dpo: null,
    tisax: 'AL3',
  },
]

describe('example profiles of obligations.md', () => {
  it.each(rows)('$name', (row) => {
    const d = evaluate(row.profile)
    expect(d.nis2.category).toBe(row.nis2)
    expect(d.nis2.de).toBe(row.de)
    expect(d.kritis.operator).toBe(row.kritis)
    expect(d.dpo.required).toBe(row.dpo)
    expect(d.tisax.relevant).toBe(row.tisax !== null)
    expect(d.tisax.assessmentLevel).toBe(row.tisax)
  })

  it('the TLD registry is essential because of its activity, not its size', () => {
    const d = evaluate(rows[2]!.profile)
    expect(d.size.class).toBe('small')
    expect(d.nis2.decidedBy).toBe('size-independent')
  })

  it('the data centre is small because the balance sheet is not over €10M', () => {
    const d = evaluate(rows[3]!.profile)
    expect(d.size.class).toBe('small')
    expect(d.nis2.reasons[0]!.text.en).toContain('Small or micro')
    expect(d.size.reasons.at(-1)!.text.en).toContain('balance sheet €9,000,000')
  })

  it('the vehicle-parts maker: DPO depends on the persons processing, named as missing', () => {
    const d = evaluate(rows[4]!.profile)
    expect(d.missingFacts.filter((m) => m.affects.includes('dpo')).map((m) => m.field)).toEqual([
      'personalData',
    ])
    expect(evaluate({ ...rows[4]!.profile, personalData: { personsProcessing: 20 } }).dpo.required).toBe(true)
    expect(evaluate({ ...rows[4]!.profile, personalData: { personsProcessing: 19 } }).dpo.required).toBe(
      false,
    )
  })

  it('every conclusion carries reasons with a reference, in both languages', () => {
    for (const row of rows) {
      const d = evaluate(row.profile)
      for (const part of [
        d.nis2,
        d.nis2.eu,
        d.kritis,
        d.dpo,
        d.tisax,
        d.iso27001,
        d.informationSecurityOfficer,
        d.size,
      ]) {
        expect(part.reasons.length).toBeGreaterThan(0)
        for (const r of part.reasons) {
          expect(r.ref.length).toBeGreaterThan(2)
          expect(r.text.en.length).toBeGreaterThan(5)
          expect(r.text.de.length).toBeGreaterThan(5)
          expect(r.text.de).not.toBe(r.text.en)
        }
      }
    }
  })
})
