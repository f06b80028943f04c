import { z } from 'zod'
import {
  ACTIVITY_FACTS,
  ACTIVITY_IDS,
  type ActivityFlags,
  type Annex,
  FACILITY_TYPE_FACTS,
  FACILITY_TYPE_IDS,
  type FacilityTypeId,
  SECTOR_IDS,
  type SectorId,
} from './facts.js'
import type { Text } from './text.js'

const text = z.strictObject({ en: z.string().min(1), de: z.string().min(1) })

const flagsSchema = z.strictObject({
  sizeIndependent: z.enum(['essential', 'important']).nullable(),
  telecom: z.boolean(),
  trustService: z.enum(['qualified', 'non-qualified']).nullable(),
  registrationExtraData: z.boolean(),
  sectorLaw: z.enum(['TKG', 'EnWG']).nullable(),
  euOnly: z.boolean(),
  kritisFacilityTypes: z.array(z.enum(FACILITY_TYPE_IDS)),
})

/**
 * Schema of `workflows/catalogues/nis2-activities.json`: every activity with titles,
 * plain-language description and examples, sector, annex, NACE hint and rule flags.
 */
export const activitiesFileSchema = z.strictObject({
  version: z.number().int().positive(),
  source: text,
  activities: z
    .array(
      z.strictObject({
        id: z.enum(ACTIVITY_IDS),
        sector: z.strictObject({ id: z.enum(SECTOR_IDS), title: text }),
        annex: z.enum(['I', 'II']),
        title: text,
        description: text,
        examples: text,
        nace: z.string().min(1),
        flags: flagsSchema,
      }),
    )
    .min(1),
})

/** Schema of `workflows/catalogues/kritis-facilities.json`: KRITIS facility types with threshold and unit. */
export const facilitiesFileSchema = z.strictObject({
  version: z.number().int().positive(),
  source: text,
  facilityTypes: z
    .array(
      z.strictObject({
        id: z.enum(FACILITY_TYPE_IDS),
        title: text,
        description: text,
        threshold: z.number().positive(),
        unit: text,
      }),
    )
    .min(1),
})

/** Both catalogue files together: what `parseCatalogue` returns. */
export const catalogueSchema = z.strictObject({
  activities: activitiesFileSchema.shape.activities,
  facilityTypes: facilitiesFileSchema.shape.facilityTypes,
})

/** The full catalogue with texts (the JSON file, validated). */
export type ObligationCatalogue = z.infer<typeof catalogueSchema>

/** One catalogue activity. */
export type CatalogueActivity = ObligationCatalogue['activities'][number]

/** What `evaluateObligations` needs from a catalogue: rule facts, titles where known. */
export interface RulesCatalogue {
  activities: {
    id: string
    annex: Annex
    sector: { id: SectorId; title?: Text }
    title?: Text
    flags: ActivityFlags
  }[]
  facilityTypes: { id: FacilityTypeId; threshold: number; unit: Text; title: Text }[]
}

/** The built-in rule facts (no activity titles): used when no catalogue is passed. */
export const BUILT_IN_RULES: RulesCatalogue = {
  activities: ACTIVITY_FACTS.map((f) => ({
    id: f.id,
    annex: f.annex,
    sector: { id: f.sector },
    flags: f.flags,
  })),
  facilityTypes: FACILITY_TYPE_FACTS,
}

/**
 * Validates the two catalogue files and checks that every activity id and facility type
 * appears exactly once. Throws an Error naming the file and path of the first problem.
 *
 * @example
 * const catalogue = parseCatalogue(activitiesJson, facilitiesJson)
 * evaluateObligations(profile, catalogue)
 */
export function parseCatalogue(activitiesJson: unknown, facilitiesJson: unknown): ObligationCatalogue {
  const check = <T>(file: string, schema: z.ZodType<T>, json: unknown): T => {
    const parsed = schema.safeParse(json)
    if (parsed.success) return parsed.data
    const issue = parsed.error.issues[0]!
    throw new Error(`${file}: ${issue.path.join('.') || '(root)'} ${issue.message}`)
  }
  const { activities } = check('nis2-activities.json', activitiesFileSchema, activitiesJson)
  const { facilityTypes } = check('kritis-facilities.json', facilitiesFileSchema, facilitiesJson)
  const dup = (ids: string[]) => ids.find((id, i) => ids.indexOf(id) !== i)
  const missing = (all: readonly string[], ids: string[]) => all.find((id) => !ids.includes(id))
  const acts = activities.map((x) => x.id)
  const fts = facilityTypes.map((x) => x.id)
  const problem =
    (dup(acts) && `nis2-activities.json: activity ${dup(acts)} appears twice`) ||
    (missing(ACTIVITY_IDS, acts) &&
      `nis2-activities.json: activity ${missing(ACTIVITY_IDS, acts)} is missing`) ||
    (dup(fts) && `kritis-facilities.json: facility type ${dup(fts)} appears twice`) ||
    (missing(FACILITY_TYPE_IDS, fts) &&
      `kritis-facilities.json: facility type ${missing(FACILITY_TYPE_IDS, fts)} is missing`)
  if (problem) throw new Error(problem)
  return { activities, facilityTypes }
}
