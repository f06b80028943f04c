import { describe, expect, it } from 'vitest'
import { DEFAULT_RISK_MATRIX, heatMap } from '../../../functions/domain/risk/index.js'

const risks = [
  { id: 'r1', likelihood: 4, impact: 5, residualLikelihood: 2, residualImpact: 5 },
  { id: 'r2', likelihood: 4, impact: 5 },
  { id: 'r3', likelihood: 1, impact: 2 },
  { id: 'r4', likelihood: 7, impact: 1 },
]

describe('heatMap', () => {
  it('has one cell per matrix cell, most likely row first', () => {
    const map = heatMap([], DEFAULT_RISK_MATRIX)
    expect(map.cells).toHaveLength(25)
    expect(map.cells[0]).toMatchObject({ likelihood: 5, impact: 1 })
    expect(map.cells[24]).toMatchObject({ likelihood: 1, impact: 5, level: 'medium' })
    expect(map.cells.every((c) => c.count === 0)).toBe(true)
  })

  it('counts inherent positions with ids', () => {
    const map = heatMap(risks, DEFAULT_RISK_MATRIX, 'inherent')
    const cell = map.cells.find((c) => c.likelihood === 4 && c.impact === 5)!
    expect(cell).toMatchObject({ count: 2, riskIds: ['r1', 'r2'], level: 'critical', score: 20 })
    expect(map.outOfScale).toEqual(['r4'])
    expect(map.cells.reduce((n, c) => n + c.count, 0)).toBe(3)
  })

  it('moves treated risks in the residual view and keeps untreated ones where they are', () => {
    const map = heatMap(risks, DEFAULT_RISK_MATRIX, 'residual')
    expect(map.view).toBe('residual')
    expect(map.cells.find((c) => c.likelihood === 4 && c.impact === 5)!.riskIds).toEqual(['r2'])
    expect(map.cells.find((c) => c.likelihood === 2 && c.impact === 5)!).toMatchObject({
      count: 1,
      riskIds: ['r1'],
      level: 'high',
    })
  })
})
