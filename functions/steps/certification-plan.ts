/**
 * Step `certification-plan` (read only): what the certification workflow does next, from the
 * project as it is now. Actions:
 * - `plan`: the waves of milestones (dependency levels of the template) with the Stage 1 gate
 *   before the first audit;
 * - `milestone`: one milestone as the workflow needs it now (kind, form, role, due date and
 *   timeouts from the current audit date, whether it is done, when to wait until);
 * - `readiness`: the score against the Stage 1 threshold, with the blockers;
 * - `owners`: control owners who still owe evidence, each with the due date from the plan;
 * - `findings`: open nonconformities (of one audit, or all) with their corrective-action due dates.
 *
 * Time comes from the workflow (`at`: the state's entered time), so the local engine's clock
 * and AWS agree and a repeated invocation answers the same.
 */
import { z } from 'zod'
import {
  type CertificationTemplate,
  implementedWithFreshEvidence,
  type MilestoneTemplate,
  readiness,
} from '../domain/certification/index.js'
import { validationError } from '../domain/errors.js'
import { addDays, type IsoDate } from '../domain/risk/calendar.js'
import type { Text } from '../domain/risk/text.js'
import {
  type CertificationRecords,
  type CertProject,
  certificationRecords,
  dateOf,
  dueAtOf,
  projectPlan,
  projectTemplate,
  readinessInputs,
} from '../store/certification.js'
import { defineStep } from './step.js'

/** The pseudo-milestone id of the Stage 1 gate. */
export const GATE_ID = 'stage-1-gate'

/** Seconds a reminder to the ISO waits before management is asked (7 days). */
export const REMIND_SECONDS = 7 * 86_400

/** The shortest first deadline for work that is already overdue when its task starts (3 days). */
export const MIN_TIMEOUT_SECONDS = 3 * 86_400

/** Days before a surveillance or recertification audit its task appears. */
export const SURVEILLANCE_LEAD_DAYS = 42

/** How the workflow handles a milestone. */
export type ItemKind = 'task' | 'form' | 'evidence' | 'audit' | 'findings' | 'certificate' | 'stage1-gate'

/** Forms by item kind (form milestones name their own). */
export const ITEM_FORMS: Record<Exclude<ItemKind, 'form'>, string> = {
  task: 'certification-milestone',
  evidence: 'certification-evidence',
  audit: 'certification-audit-result',
  findings: 'certification-corrective-action',
  certificate: 'certification-certificate',
  'stage1-gate': 'certification-stage1-override',
}

/**
 * The kind of a template milestone: audits; a gate right after an audit closes its findings;
 * member work is evidence collection (a Map over control owners); the certification phase's
 * last milestone records the certificate or label; other work is a task or its form.
 */
export function itemKind(t: CertificationTemplate, m: MilestoneTemplate): ItemKind {
  const byId = new Map(t.milestones.map((x) => [x.id, x]))
  if (m.completes.kind === 'audit') return 'audit'
  if (m.completes.kind === 'gate' && m.dependsOn.some((d) => byId.get(d)?.completes.kind === 'audit'))
    return 'findings'
  if (m.performerRole === 'member' && m.completes.kind === 'task') return 'evidence'
  const certDependents = t.milestones.filter((x) => x.phase === 'certification' && x.dependsOn.includes(m.id))
  if (m.phase === 'certification' && certDependents.length === 0) return 'certificate'
  return m.completes.kind === 'form' ? 'form' : 'task'
}

/** Dependency levels of a template, with the Stage 1 gate as its own wave before the first audit. */
export function waves(t: CertificationTemplate): string[][] {
  const byId = new Map(t.milestones.map((m) => [m.id, m]))
  const level = new Map<string, number>()
  const levelOf = (id: string): number => {
    const known = level.get(id)
    if (known !== undefined) return known
    const m = byId.get(id)!
    const l = m.dependsOn.length === 0 ? 0 : 1 + Math.max(...m.dependsOn.map(levelOf))
    level.set(id, l)
    return l
  }
  const out: string[][] = []
  for (const m of t.milestones) {
    const l = levelOf(m.id)
    out[l] = [...(out[l] ?? []), m.id]
  }
  const result = out.filter((w) => w?.length)
  const firstAudit = result.findIndex((w) => w.some((id) => byId.get(id)!.completes.kind === 'audit'))
  if (firstAudit >= 0) result.splice(firstAudit, 0, [GATE_ID])
  return result
}

