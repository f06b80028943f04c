import { z } from 'zod'
import { validationError } from '../errors.js'
import { contrastRatio, isHexColour } from './contrast.js'
import { parseOrThrow } from './fields.js'
import { type Text, textSchema } from './text.js'

/** The least contrast between a level's colour and its text colour (WCAG AA for normal text). */
export const MIN_CONTRAST = 4.5

/** One step of a likelihood or impact scale: its value (1, 2, …) and its label. */
export interface ScaleStep {
  value: number
  label: Text
  description?: Text
}

/**
 * A risk level band, ordered from least to most severe in `RiskMatrix.levels`. With score bands,
 * a score `s` (likelihood × impact) belongs to the band with `minScore ≤ s ≤ maxScore`.
 */
export interface LevelBand {
  id: string
  name: Text
  minScore?: number
  maxScore?: number
  /** Background colour, `#rrggbb`. */
  color: string
  /** Text colour on `color`, `#rrggbb`, with contrast of at least 4.5:1. */
  textColor: string
}

/**
 * A configurable risk matrix. The score is likelihood × impact; the level comes from `grid`
 * when given (`grid[likelihood - 1][impact - 1]` is a level id), otherwise from the score bands.
 * `levels` are ordered from least to most severe; that order is what "within appetite" and
 * "target cannot exceed inherent" compare.
 */
export interface RiskMatrix {
  likelihood: ScaleStep[]
  impact: ScaleStep[]
  levels: LevelBand[]
  grid?: string[][]
}

/** The outcome of scoring a likelihood and an impact on a matrix. */
export interface RiskScore {
  likelihood: number
  impact: number
  /** likelihood × impact */
  score: number
  /** The level id, e.g. `high`. */
  level: string
  /** The level's position in `matrix.levels`, 0 = least severe. */
  rank: number
  /** The level band itself (name, colours). */
  band: LevelBand
}

const stepSchema = z.strictObject({
  value: z.int('must be a whole number').min(1, 'must be at least 1'),
  label: textSchema(60),
  description: textSchema(300).optional(),
})

const colourSchema = z.string().refine(isHexColour, 'must be a colour written #rrggbb')

const bandSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'must be a short lower-case id such as "high"'),
  name: textSchema(40),
  minScore: z.int('must be a whole number').min(1, 'must be at least 1').optional(),
  maxScore: z.int('must be a whole number').min(1, 'must be at least 1').optional(),
  color: colourSchema,
  textColor: colourSchema,
})

/**
 * Schema for a risk matrix, shape and meaning: scales numbered 1 … n (2 ≤ n ≤ 10), unique level
 * ids, colour contrast of at least 4.5:1, and either a complete grid of known level ids or score
 * bands that cover 1 … (max likelihood × max impact) without gaps or overlaps. Errors name the field.
 */
export const riskMatrixSchema = z
  .strictObject({
    likelihood: z.array(stepSchema).min(2, 'needs at least 2 steps').max(10, 'has at most 10 steps'),
    impact: z.array(stepSchema).min(2, 'needs at least 2 steps').max(10, 'has at most 10 steps'),
    levels: z.array(bandSchema).min(2, 'needs at least 2 levels').max(8, 'has at most 8 levels'),
    grid: z.array(z.array(z.string())).optional(),
  })
  .superRefine((m, ctx) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message })
    for (const axis of ['likelihood', 'impact'] as const) {
      m[axis].forEach((step, i) => {
        if (step.value !== i + 1)
          issue([axis, i, 'value'], `must be ${i + 1} (steps are numbered 1, 2, 3, … in order)`)
      })
    }
    const ids = new Set<string>()
    m.levels.forEach((band, i) => {
      if (ids.has(band.id)) issue(['levels', i, 'id'], `"${band.id}" is used twice`)
      ids.add(band.id)
      if (isHexColour(band.color) && isHexColour(band.textColor)) {
        const ratio = contrastRatio(band.color, band.textColor)
        if (ratio < MIN_CONTRAST)
          issue(
            ['levels', i, 'textColor'],
            `contrast with color is ${ratio.toFixed(2)}:1; needs at least ${MIN_CONTRAST}:1`,
          )
      }
    })
    const maxScore = m.likelihood.length * m.impact.length
    if (m.grid) {
      if (m.grid.length !== m.likelihood.length)
        issue(['grid'], `needs one row per likelihood step (${m.likelihood.length})`)
      m.grid.forEach((row, l) => {
        if (row.length !== m.impact.length)
          issue(['grid', l], `needs one cell per impact step (${m.impact.length})`)
        row.forEach((id, i) => {
          if (!ids.has(id)) issue(['grid', l, i], `"${id}" is not one of the levels`)
        })
      })
      return
    }
    let next = 1
    m.levels.forEach((band, i) => {
      if (band.minScore === undefined || band.maxScore === undefined) {
        issue(
          ['levels', i, band.minScore === undefined ? 'minScore' : 'maxScore'],
          'is required without a grid',
        )
        return
      }
      if (band.minScore !== next)
        issue(['levels', i, 'minScore'], `must be ${next} so that the bands have no gaps or overlaps`)
      if (band.maxScore < band.minScore) issue(['levels', i, 'maxScore'], 'must not be below minScore')
      next = band.maxScore + 1
    })
    const last = m.levels.at(-1)
    if (last?.maxScore !== undefined && last.maxScore !== maxScore)
      issue(['levels', m.levels.length - 1, 'maxScore'], `must be ${maxScore}, the highest possible score`)
  })

