import type { FieldErrors } from '../errors.js'
import { validationError } from '../errors.js'
import { naturalCompare } from '../natural-compare.js'
import { plural } from '../plural.js'
import type { IsoDate } from '../risk/calendar.js'
import { ANNEX_A_THEMES, annexAControlIds, annexAThemeOf } from '../risk/controls.js'
import type { Text } from '../risk/text.js'
import type { PlannedMilestone } from './planning.js'
import { evidenceFresh, type SoaEntry } from './soa.js'

/** A finding from an audit. Anything not `closed` is open. */
export interface Nonconformity {
  id: string
  severity: 'major' | 'minor' | 'area-of-concern'
  status: 'open' | 'in-progress' | 'closed'
  title?: string
}

/** Where a risk's treatment stands in the approval workflow. */
export const TREATMENT_STATES = [
  'none',
  'draft',
  'in-approval',
  'changes-requested',
  'approved',
  'accepted',
  'outdated',
  'expired',
] as const

/** A treatment state; only `approved` and `accepted` count as decided. */
export type TreatmentState = (typeof TREATMENT_STATES)[number]

/** What readiness needs to know of a risk. */
export interface ReadinessRisk {
  id: string
  title?: string
  treatment: TreatmentState
  /** Closed risks no longer count. */
  closed?: boolean
}

/** Relative weights of the four parts (any non-negative numbers, not all zero). */
export interface ReadinessWeights {
  controls: number
  milestones: number
  nonconformities: number
  risks: number
}

/** Default weights: controls 40, milestones 20, nonconformities 20, risks 20. */
export const DEFAULT_READINESS_WEIGHTS: ReadinessWeights = {
  controls: 40,
  milestones: 20,
  nonconformities: 20,
  risks: 20,
}

/** Points an open nonconformity takes off the nonconformities part (of 100). */
export const NONCONFORMITY_PENALTY = { major: 40, minor: 10 } as const

/** What blocks the next audit, by kind. */
export type BlockerKind =
  | 'control-undecided'
  | 'control-not-implemented'
  | 'evidence-missing'
  | 'milestone-late'
  | 'nonconformity-open'
  | 'risk-untreated'
  | 'risk-assessment-missing'

/** One thing that blocks Stage 1, with a sentence for people. */
export interface Blocker {
  kind: BlockerKind
  id: string
  text: Text
}

/** Progress of one theme (Annex A theme, or TISAX chapter). */
export interface ThemeProgress {
  theme: string
  applicable: number
  /** Catalogue controls without an SoA entry yet. */
  undecided: number
  implementedFresh: number
  /** implementedFresh ÷ (applicable + undecided), 0–100; 100 when nothing applies. */
  percent: number
}

/** A readiness score with its parts, per-theme progress and blockers. */
export interface Readiness {
  score: number
  parts: { controls: number; milestones: number; nonconformities: number; risks: number }
  perTheme: ThemeProgress[]
  blockers: Blocker[]
  counts: {
    applicable: number
    excluded: number
    undecided: number
    implementedFresh: number
    milestonesLate: number
    milestonesAtRisk: number
    openMajor: number
    openMinor: number
    risksOpen: number
    risksDecided: number
  }
}

/** The data readiness is computed from. */
export interface ReadinessInput {
  soa: readonly SoaEntry[]
  milestones: readonly PlannedMilestone[]
  nonconformities: readonly Nonconformity[]
  risks: readonly ReadinessRisk[]
  /** Every control the SoA must decide (default: the 93 Annex A ids). */
  expectedControlIds?: readonly string[]
  /** The theme of a control id (default: the Annex A theme). */
  themeOf?: (controlId: string) => string | undefined
}

const percent = (part: number, whole: number) => (whole === 0 ? 100 : (100 * part) / whole)

function weightProblems(w: ReadinessWeights): FieldErrors {
  const fields: FieldErrors = {}
  for (const key of ['controls', 'milestones', 'nonconformities', 'risks'] as const) {
    const v = w[key]
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      fields[`weights.${key}`] = 'must be a number of at least 0'
  }
  if (Object.keys(fields).length === 0 && w.controls + w.milestones + w.nonconformities + w.risks <= 0)
    fields.weights = 'at least one weight must be above 0'
  return fields
}

/**
 * Readiness of a certification project from its data, not from ticks:
 * - controls: applicable controls implemented with at least one fresh evidence item, out of the
 *   applicable ones plus those the SoA has not decided yet;
 * - milestones (preparation and certification phases): done on time or on track counts 1, done
 *   late or at risk ½, late 0;
 * - nonconformities: 100 minus 40 per open major and 10 per open minor (not below 0);
 * - risks: open risks with an approved or accepted treatment, out of all open risks (no risks at
 *   all scores 0: there is no risk assessment).
 * The score is the weighted mean (0–100, rounded). Blockers list what stands in the way of
 * Stage 1, each with a sentence in en/de. Throws a 400 naming the weight that is invalid.
 */
