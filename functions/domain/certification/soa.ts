import { z } from 'zod'
import type { FieldErrors } from '../errors.js'
import { addMonths, type IsoDate, isIsoDate } from '../risk/calendar.js'
import { isAnnexAControlId } from '../risk/controls.js'
import { throwIfInvalid, zodFieldErrors } from '../risk/fields.js'
import type { Text } from '../risk/text.js'

/** The protection needs with additional ISA requirements: high (from AL2), very high (AL3). */
export const PROTECTION_NEEDS = ['high', 'very-high'] as const

/** How far additional requirements are met. */
export const REQUIREMENT_STATES = ['met', 'partly', 'not-met'] as const

/** Why an applicable control is included (ISO/IEC 27001 6.1.3 d). */
export const INCLUSION_REASONS = ['risk-treatment', 'legal', 'contractual', 'business'] as const

/** An inclusion reason. */
export type InclusionReason = (typeof INCLUSION_REASONS)[number]

/** How far a control is implemented. */
export const IMPLEMENTATION_STATUSES = ['not-started', 'partial', 'implemented', 'not-applicable'] as const

/** An implementation status. */
export type ImplementationStatus = (typeof IMPLEMENTATION_STATUSES)[number]

/** Inclusion reason names, en/de. */
export const INCLUSION_REASON_NAMES: Record<InclusionReason, Text> = {
  'risk-treatment': { en: 'Risk treatment', de: 'Risikobehandlung' },
  legal: { en: 'Legal or regulatory requirement', de: 'Gesetzliche oder behördliche Anforderung' },
  contractual: { en: 'Contractual requirement', de: 'Vertragliche Anforderung' },
  business: { en: 'Business requirement or good practice', de: 'Geschäftliche Anforderung oder gute Praxis' },
}

/** Implementation status names, en/de. */
export const IMPLEMENTATION_STATUS_NAMES: Record<ImplementationStatus, Text> = {
  'not-started': { en: 'Not started', de: 'Nicht begonnen' },
  partial: { en: 'Partly implemented', de: 'Teilweise umgesetzt' },
  implemented: { en: 'Implemented', de: 'Umgesetzt' },
  'not-applicable': { en: 'Not applicable', de: 'Nicht anwendbar' },
}

const isHttpUrl = (value: string) => {
  try {
    const u = new URL(value)
    return u.protocol === 'https:' || u.protocol === 'http:'
  } catch {
    return false
  }
}

/**
 * An evidence item: a link or a stored file, dated, with a freshness rule ("re-confirm every
 * `freshnessMonths` months"). Exactly one of `url` and `fileRef`.
 */
export const evidenceItemSchema = z
  .strictObject({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be a short id of letters, digits, - or _'),
    title: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
    date: z.string().refine(isIsoDate, 'must be a date written YYYY-MM-DD'),
    url: z
      .string()
      .max(2000, 'must be at most 2000 characters')
      .refine(isHttpUrl, 'must be an http(s) link')
      .optional(),
    fileRef: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(500, 'must be at most 500 characters')
      .optional(),
    freshnessMonths: z
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(120, 'must be at most 120')
      .default(12),
  })
  .superRefine((e, ctx) => {
    if (e.url === undefined && e.fileRef === undefined)
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'give a link or a file' })
    if (e.url !== undefined && e.fileRef !== undefined)
      ctx.addIssue({ code: 'custom', path: ['fileRef'], message: 'give either a link or a file, not both' })
  })

/** An evidence item (after defaults). */
export type EvidenceItem = z.infer<typeof evidenceItemSchema>

/** The shape of one Statement of Applicability entry; `soaEntryProblems` adds the rules. */
export const soaEntrySchema = z.strictObject({
  controlId: z.string().min(1, 'is required'),
  applicable: z.boolean('must be true or false'),
  justification: z.string().trim().max(5000, 'must be at most 5000 characters').default(''),
  inclusionReasons: z
    .array(z.enum(INCLUSION_REASONS, `must be one of ${INCLUSION_REASONS.join(', ')}`))
    .default([]),
  status: z.enum(IMPLEMENTATION_STATUSES, `must be one of ${IMPLEMENTATION_STATUSES.join(', ')}`),
  ownerId: z.string().trim().min(1, 'must not be empty').max(200).optional(),
  riskIds: z.array(z.string().min(1)).max(200, 'has at most 200 entries').default([]),
  evidence: z.array(evidenceItemSchema).max(50, 'has at most 50 items').default([]),
  /** The control's title in the organisation's own words (e.g. the official title from its licensed copy). */
  officialTitle: z.string().trim().max(300, 'must be at most 300 characters').optional(),
  /** TISAX: the maturity level reached (VDA ISA 0–5; the target is 3). */
  maturity: z.int('must be a whole number').min(0, 'must be 0 to 5').max(5, 'must be 0 to 5').optional(),
  /** TISAX: whether the ISA's additional requirements for high / very high protection needs are met. */
  additionalRequirements: z
    .partialRecord(
      z.enum(PROTECTION_NEEDS, `must be one of ${PROTECTION_NEEDS.join(', ')}`),
      z.enum(REQUIREMENT_STATES, `must be one of ${REQUIREMENT_STATES.join(', ')}`),
    )
    .optional(),
  /**
   * Set by the one-time migration (`flagUnjustifiedInclusions`) on an included control decided
   * before inclusions needed a justification: the ISO sees "Justification missing" until the next
   * decision, which must give one. Never accepted from a request.
   */
  justificationMissing: z.literal(true).optional(),
})

/** One entry of the Statement of Applicability (after defaults). */
export type SoaEntry = z.infer<typeof soaEntrySchema>

/** Input for `soaEntrySchema` (defaults not yet applied). */
export type SoaEntryInput = z.input<typeof soaEntrySchema>

