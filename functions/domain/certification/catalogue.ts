import { z } from 'zod'
import type { FieldErrors } from '../errors.js'
import { ANNEX_A_THEMES, annexAControlIds } from '../risk/controls.js'
import { throwIfInvalid, zodFieldErrors } from '../risk/fields.js'
import { textSchema } from '../risk/text.js'

const themeIds = ANNEX_A_THEMES.map((t) => t.theme) as [string, ...string[]]

/** Schema of `workflows/catalogues/annex-a.json`: themes and the 93 controls with en/de short titles. */
export const annexACatalogueSchema = z.strictObject({
  id: z.literal('iso27001-2022-annex-a'),
  version: z.int().min(1),
  title: textSchema(200),
  note: textSchema(400),
  themes: z.array(
    z.strictObject({
      id: z.enum(themeIds),
      clause: z.string(),
      count: z.int().min(1),
      title: textSchema(60),
    }),
  ),
  controls: z.array(z.strictObject({ id: z.string(), theme: z.enum(themeIds), title: textSchema(120) })),
})

/** The Annex A catalogue. */
export type AnnexACatalogue = z.infer<typeof annexACatalogueSchema>

/** One Annex A control of the catalogue. */
export type AnnexAControl = AnnexACatalogue['controls'][number]

/**
 * Problems with an Annex A catalogue: shape, and exactly the 93 ids in order with the right
 * theme each (what the domain's `annexAThemeOf` knows), theme counts matching.
 */
export function annexACatalogueProblems(input: unknown): FieldErrors {
  const parsed = annexACatalogueSchema.safeParse(input)
  if (!parsed.success) return zodFieldErrors(parsed.error)
  const c = parsed.data
  const fields: FieldErrors = {}
  const expected = annexAControlIds()
  if (c.controls.length !== expected.length)
    fields.controls = `must list ${expected.length} controls, lists ${c.controls.length}`
  c.controls.forEach((ctl, i) => {
    if (ctl.id !== expected[i]) fields[`controls.${i}.id`] = `must be ${expected[i]} (catalogue order)`
    const theme = ANNEX_A_THEMES.find((t) => `A.${t.clause}.` === ctl.id.slice(0, 4))
    if (theme && theme.theme !== ctl.theme) fields[`controls.${i}.theme`] = `must be ${theme.theme}`
  })
  for (const [i, t] of c.themes.entries()) {
    const want = ANNEX_A_THEMES.find((x) => x.theme === t.id)!
    if (t.count !== want.count) fields[`themes.${i}.count`] = `must be ${want.count}`
  }
  return fields
}

/** Validates the Annex A catalogue (as loaded from `workflows/`), throwing a 400 naming each problem. */
export function parseAnnexACatalogue(input: unknown): AnnexACatalogue {
  throwIfInvalid(annexACatalogueProblems(input), 'The Annex A catalogue is invalid.')
  return annexACatalogueSchema.parse(input)
}

/** The three TISAX modules (assessment objective groups). */
export const TISAX_MODULES = ['information-security', 'prototype-protection', 'data-protection'] as const

/**
 * The labels of the prototype-protection module (ENX assessment objectives): prototype parts,
 * prototype vehicles, test vehicles, events and shootings. Each needs some sections of ISA
 * chapter 8 (in the catalogue's `prototypeLabels`).
 */
export const PROTOTYPE_LABELS = ['parts', 'vehicles', 'test-vehicles', 'events'] as const

/** A prototype-protection label. */
export type PrototypeLabel = (typeof PROTOTYPE_LABELS)[number]

/** Schema of `workflows/catalogues/tisax.json`: modules, chapters and VDA ISA 6 control ids with en/de short titles. */
export const tisaxCatalogueSchema = z.strictObject({
  id: z.literal('vda-isa-6'),
  version: z.int().min(1),
  title: textSchema(200),
  note: textSchema(400),
  modules: z.array(
    z.strictObject({ id: z.enum(TISAX_MODULES), title: textSchema(60), appliesWhen: textSchema(300) }),
  ),
  prototypeLabels: z.array(
    z.strictObject({
      id: z.enum(PROTOTYPE_LABELS),
      title: textSchema(80),
      /** Sections of chapter 8 the label needs, e.g. `8.3`. */
      sections: z.array(z.string().regex(/^8\.\d$/, 'must be a section of chapter 8, like 8.3')).min(1),
    }),
  ),
  assessmentLevels: z.array(z.strictObject({ id: z.enum(['AL1', 'AL2', 'AL3']), title: textSchema(120) })),
  labelValidityYears: z.int().min(1),
  chapters: z.array(
    z.strictObject({ id: z.string().regex(/^\d$/), module: z.enum(TISAX_MODULES), title: textSchema(80) }),
  ),
  controls: z.array(
    z.strictObject({
      id: z.string().regex(/^\d\.\d\.\d{1,2}$/, 'must look like 1.2.3'),
      chapter: z.string(),
      module: z.enum(TISAX_MODULES),
      title: textSchema(120),
      supersededBy: z.array(z.string()).optional(),
    }),
  ),
})