/** Validates a matrix, throwing a 400 naming each failing field under `matrix.`. */
export function parseRiskMatrix(input: unknown): RiskMatrix {
  return parseOrThrow(riskMatrixSchema, input, 'matrix')
}

const step = (value: number, en: string, de: string): ScaleStep => ({ value, label: { en, de } })

/**
 * The default 5 × 5 matrix: likelihood rare … almost certain, impact negligible … severe; levels
 * low (1–4), medium (5–9), high (10–15), critical (16–25), colours with at least 4.5:1 contrast.
 */
export const DEFAULT_RISK_MATRIX: RiskMatrix = {
  likelihood: [
    step(1, 'Rare', 'Selten'),
    step(2, 'Unlikely', 'Unwahrscheinlich'),
    step(3, 'Possible', 'Möglich'),
    step(4, 'Likely', 'Wahrscheinlich'),
    step(5, 'Almost certain', 'Fast sicher'),
  ],
  impact: [
    step(1, 'Negligible', 'Vernachlässigbar'),
    step(2, 'Minor', 'Gering'),
    step(3, 'Moderate', 'Mittel'),
    step(4, 'Major', 'Erheblich'),
    step(5, 'Severe', 'Existenzbedrohend'),
  ],
  levels: [
    {
      id: 'low',
      name: { en: 'Low', de: 'Niedrig' },
      minScore: 1,
      maxScore: 4,
      color: '#1a7f37',
      textColor: '#ffffff',
    },
    {
      id: 'medium',
      name: { en: 'Medium', de: 'Mittel' },
      minScore: 5,
      maxScore: 9,
      color: '#f5c518',
      textColor: '#1f2328',
    },
    {
      id: 'high',
      name: { en: 'High', de: 'Hoch' },
      minScore: 10,
      maxScore: 15,
      color: '#bc4c00',
      textColor: '#ffffff',
    },
    {
      id: 'critical',
      name: { en: 'Critical', de: 'Kritisch' },
      minScore: 16,
      maxScore: 25,
      color: '#a40e26',
      textColor: '#ffffff',
    },
  ],
}

/** Field names used in scoring errors, so a plan can report `targetLikelihood` instead of `likelihood`. */
export interface ScoreFieldNames {
  likelihood: string
  impact: string
}

/**
 * Scores a likelihood and an impact on `matrix`. Throws a 400 naming the field when a value is
 * not a whole number on the matrix's scale.
 *
 * @example scoreRisk(4, 3, DEFAULT_RISK_MATRIX) // { score: 12, level: 'high', rank: 2, … }
 */
export function scoreRisk(
  likelihood: number,
  impact: number,
  matrix: RiskMatrix = DEFAULT_RISK_MATRIX,
  fields: ScoreFieldNames = { likelihood: 'likelihood', impact: 'impact' },
): RiskScore {
  const errors = {
    ...scaleErrors(likelihood, matrix.likelihood.length, fields.likelihood),
    ...scaleErrors(impact, matrix.impact.length, fields.impact),
  }
  if (Object.keys(errors).length > 0) throw validationError(errors, 'The score is outside the risk matrix.')
  const score = likelihood * impact
  const rank = matrix.grid
    ? matrix.levels.findIndex((b) => b.id === matrix.grid![likelihood - 1]![impact - 1])
    : matrix.levels.findIndex(
        (b) => score >= (b.minScore ?? Number.POSITIVE_INFINITY) && score <= (b.maxScore ?? 0),
      )
  if (rank < 0)
    throw new Error(`risk matrix has no level for score ${score}; validate it with parseRiskMatrix`)
  const band = matrix.levels[rank]!
  return { likelihood, impact, score, level: band.id, rank, band }
}

/** The error for a value outside a 1 … `max` scale, keyed by `field`, or nothing. */
export function scaleErrors(value: unknown, max: number, field: string): Record<string, string> {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max)
    return { [field]: `must be a whole number from 1 to ${max}` }
  return {}
}

/** The position of a level id in `matrix.levels` (0 = least severe), or -1 when unknown. */
export function levelRank(levelId: string, matrix: RiskMatrix = DEFAULT_RISK_MATRIX): number {
  return matrix.levels.findIndex((b) => b.id === levelId)
}
