import {
  type CompanyProfile,
  evaluateObligations,
  parseCatalogue,
} from '../../../functions/domain/obligations/index.js'
import facilitiesJson from '../../../workflows/catalogues/kritis-facilities.json' with { type: 'json' }
import activitiesJson from '../../../workflows/catalogues/nis2-activities.json' with { type: 'json' }

/** The real catalogue files, parsed. */
export const catalogue = parseCatalogue(activitiesJson, facilitiesJson)

/** Evaluates with the real catalogue. */
export const evaluate = (profile: CompanyProfile) => evaluateObligations(profile, catalogue)

/** A profile with all personal-data answers "no" so only the tested facts vary. */
export const base = (over: Partial<CompanyProfile> = {}): CompanyProfile => ({
  activities: [],
  employees: 10,
  annualTurnoverEur: 1_000_000,
  balanceSheetEur: 1_000_000,
  personalData: { personsProcessing: 0 },
  ...over,
})

/** All reason texts of a list, English, joined (for `toContain` checks). */
export const texts = (reasons: { text: { en: string } }[]) => reasons.map((r) => r.text.en).join('\n')