/** The TISAX (VDA ISA 6) catalogue. */
export type TisaxCatalogue = z.infer<typeof tisaxCatalogueSchema>

/** Problems with a TISAX catalogue: shape, unique ids, each control in a known chapter of its module. */
export function tisaxCatalogueProblems(input: unknown): FieldErrors {
  const parsed = tisaxCatalogueSchema.safeParse(input)
  if (!parsed.success) return zodFieldErrors(parsed.error)
  const c = parsed.data
  const fields: FieldErrors = {}
  const chapters = new Map(c.chapters.map((ch) => [ch.id, ch]))
  const seen = new Set<string>()
  c.controls.forEach((ctl, i) => {
    if (seen.has(ctl.id)) fields[`controls.${i}.id`] = `"${ctl.id}" is listed twice`
    seen.add(ctl.id)
    const ch = chapters.get(ctl.chapter)
    if (!ch || !ctl.id.startsWith(`${ctl.chapter}.`))
      fields[`controls.${i}.chapter`] = 'must be the chapter the id starts with'
    else if (ch.module !== ctl.module)
      fields[`controls.${i}.module`] = `must be ${ch.module}, the module of chapter ${ch.id}`
  })
  c.controls.forEach((ctl, i) => {
    for (const s of ctl.supersededBy ?? [])
      if (!seen.has(s)) fields[`controls.${i}.supersededBy`] = `"${s}" is not in the catalogue`
  })
  return fields
}

/** Validates the TISAX catalogue, throwing a 400 naming each problem. */
export function parseTisaxCatalogue(input: unknown): TisaxCatalogue {
  throwIfInvalid(tisaxCatalogueProblems(input), 'The TISAX catalogue is invalid.')
  return tisaxCatalogueSchema.parse(input)
}

/**
 * The TISAX control ids that are in force (superseded ones left out), optionally of some
 * modules only. With `prototypeLabels`, prototype protection holds only the chapter 8
 * sections those labels need (every section when none are given).
 */
export function tisaxControlIds(
  catalogue: TisaxCatalogue,
  modules: readonly (typeof TISAX_MODULES)[number][] = TISAX_MODULES,
  prototypeLabels: readonly PrototypeLabel[] = [],
): string[] {
  const sections = new Set(
    catalogue.prototypeLabels.filter((l) => prototypeLabels.includes(l.id)).flatMap((l) => l.sections),
  )
  const inScope = (c: TisaxCatalogue['controls'][number]) =>
    c.module !== 'prototype-protection' ||
    prototypeLabels.length === 0 ||
    sections.has(c.id.split('.').slice(0, 2).join('.'))
  return catalogue.controls
    .filter((c) => !c.supersededBy && modules.includes(c.module) && inScope(c))
    .map((c) => c.id)
}

/**
 * The protection need a TISAX assessment level stands for (ENX assessment objectives): AL2 is
 * assessed for *high* protection needs, AL3 for *very high*. The ISA's additional requirements
 * for high protection needs apply from AL2, those for very high needs at AL3 — that is what
 * separates AL2 from AL3.
 */
export function additionalRequirements(level: 'AL2' | 'AL3' | undefined): ('high' | 'very-high')[] {
  if (level === 'AL3') return ['high', 'very-high']
  if (level === 'AL2') return ['high']
  return []
}

/** The maturity levels of the VDA ISA (0 incomplete … 5 optimising) and the level a control must reach. */
export const MATURITY_LEVELS = [0, 1, 2, 3, 4, 5] as const
/** The target maturity of every ISA control. */
export const TARGET_MATURITY = 3