const timeoutUntil = (dueAt: string, at: string) =>
  Math.min(99_999_999, Math.max(MIN_TIMEOUT_SECONDS, Math.round((Date.parse(dueAt) - Date.parse(at)) / 1000)))

const base = z.object({
  orgId: z.string().min(2),
  projectId: z.string().min(1),
  at: z.string().datetime({ offset: true }),
})

const input = z.discriminatedUnion('action', [
  base.extend({ action: z.literal('plan') }).strict(),
  base.extend({ action: z.literal('milestone'), milestoneId: z.string().min(1) }).strict(),
  base.extend({ action: z.literal('readiness') }).strict(),
  base.extend({ action: z.literal('owners'), milestoneId: z.string().min(1) }).strict(),
  base
    .extend({ action: z.literal('findings'), milestoneId: z.string().min(1), source: z.string().nullable() })
    .strict(),
])

/** Input of the step. */
export type CertificationPlanInput = z.input<typeof input>

const subjectOf = (p: CertProject) => ({ type: 'cert-project', id: p.id, title: p.title })

/** One milestone as the workflow needs it now. */
export function milestoneItem(project: CertProject, milestoneId: string, at: string) {
  const today = dateOf(at)
  const t = projectTemplate(project)
  const plan = projectPlan(project, today).milestones
  const subject = subjectOf(project)
  if (milestoneId === GATE_ID) {
    const firstAudit = plan.find((m) => m.completes.kind === 'audit')
    const dueAt = dueAtOf(firstAudit?.start ?? today)
    return {
      id: GATE_ID,
      kind: 'stage1-gate' as ItemKind,
      done: project.gate !== undefined || (firstAudit ? project.done[firstAudit.id] !== undefined : false),
      title: {
        en: 'Stage 1 gate: readiness or management override',
        de: 'Stufe-1-Freigabe: Reife oder Entscheidung der Leitung',
      },
      clause: '',
      formId: ITEM_FORMS['stage1-gate'],
      role: 'management',
      dueAt,
      timeoutSeconds: timeoutUntil(dueAt, at),
      remindSeconds: REMIND_SECONDS,
      wait: false,
      waitUntil: at,
      subject,
      context: { projectId: project.id, milestoneId: GATE_ID, standard: project.standard },
    }
  }
  const m = t.milestones.find((x) => x.id === milestoneId)
  if (!m) throw validationError({ milestoneId: `"${milestoneId}" is not a milestone of the template` })
  const planned = plan.find((x) => x.id === milestoneId)!
  const kind = itemKind(t, m)
  const dueAt = dueAtOf(planned.due)
  const surveillance = m.phase === 'surveillance'
  const waitUntil = surveillance ? `${addDays(planned.due, -SURVEILLANCE_LEAD_DAYS)}T06:00:00.000Z` : at
  // A surveillance audit's first deadline counts from when its task appears, not from now.
  const from = surveillance && waitUntil > at ? waitUntil : at
  const title: Text = m.title
  return {
    id: m.id,
    kind,
    done: project.done[m.id] !== undefined,
    title,
    clause: m.clause,
    formId: m.completes.formId ?? ITEM_FORMS[kind === 'form' ? 'task' : kind],
    role: m.performerRole,
    dueAt,
    timeoutSeconds: timeoutUntil(dueAt, from),
    remindSeconds: REMIND_SECONDS,
    wait: surveillance,
    waitUntil,
    subject,
    context: {
      projectId: project.id,
      milestoneId: m.id,
      clause: m.clause,
      standard: project.standard,
      auditDate: project.auditDate,
      due: planned.due,
    },
  }
}

