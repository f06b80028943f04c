import { z } from 'zod'
import type { FieldErrors } from '../errors.js'
import { throwIfInvalid, zodFieldErrors } from '../risk/fields.js'
import { type Text, textSchema } from '../risk/text.js'

/** How a milestone is completed: a form submission, a human task, a gate the system checks, or an audit. */
export const COMPLETION_KINDS = ['form', 'task', 'gate', 'audit'] as const

/** What an audit produces: nonconformities, or (Stage 1) areas of concern. */
export const FINDING_KINDS = ['nonconformities', 'areas-of-concern'] as const

/** Who does a milestone (roles of the organisation). */
export const PERFORMER_ROLES = ['iso', 'management', 'member'] as const

/** Where a milestone sits in the certification cycle. */
export const PHASES = ['preparation', 'certification', 'surveillance'] as const

const idSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,62}$/, 'must be a lower-case id of letters, digits and -')

/** One milestone of a template. */
export const milestoneSchema = z.strictObject({
  id: idSchema,
  title: textSchema(160),
  /** The clause or chapter it answers, e.g. `4.1–4.4`, `9.2`, `ISA 1–7`. */
  clause: z.string().trim().max(40, 'must be at most 40 characters').default(''),
  phase: z.enum(PHASES, `must be one of ${PHASES.join(', ')}`).default('preparation'),
  /** Days before the audit date the milestone is due by default; negative means after the audit. */
  leadDays: z
    .int('must be a whole number')
    .min(-3650, 'must be at least -3650')
    .max(3650, 'must be at most 3650'),
  /** How many days the work takes; the start date is the due date minus this. */
  durationDays: z
    .int('must be a whole number')
    .min(0, 'must not be negative')
    .max(730, 'must be at most 730'),
  dependsOn: z.array(idSchema).max(30, 'has at most 30 entries').default([]),
  completes: z
    .strictObject({
      kind: z.enum(COMPLETION_KINDS, `must be one of ${COMPLETION_KINDS.join(', ')}`),
      formId: idSchema.optional(),
    })
    .refine((c) => c.kind !== 'form' || c.formId !== undefined, {
      message: 'is required for kind "form"',
      path: ['formId'],
    }),
  performerRole: z.enum(PERFORMER_ROLES, `must be one of ${PERFORMER_ROLES.join(', ')}`),
  /**
   * What an audit milestone finds: nonconformities, or — a Stage 1 (documentation review) —
   * areas of concern (ISO/IEC 17021-1 9.3.1.2), which are not nonconformities. Absent: nonconformities.
   */
  findings: z.enum(FINDING_KINDS, `must be one of ${FINDING_KINDS.join(', ')}`).optional(),
})

/** A milestone of a template (after defaults). */
export type MilestoneTemplate = z.infer<typeof milestoneSchema>

/** The certification targets templates exist for. */
export const STANDARDS = ['iso27001', 'tisax'] as const

/** A certification target. */
export type Standard = (typeof STANDARDS)[number]

const templateShape = z.strictObject({
  id: idSchema,
  version: z.int('must be a whole number').min(1, 'must be at least 1'),
  standard: z.enum(STANDARDS, `must be one of ${STANDARDS.join(', ')}`),
  title: textSchema(160),
  /** The milestone the audit date is the date of (e.g. Stage 2); it must have leadDays 0. */
  anchorId: idSchema,
  milestones: z
    .array(milestoneSchema)
    .min(1, 'needs at least one milestone')
    .max(200, 'has at most 200 milestones'),
})

/** A milestone template: the plan of a certification project, in `workflows/certification/`. */
export type CertificationTemplate = z.infer<typeof templateShape>

/**
 * Finds a dependency loop among milestones: the ids along the loop with the first repeated at the
 * end (`['a', 'b', 'c', 'a']`), or null when there is none. Unknown dependency ids are ignored
 * here (`templateProblems` reports them).
 */
