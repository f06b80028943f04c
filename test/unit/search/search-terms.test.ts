import { describe, expect, it } from 'vitest'
import { fold, MAX_TERM, matchesAll, queryWords, termsOf } from '../../../functions/domain/search-terms.js'

describe('fold', () => {
  it('lower-cases and folds accents and ß', () => {
    expect(fold('Überschwemmung im Straßen-Lager, Café')).toBe('uberschwemmung im strassen-lager, cafe')
  })
})

describe('termsOf', () => {
  it('splits into words of at least two characters, once each, in order', () => {
    expect(termsOf('Ransomware on the OT network: a ransomware case', 'A.8.22')).toEqual([
      'ransomware',
      'on',
      'the',
      'ot',
      'network',
      'case',
      '22',
    ])
  })
  it('cuts long words and skips missing texts', () => {
    const [word] = termsOf(undefined, 'Informationssicherheitsmanagementsystem')
    expect(word).toHaveLength(MAX_TERM)
  })
  it('keeps German words with umlauts folded', () => {
    expect(termsOf('Ausfall der Kühlung')).toEqual(['ausfall', 'der', 'kuhlung'])
  })
})

describe('queryWords', () => {
  it('folds the query and drops one-letter words when longer ones exist', () => {
    expect(queryWords('  Kühlung a  AUSFALL ')).toEqual(['kuhlung', 'ausfall'])
  })
  it('keeps a one-letter query', () => {
    expect(queryWords('R')).toEqual(['r'])
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
