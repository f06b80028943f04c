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
  const counted = new Map<string, CellCount>()
  for (const risk of risks) {
    const l = view === 'residual' ? (risk.residualLikelihood ?? risk.likelihood) : risk.likelihood
    const i = view === 'residual' ? (risk.residualImpact ?? risk.impact) : risk.impact
    const key = `${l}#${i}`
    const c = counted.get(key) ?? { cell: key, count: 0, ids: [] }
    c.count++
    c.ids.push(risk.id)
    counted.set(key, c)
  }
  return heatMapOfCells([...counted.values()], matrix, view)
}

/** Risks counted in one cell `<likelihood>#<impact>`: how many, and (some of) their ids. */
export interface CellCount {
  cell: string
  count: number
  ids: string[]
}

/**
 * The heat map of risks already counted per cell (e.g. from the list index's counters): every
 * cell of the matrix with its count and ids; the ids of cells off the matrix's scale are
 * `outOfScale`.
 */
export function heatMapOfCells(
  counted: readonly CellCount[],
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
      index.set(`${l}#${i}`, cell)
    }
  }
  const outOfScale: string[] = []
  for (const c of counted) {
    const cell = index.get(c.cell)
    if (!cell) {
      outOfScale.push(...c.ids)
      continue
    }
    cell.count += c.count
    cell.riskIds.push(...c.ids)
  }
  for (const cell of cells) cell.riskIds.sort(byRiskId)
  outOfScale.sort(byRiskId)
  return { view, rows, columns, cells, outOfScale }
}

/** Register ids by their number (R-2 before R-10), others after them by text. */
const byRiskId = (a: string, b: string) => {
  const na = /^R-(\d+)$/.exec(a)
  const nb = /^R-(\d+)$/.exec(b)
  if (na && nb) return Number(na[1]) - Number(nb[1])
  if (na || nb) return na ? -1 : 1
  return a < b ? -1 : a > b ? 1 : 0
}
