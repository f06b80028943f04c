import { z } from 'zod'
import type { FieldErrors } from '../errors.js'
import { addDays, addMonths, type IsoDate } from './calendar.js'
import { throwIfInvalid, zodFieldErrors } from './fields.js'
import { DEFAULT_RISK_MATRIX, levelRank, type RiskMatrix, type RiskScore } from './matrix.js'
import type { Text } from './text.js'

/** An organisation's risk appetite: the highest level any management member may accept, and for how long. */
export interface RiskAppetite {
  /** A level id of the organisation's matrix, e.g. `medium`. */
  maxAcceptableLevel: string
  /** How long an acceptance holds before it must be approved again (default 12). */
  acceptanceMonths: number
  /** How many days before expiry the re-approval round opens (default 30). */
  reapprovalLeadDays: number
}

/** Default appetite: up to `medium`, acceptances valid 12 months, re-approval 30 days before expiry. */
export const DEFAULT_RISK_APPETITE: RiskAppetite = {
  maxAcceptableLevel: 'medium',
  acceptanceMonths: 12,
  reapprovalLeadDays: 30,
}

/** The risk appetite: the highest acceptable level, how long an acceptance lasts, the re-approval lead time. */
export const appetiteSchema = z.strictObject({
  maxAcceptableLevel: z.string().min(1, 'is required'),
  acceptanceMonths: z
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(36, 'must be at most 36')
    .default(12),
  reapprovalLeadDays: z
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(180, 'must be at most 180')
    .default(30),
})

/** Problems with an appetite for `matrix`, keyed by field (the level must exist in the matrix). */
export function appetiteProblems(input: unknown, matrix: RiskMatrix = DEFAULT_RISK_MATRIX): FieldErrors {
  const parsed = appetiteSchema.safeParse(input)
  if (!parsed.success) return zodFieldErrors(parsed.error)
  if (levelRank(parsed.data.maxAcceptableLevel, matrix) < 0)
    return { maxAcceptableLevel: `must be one of ${matrix.levels.map((l) => l.id).join(', ')}` }
  return {}
}

/** Validates an appetite for `matrix`, throwing a 400 naming each failing field. */
export function validateAppetite(input: unknown, matrix: RiskMatrix = DEFAULT_RISK_MATRIX): RiskAppetite {
  throwIfInvalid(appetiteProblems(input, matrix), 'The risk appetite has invalid fields.')
  return appetiteSchema.parse(input)
}

/** True when `level` (an id or a score) is at or below the appetite's maximum acceptable level. */
export function withinAppetite(
  level: string | Pick<RiskScore, 'level'>,
  appetite: Pick<RiskAppetite, 'maxAcceptableLevel'>,
  matrix: RiskMatrix = DEFAULT_RISK_MATRIX,
): boolean {
  const rank = levelRank(typeof level === 'string' ? level : level.level, matrix)
  const max = levelRank(appetite.maxAcceptableLevel, matrix)
  if (rank < 0 || max < 0) throw new Error('level or appetite is not part of the risk matrix')
  return rank <= max
}

/** A person deciding in one organisation: their roles there and the right to accept above appetite. */
export interface Decider {
  userId: string
  roles: readonly string[]
  acceptAboveAppetite?: boolean
}

/** Whether something is allowed; when not, a stable code and a reason for people in en/de. */
export type Verdict = { allowed: true } | { allowed: false; code: string; reason: Text }

const no = (code: string, en: string, de: string): Verdict => ({ allowed: false, code, reason: { en, de } })

/**
 * The acceptance rule: a residual level within the appetite may be accepted by any management
 * member; above it only by a management member with the right `acceptAboveAppetite`.
 */
export function mayAccept(input: {
  residual: string | Pick<RiskScore, 'level'>
  appetite: Pick<RiskAppetite, 'maxAcceptableLevel'>
  decider: Decider
  matrix?: RiskMatrix
}): Verdict {
  if (!input.decider.roles.includes('management'))
    return no(
      'not_management',
      'Only management can accept a risk.',
      'Nur die Geschäftsleitung kann ein Risiko akzeptieren.',
    )
  if (withinAppetite(input.residual, input.appetite, input.matrix)) return { allowed: true }
  if (input.decider.acceptAboveAppetite) return { allowed: true }
  return no(
    'above_appetite',
    'The residual risk is above the risk appetite; only a management member with the right to accept above appetite may accept it.',
    'Das Restrisiko liegt über der Risikobereitschaft; nur ein Mitglied der Geschäftsleitung mit dem Recht, darüber zu akzeptieren, darf es akzeptieren.',
  )
}

/**
 * The four-eyes rule: whoever requested a decision may not take it, nor may anyone who already
 * approved an earlier stage of the same item. Nobody can bypass it.
 */
export function mayDecide(input: {
  requesterId: string
  earlierApproverIds?: readonly string[]
  deciderId: string
}): Verdict {
  if (input.deciderId === input.requesterId)
    return no(
      'four_eyes_requester',
      'You submitted this yourself; someone else must decide.',
      'Sie haben dies selbst eingereicht; jemand anderes muss entscheiden.',
    )
  if (input.earlierApproverIds?.includes(input.deciderId))
    return no(
      'four_eyes_earlier_approver',
      'You already approved an earlier step of this item; someone else must decide.',
      'Sie haben bereits einen früheren Schritt freigegeben; jemand anderes muss entscheiden.',
    )
  return { allowed: true }
}

/** When an acceptance decided on `decidedOn` expires, and when its re-approval round opens. */
export function acceptanceDates(
  decidedOn: IsoDate,
  appetite: Pick<RiskAppetite, 'acceptanceMonths' | 'reapprovalLeadDays'> = DEFAULT_RISK_APPETITE,
): { expiresOn: IsoDate; reapprovalOn: IsoDate } {
  const expiresOn = addMonths(decidedOn, appetite.acceptanceMonths)
  return { expiresOn, reapprovalOn: addDays(expiresOn, -appetite.reapprovalLeadDays) }
}
