import type { CompanyProfile, ObligationDecision, Reason, Text } from '../obligations/index.js'
import { conclusionTexts, outcomeOf } from './outcome.js'
import { CONCLUSIONS, type Conclusion } from './types.js'

/** What one decision needs for a diff. */
export interface DiffSide {
  decision: ObligationDecision
  profile?: CompanyProfile
}

/** The differences between two decisions, from `a` (older) to `b` (newer). */
export interface DecisionDiff {
  /** Whether anything a reader cares about changed (conclusions, duties or reasons). */
  changed: boolean
  conclusions: { id: Conclusion; label: Text; from: Text; to: Text; changed: boolean }[]
  duties: {
    added: { id: string; title: Text }[]
    removed: { id: string; title: Text }[]
    kept: { id: string; title: Text }[]
  }
  reasons: { id: Conclusion; added: Reason[]; removed: Reason[] }[]
  /** Facts of the profile that differ (dotted paths, e.g. `employees`, `automotive.confidentiality`). */
  facts: { field: string; from: unknown; to: unknown }[]
}

/** Labels of the conclusions, for diffs and pages. */
export const CONCLUSION_LABELS: Record<Conclusion, Text> = {
  nis2: { en: 'NIS2 category', de: 'NIS2-Einstufung' },
  kritis: { en: 'KRITIS operator', de: 'KRITIS-Betreiber' },
  dpo: { en: 'Data protection officer', de: 'Datenschutzbeauftragter' },
  tisax: { en: 'TISAX assessment level', de: 'TISAX-Prüfniveau' },
}

const reasonKey = (r: Reason) => `${r.ref}\u0000${r.text.en}`

const reasonsOf = (d: ObligationDecision, c: Conclusion): Reason[] =>
  c === 'nis2'
    ? d.nis2.reasons
    : c === 'kritis'
      ? d.kritis.reasons
      : c === 'dpo'
        ? d.dpo.reasons
        : d.tisax.reasons

/** Leaf values by dotted path (arrays by index). */
function flatten(value: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value)
    if (entries.length === 0 && prefix) out[prefix] = value
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out)
  } else if (prefix) out[prefix] = value
  return out
}

/**
 * Compares two decisions: each conclusion's value, the duties added and removed, the reasons
 * added and removed per conclusion, and the facts of the profiles that differ.
 *
 * @example
 * diffDecisions({ decision: last.decision, profile: last.profile }, { decision: now.decision, profile: now.profile })
 */
export function diffDecisions(a: DiffSide, b: DiffSide): DecisionDiff {
  const [ta, tb] = [conclusionTexts(outcomeOf(a.decision)), conclusionTexts(outcomeOf(b.decision))]
  const conclusions = CONCLUSIONS.map((id) => ({
    id,
    label: CONCLUSION_LABELS[id],
    from: ta[id],
    to: tb[id],
    changed: ta[id].en !== tb[id].en,
  }))
  const dutyIds = (d: ObligationDecision) => new Map(d.duties.map((x) => [x.id, x.title]))
  const [da, db] = [dutyIds(a.decision), dutyIds(b.decision)]
  const duties = {
    added: [...db].filter(([id]) => !da.has(id)).map(([id, title]) => ({ id, title })),
    removed: [...da].filter(([id]) => !db.has(id)).map(([id, title]) => ({ id, title })),
    kept: [...db].filter(([id]) => da.has(id)).map(([id, title]) => ({ id, title })),
  }
  const reasons = CONCLUSIONS.map((id) => {
    const [ra, rb] = [reasonsOf(a.decision, id), reasonsOf(b.decision, id)]
    const [ka, kb] = [new Set(ra.map(reasonKey)), new Set(rb.map(reasonKey))]
    return {
      id,
      added: rb.filter((r) => !ka.has(reasonKey(r))),
      removed: ra.filter((r) => !kb.has(reasonKey(r))),
    }
  }).filter((r) => r.added.length || r.removed.length)
  const facts: DecisionDiff['facts'] = []
  if (a.profile && b.profile) {
    const [fa, fb] = [flatten(a.profile), flatten(b.profile)]
    for (const field of [...new Set([...Object.keys(fa), ...Object.keys(fb)])].sort())
      if (JSON.stringify(fa[field]) !== JSON.stringify(fb[field]))
        facts.push({ field, from: fa[field] ?? null, to: fb[field] ?? null })
  }
  return {
    changed:
      conclusions.some((c) => c.changed) ||
      duties.added.length > 0 ||
      duties.removed.length > 0 ||
      reasons.length > 0,
    conclusions,
    duties,
    reasons,
    facts,
  }
}
