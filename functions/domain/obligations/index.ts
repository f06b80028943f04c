/**
 * Obligation rules (obligations.md): the company profile in, the decision out. Pure: shared
 * by the API, the workflow step and the web.
 */
export {
  BUILT_IN_RULES,
  type CatalogueActivity,
  catalogueSchema,
  type ObligationCatalogue,
  parseCatalogue,
  type RulesCatalogue,
} from './catalogue.js'
export type * from './decision.js'
export { obligationDecisionSchema } from './decision-schema.js'
export { TEN_MEASURES } from './duties.js'
export { evaluateObligations, RULES_VERSION } from './evaluate.js'
export {
  ACTIVITY_FACTS,
  ACTIVITY_IDS,
  type ActivityId,
  FACILITY_TYPE_FACTS,
  FACILITY_TYPE_IDS,
  type FacilityTypeId,
} from './facts.js'
export { categoryTerm } from './nis2.js'
export { type CompanyProfile, companyProfileSchema } from './profile.js'
export {
  answersToProfile,
  facilityQuestionId,
  factLabel,
  factQuestionId,
  QUESTIONNAIRE_FORM_ID,
  QUESTIONNAIRE_GROUP_ROWS,
  questionnaireCatalogues,
  sectorCatalogueName,
  sectorQuestionId,
} from './questionnaire.js'
export { refText } from './references.js'
export { SIZE_THRESHOLDS } from './size.js'
export type { Reason, Text } from './text.js'
