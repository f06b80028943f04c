import { canonicalJson } from './canonical.js'
import { compareControlIds } from './controls.js'
import type { Measure, TreatmentPlan } from './plan.js'
import type { Risk, RiskFields } from './risk.js'
import { sha256Hex } from './sha256.js'
import type { Text } from './text.js'

/** Identifies the snapshot layout; part of the hashed text, so a new layout never collides with an old hash. */
export const SNAPSHOT_FORMAT = 'ismsflow.risk-snapshot/1'

/** The risk as management saw it when deciding (status and bookkeeping left out). */
export type SnapshotRisk = Pick<
  Risk,
  | 'id'
  | 'title'
  | 'description'
  | 'category'
  | 'assets'
  | 'threat'
  | 'vulnerability'
  | 'ownerId'
  | 'likelihood'
  | 'impact'
  | 'controlIds'
  | 'obligationRefs'
>

/** A frozen, normalised copy of a risk and its plan: sets sorted, measures ordered by id. */
export interface RiskSnapshot {
  format: typeof SNAPSHOT_FORMAT
  risk: SnapshotRisk
  plan: TreatmentPlan | null
}

const uniqueSorted = (values: readonly string[], compare?: (a: string, b: string) => number) =>
  [...new Set(values.map((v) => v.trim()))].sort(compare)

/**
 * The snapshot object of a risk and its plan. Order-only differences (assets, control ids,
 * obligation references, measures) do not change it; every other edit does.
 */
export function snapshotOf(
  risk: SnapshotRisk & Partial<RiskFields>,
  plan: TreatmentPlan | null | undefined,
): RiskSnapshot {
  return {
    format: SNAPSHOT_FORMAT,
    risk: {
      id: risk.id,
      title: risk.title,
      description: risk.description,
      category: risk.category,
      assets: uniqueSorted(risk.assets),
      threat: risk.threat,
      vulnerability: risk.vulnerability,
      ownerId: risk.ownerId,
      likelihood: risk.likelihood,
      impact: risk.impact,
      controlIds: uniqueSorted(risk.controlIds, compareControlIds),
      obligationRefs: uniqueSorted(risk.obligationRefs),
    },
    plan: plan
      ? {
          option: plan.option,
          measures: [...plan.measures]
            .map((m): Measure => ({ ...m }))
            .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
          targetLikelihood: plan.targetLikelihood,
          targetImpact: plan.targetImpact,
          justification: plan.justification,
        }
      : null,
  }
}

/** The canonical JSON of a risk and its plan: the text management approves and whose hash the decision stores. */
export function riskSnapshot(risk: SnapshotRisk, plan: TreatmentPlan | null | undefined): string {
  return canonicalJson(snapshotOf(risk, plan))
}

/**
 * SHA-256 (hex) over the canonical JSON of a snapshot. Pass the JSON from `riskSnapshot` or the
 * object from `snapshotOf`; `hash` may replace the built-in pure-TS SHA-256 (it must take the
 * canonical text and return hex).
 */
export function snapshotHash(
  snapshot: string | RiskSnapshot,
  hash: (text: string) => string = sha256Hex,
): string {
  return hash(typeof snapshot === 'string' ? snapshot : canonicalJson(snapshot))
}

/** The risk fields whose change makes an earlier approval outdated. */
export const MATERIAL_FIELDS = ['likelihood', 'impact', 'title', 'assets'] as const

/** A field whose change is material. */
export type MaterialField = (typeof MATERIAL_FIELDS)[number]

/**
 * Whether a risk changed materially between two states: likelihood, impact or scope (title, the
 * set of affected assets). Whitespace and asset order do not count.
 */
export function materialChange<A extends Pick<Risk, MaterialField>, B extends Pick<Risk, MaterialField>>(
  before: A,
  after: B,
): { changed: boolean; fields: MaterialField[] } {
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ')
  const assets = (r: Pick<Risk, 'assets'>) => JSON.stringify(uniqueSorted(r.assets.map(norm)))
  const fields = MATERIAL_FIELDS.filter((f) => {
    if (f === 'assets') return assets(before) !== assets(after)
    if (f === 'title') return norm(before.title) !== norm(after.title)
    return before[f] !== after[f]
  })
  return { changed: fields.length > 0, fields }
}

/** One difference between two snapshots. */
export interface SnapshotChange {
  /** Where, with measure ids: `risk.likelihood`, `risk.assets`, `plan.measures.m1.dueDate`. */
  path: string
  /** The same without ids, for looking up a label in `SNAPSHOT_FIELD_NAMES`: `plan.measures.dueDate`. */
  field: string
  kind: 'added' | 'removed' | 'changed'
  before?: unknown
  after?: unknown
}

