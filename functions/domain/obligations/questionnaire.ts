/**
 * The one place that maps answers of the obligation questionnaire
 * (`workflows/forms/obligation-questionnaire.json`) to the company profile, and that builds
 * the catalogues its `catalogue` questions pick from.
 */
import { validationError } from '../errors.js'
import type { Answers, CatalogueEntry, Catalogues, FormDefinition } from '../forms/index.js'
import { zodFields } from '../zod-fields.js'
import type { ObligationCatalogue } from './catalogue.js'
import { ACTIVITY_IDS, type ActivityId, FACILITY_TYPE_IDS, SECTOR_IDS } from './facts.js'
import { type CompanyProfile, companyProfileSchema } from './profile.js'
import type { Text } from './text.js'

/** Form id of the questionnaire definition. */
export const QUESTIONNAIRE_FORM_ID = 'obligation-questionnaire'

/** Rows of linked and partner companies the questionnaire offers. */
export const QUESTIONNAIRE_GROUP_ROWS = 5

const pascal = (id: string) =>
  id
    .split(/[-.]/)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('')

/** Question id of the activity pick of a sector (`actEnergy`, `actDigitalProvider`). */
export const sectorQuestionId = (sector: string) => `act${pascal(sector)}`
/** Question id of a KRITIS facility metric (`facPowerGeneration`). */
export const facilityQuestionId = (type: string) => `fac${pascal(type)}`
/** Catalogue name of a sector's activities for the form evaluator. */
export const sectorCatalogueName = (sector: string) => `nis2-activities-${sector}`

/**
 * The catalogues the questionnaire's `catalogue` questions refer to: `nis2-activities`
 * (all) and `nis2-activities-<sector>`. Each entry shows the plain-language description
 * and examples as its hint. Pass them to `evaluateForm(…, { catalogues })`.
 */
export function questionnaireCatalogues(catalogue: ObligationCatalogue): Catalogues {
  const entry = (a: ObligationCatalogue['activities'][number]): CatalogueEntry => ({
    id: a.id,
    label: a.title,
    hint: {
      en: `${a.description.en} Examples: ${a.examples.en}.`,
      de: `${a.description.de} Beispiele: ${a.examples.de}.`,
    },
    group: a.sector.title,
  })
  const out: Record<string, CatalogueEntry[]> = { 'nis2-activities': catalogue.activities.map(entry) }
  for (const sector of SECTOR_IDS)
    out[sectorCatalogueName(sector)] = catalogue.activities.filter((a) => a.sector.id === sector).map(entry)
  return out
}

type PublicAdministration = NonNullable<CompanyProfile['publicAdministration']>
const PUBLIC_ADMINISTRATION: readonly unknown[] = [
  'federal',
  'state',
  'municipal',
  'municipal-enterprise',
  'state-enterprise',
] satisfies PublicAdministration[]
const yesNo = (v: unknown): boolean | null | undefined =>
  v === 'yes' ? true : v === 'no' ? false : v === 'not-sure' ? null : undefined
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined)
const ids = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
const choice = (v: unknown) => (v === 'not-sure' ? null : typeof v === 'string' ? v : undefined)
const compact = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T

/**
 * Maps the (cleaned) answers of the obligation questionnaire to a company profile.
 * "I'm not sure" becomes `null`, which the rules name as a missing fact; an empty optional
 * figure is "not sure" too. Not sure whether linked or partner companies exist becomes one
 * row with unknown figures, so own figures stay a lower bound and the gap is named.
 * Throws a validation error naming the field if the result is not a valid profile.
 *
 * @example
 * const { cleanedAnswers } = await evaluateForm(definition, answers, { catalogues })
 * evaluateObligations(answersToProfile(cleanedAnswers), catalogue)
 */