/** Control owners who still owe evidence (applicable controls without fresh evidence or not implemented). */
export async function ownerItems(
  recs: CertificationRecords,
  project: CertProject,
  milestoneId: string,
  at: string,
) {
  const today = dateOf(at)
  const planned = projectPlan(project, today).milestones.find((m) => m.id === milestoneId)
  const dueAt = dueAtOf(planned?.due ?? today)
  const byOwner = new Map<string, string[]>()
  for (const r of await recs.soa(project.id)) {
    const e = r.data
    if (!e.applicable || !e.ownerId || implementedWithFreshEvidence(e, today)) continue
    byOwner.set(e.ownerId, [...(byOwner.get(e.ownerId) ?? []), e.controlId])
  }
  return [...byOwner.entries()].map(([ownerId, controls]) => ({
    orgId: recs.org.orgId,
    projectId: project.id,
    milestoneId,
    ownerId,
    controls,
    title: {
      en: `Evidence for your controls (${controls.length}): ${project.title}`,
      de: `Nachweise für Ihre Controls (${controls.length}): ${project.title}`,
    },
    dueAt,
    timeoutSeconds: timeoutUntil(dueAt, at),
    remindSeconds: REMIND_SECONDS,
    subject: subjectOf(project),
    context: { projectId: project.id, milestoneId, controls, due: dateOf(dueAt) },
  }))
}

/** Open nonconformities (of the audit `source`, or all when null) as corrective-action work items. */
export async function findingItems(
  recs: CertificationRecords,
  project: CertProject,
  milestoneId: string,
  source: string | null,
  at: string,
) {
  const today = dateOf(at)
  const plan = projectPlan(project, today).milestones
  const fallback = plan.find((m) => m.id === milestoneId)?.due ?? addDays(today, 30)
  return (await recs.ncs(project.id))
    .map((r) => r.data)
    .filter((n) => n.status !== 'closed' && (source === null || n.source === source))
    .map((n) => {
      const dueAt = dueAtOf(n.dueOn && n.dueOn >= today ? n.dueOn : maxDay(fallback, addDays(today, 14)))
      return {
        orgId: recs.org.orgId,
        projectId: project.id,
        milestoneId,
        ncId: n.id,
        severity: n.severity,
        title:
          n.severity === 'area-of-concern'
            ? { en: `Area of concern (Stage 1): ${n.title}`, de: `Feststellung aus Stufe 1: ${n.title}` }
            : {
                en: `Corrective action (${n.severity}): ${n.title}`,
                de: `Korrekturmaßnahme (${n.severity === 'major' ? 'Hauptabweichung' : 'Nebenabweichung'}): ${n.title}`,
              },
        assignee: n.ownerId ? { userId: n.ownerId } : { role: 'iso' },
        dueAt,
        timeoutSeconds: timeoutUntil(dueAt, at),
        remindSeconds: REMIND_SECONDS,
        subject: subjectOf(project),
        context: {
          projectId: project.id,
          nonconformity: {
            id: n.id,
            severity: n.severity,
            title: n.title,
            description: n.description,
            source: n.source,
            controlId: n.controlId ?? null,
            correctiveAction: n.correctiveAction ?? '',
          },
        },
      }
    })
}

const maxDay = (a: IsoDate, b: IsoDate) => (a >= b ? a : b)

/** Readiness against the project's Stage 1 threshold. */
export async function gateCheck(recs: CertificationRecords, project: CertProject, at: string) {
  const today = dateOf(at)
  const { input: data } = await readinessInputs(recs, project, today)
  const r = readiness(data, today)
  return {
    score: r.score,
    threshold: project.stage1Threshold,
    passed: r.score >= project.stage1Threshold,
    parts: r.parts,
    blockers: r.blockers.slice(0, 20).map((b) => b.text),
    blockerCount: r.blockers.length,
  }
}

/** The step handler (see the module comment). */
export const handler = defineStep({
  name: 'certification-plan',
  input: input,
  async run(e, deps) {
    const recs = certificationRecords(deps.records.forOrg(e.orgId))
    const project = (await recs.project(e.projectId)).data
    switch (e.action) {
      case 'plan': {
        const t = projectTemplate(project)
        return {
          projectId: project.id,
          title: project.title,
          standard: project.standard,
          waves: waves(t).map((w) =>
            w.map((milestoneId) => ({ orgId: e.orgId, projectId: project.id, milestoneId })),
          ),
        }
      }
      case 'milestone':
        return milestoneItem(project, e.milestoneId, e.at)
      case 'readiness':
        return gateCheck(recs, project, e.at)
      case 'owners':
        return { owners: await ownerItems(recs, project, e.milestoneId, e.at) }
      case 'findings':
        return { findings: await findingItems(recs, project, e.milestoneId, e.source, e.at) }
    }
  },
})
