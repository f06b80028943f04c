/**
 * The checklist of an internal audit: for each clause in scope its sub-clauses, for each
 * Annex A theme in scope the controls the Statement of Applicability includes (with their
 * implementation status and owner) and, listed apart, those it excludes with the reason — an
 * auditor checks both (6.1.3 d).
 */
import type { Text } from '../risk/text.js'
import { AUDIT_AREAS } from './areas.js'

/** A control of the SoA as the checklist needs it. */
export interface ChecklistControl {
  controlId: string
  title: Text
  applicable: boolean
  status: string
  ownerId?: string
  justification?: string
}

/** One line of a checklist. */
export interface ChecklistItem {
  ref: string
  title: Text
  /** Controls only: where the SoA stands. */
  applicable?: boolean
  status?: string
  ownerId?: string
  justification?: string
}

/** The checklist of one area. */
export interface ChecklistSection {
  area: string
  title: Text
  items: ChecklistItem[]
  /** Annex A theme without an SoA to take the controls from. */
  noSoa?: boolean
}

/**
 * The checklist of the areas in scope. `controls` are the SoA's controls of the organisation's
 * ISO/IEC 27001 project with their theme (`organisational`, …), or null when there is no SoA yet.
 */
export function auditChecklist(
  areas: readonly string[],
  controls: readonly (ChecklistControl & { theme: string })[] | null,
): ChecklistSection[] {
  return AUDIT_AREAS.filter((a) => areas.includes(a.id)).map((a) => {
    if (a.kind === 'clause')
      return { area: a.id, title: a.title, items: a.items.map((i) => ({ ref: i.id, title: i.title })) }
    if (!controls) return { area: a.id, title: a.title, items: [], noSoa: true }
    const items = controls
      .filter((c) => c.theme === a.theme)
      .sort(
        (x, y) =>
          Number(y.applicable) - Number(x.applicable) ||
          x.controlId.localeCompare(y.controlId, 'en', { numeric: true }),
      )
      .map((c) => ({
        ref: c.controlId,
        title: c.title,
        applicable: c.applicable,
        status: c.status,
        ...(c.ownerId ? { ownerId: c.ownerId } : {}),
        ...(c.justification ? { justification: c.justification } : {}),
      }))
    return { area: a.id, title: a.title, items }
  })
}
