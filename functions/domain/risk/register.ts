import type { CsvColumn } from '../export/csv.js'
import { DEFAULT_RISK_MATRIX, type RiskMatrix } from './matrix.js'
import { planCostEur, TREATMENT_OPTION_NAMES, type TreatmentPlan, targetScore } from './plan.js'
import { inherentScore, RISK_CATEGORY_NAMES, RISK_STATUS_NAMES, type Risk, residualScore } from './risk.js'

/** A language people read exports in. */
export type Lang = 'en' | 'de'

/** One flat row of the risk register export (CSV and XLSX). */
export interface RegisterRow {
  id: string
  title: string
  category: string
  status: string
  owner: string
  assets: string[]
  threat: string
  vulnerability: string
  likelihood: number
  impact: number
  inherentScore: number
  inherentLevel: string
  residualLikelihood: number
  residualImpact: number
  residualScore: number
  residualLevel: string
  option: string
  targetLikelihood: number | null
  targetImpact: number | null
  targetLevel: string
  measures: number
  costEur: number | null
  controls: string[]
  obligations: string[]
}

/**
 * Flattens risks (each with its plan, if any) into export rows, names in `lang`. `nameOf` turns
 * user ids into display names (defaults to the id).
 */
export function registerRows(
  entries: readonly { risk: Risk; plan?: TreatmentPlan | null }[],
  options: { matrix?: RiskMatrix; lang?: Lang; nameOf?: (userId: string) => string } = {},
): RegisterRow[] {
  const matrix = options.matrix ?? DEFAULT_RISK_MATRIX
  const lang = options.lang ?? 'en'
  const nameOf = options.nameOf ?? ((id: string) => id)
  return entries.map(({ risk, plan }) => {
    const inherent = inherentScore(risk, matrix)
    const residual = residualScore(risk, matrix)
    const target = plan ? targetScore(plan, matrix) : undefined
    return {
      id: risk.id,
      title: risk.title,
      category: RISK_CATEGORY_NAMES[risk.category][lang],
      status: RISK_STATUS_NAMES[risk.status][lang],
      owner: nameOf(risk.ownerId),
      assets: risk.assets,
      threat: risk.threat,
      vulnerability: risk.vulnerability,
      likelihood: risk.likelihood,
      impact: risk.impact,
      inherentScore: inherent.score,
      inherentLevel: inherent.band.name[lang],
      residualLikelihood: residual.likelihood,
      residualImpact: residual.impact,
      residualScore: residual.score,
      residualLevel: residual.band.name[lang],
      option: plan ? TREATMENT_OPTION_NAMES[plan.option][lang] : '',
      targetLikelihood: plan?.targetLikelihood ?? null,
      targetImpact: plan?.targetImpact ?? null,
      targetLevel: target ? target.band.name[lang] : '',
      measures: plan?.measures.length ?? 0,
      costEur: plan ? planCostEur(plan) : null,
      controls: risk.controlIds,
      obligations: risk.obligationRefs,
    }
  })
}

const HEADERS: Record<keyof RegisterRow, { en: string; de: string }> = {
  id: { en: 'Id', de: 'Id' },
  title: { en: 'Title', de: 'Titel' },
  category: { en: 'Category', de: 'Kategorie' },
  status: { en: 'Status', de: 'Status' },
  owner: { en: 'Owner', de: 'Risikoeigner' },
  assets: { en: 'Affected assets', de: 'Betroffene Werte' },
  threat: { en: 'Threat', de: 'Bedrohung' },
  vulnerability: { en: 'Vulnerability', de: 'Schwachstelle' },
  likelihood: { en: 'Likelihood', de: 'Eintrittswahrscheinlichkeit' },
  impact: { en: 'Impact', de: 'Auswirkung' },
  inherentScore: { en: 'Inherent score', de: 'Bruttorisiko (Wert)' },
  inherentLevel: { en: 'Inherent level', de: 'Bruttorisiko (Stufe)' },
  residualLikelihood: { en: 'Residual likelihood', de: 'Rest-Eintrittswahrscheinlichkeit' },
  residualImpact: { en: 'Residual impact', de: 'Rest-Auswirkung' },
  residualScore: { en: 'Residual score', de: 'Restrisiko (Wert)' },
  residualLevel: { en: 'Residual level', de: 'Restrisiko (Stufe)' },
  option: { en: 'Treatment', de: 'Behandlung' },
  targetLikelihood: { en: 'Target likelihood', de: 'Ziel-Eintrittswahrscheinlichkeit' },
  targetImpact: { en: 'Target impact', de: 'Ziel-Auswirkung' },
  targetLevel: { en: 'Target level', de: 'Zielstufe' },
  measures: { en: 'Measures', de: 'Maßnahmen' },
  costEur: { en: 'Cost (EUR)', de: 'Kosten (EUR)' },
  controls: { en: 'Annex A controls', de: 'Anhang-A-Controls' },
  obligations: { en: 'Obligations', de: 'Pflichten' },
}

/** The register's columns in export order with headers in `lang`, for `toCsv` or a worksheet. */
export function registerColumns(lang: Lang = 'en'): CsvColumn<RegisterRow>[] {
  return (Object.keys(HEADERS) as (keyof RegisterRow)[]).map((key) => ({ header: HEADERS[key][lang], key }))
}