/** Labels for `SnapshotChange.field`, en/de. */
export const SNAPSHOT_FIELD_NAMES: Record<string, Text> = {
  'risk.title': { en: 'Title', de: 'Titel' },
  'risk.description': { en: 'Description', de: 'Beschreibung' },
  'risk.category': { en: 'Category', de: 'Kategorie' },
  'risk.assets': { en: 'Affected assets', de: 'Betroffene Werte' },
  'risk.threat': { en: 'Threat', de: 'Bedrohung' },
  'risk.vulnerability': { en: 'Vulnerability', de: 'Schwachstelle' },
  'risk.ownerId': { en: 'Risk owner', de: 'Risikoeigner' },
  'risk.likelihood': { en: 'Likelihood', de: 'Eintrittswahrscheinlichkeit' },
  'risk.impact': { en: 'Impact', de: 'Auswirkung' },
  'risk.controlIds': { en: 'Controls', de: 'Maßnahmen (Anhang A)' },
  'risk.obligationRefs': { en: 'Obligations', de: 'Pflichten' },
  plan: { en: 'Treatment plan', de: 'Behandlungsplan' },
  'plan.option': { en: 'Treatment option', de: 'Behandlungsoption' },
  'plan.targetLikelihood': { en: 'Target likelihood', de: 'Ziel-Eintrittswahrscheinlichkeit' },
  'plan.targetImpact': { en: 'Target impact', de: 'Ziel-Auswirkung' },
  'plan.justification': { en: 'Justification', de: 'Begründung' },
  'plan.measures': { en: 'Measure', de: 'Maßnahme' },
  'plan.measures.description': { en: 'Measure description', de: 'Beschreibung der Maßnahme' },
  'plan.measures.ownerId': { en: 'Measure owner', de: 'Verantwortlich für die Maßnahme' },
  'plan.measures.dueDate': { en: 'Measure due date', de: 'Fälligkeit der Maßnahme' },
  'plan.measures.costEur': { en: 'Measure cost (EUR)', de: 'Kosten der Maßnahme (EUR)' },
  'plan.measures.controlId': { en: 'Measure control', de: 'Control der Maßnahme' },
}

const asSnapshot = (s: string | RiskSnapshot | null | undefined): RiskSnapshot | null =>
  s == null ? null : typeof s === 'string' ? (JSON.parse(s) as RiskSnapshot) : s

/**
 * What changed from snapshot `a` (an earlier round, or null) to `b`: changed values, items added
 * to or removed from sets (assets, controls, obligations), measures added, removed or edited
 * (matched by id), the plan added or removed. Accepts snapshot objects or their JSON.
 */
export function diffSnapshots(
  a: string | RiskSnapshot | null | undefined,
  b: string | RiskSnapshot | null | undefined,
): SnapshotChange[] {
  const before = asSnapshot(a)
  const after = asSnapshot(b)
  const changes: SnapshotChange[] = []
  const scalar = (path: string, field: string, x: unknown, y: unknown) => {
    if (canonicalJson(x ?? null) !== canonicalJson(y ?? null))
      changes.push({ path, field, kind: 'changed', before: x, after: y })
  }
  const set = (path: string, x: readonly string[] = [], y: readonly string[] = []) => {
    for (const v of y) if (!x.includes(v)) changes.push({ path, field: path, kind: 'added', after: v })
    for (const v of x) if (!y.includes(v)) changes.push({ path, field: path, kind: 'removed', before: v })
  }
  const rb = before?.risk
  const ra = after?.risk
  if (rb || ra) {
    for (const key of [
      'title',
      'description',
      'category',
      'threat',
      'vulnerability',
      'ownerId',
      'likelihood',
      'impact',
    ] as const)
      scalar(`risk.${key}`, `risk.${key}`, rb?.[key], ra?.[key])
    for (const key of ['assets', 'controlIds', 'obligationRefs'] as const)
      set(`risk.${key}`, rb?.[key], ra?.[key])
  }
  const pb = before?.plan ?? null
  const pa = after?.plan ?? null
  if (!pb && pa) changes.push({ path: 'plan', field: 'plan', kind: 'added', after: pa })
  else if (pb && !pa) changes.push({ path: 'plan', field: 'plan', kind: 'removed', before: pb })
  else if (pb && pa) {
    for (const key of ['option', 'targetLikelihood', 'targetImpact', 'justification'] as const)
      scalar(`plan.${key}`, `plan.${key}`, pb[key], pa[key])
    const byId = (ms: Measure[]) => new Map(ms.map((m) => [m.id, m]))
    const mb = byId(pb.measures)
    const ma = byId(pa.measures)
    for (const [id, m] of ma) {
      const old = mb.get(id)
      if (!old) {
        changes.push({ path: `plan.measures.${id}`, field: 'plan.measures', kind: 'added', after: m })
        continue
      }
      for (const key of ['description', 'ownerId', 'dueDate', 'costEur', 'controlId'] as const)
        scalar(`plan.measures.${id}.${key}`, `plan.measures.${key}`, old[key], m[key])
    }
    for (const [id, m] of mb)
      if (!ma.has(id))
        changes.push({ path: `plan.measures.${id}`, field: 'plan.measures', kind: 'removed', before: m })
  }
  return changes
}
