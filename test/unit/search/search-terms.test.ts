import { describe, expect, it } from 'vitest'
import {
  fold,
  MAX_TERM,
  MAX_TERMS,
  matchesAll,
  queryWords,
  termsOf,
} from '../../../functions/domain/search-terms.js'

describe('fold', () => {
  it('lower-cases and folds accents and ß', () => {
    expect(fold('Überschwemmung im Straßen-Lager, Café')).toBe('uberschwemmung im strassen-lager, cafe')
  })
})

describe('termsOf', () => {
  it('splits into words of at least two characters, once each, in order, without stop words', () => {
    expect(termsOf('Ransomware on the OT network: a ransomware case', 'A.8.22')).toEqual([
      'ransomware',
      'ot',
      'network',
      'case',
      '22',
      'a822',
    ])
  })
  it('keeps a token joined by punctuation also as one word (ids, hyphenated spellings)', () => {
    expect(termsOf('R-12 E-Mail-Phishing, INC-2026-0A1B')).toEqual([
      '12',
      'r12',
      'mail',
      'phishing',
      'emailphishing',
      'inc',
      '2026',
      '0a1b',
      'inc20260a1b',
    ])
  })
  it(`writes at most ${MAX_TERMS} words, so a record's change fits one transaction`, () => {
    const long = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ')
    expect(termsOf(long)).toHaveLength(MAX_TERMS)
    expect(2 * MAX_TERMS + 2 + 2 * 2).toBeLessThanOrEqual(100)
  })
  it('cuts long words and skips missing texts', () => {
    const [word] = termsOf(undefined, 'Informationssicherheitsmanagementsystem')
    expect(word).toHaveLength(MAX_TERM)
  })
  it('keeps German words with umlauts folded', () => {
    expect(termsOf('Ausfall der Kühlung')).toEqual(['ausfall', 'kuhlung'])
  })
})

describe('queryWords', () => {
  it('folds the query and drops one-letter words when longer ones exist', () => {
    expect(queryWords('  Kühlung a  AUSFALL ')).toEqual(['kuhlung', 'ausfall'])
  })
  it('drops stop words unless the query has nothing else', () => {
    expect(queryWords('the Ausfall der Kühlung')).toEqual(['ausfall', 'kuhlung'])
    expect(queryWords('Über')).toEqual(['uber'])
    expect(queryWords('the')).toEqual(['the'])
    expect(matchesAll(queryWords('the'), termsOf('Theft of laptops'))).toBe(true)
  })
  it('keeps a one-letter query', () => {
    expect(queryWords('R')).toEqual(['r'])
  })
  it('looks up a token with inner punctuation as one word', () => {
    expect(queryWords('A.8.13')).toEqual(['a813'])
    expect(queryWords('e-mail R-12 backup.')).toEqual(['email', 'r12', 'backup'])
    expect(matchesAll(queryWords('A.8'), termsOf('A.8.13'))).toBe(true)
    expect(matchesAll(queryWords('e-mail'), termsOf('Phishing per E-Mail'))).toBe(true)
    expect(matchesAll(queryWords('e-mail'), termsOf('Phishing per email'))).toBe(true)
  })
  it('looks up at most five words', () => {
    expect(queryWords('aa bb cc dd ee ff')).toEqual(['aa', 'bb', 'cc', 'dd', 'ee'])
  })
  it('answers no words for punctuation only', () => {
    expect(queryWords('?! -')).toEqual([])
  })
})

describe('matchesAll', () => {
  it('needs every query word to begin some term', () => {
    const terms = termsOf('Ransomware on the OT network')
    expect(matchesAll(['ransom', 'net'], terms)).toBe(true)
    expect(matchesAll(['ransom', 'flood'], terms)).toBe(false)
  })
})
