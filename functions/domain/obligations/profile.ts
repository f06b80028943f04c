import { z } from 'zod'
import { ACTIVITY_IDS, FACILITY_TYPE_IDS } from './facts.js'

/** Largest figure accepted for money amounts and head counts (guards against typos like 1e30). */
const MAX_FIGURE = 1e13

/** A non-negative figure, or `null` when the company is not sure (the result then names it as missing). */
const figure = z.number().finite().nonnegative().max(MAX_FIGURE).nullable().optional()
const answer = z.boolean().nullable().optional()

/** Figures of one linked enterprise (> 50 % control, either direction): added in full. */
export const linkedEnterpriseSchema = z.strictObject({
  name: z.string().trim().max(200).optional(),
  employees: figure,
  annualTurnoverEur: figure,
  balanceSheetEur: figure,
})

/** Figures of one partner enterprise (25–50 %): added pro rata to the share. */
export const partnerEnterpriseSchema = z.strictObject({
  name: z.string().trim().max(200).optional(),
  sharePercent: z
    .number()
    .finite()
    .min(25, 'must be at least 25 (below 25 % the enterprise is not a partner and is not counted)')
    .max(50, 'must be at most 50 (above 50 % enter it as a linked enterprise)'),
  employees: figure,
  annualTurnoverEur: figure,
  balanceSheetEur: figure,
})

/** A facility with its measured value for the BSI-KritisV threshold of its type. */
export const criticalFacilitySchema = z.strictObject({
  type: z.enum(FACILITY_TYPE_IDS),
  value: z.number().finite().nonnegative().max(MAX_FIGURE),
  name: z.string().trim().max(200).optional(),
})

/** Facts for the data protection officer duty (GDPR Art. 37, BDSG §38). `null` = not sure. */
export const personalDataSchema = z.strictObject({
  personsProcessing: figure,
  publicBody: answer,
  coreLargeScaleMonitoring: answer,
  coreLargeScaleSpecialCategories: answer,
  dpiaRequired: answer,
  commercialTransferOrResearch: answer,
})

/** Facts for TISAX: what the company handles for automotive OEMs or their suppliers. `null` = not sure. */
export const automotiveSchema = z.strictObject({
  confidentiality: z.enum(['none', 'confidential', 'strictly-confidential']).nullable().optional(),
  availability: z.enum(['none', 'high', 'very-high']).nullable().optional(),
  prototypes: answer,
  personalDataOnBehalf: answer,
  specialCategoriesOnBehalf: answer,
})

/**
 * The company profile, the input of `evaluateObligations` and the body of
 * `POST /api/obligations/evaluate`. Strict: unknown fields are rejected by name. Figures may
 * be `null` or left out when the company is not sure; the decision names them as missing.
 *
 * @example
 * companyProfileSchema.parse({ activities: ['digital.dns'], employees: 12, annualTurnoverEur: 1.5e6, balanceSheetEur: 1e6 })
 */
export const companyProfileSchema = z.strictObject({
  activities: z.array(z.enum(ACTIVITY_IDS)).max(ACTIVITY_IDS.length),
  employees: figure,
  annualTurnoverEur: figure,
  balanceSheetEur: figure,
  linkedEnterprises: z.array(linkedEnterpriseSchema).max(200).optional(),
  partnerEnterprises: z.array(partnerEnterpriseSchema).max(200).optional(),
  itIndependentOfGroup: answer,
  negligibleActivities: z.array(z.enum(ACTIVITY_IDS)).max(ACTIVITY_IDS.length).optional(),
  publicAdministration: z
    .enum(['federal', 'state', 'municipal', 'municipal-enterprise', 'state-enterprise'])
    .nullable()
    .optional(),
  criticalFacilities: z.array(criticalFacilitySchema).max(200).optional(),
  kritisOperator: answer,
  doraFinancialEntity: answer,
  personalData: personalDataSchema.nullable().optional(),
  automotive: automotiveSchema.nullable().optional(),
})

/** The company profile (see `companyProfileSchema`). */
export type CompanyProfile = z.infer<typeof companyProfileSchema>
/** One linked enterprise row. */
export type LinkedEnterprise = z.infer<typeof linkedEnterpriseSchema>
/** One partner enterprise row. */
export type PartnerEnterprise = z.infer<typeof partnerEnterpriseSchema>
/** One critical facility row. */
export type CriticalFacility = z.infer<typeof criticalFacilitySchema>
/** Personal-data facts. */
export type PersonalDataFacts = z.infer<typeof personalDataSchema>
/** Automotive facts. */
export type AutomotiveFacts = z.infer<typeof automotiveSchema>
