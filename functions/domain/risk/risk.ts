import { z } from 'zod'
import type { FieldErrors } from '../errors.js'
import { isAnnexAControlId } from './controls.js'
import { throwIfInvalid, zodFieldErrors } from './fields.js'
import { DEFAULT_RISK_MATRIX, type RiskMatrix, type RiskScore, scaleErrors, scoreRisk } from './matrix.js'
import type { Text } from './text.js'

/** Risk categories offered by the register. */
export const RISK_CATEGORIES = [
  'information-security',
  'cyber',
  'operational',
  'supplier',
  'personnel',
  'physical',
  'privacy',
  'compliance',
  'business-continuity',
  'other',
] as const

/** A risk category id. */
export type RiskCategory = (typeof RISK_CATEGORIES)[number]

/** Category names, en/de. */
export const RISK_CATEGORY_NAMES: Record<RiskCategory, Text> = {
  'information-security': { en: 'Information security', de: 'Informationssicherheit' },
  cyber: { en: 'Cyber attack', de: 'Cyberangriff' },
  operational: { en: 'Operations', de: 'Betrieb' },
  supplier: { en: 'Suppliers', de: 'Lieferanten' },
  personnel: { en: 'People', de: 'Personal' },
  physical: { en: 'Physical and environmental', de: 'Physisch und Umgebung' },
  privacy: { en: 'Personal data', de: 'Personenbezogene Daten' },
  compliance: { en: 'Legal and compliance', de: 'Recht und Compliance' },
  'business-continuity': { en: 'Business continuity', de: 'Geschäftsfortführung' },
  other: { en: 'Other', de: 'Sonstiges' },
}

/**
 * Where a risk stands. `identified` → `assessed` → `treatment-planned` → `in-approval` →
 * `approved` (measures running) → `treated`; or `accepted` (with an expiry); `closed` when it no
 * longer exists.
 */
export const RISK_STATUSES = [
  'identified',
  'assessed',
  'treatment-planned',
  'in-approval',
  'approved',
  'treated',
  'accepted',
  'closed',
] as const

/** A risk status. */
export type RiskStatus = (typeof RISK_STATUSES)[number]

/** Status names, en/de. */
export const RISK_STATUS_NAMES: Record<RiskStatus, Text> = {
  identified: { en: 'Identified', de: 'Identifiziert' },
  assessed: { en: 'Assessed', de: 'Bewertet' },
  'treatment-planned': { en: 'Treatment planned', de: 'Behandlung geplant' },
  'in-approval': { en: 'Awaiting approval', de: 'In Freigabe' },
  approved: { en: 'Treatment approved', de: 'Behandlung freigegeben' },
  treated: { en: 'Treated', de: 'Behandelt' },
  accepted: { en: 'Accepted', de: 'Akzeptiert' },
  closed: { en: 'Closed', de: 'Geschlossen' },
}

/** An obligation reference such as `nis2.30.2.a` (lower-case segments separated by dots). */
export const OBLIGATION_REF = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/

