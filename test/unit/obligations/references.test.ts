import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { refText } from '../../../functions/domain/obligations/references.js'

/** Every legal reference the rules write (string literals naming a law). */
function referencesInRules(): string[] {
  const dir = 'functions/domain/obligations'
  const refs = new Set<string>()
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'references.ts')) {
    const source = readFileSync(`${dir}/${file}`, 'utf8')
    for (const m of source.matchAll(
      /ref: '([^']+)'|'((?:GDPR|BDSG|BSIG|NIS2|EU recommendation|BSI-KritisV|Regulation) [^']*)'/g,
    ))
      refs.add(m[1] ?? m[2])
  }
  // Prose (the sources of the rules) has its own German text.
  return [...refs].filter((r) => !/as amended|in der Fassung/.test(r))
}

describe('legal references in German', () => {
  it('writes the examples in German citation form', () => {
    expect(refText('GDPR Art. 37(1)(c)', 'de')).toBe('Art. 37 Abs. 1 lit. c DSGVO')
    expect(refText('BDSG §38(1) sentence 1', 'de')).toBe('§ 38 Abs. 1 Satz 1 BDSG')
    expect(refText('EU recommendation 2003/361/EC', 'de')).toBe('Empfehlung 2003/361/EG')
    expect(refText('BSIG §30(2) Nr 1; NIS2 Art. 21(2)(a)', 'de')).toBe(
      '§ 30 Abs. 2 Nr. 1 BSIG; Art. 21 Abs. 2 lit. a NIS-2-Richtlinie',
    )
    expect(refText('NIS2 Art. 2(2)(a)(ii)-(iii), Art. 3(1)(b)', 'de')).toBe(
      'Art. 2 Abs. 2 lit. a Ziff. ii–iii, Art. 3 Abs. 1 lit. b NIS-2-Richtlinie',
    )
    expect(refText('BSIG §28(5); TKG §165, §168', 'de')).toBe('§ 28 Abs. 5 BSIG; § 165, § 168 TKG')
    expect(refText('BSIG §28(6); Regulation (EU) 2022/2554 (DORA)', 'de')).toBe(
      '§ 28 Abs. 6 BSIG; Verordnung (EU) 2022/2554 (DORA)',
    )
  })

  it('keeps English as the rules write it', () => {
    expect(refText('GDPR Art. 37(1)(c)', 'en')).toBe('GDPR Art. 37(1)(c)')
  })

  it('gives every reference of the rules a German rendering without English words', () => {
    const refs = referencesInRules()
    expect(refs.length).toBeGreaterThan(40)
    for (const ref of refs) {
      const de = refText(ref, 'de')
      expect(de, ref).not.toMatch(
        /\b(GDPR|sentence|Annex|recommendation|Regulation|and|state law|Handbook|availability|assessment objectives)\b|\bNr \d|\(\d+\)/,
      )
    }
  })
})
