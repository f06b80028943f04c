/** What the API answers about the risk register: scores and register rows. */
import { z } from 'zod'
import { appetiteSchema } from '../risk/decisions.js'
import { riskMatrixSchema } from '../risk/matrix.js'
import { TREATMENT_OPTIONS } from '../risk/plan.js'
import { RISK_CATEGORIES, RISK_STATUSES } from '../risk/risk.js'
import { dateTimeSchema, localizedSchema } from './common.js'

/** A score with its level name and colours. */
export const scoreViewSchema = z.object({
  likelihood: z.number().int(),
  impact: z.number().int(),
  score: z.number().int(),
  level: z.string(),
  rank: z.number().int(),
  name: localizedSchema,
  color: z.string(),
  textColor: z.string(),
})

/** A score as the API answers it. */
export type Score = z.infer<typeof scoreViewSchema>

/** One row of the register: inherent, residual and target scores (absent when off the matrix). */
export const riskRowSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  title: z.string(),
  category: z.enum(RISK_CATEGORIES),
  status: z.enum(RISK_STATUSES),
  ownerId: z.string(),
  ownerName: z.string(),
  assets: z.array(z.string()),
  likelihood: z.number().int(),
  impact: z.number().int(),
  inherent: scoreViewSchema.optional(),
  residual: scoreViewSchema.optional(),
  target: scoreViewSchema.optional(),
  withinAppetite: z.boolean().optional(),
  option: z.enum(TREATMENT_OPTIONS).nullable(),
  measures: z.object({ total: z.number().int(), done: z.number().int() }),
  approvalOutdated: z.boolean(),
  pendingRound: z.number().int().nullable(),
  acceptanceExpiresOn: z.string().nullable(),
  updatedAt: dateTimeSchema,
})

/** One row of the risk register. */
export type RiskRow = z.infer<typeof riskRowSchema>

/** `GET /api/risks`: the filtered, sorted register with the matrix and appetite it was scored on. */
export const riskListSchema = z.object({
  items: z.array(riskRowSchema),
  /** How many risks the register lists under the filters (the page holds `items`). */
  total: z.number().int(),
  /** Where the next page begins (the query's `cursor`); absent on the last page. */
  cursor: z.string().optional(),
  matrix: riskMatrixSchema,
  appetite: appetiteSchema,
})

/** `GET /api/risks`. */
export type RiskList = z.infer<typeof riskListSchema>

/** One cell of a heat map: its values, level colours and the risks in it. */
export const heatMapCellSchema = z.object({
  likelihood: z.number().int(),
  impact: z.number().int(),
  score: z.number().int(),
  level: z.string(),
  color: z.string(),
  textColor: z.string(),
  count: z.number().int(),
  /** The ids of the risks in the cell, by id (for the whole register the first 20; `count` is exact). */
  riskIds: z.array(z.string()),
})

/** A heat map: every cell of the matrix (most likely row first, impact ascending within a row). */
export const heatMapSchema = z.object({
  view: z.enum(['inherent', 'residual']),
  rows: z.number().int(),
  columns: z.number().int(),
  cells: z.array(heatMapCellSchema),
  /** Ids of risks whose values are not on the matrix's scale. */
  outOfScale: z.array(z.string()),
})

/** `GET /api/risks/heatmap`: inherent and residual heat maps of the open risks. */
export const heatMapsSchema = z.object({
  matrix: riskMatrixSchema,
  inherent: heatMapSchema,
  residual: heatMapSchema,
  total: z.number().int(),
})

/** `GET /api/risks/heatmap`. */
export type HeatMapsView = z.infer<typeof heatMapsSchema>

/** `GET /api/risks/settings`: the matrix, the appetite, who may accept above it, and management. */
export const riskSettingsSchema = z.object({
  matrix: riskMatrixSchema,
  appetite: appetiteSchema,
  /** Management members allowed to accept a residual risk above the appetite. */
  acceptAboveAppetite: z.array(z.string()),
  /** 0 while the defaults apply. */
  version: z.number().int(),
  management: z.array(z.object({ userId: z.string(), name: z.string(), roles: z.array(z.string()) })),
})

/** `GET /api/risks/settings`. */
export type SettingsView = z.infer<typeof riskSettingsSchema>
