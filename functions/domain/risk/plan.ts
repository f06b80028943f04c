import { z } from 'zod'
import type { FieldErrors } from '../errors.js'
import { type IsoDate, isIsoDate } from './calendar.js'
import { isAnnexAControlId } from './controls.js'
import { throwIfInvalid, zodFieldErrors } from './fields.js'
import { DEFAULT_RISK_MATRIX, type RiskMatrix, scaleErrors, scoreRisk } from './matrix.js'
import type { Risk } from './risk.js'
import type { Text } from './text.js'

/** The four ways to treat a risk (ISO/IEC 27005 wording: modify, retain, share, avoid). */
export const TREATMENT_OPTIONS = ['mitigate', 'accept', 'transfer', 'avoid'] as const

/** A treatment option. */
export type TreatmentOption = (typeof TREATMENT_OPTIONS)[number]

/** Option names, en/de. */
export const TREATMENT_OPTION_NAMES: Record<TreatmentOption, Text> = {
  mitigate: { en: 'Mitigate', de: 'Mindern' },
  accept: { en: 'Accept', de: 'Akzeptieren' },
  transfer: { en: 'Transfer', de: 'Übertragen' },
  avoid: { en: 'Avoid', de: 'Vermeiden' },
}

const dateSchema = z.string().refine(isIsoDate, 'must be a date written YYYY-MM-DD')

/** One measure of a treatment plan; each becomes an implementation task for its owner. */
export const measureSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be a short id of letters, digits, - or _'),
  description: z.string().trim().min(1, 'is required').max(2000, 'must be at most 2000 characters'),
  ownerId: z.string().trim().min(1, 'is required').max(200),
  dueDate: dateSchema,
  costEur: z
    .number('must be a number')
    .min(0, 'must not be negative')
    .max(1e10, 'is too large')
    .refine((n) => Math.round(n * 100) === n * 100, 'has at most two decimals')
    .optional(),
  controlId: z
    .string()
    .refine(isAnnexAControlId, 'is not an ISO/IEC 27001:2022 Annex A control id (A.5.1 … A.8.34)')
    .optional(),
})

/** A measure of a treatment plan. */
export type Measure = z.infer<typeof measureSchema>

/** The shape of a treatment plan; `planProblems` adds the rules that depend on the risk. */
export const treatmentPlanSchema = z.strictObject({
  option: z.enum(TREATMENT_OPTIONS, `must be one of ${TREATMENT_OPTIONS.join(', ')}`),
  measures: z.array(measureSchema).max(50, 'has at most 50 measures').default([]),
  targetLikelihood: z.int('must be a whole number').min(1, 'must be at least 1'),
  targetImpact: z.int('must be a whole number').min(1, 'must be at least 1'),
  justification: z.string().trim().max(5000, 'must be at most 5000 characters').default(''),
})

/** A treatment plan (after defaults). */
export type TreatmentPlan = z.infer<typeof treatmentPlanSchema>

/** Input for `treatmentPlanSchema` (defaults not yet applied). */
export type TreatmentPlanInput = z.input<typeof treatmentPlanSchema>

/** Options for plan validation. */
export interface PlanRuleOptions {
  matrix?: RiskMatrix
  /** When given, measure due dates must not be before it (checked on submission). */
  today?: IsoDate
}

/**
 * Every problem with a plan for `risk`, keyed by field (empty when valid):
 * - shape (`treatmentPlanSchema`), unique measure ids, target values on the matrix's scale;
 * - target likelihood and impact each no higher than the inherent values;
 * - `mitigate`: at least one measure, and the target lower than the inherent risk in likelihood or impact;
 * - `transfer`: at least one measure and a justification (to whom, by which contract or policy);
 * - `avoid`: at least one measure (how the activity is stopped);
 * - `accept`: a justification, no measures, and the target equal to the inherent values (accepting keeps the risk as it is);
 * - measure due dates not before `today` when given.
 */
export function planProblems(
  input: unknown,
  risk: Pick<Risk, 'likelihood' | 'impact'>,
  options: PlanRuleOptions = {},
): FieldErrors {
  const matrix = options.matrix ?? DEFAULT_RISK_MATRIX
  const parsed = treatmentPlanSchema.safeParse(input)
  if (!parsed.success) return zodFieldErrors(parsed.error)
  const plan = parsed.data
  const fields: FieldErrors = {
    ...scaleErrors(plan.targetLikelihood, matrix.likelihood.length, 'targetLikelihood'),
    ...scaleErrors(plan.targetImpact, matrix.impact.length, 'targetImpact'),
  }
  const seen = new Set<string>()
  plan.measures.forEach((m, i) => {
    if (seen.has(m.id)) fields[`measures.${i}.id`] = `"${m.id}" is used by another measure`
    seen.add(m.id)
    if (options.today && m.dueDate < options.today)
      fields[`measures.${i}.dueDate`] = 'must not be in the past'
  })
  if (plan.targetLikelihood > risk.likelihood)
    fields.targetLikelihood ??= `must not exceed the inherent likelihood (${risk.likelihood})`
  if (plan.targetImpact > risk.impact)
    fields.targetImpact ??= `must not exceed the inherent impact (${risk.impact})`
  const needsMeasure = plan.option !== 'accept' && plan.measures.length === 0
  switch (plan.option) {
    case 'mitigate':
      if (needsMeasure) fields.measures = 'a mitigation needs at least one measure'
      if (plan.targetLikelihood >= risk.likelihood && plan.targetImpact >= risk.impact)
        fields.targetLikelihood ??= 'a mitigation must lower the likelihood or the impact'
      break
    case 'transfer':
      if (needsMeasure)
        fields.measures = 'a transfer needs at least one measure (the contract or insurance to arrange)'
      if (!plan.justification) fields.justification = 'say to whom the risk is transferred and how'
      break
    case 'avoid':
      if (needsMeasure)
        fields.measures = 'avoiding a risk needs at least one measure (how the activity is stopped)'
      break
    case 'accept':
      if (!plan.justification) fields.justification = 'an acceptance needs a justification'
      if (plan.measures.length > 0)
        fields.measures = 'an acceptance has no measures; choose mitigate to add some'
      if (plan.targetLikelihood !== risk.likelihood)
        fields.targetLikelihood ??= `an accepted risk keeps its likelihood (${risk.likelihood})`
      if (plan.targetImpact !== risk.impact)
        fields.targetImpact ??= `an accepted risk keeps its impact (${risk.impact})`
      break
  }
  return fields
}

/** Validates a plan for `risk`, throwing a 400 naming each failing field (see `planProblems`). */
export function validatePlan(
  input: unknown,
  risk: Pick<Risk, 'likelihood' | 'impact'>,
  options: PlanRuleOptions = {},
): TreatmentPlan {
  throwIfInvalid(planProblems(input, risk, options), 'The treatment plan has invalid fields.')
  return treatmentPlanSchema.parse(input)
}

/** The plan's target (planned residual) score on `matrix`. */
export function targetScore(
  plan: Pick<TreatmentPlan, 'targetLikelihood' | 'targetImpact'>,
  matrix = DEFAULT_RISK_MATRIX,
) {
  return scoreRisk(plan.targetLikelihood, plan.targetImpact, matrix, {
    likelihood: 'targetLikelihood',
    impact: 'targetImpact',
  })
}

/** The total estimated cost of the plan's measures in euros (measures without an estimate count 0). */
export function planCostEur(plan: Pick<TreatmentPlan, 'measures'>): number {
  return Math.round(plan.measures.reduce((sum, m) => sum + (m.costEur ?? 0), 0) * 100) / 100
}
