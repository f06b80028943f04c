import { DEFAULT_RISK_MATRIX, type RiskMatrix, scoreRisk } from './matrix.js'
import type { Risk } from './risk.js'

/** Which values a heat map places: before treatment, or the achieved residual (inherent until verified). */
export type HeatMapView = 'inherent' | 'residual'

/** One cell of a heat map. */
export interface HeatMapCell {
  likelihood: number
  impact: number
  score: number
  level: string
  color: string
  textColor: string
  count: number
  riskIds: string[]
}

/** A heat map: every cell of the matrix (most likely row first, impact ascending within a row). */
export interface HeatMap {
  view: HeatMapView
  rows: number
  columns: number
  cells: HeatMapCell[]
  /** Ids of risks whose values are not on the matrix's scale (e.g. after the scale was shortened). */
  outOfScale: string[]
}

/** The values a heat map needs from a risk. */
export type HeatMapRisk = Pick<Risk, 'id' | 'likelihood' | 'impact' | 'residualLikelihood' | 'residualImpact'>

/**
 * Places risks on the matrix. `residual` uses the achieved residual values and falls back to the
 * inherent ones for risks not yet treated. Closed risks should be filtered out by the caller.
 */
export function heatMap(
  risks: readonly HeatMapRisk[],
  matrix: RiskMatrix = DEFAULT_RISK_MATRIX,
  view: HeatMapView = 'inherent',
): HeatMap {
  const rows = matrix.likelihood.length
  const columns = matrix.impact.length
  const cells: HeatMapCell[] = []
  const index = new Map<string, HeatMapCell>()
  for (let l = rows; l >= 1; l--) {
    for (let i = 1; i <= columns; i++) {
      const s = scoreRisk(l, i, matrix)
      const cell = {
        likelihood: l,
        impact: i,
        score: s.score,
        level: s.level,
        color: s.band.color,
        textColor: s.band.textColor,
        count: 0,
        riskIds: [] as string[],
      }
      cells.push(cell)
      index.set(`${l}/${i}`, cell)
    }
  }
  const outOfScale: string[] = []
  for (const risk of risks) {
    const l = view === 'residual' ? (risk.residualLikelihood ?? risk.likelihood) : risk.likelihood
    const i = view === 'residual' ? (risk.residualImpact ?? risk.impact) : risk.impact
    const cell = index.get(`${l}/${i}`)
    if (!cell) {
      outOfScale.push(risk.id)
      continue
    }
    cell.count++
    cell.riskIds.push(risk.id)
  }
  return { view, rows, columns, cells, outOfScale }
}
