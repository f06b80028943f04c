import { describe, expect, it } from 'vitest'
import { cardsFor } from '../../../functions/domain/dashboard.js'

describe('cardsFor', () => {
  it('gives each role its cards in page order', () => {
    expect(cardsFor(['iso'])).toEqual(['due', 'certification', 'incidents', 'risks', 'activity'])
    expect(cardsFor(['management'])).toEqual(['waiting', 'certification', 'incidents', 'risks'])
    expect(cardsFor(['auditor'])).toEqual(['certification', 'reading'])
    expect(cardsFor(['member'])).toEqual(['waiting', 'report'])
  })

  it('gives several roles the union, each card once', () => {
    expect(cardsFor(['iso', 'management'])).toEqual([
      'waiting',
      'due',
      'certification',
      'incidents',
      'risks',
      'activity',
    ])
    expect(cardsFor(['member', 'management', 'member'])).toEqual([
      'waiting',
      'certification',
      'incidents',
      'risks',
      'report',
    ])
  })

  it('gives no cards without a known role', () => {
    expect(cardsFor([])).toEqual([])
    expect(cardsFor(['visitor'])).toEqual([])
  })
})