export function answersToProfile(answers: Answers): CompanyProfile {
  const a = answers
  const chosen = new Set(SECTOR_IDS.flatMap((s) => ids(a[sectorQuestionId(s)])))
  const activities = ACTIVITY_IDS.filter((id) => chosen.has(id))
  const negligible = a.hasNegligible === 'yes' ? ids(a.negligibleActivities) : []

  const rows = (kind: 'linked' | 'partner') => {
    const exists = a[`${kind}Exists`]
    if (exists === 'not-sure') return [{ employees: null, annualTurnoverEur: null, balanceSheetEur: null }]
    if (exists !== 'yes') return []
    const count = Math.min(QUESTIONNAIRE_GROUP_ROWS, Math.max(0, Math.trunc(num(a[`${kind}Count`]) ?? 0)))
    return Array.from({ length: count }, (_, i) => {
      const p = `${kind}${i + 1}`
      return compact({
        name: str(a[`${p}Name`]),
        ...(kind === 'partner' ? { sharePercent: num(a[`${p}Share`]) ?? undefined } : {}),
        employees: num(a[`${p}Employees`]),
        annualTurnoverEur: num(a[`${p}Turnover`]),
        balanceSheetEur: num(a[`${p}Balance`]),
      })
    })
  }
  // Not sure whether a partner exists: one row at the largest partner share, figures unknown.
  const partners = rows('partner').map((r) => ({ sharePercent: 50, ...r }))

  const criticalFacilities = FACILITY_TYPE_IDS.flatMap((type) => {
    const value = num(a[facilityQuestionId(type)])
    return value === null ? [] : [{ type, value }]
  })

  const automotivePage = [
    'autoConfidentiality',
    'autoAvailability',
    'autoPrototypes',
    'autoPersonalData',
  ].some((k) => a[k] !== undefined)
  const automotive = automotivePage
    ? compact({
        confidentiality: choice(a.autoConfidentiality) as
          | 'none'
          | 'confidential'
          | 'strictly-confidential'
          | null
          | undefined,
        availability: choice(a.autoAvailability) as 'none' | 'high' | 'very-high' | null | undefined,
        prototypes: yesNo(a.autoPrototypes),
        personalDataOnBehalf: yesNo(a.autoPersonalData),
        specialCategoriesOnBehalf:
          a.autoPersonalData === 'yes' ? yesNo(a.autoSpecialCategories) : yesNo(a.autoPersonalData),
      })
    : a.automotiveBusiness === 'not-sure'
      ? {
          confidentiality: null,
          availability: null,
          prototypes: null,
          personalDataOnBehalf: null,
          specialCategoriesOnBehalf: null,
        }
      : undefined

  const pa = a.publicAdministration
  const profile = compact({
    activities: activities as ActivityId[],
    employees: num(a.employees),
    annualTurnoverEur: num(a.annualTurnover),
    balanceSheetEur: num(a.balanceSheet),
    linkedEnterprises: rows('linked'),
    partnerEnterprises: partners,
    itIndependentOfGroup: yesNo(a.itIndependent),
    negligibleActivities: negligible as ActivityId[],
    publicAdministration: PUBLIC_ADMINISTRATION.includes(pa) ? (pa as PublicAdministration) : null,
    criticalFacilities,
    kritisOperator: a.kritisKnown === 'yes' ? true : undefined,
    doraFinancialEntity: yesNo(a.doraEntity),
    personalData: compact({
      personsProcessing: num(a.personsProcessing),
      publicBody: yesNo(a.otherPublicBody),
      coreLargeScaleMonitoring: yesNo(a.monitoring),
      coreLargeScaleSpecialCategories: yesNo(a.specialCategories),
      dpiaRequired: yesNo(a.dpia),
      commercialTransferOrResearch: yesNo(a.commercialTransfer),
    }),
    automotive,
  })
  const parsed = companyProfileSchema.safeParse(profile)
  if (!parsed.success)
    throw validationError(zodFields(parsed.error), 'The questionnaire answers do not make a valid profile.')
  return parsed.data
}

/** Facts of the profile (dotted paths, as in diffs) and the question each comes from. */
const FACT_QUESTIONS: Record<string, string> = {
  employees: 'employees',
  annualTurnoverEur: 'annualTurnover',
  balanceSheetEur: 'balanceSheet',
  itIndependentOfGroup: 'itIndependent',
  publicAdministration: 'publicAdministration',
  kritisOperator: 'kritisKnown',
  doraFinancialEntity: 'doraEntity',
  'personalData.personsProcessing': 'personsProcessing',
  'personalData.publicBody': 'otherPublicBody',
  'personalData.coreLargeScaleMonitoring': 'monitoring',
  'personalData.coreLargeScaleSpecialCategories': 'specialCategories',
  'personalData.dpiaRequired': 'dpia',
  'personalData.commercialTransferOrResearch': 'commercialTransfer',
  'automotive.confidentiality': 'autoConfidentiality',
  'automotive.availability': 'autoAvailability',
  'automotive.prototypes': 'autoPrototypes',
  'automotive.personalDataOnBehalf': 'autoPersonalData',
  'automotive.specialCategoriesOnBehalf': 'autoSpecialCategories',
}
const ROW_QUESTIONS: Record<string, string> = {
  name: 'Name',
  sharePercent: 'Share',
  employees: 'Employees',
  annualTurnoverEur: 'Turnover',
  balanceSheetEur: 'Balance',
}
/** Facts gathered from several questions, in words. */
const FACT_GROUPS: Record<string, Text> = {
  activities: { en: 'Activities (NIS2)', de: 'Tätigkeiten (NIS2)' },
  negligibleActivities: { en: 'Negligible activities', de: 'Vernachlässigbare Tätigkeiten' },
  criticalFacilities: { en: 'Critical facilities (KRITIS)', de: 'Kritische Anlagen (KRITIS)' },
  linkedEnterprises: { en: 'Linked company', de: 'Verbundenes Unternehmen' },
  partnerEnterprises: { en: 'Partner company', de: 'Partnerunternehmen' },
}

/** The id of the questionnaire question a fact of the profile comes from (`automotive.prototypes` → `autoPrototypes`). */
export function factQuestionId(field: string): string | undefined {
  if (FACT_QUESTIONS[field]) return FACT_QUESTIONS[field]
  const row = /^(linked|partner)Enterprises\.(\d+)\.(\w+)$/.exec(field)
  if (row && ROW_QUESTIONS[row[3]]) return `${row[1]}${Number(row[2]) + 1}${ROW_QUESTIONS[row[3]]}`
  return undefined
}

/**
 * A fact of the profile in words, with the question's label from the questionnaire's form
 * definition (`Linked company 2: …` for a row of linked companies); facts gathered from
 * several questions get a group name. `undefined` for a field the questionnaire does not ask.
 */
export function factLabel(form: FormDefinition, field: string): Text | undefined {
  const id = factQuestionId(field)
  const questions = form.pages.flatMap((p) => [
    ...(p.questions ?? []),
    ...(p.sections ?? []).flatMap((s) => s.questions),
  ])
  const question = id ? questions.find((q) => q.id === id) : undefined
  const [head, index] = field.split('.')
  const group = FACT_GROUPS[head]
  if (question && group && /^\d+$/.test(index ?? ''))
    return {
      en: `${group.en} ${Number(index) + 1}: ${question.label.en}`,
      de: `${group.de} ${Number(index) + 1}: ${question.label.de}`,
    }
  if (question) return question.label
  if (group && /^\d+$/.test(index ?? ''))
    return { en: `${group.en} ${Number(index) + 1}`, de: `${group.de} ${Number(index) + 1}` }
  return group
}
