import { describe, expect, it } from 'vitest'
import {
  annexACatalogueProblems,
  annexAThemeOf,
  isAnnexAControlId,
  parseAnnexACatalogue,
  parseTisaxCatalogue,
  tisaxCatalogueProblems,
  tisaxControlIds,
} from '../../../functions/domain/certification/index.js'
import annexA from '../../../workflows/catalogues/annex-a.json' with { type: 'json' }
import tisax from '../../../workflows/catalogues/tisax.json' with { type: 'json' }

describe('Annex A catalogue', () => {
  const catalogue = parseAnnexACatalogue(annexA)

  it('has 93 controls: 37 organisational, 8 people, 14 physical, 34 technological', () => {
    const count = (theme: string) => catalogue.controls.filter((c) => c.theme === theme).length
    expect(catalogue.controls).toHaveLength(93)
    expect([count('organisational'), count('people'), count('physical'), count('technological')]).toEqual([
      37, 8, 14, 34,
    ])
  })

  it('has unique ids that the domain knows, each with its theme', () => {
    const ids = catalogue.controls.map((c) => c.id)
    expect(new Set(ids).size).toBe(93)
    for (const c of catalogue.controls) {
      expect(isAnnexAControlId(c.id)).toBe(true)
      expect(annexAThemeOf(c.id)).toBe(c.theme)
    }
    expect(ids.slice(0, 2)).toEqual(['A.5.1', 'A.5.2'])
    expect(ids.at(-1)).toBe('A.8.34')
  })

  it('has a short title in English and German for every control, all distinct', () => {
    for (const c of catalogue.controls) {
      expect(c.title.en.length).toBeGreaterThan(3)
      expect(c.title.de.length).toBeGreaterThan(3)
    }
    expect(new Set(catalogue.controls.map((c) => c.title.en)).size).toBe(93)
    expect(new Set(catalogue.controls.map((c) => c.title.de)).size).toBe(93)
  })

  it('refuses a catalogue with a missing or misplaced control', () => {
    const broken = structuredClone(annexA)
    broken.controls.splice(3, 1)
    const fields = annexACatalogueProblems(broken)
    expect(fields.controls).toBe('must list 93 controls, lists 92')
    expect(fields['controls.3.id']).toBe('must be A.5.4 (catalogue order)')
  })
})

describe('TISAX catalogue', () => {
  const catalogue = parseTisaxCatalogue(tisax)

  it('has the VDA ISA 6 control ids per module, unique', () => {
    const ids = catalogue.controls.map((c) => c.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(tisaxControlIds(catalogue, ['information-security'])).toHaveLength(45)
    expect(tisaxControlIds(catalogue, ['prototype-protection'])).toHaveLength(22)
    expect(tisaxControlIds(catalogue, ['data-protection'])).toHaveLength(12)
    expect(catalogue.controls.find((c) => c.id === '3.1.2')?.supersededBy).toEqual([
      '1.6.3',
      '5.2.8',
      '5.2.9',
    ])
    expect(catalogue.chapters.map((c) => c.id)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9'])
  })

  it('has en and de titles and a label validity of 3 years', () => {
    for (const c of catalogue.controls) expect(c.title.en && c.title.de).toBeTruthy()
    expect(catalogue.labelValidityYears).toBe(3)
  })

  it('refuses duplicate ids and a control in the wrong module', () => {
    const broken = structuredClone(tisax)
    broken.controls[1]!.id = broken.controls[0]!.id
    broken.controls[60]!.module = 'data-protection'
    const fields = tisaxCatalogueProblems(broken)
    expect(fields['controls.1.id']).toMatch(/listed twice/)
    expect(fields['controls.60.module']).toMatch(/must be prototype-protection/)
  })
})