const shortText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`)

/**
 * The fields a person edits on a risk (create and update bodies). Likelihood and impact are
 * checked here as whole numbers ≥ 1; whether they fit the organisation's matrix is checked by
 * `validateRisk`.
 */
export const riskFieldsSchema = z.strictObject({
  title: shortText(200).min(1, 'is required'),
  description: shortText(5000).default(''),
  category: z.enum(RISK_CATEGORIES, `must be one of ${RISK_CATEGORIES.join(', ')}`),
  assets: z.array(shortText(200).min(1, 'must not be empty')).max(100, 'has at most 100 entries').default([]),
  threat: shortText(2000).default(''),
  vulnerability: shortText(2000).default(''),
  ownerId: z.string().trim().min(1, 'is required').max(200),
  likelihood: z.int('must be a whole number').min(1, 'must be at least 1'),
  impact: z.int('must be a whole number').min(1, 'must be at least 1'),
  status: z.enum(RISK_STATUSES, `must be one of ${RISK_STATUSES.join(', ')}`).default('identified'),
  controlIds: z
    .array(
      z
        .string()
        .refine(isAnnexAControlId, 'is not an ISO/IEC 27001:2022 Annex A control id (A.5.1 … A.8.34)'),
    )
    .max(93)
    .default([]),
  obligationRefs: z
    .array(z.string().regex(OBLIGATION_REF, 'must look like nis2.30.2.a'))
    .max(100)
    .default([]),
})

/** The editable fields of a risk (after defaults). */
export type RiskFields = z.infer<typeof riskFieldsSchema>

/** Input for `riskFieldsSchema` (defaults not yet applied). */
export type RiskFieldsInput = z.input<typeof riskFieldsSchema>

/**
 * A risk in the register: its editable fields, its id and, once a treatment has been verified,
 * the achieved residual likelihood and impact.
 */
export interface Risk extends RiskFields {
  id: string
  residualLikelihood?: number
  residualImpact?: number
}

/**
 * Problems with risk fields against `matrix`, keyed by field (empty when valid): the schema's
 * shape rules plus likelihood and impact on the matrix's scale. (Residual values are not edited
 * here; the verification step sets them, see `residualProblems`.)
 */
export function riskProblems(input: unknown, matrix: RiskMatrix = DEFAULT_RISK_MATRIX): FieldErrors {
  const parsed = riskFieldsSchema.safeParse(input)
  const fields: FieldErrors = parsed.success ? {} : zodFieldErrors(parsed.error)
  const raw = (input ?? {}) as Record<string, unknown>
  if (!fields.likelihood)
    Object.assign(fields, scaleErrors(raw.likelihood, matrix.likelihood.length, 'likelihood'))
  if (!fields.impact) Object.assign(fields, scaleErrors(raw.impact, matrix.impact.length, 'impact'))
  return fields
}

/**
 * Problems with the achieved residual values the ISO sets when verifying a treatment: both
 * required, on the matrix's scale, and neither above the risk's inherent value.
 */
export function residualProblems(
  input: { residualLikelihood?: unknown; residualImpact?: unknown },
  risk: Pick<Risk, 'likelihood' | 'impact'>,
  matrix: RiskMatrix = DEFAULT_RISK_MATRIX,
): FieldErrors {
  const fields: FieldErrors = {
    ...scaleErrors(input.residualLikelihood, matrix.likelihood.length, 'residualLikelihood'),
    ...scaleErrors(input.residualImpact, matrix.impact.length, 'residualImpact'),
  }
  if (!fields.residualLikelihood && (input.residualLikelihood as number) > risk.likelihood)
    fields.residualLikelihood = `must not exceed the inherent likelihood (${risk.likelihood})`
  if (!fields.residualImpact && (input.residualImpact as number) > risk.impact)
    fields.residualImpact = `must not exceed the inherent impact (${risk.impact})`
  return fields
}

/** Validates risk fields against `matrix`, throwing a 400 naming each failing field. */
export function validateRisk(input: unknown, matrix: RiskMatrix = DEFAULT_RISK_MATRIX): RiskFields {
  throwIfInvalid(riskProblems(input, matrix), 'The risk has invalid fields.')
  return riskFieldsSchema.parse(input)
}

/** The inherent score of a risk (its likelihood and impact before treatment). */
export function inherentScore(
  risk: Pick<Risk, 'likelihood' | 'impact'>,
  matrix: RiskMatrix = DEFAULT_RISK_MATRIX,
): RiskScore {
  return scoreRisk(risk.likelihood, risk.impact, matrix)
}

/**
 * The residual score: the achieved residual values once a treatment has been verified, otherwise
 * the inherent values (an untreated risk is still as large as it was).
 */
export function residualScore(
  risk: Pick<Risk, 'likelihood' | 'impact' | 'residualLikelihood' | 'residualImpact'>,
  matrix: RiskMatrix = DEFAULT_RISK_MATRIX,
): RiskScore {
  return scoreRisk(risk.residualLikelihood ?? risk.likelihood, risk.residualImpact ?? risk.impact, matrix, {
    likelihood: 'residualLikelihood',
    impact: 'residualImpact',
  })
}
