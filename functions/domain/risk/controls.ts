/**
 * ISO/IEC 27001:2022 Annex A control ids: the shape the risk register links to and the
 * Statement of Applicability is keyed by. The titles live in `workflows/catalogues/annex-a.json`;
 * the domain only needs to know which ids exist and which theme each belongs to.
 */

import { naturalCompare } from '../natural-compare.js'

/** The four Annex A themes (clauses 5–8 of Annex A). */
export type AnnexATheme = 'organisational' | 'people' | 'physical' | 'technological'

/** Each theme with its Annex A clause number and how many controls it holds (37 + 8 + 14 + 34 = 93). */
export const ANNEX_A_THEMES: readonly { theme: AnnexATheme; clause: 5 | 6 | 7 | 8; count: number }[] = [
  { theme: 'organisational', clause: 5, count: 37 },
  { theme: 'people', clause: 6, count: 8 },
  { theme: 'physical', clause: 7, count: 14 },
  { theme: 'technological', clause: 8, count: 34 },
]

/** Theme names for people, en/de. */
export const ANNEX_A_THEME_NAMES: Record<AnnexATheme, { en: string; de: string }> = {
  organisational: { en: 'Organisational', de: 'Organisatorisch' },
  people: { en: 'People', de: 'Personenbezogen' },
  physical: { en: 'Physical', de: 'Physisch' },
  technological: { en: 'Technological', de: 'Technologisch' },
}

const ID = /^A\.([5-8])\.([1-9]\d?)$/

/** The theme of an Annex A id (`A.8.24` → technological), or undefined when the id does not exist. */
export function annexAThemeOf(controlId: string): AnnexATheme | undefined {
  const m = ID.exec(controlId)
  if (!m) return undefined
  const entry = ANNEX_A_THEMES.find((t) => t.clause === Number(m[1]))!
  return Number(m[2]) <= entry.count ? entry.theme : undefined
}

/** True for the 93 ids that exist: `A.5.1` … `A.5.37`, `A.6.1` … `A.6.8`, `A.7.1` … `A.7.14`, `A.8.1` … `A.8.34`. */
export function isAnnexAControlId(controlId: string): boolean {
  return annexAThemeOf(controlId) !== undefined
}

/** All 93 ids in catalogue order. */
export function annexAControlIds(): string[] {
  return ANNEX_A_THEMES.flatMap((t) => Array.from({ length: t.count }, (_, i) => `A.${t.clause}.${i + 1}`))
}

/** Sorts Annex A ids numerically (`A.5.2` before `A.5.10`); unknown ids go last, in natural order. */
export function compareControlIds(a: string, b: string): number {
  const ma = ID.exec(a)
  const mb = ID.exec(b)
  if (ma && mb) return Number(ma[1]) - Number(mb[1]) || Number(ma[2]) - Number(mb[2])
  if (ma) return -1
  if (mb) return 1
  return naturalCompare(a, b)
}
