import { describe, expect, it } from 'vitest'
import { AppError, ValidationError } from '../../../functions/domain/errors.js'
import {
  contrastRatio,
  DEFAULT_RISK_MATRIX,
  levelRank,
  MIN_CONTRAST,
  parseRiskMatrix,
  type RiskMatrix,
  riskMatrixSchema,
  scoreRisk,
} from '../../../functions/domain/risk/index.js'

function fieldsOf(fn: () => unknown): Record<string, string> {
  try {
    fn()
  } catch (err) {
    if (err instanceof AppError) return err.fields ?? {}
    throw err
  }
  throw new Error('expected an AppError')
}

const clone = (m: RiskMatrix): RiskMatrix => structuredClone(m)

describe('scoreRisk', () => {
  it('multiplies likelihood and impact and finds the band', () => {
    expect(scoreRisk(1, 1).score).toBe(1)
    expect(scoreRisk(1, 1).level).toBe('low')
    expect(scoreRisk(2, 2).level).toBe('low')
    expect(scoreRisk(1, 5).level).toBe('medium')
    expect(scoreRisk(3, 3).level).toBe('medium')
    expect(scoreRisk(2, 5).level).toBe('high')
    expect(scoreRisk(5, 3).level).toBe('high')
    expect(scoreRisk(4, 4)).toMatchObject({ score: 16, level: 'critical', rank: 3 })
    expect(scoreRisk(5, 5).band.name).toEqual({ en: 'Critical', de: 'Kritisch' })
  })

  it('gives every cell of the default matrix exactly one level, rising with the score', () => {
    let last = -1
    const byScore = new Map<number, number>()
    for (let l = 1; l <= 5; l++)
      for (let i = 1; i <= 5; i++) {
        const s = scoreRisk(l, i)
        byScore.set(s.score, s.rank)
      }
    for (const score of [...byScore.keys()].sort((a, b) => a - b)) {
      expect(byScore.get(score)!).toBeGreaterThanOrEqual(last)
      last = byScore.get(score)!
    }
  })

  it('names the field when a value is off the scale', () => {
    expect(fieldsOf(() => scoreRisk(0, 3))).toEqual({ likelihood: 'must be a whole number from 1 to 5' })
    expect(fieldsOf(() => scoreRisk(3, 6))).toEqual({ impact: 'must be a whole number from 1 to 5' })
    expect(fieldsOf(() => scoreRisk(2.5, 9))).toEqual({
      likelihood: 'must be a whole number from 1 to 5',
      impact: 'must be a whole number from 1 to 5',
    })
    expect(
      fieldsOf(() =>
        scoreRisk(6, 1, DEFAULT_RISK_MATRIX, { likelihood: 'targetLikelihood', impact: 'targetImpact' }),
      ),
    ).toHaveProperty('targetLikelihood')
  })

  it('answers a 400 validation error', () => {
    try {
      scoreRisk(0, 0)
    } catch (err) {
      expect(err).toBeInstanceOf(AppError)
      expect(err).toBeInstanceOf(ValidationError)
    }
  })

  it('uses a grid when the matrix has one', () => {
    const m = clone(DEFAULT_RISK_MATRIX)
    m.likelihood = m.likelihood.slice(0, 3)
    m.impact = m.impact.slice(0, 3)
    m.levels = m.levels.slice(0, 3).map(({ minScore, maxScore, ...rest }) => rest)
    m.grid = [
      ['low', 'low', 'medium'],
      ['low', 'medium', 'high'],
      ['medium', 'high', 'high'],
    ]
    expect(parseRiskMatrix(m)).toBeTruthy()
    expect(scoreRisk(1, 3, m).level).toBe('medium')
    expect(scoreRisk(3, 2, m).level).toBe('high')
    expect(fieldsOf(() => scoreRisk(4, 1, m))).toEqual({ likelihood: 'must be a whole number from 1 to 3' })
  })
})

describe('riskMatrixSchema', () => {
  it('accepts the default matrix', () => {
    expect(riskMatrixSchema.safeParse(DEFAULT_RISK_MATRIX).success).toBe(true)
  })

  it('meets the contrast minimum for every default level', () => {
    for (const band of DEFAULT_RISK_MATRIX.levels)
      expect(contrastRatio(band.color, band.textColor)).toBeGreaterThanOrEqual(MIN_CONTRAST)
  })

  it('refuses gaps, overlaps and a short last band, naming the field', () => {
    const gap = clone(DEFAULT_RISK_MATRIX)
    gap.levels[1]!.minScore = 6
    expect(fieldsOf(() => parseRiskMatrix(gap))).toHaveProperty(['matrix.levels.1.minScore'])

    const overlap = clone(DEFAULT_RISK_MATRIX)
    overlap.levels[2]!.minScore = 9
    expect(fieldsOf(() => parseRiskMatrix(overlap))).toHaveProperty(['matrix.levels.2.minScore'])

    const short = clone(DEFAULT_RISK_MATRIX)
    short.levels[3]!.maxScore = 20
    expect(fieldsOf(() => parseRiskMatrix(short))).toEqual({
      'matrix.levels.3.maxScore': 'must be 25, the highest possible score',
    })
  })

  it('refuses poor contrast, naming the text colour', () => {
    const m = clone(DEFAULT_RISK_MATRIX)
    m.levels[1]!.textColor = '#ffffff'
    const fields = fieldsOf(() => parseRiskMatrix(m))
    expect(fields['matrix.levels.1.textColor']).toMatch(/needs at least 4.5:1/)
  })

  it('refuses misnumbered steps, duplicate ids, unknown grid ids and missing labels', () => {
    const m = clone(DEFAULT_RISK_MATRIX)
    m.impact[2]!.value = 4
    m.levels[1]!.id = 'low'
    m.likelihood[0]!.label.de = ''
    const fields = fieldsOf(() => parseRiskMatrix(m))
    expect(fields).toHaveProperty(['matrix.impact.2.value'])
    expect(fields).toHaveProperty(['matrix.levels.1.id'])
    expect(fields).toHaveProperty(['matrix.likelihood.0.label.de'])

    const g = clone(DEFAULT_RISK_MATRIX)
    g.grid = Array.from({ length: 5 }, () => ['low', 'low', 'low', 'low', 'extreme'])
    expect(fieldsOf(() => parseRiskMatrix(g))).toHaveProperty(['matrix.grid.0.4'])
  })

  it('ranks levels from least to most severe', () => {
    expect(levelRank('low')).toBe(0)
    expect(levelRank('critical')).toBe(3)
    expect(levelRank('extreme')).toBe(-1)
  })
})