export function readiness(
  input: ReadinessInput,
  today: IsoDate,
  weights: ReadinessWeights = DEFAULT_READINESS_WEIGHTS,
): Readiness {
  const wp = weightProblems(weights)
  if (Object.keys(wp).length > 0) throw validationError(wp, 'The readiness weights are invalid.')
  const blockers: Blocker[] = []
  const themeOf = input.themeOf ?? annexAThemeOf
  const expected = input.expectedControlIds ?? (input.themeOf ? [] : annexAControlIds())

  // Controls and themes.
  const themes = new Map<string, ThemeProgress>()
  const themeFor = (id: string) => {
    const name = themeOf(id) ?? 'other'
    let t = themes.get(name)
    if (!t) {
      t = { theme: name, applicable: 0, undecided: 0, implementedFresh: 0, percent: 0 }
      themes.set(name, t)
    }
    return t
  }
  if (!input.themeOf)
    for (const t of ANNEX_A_THEMES)
      themes.set(t.theme, { theme: t.theme, applicable: 0, undecided: 0, implementedFresh: 0, percent: 0 })
  const decided = new Set(input.soa.map((e) => e.controlId))
  let applicable = 0
  let excluded = 0
  let implementedFresh = 0
  // In natural order, so "What blocks Stage 1" lists A.5.3 before A.5.29.
  for (const entry of [...input.soa].sort((a, b) => naturalCompare(a.controlId, b.controlId))) {
    if (!entry.applicable) {
      excluded++
      continue
    }
    applicable++
    const theme = themeFor(entry.controlId)
    theme.applicable++
    const fresh = entry.evidence.some((e) => evidenceFresh(e, today))
    if (entry.status === 'implemented' && fresh) {
      implementedFresh++
      theme.implementedFresh++
    } else if (entry.status === 'implemented') {
      blockers.push({
        kind: 'evidence-missing',
        id: entry.controlId,
        text: {
          en: `${entry.controlId}: implemented, but without fresh evidence.`,
          de: `${entry.controlId}: umgesetzt, aber ohne aktuellen Nachweis.`,
        },
      })
    } else {
      blockers.push({
        kind: 'control-not-implemented',
        id: entry.controlId,
        text: {
          en: `${entry.controlId}: applicable but not implemented yet.`,
          de: `${entry.controlId}: anwendbar, aber noch nicht umgesetzt.`,
        },
      })
    }
  }
  const undecidedIds = expected.filter((id) => !decided.has(id))
  for (const id of undecidedIds) themeFor(id).undecided++
  if (undecidedIds.length > 0)
    blockers.push({
      kind: 'control-undecided',
      id: undecidedIds.join(','),
      text: {
        en: `The Statement of Applicability has not decided ${plural('en', undecidedIds.length, { one: '# control', other: '# controls' })} yet.`,
        de: plural('de', undecidedIds.length, {
          one: 'In der Erklärung zur Anwendbarkeit ist # Control noch nicht entschieden.',
          other: 'In der Erklärung zur Anwendbarkeit sind # Controls noch nicht entschieden.',
        }),
      },
    })
  for (const t of themes.values())
    t.percent = Math.round(percent(t.implementedFresh, t.applicable + t.undecided))
  const controls = percent(implementedFresh, applicable + undecidedIds.length)

  // Milestones.
  let credit = 0
  let counted = 0
  let milestonesLate = 0
  let milestonesAtRisk = 0
  for (const m of input.milestones) {
    if (m.phase === 'surveillance') continue
    counted++
    if (m.status === 'done') credit += m.late ? 0.5 : 1
    else if (m.late) {
      milestonesLate++
      blockers.push({
        kind: 'milestone-late',
        id: m.id,
        text: {
          en: `Milestone "${m.title.en}" was due on ${m.due} and is not done.`,
          de: `Meilenstein „${m.title.de}“ war am ${m.due} fällig und ist nicht erledigt.`,
        },
      })
    } else if (m.atRisk) {
      milestonesAtRisk++
      credit += 0.5
    } else credit += 1
  }
  const milestones = percent(credit, counted)

  // Nonconformities.
  const open = input.nonconformities.filter((n) => n.status !== 'closed')
  const openMajor = open.filter((n) => n.severity === 'major')
  const openMinor = open.length - openMajor.length
  for (const n of openMajor)
    blockers.push({
      kind: 'nonconformity-open',
      id: n.id,
      text: {
        en: `Major nonconformity ${n.title ? `"${n.title}" ` : ''}is still open.`,
        de: `Hauptabweichung ${n.title ? `„${n.title}“ ` : ''}ist noch offen.`,
      },
    })
  const nonconformities = Math.max(
    0,
    100 - NONCONFORMITY_PENALTY.major * openMajor.length - NONCONFORMITY_PENALTY.minor * openMinor,
  )

  // Risks.
  const openRisks = input.risks.filter((r) => !r.closed)
  const decidedRisks = openRisks.filter((r) => r.treatment === 'approved' || r.treatment === 'accepted')
  for (const r of openRisks)
    if (!decidedRisks.includes(r))
      blockers.push({
        kind: 'risk-untreated',
        id: r.id,
        text: {
          en: `Risk ${r.title ? `"${r.title}"` : r.id} has no approved treatment.`,
          de: `Für das Risiko ${r.title ? `„${r.title}“` : r.id} gibt es keine freigegebene Behandlung.`,
        },
      })
  if (openRisks.length === 0)
    blockers.push({
      kind: 'risk-assessment-missing',
      id: 'risks',
      text: {
        en: 'No risks are recorded: the risk assessment is missing.',
        de: 'Es sind keine Risiken erfasst: die Risikobeurteilung fehlt.',
      },
    })
  const risks = openRisks.length === 0 ? 0 : percent(decidedRisks.length, openRisks.length)

  const total = weights.controls + weights.milestones + weights.nonconformities + weights.risks
  const score =
    (weights.controls * controls +
      weights.milestones * milestones +
      weights.nonconformities * nonconformities +
      weights.risks * risks) /
    total
  return {
    score: Math.round(score),
    parts: {
      controls: Math.round(controls),
      milestones: Math.round(milestones),
      nonconformities: Math.round(nonconformities),
      risks: Math.round(risks),
    },
    perTheme: [...themes.values()],
    blockers,
    counts: {
      applicable,
      excluded,
      undecided: undecidedIds.length,
      implementedFresh,
      milestonesLate,
      milestonesAtRisk,
      openMajor: openMajor.length,
      openMinor,
      risksOpen: openRisks.length,
      risksDecided: decidedRisks.length,
    },
  }
}
