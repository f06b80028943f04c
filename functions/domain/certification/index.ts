/**
 * Certification preparation, pure rules: milestone templates (schema, dependency-loop check),
 * backward planning from the audit date with critical path and at-risk flags, Statement of
 * Applicability rules and evidence freshness, readiness from data, and the catalogue schemas.
 * Annex A ids and themes come from the risk module (the register links to the same ids).
 */
export {
  ANNEX_A_THEME_NAMES,
  ANNEX_A_THEMES,
  type AnnexATheme,
  annexAControlIds,
  annexAThemeOf,
  compareControlIds,
  isAnnexAControlId,
} from '../risk/controls.js'
export * from './catalogue.js'
export * from './evidence-files.js'
export * from './planning.js'
export * from './readiness.js'
export * from './soa.js'
export * from './template.js'