/** Options for SoA validation. */
export interface SoaRuleOptions {
  /** When given, evidence may not be dated after it. */
  today?: IsoDate
  /** Which control ids exist (default: the 93 ISO/IEC 27001:2022 Annex A ids). */
  isKnownControl?: (controlId: string) => boolean
  /** TISAX projects: the protection needs whose additional requirements apply (see `additionalRequirements`). */
  tisax?: { needs: readonly (typeof PROTECTION_NEEDS)[number][]; targetMaturity: number }
}

/**
 * Every problem with an SoA entry, keyed by field (empty when valid):
 * - the control id exists;
 * - a justification, why the control is included or excluded (6.1.3 d); an included control
 *   decided before this rule (flagged `justificationMissing` by the migration) keeps its flag
 *   instead until the ISO decides it again;
 * - excluded (`applicable: false`): status `not-applicable`, no inclusion reasons;
 * - applicable: at least one inclusion reason, an owner, a status other than `not-applicable`,
 *   and linked risks when the reason is risk treatment;
 * - evidence: unique ids, a link or a file, not dated after `today`.
 */
export function soaEntryProblems(input: unknown, options: SoaRuleOptions = {}): FieldErrors {
  const parsed = soaEntrySchema.safeParse(input)
  if (!parsed.success) return zodFieldErrors(parsed.error)
  const e = parsed.data
  const known = options.isKnownControl ?? isAnnexAControlId
  const fields: FieldErrors = {}
  if (!known(e.controlId)) fields.controlId = `"${e.controlId}" is not a control of the catalogue`
  if (e.justificationMissing && (!e.applicable || e.justification))
    fields.justificationMissing = 'marks an included control without a justification only'
  if (!e.applicable) {
    if (!e.justification) fields.justification = 'explain why the control is excluded'
    if (e.status !== 'not-applicable') fields.status = 'must be not-applicable for an excluded control'
    if (e.inclusionReasons.length > 0)
      fields.inclusionReasons = 'an excluded control has no inclusion reasons'
  } else {
    if (!e.justification && !e.justificationMissing)
      fields.justification =
        'explain why the control is included (risks treated, requirement, or business need)'
    if (e.inclusionReasons.length === 0)
      fields.inclusionReasons = 'give at least one reason: risk-treatment, legal, contractual or business'
    else if (new Set(e.inclusionReasons).size !== e.inclusionReasons.length)
      fields.inclusionReasons = 'names a reason twice'
    if (e.status === 'not-applicable') fields.status = 'an applicable control cannot be not-applicable'
    if (!e.ownerId) fields.ownerId = 'an applicable control needs an owner'
    if (e.inclusionReasons.includes('risk-treatment') && e.riskIds.length === 0)
      fields.riskIds = 'link the risks this control treats'
  }
  if (!options.tisax) {
    if (e.maturity !== undefined) fields.maturity = 'applies to TISAX controls only'
    if (e.additionalRequirements) fields.additionalRequirements = 'applies to TISAX controls only'
  } else {
    const { needs, targetMaturity } = options.tisax
    for (const need of Object.keys(e.additionalRequirements ?? {}))
      if (!needs.some((n) => n === need))
        fields[`additionalRequirements.${need}`] =
          need === 'very-high'
            ? 'applies to very high protection needs (AL3) only'
            : 'applies to high protection needs (AL2 or AL3) only'
    if (e.applicable && e.status === 'implemented' && e.maturity !== undefined && e.maturity < targetMaturity)
      fields.maturity = `is below the target maturity ${targetMaturity}: the control is not implemented yet`
    if (!e.applicable && e.maturity !== undefined) fields.maturity = 'an excluded control has no maturity'
  }
  const ids = new Set<string>()
  e.evidence.forEach((item, i) => {
    if (ids.has(item.id)) fields[`evidence.${i}.id`] = `"${item.id}" is used by another evidence item`
    ids.add(item.id)
    if (options.today && item.date > options.today) fields[`evidence.${i}.date`] = 'must not be in the future'
  })
  return fields
}

/**
 * True when an entry lacks the justification the SoA needs (ISO/IEC 27001 6.1.3 d): an
 * included control decided before inclusions needed one. The ISO sees it flagged.
 */
export function justificationMissing(entry: Pick<SoaEntry, 'applicable' | 'justification'>): boolean {
  return entry.applicable && !entry.justification.trim()
}

/** Validates an SoA entry, throwing a 400 naming each failing field (see `soaEntryProblems`). */
export function validateSoaEntry(input: unknown, options: SoaRuleOptions = {}): SoaEntry {
  throwIfInvalid(soaEntryProblems(input, options), 'The Statement of Applicability entry has invalid fields.')
  return soaEntrySchema.parse(input)
}

/** The first day an evidence item is no longer fresh: its date plus `freshnessMonths`. */
export function evidenceExpiresOn(item: Pick<EvidenceItem, 'date' | 'freshnessMonths'>): IsoDate {
  return addMonths(item.date, item.freshnessMonths)
}

/** True while an evidence item is fresh on `today` (from its date until the day before it expires). */
export function evidenceFresh(item: Pick<EvidenceItem, 'date' | 'freshnessMonths'>, today: IsoDate): boolean {
  return item.date <= today && today < evidenceExpiresOn(item)
}

/** True when an entry counts as done: applicable, implemented, with at least one fresh evidence item. */
export function implementedWithFreshEvidence(
  entry: Pick<SoaEntry, 'applicable' | 'status' | 'evidence'>,
  today: IsoDate,
): boolean {
  return (
    entry.applicable && entry.status === 'implemented' && entry.evidence.some((e) => evidenceFresh(e, today))
  )
}