export function findDependencyCycle(
  milestones: readonly Pick<MilestoneTemplate, 'id' | 'dependsOn'>[],
): string[] | null {
  const deps = new Map(milestones.map((m) => [m.id, m.dependsOn]))
  const state = new Map<string, 'open' | 'done'>()
  const path: string[] = []
  const visit = (id: string): string[] | null => {
    const s = state.get(id)
    if (s === 'done') return null
    if (s === 'open') return [...path.slice(path.indexOf(id)), id]
    state.set(id, 'open')
    path.push(id)
    for (const dep of deps.get(id) ?? []) {
      if (!deps.has(dep)) continue
      const cycle = visit(dep)
      if (cycle) return cycle
    }
    path.pop()
    state.set(id, 'done')
    return null
  }
  for (const m of milestones) {
    const cycle = visit(m.id)
    if (cycle) return cycle
  }
  return null
}

/**
 * Every problem with a template, keyed by field (empty when valid): shape, unique milestone ids,
 * known dependencies, no self-dependency, no dependency loop (the message names the loop, e.g.
 * `forms a loop: soa → risk-treatment → soa`), an anchor milestone with leadDays 0.
 */
export function templateProblems(input: unknown): FieldErrors {
  const parsed = templateShape.safeParse(input)
  if (!parsed.success) return zodFieldErrors(parsed.error)
  const t = parsed.data
  const fields: FieldErrors = {}
  const index = new Map<string, number>()
  t.milestones.forEach((m, i) => {
    if (index.has(m.id)) fields[`milestones.${i}.id`] = `"${m.id}" is used by another milestone`
    else index.set(m.id, i)
  })
  t.milestones.forEach((m, i) => {
    m.dependsOn.forEach((dep, j) => {
      if (dep === m.id) fields[`milestones.${i}.dependsOn.${j}`] = 'a milestone cannot depend on itself'
      else if (!index.has(dep))
        fields[`milestones.${i}.dependsOn.${j}`] = `"${dep}" is not a milestone of this template`
    })
  })
  const cycle = findDependencyCycle(t.milestones.filter((m) => !m.dependsOn.includes(m.id)))
  if (cycle) fields[`milestones.${index.get(cycle[0]!)}.dependsOn`] = `forms a loop: ${cycle.join(' → ')}`
  const anchor = index.get(t.anchorId)
  if (anchor === undefined) fields.anchorId = `"${t.anchorId}" is not a milestone of this template`
  else if (t.milestones[anchor]!.leadDays !== 0)
    fields[`milestones.${anchor}.leadDays`] = 'must be 0 for the anchor (the audit itself)'
  return fields
}

/** Validates a template, throwing a 400 naming each failing field (see `templateProblems`). */
export function parseCertificationTemplate(input: unknown): CertificationTemplate {
  throwIfInvalid(templateProblems(input), 'The milestone template has invalid fields.')
  return templateShape.parse(input)
}

/** Phase names, en/de. */
export const PHASE_NAMES: Record<(typeof PHASES)[number], Text> = {
  preparation: { en: 'Preparation', de: 'Vorbereitung' },
  certification: { en: 'Certification', de: 'Zertifizierung' },
  surveillance: { en: 'Surveillance', de: 'Überwachung' },
}

/** Names of the completion kinds, en/de. */
export const COMPLETION_KIND_NAMES: Record<(typeof COMPLETION_KINDS)[number], Text> = {
  form: { en: 'Questionnaire', de: 'Fragebogen' },
  task: { en: 'Task', de: 'Aufgabe' },
  gate: { en: 'Checkpoint', de: 'Prüfpunkt' },
  audit: { en: 'Audit', de: 'Audit' },
}

/** Severities of a recorded finding: nonconformities are major or minor; Stage 1 finds areas of concern. */
export const FINDING_SEVERITIES = ['major', 'minor', 'area-of-concern'] as const

/**
 * The problem with a finding's severity for its source, or undefined: a finding of an audit
 * milestone that produces areas of concern (Stage 1) is an `area-of-concern`, and only such a
 * finding is (ISO/IEC 17021-1: Stage 1 identifies areas of concern, not nonconformities).
 */
export function severityProblem(
  template: { milestones: readonly { id: string; findings?: (typeof FINDING_KINDS)[number] }[] },
  source: string,
  severity: (typeof FINDING_SEVERITIES)[number],
): string | undefined {
  const concerns = template.milestones.find((m) => m.id === source)?.findings === 'areas-of-concern'
  if (concerns && severity !== 'area-of-concern')
    return 'Stage 1 finds areas of concern, not nonconformities: choose area-of-concern'
  if (!concerns && severity === 'area-of-concern')
    return 'only a Stage 1 audit finds areas of concern; a nonconformity is major or minor'
  return undefined
}
