/**
 * Certification projects in the store: the records of a project (the project, its Statement
 * of Applicability entries, its nonconformities), the templates and catalogues from
 * `workflows/` (data), and the few compositions both the API and the workflow steps need
 * (the plan of a project, the readiness inputs). The rules themselves live in
 * `functions/domain/certification`; nothing here re-implements them.
 */
import annexAJson from '../../workflows/catalogues/annex-a.json' with { type: 'json' }
import tisaxJson from '../../workflows/catalogues/tisax.json' with { type: 'json' }
import isoTemplateJson from '../../workflows/certification/iso27001.json' with { type: 'json' }
import tisaxTemplateJson from '../../workflows/certification/tisax.json' with { type: 'json' }
import {
  type AnnexACatalogue,
  type CertificationTemplate,
  type DoneRecord,
  type Nonconformity,
  type PlannedMilestone,
  type PrototypeLabel,
  parseAnnexACatalogue,
  parseCertificationTemplate,
  parseTisaxCatalogue,
  planMilestones,
  type ReadinessRisk,
  type SoaEntry,
  type Standard,
  type TISAX_MODULES,
  type TisaxCatalogue,
  type TreatmentState,
  tisaxControlIds,
} from '../domain/certification/index.js'
import { type IsoDate, maxDate, minDate } from '../domain/risk/calendar.js'
import type { Text } from '../domain/risk/text.js'
import type { Actor, OrgRecords, StoredRecord } from './records.js'

/** Record types of this feature. */
export const CERT_TYPES = { project: 'cert-project', soa: 'cert-soa', nc: 'cert-nc' } as const

/** A TISAX module (assessment objective group). */
export type TisaxModule = (typeof TISAX_MODULES)[number]

/** Who did a milestone and with which task. */
export interface MilestoneCompletion {
  taskId?: string
  by: string
  byName?: string
  at: string
  note?: string
}

/** An audit as the ISO recorded it (Stage 1, Stage 2, surveillance, assessment). */
export interface AuditRecord {
  heldOn: IsoDate
  outcome: string
  auditor?: string
  recordedBy: string
  recordedAt: string
}

/** A certificate or TISAX label. */
export interface Certificate {
  number: string
  issuedOn: IsoDate
  validUntil: IsoDate
  body: string
  recordedBy: string
  recordedAt: string
}

/** How Stage 1 was reached: readiness at or above the threshold, or a management override. */
export interface GateDecision {
  outcome: 'passed' | 'override'
  score: number
  threshold: number
  at: string
  by?: string
  byName?: string
  /** The name management typed to acknowledge the override. */
  acknowledgedName?: string
  reason?: string
}

/** A certification project (record `cert-project`). */
export interface CertProject {
  id: string
  title: string
  standard: Standard
  /** TISAX only. */
  assessmentLevel?: 'AL2' | 'AL3'
  /** Where the level came from. */
  levelSource?: 'obligation-decision' | 'chosen'
  /** TISAX only: the modules in scope (information security always). */
  tisaxModules?: TisaxModule[]
  /** TISAX prototype protection: the labels sought (parts, vehicles, test vehicles, events); absent = all of chapter 8. */
  prototypeLabels?: PrototypeLabel[]
  templateId: string
  templateVersion: number
  auditDate: IsoDate
  /** Every move of the audit date. */
  auditDateMoves: { from: IsoDate; to: IsoDate; at: string; by: string; reason?: string }[]
  /** Milestones done: date done and the due date they had then. */
  done: Record<string, { on: IsoDate; due: IsoDate }>
  completions: Record<string, MilestoneCompletion>
  /** Readiness (0–100) Stage 1 needs without a management override. */
  stage1Threshold: number
  gate?: GateDecision
  audits: Record<string, AuditRecord>
  certificate?: Certificate
  /** Owners who confirmed their evidence, by owner id. */
  evidenceConfirmations: Record<string, { taskId: string; at: string }>
  workflow?: { executionArn: string; startedAt: string }
  createdByName?: string
  /** A project-specific milestone plan; absent = the standard's template from `workflows/certification/`. */
  template?: CertificationTemplate
}

/** A stored SoA entry (record `cert-soa`, id `<projectId>#<controlId>`). */
export interface SoaRecord extends SoaEntry {
  projectId: string
}

/** Nonconformity sources besides the template's audit milestones. */
export const NC_SOURCES_EXTRA = ['internal-audit', 'self-assessment', 'other'] as const

/** A nonconformity with its corrective action (record `cert-nc`, id `<projectId>#<ncId>`). */
export interface NonconformityRecord extends Nonconformity {
  projectId: string
  title: string
  description: string
  /** The audit it came from: a milestone id of the template, or `internal-audit`, … */
  source: string
  controlId?: string
  foundOn: IsoDate
  /** Who corrects it (a member); the ISO when absent. */
  ownerId?: string
  /** When the correction must be done. */
  dueOn?: IsoDate
  correctiveAction?: string
  closure?: {
    rootCause: string
    actionTaken: string
    effectiveOn: IsoDate
    by: string
    byName?: string
    at: string
    taskId?: string
  }
}

const templates: Partial<Record<Standard, CertificationTemplate>> = {}
/** The milestone template of a standard (`workflows/certification/<standard>.json`), checked once. */
export function certificationTemplate(standard: Standard): CertificationTemplate {
  templates[standard] ??= parseCertificationTemplate(
    standard === 'iso27001' ? isoTemplateJson : tisaxTemplateJson,
  )
  return templates[standard]!
}

let annexA: AnnexACatalogue | undefined
let tisax: TisaxCatalogue | undefined
/** The Annex A catalogue (`workflows/catalogues/annex-a.json`), checked once. */
export const annexACatalogue = () => {
  annexA ??= parseAnnexACatalogue(annexAJson)
  return annexA
}
/** The TISAX catalogue (`workflows/catalogues/tisax.json`), checked once. */
export const tisaxCatalogue = () => {
  tisax ??= parseTisaxCatalogue(tisaxJson)
  return tisax
}

/** The controls a project's SoA decides, grouped into themes (Annex A themes, or TISAX chapters). */
export interface ControlCatalogue {
  themes: { id: string; title: Text; clause: string }[]
  controls: { id: string; theme: string; title: Text }[]
  isKnown(controlId: string): boolean
  themeOf(controlId: string): string | undefined
  title(controlId: string): Text | undefined
}

/** The milestone template a project follows: its own, or its standard's. */
export function projectTemplate(project: Pick<CertProject, 'standard' | 'template'>): CertificationTemplate {
  return project.template ?? certificationTemplate(project.standard)
}

/** The end of a due day as a timestamp (human tasks are due then). */
export const dueAtOf = (date: IsoDate) => `${date}T16:00:00.000Z`

/** The control catalogue of a project: the 93 Annex A controls, or the ISA controls of its TISAX modules. */
export function controlCatalogue(
  project: Pick<CertProject, 'standard' | 'tisaxModules' | 'prototypeLabels'>,
): ControlCatalogue {
  let themes: ControlCatalogue['themes']
  let controls: ControlCatalogue['controls']
  if (project.standard === 'iso27001') {
    const c = annexACatalogue()
    themes = c.themes.map((t) => ({ id: t.id, title: t.title, clause: t.clause }))
    controls = c.controls.map((x) => ({ id: x.id, theme: x.theme, title: x.title }))
  } else {
    const c = tisaxCatalogue()
    const modules = project.tisaxModules?.length ? project.tisaxModules : ['information-security' as const]
    const ids = new Set(tisaxControlIds(c, modules, project.prototypeLabels ?? []))
    controls = c.controls
      .filter((x) => ids.has(x.id))
      .map((x) => ({ id: x.id, theme: x.chapter, title: x.title }))
    const used = new Set(controls.map((x) => x.theme))
    themes = c.chapters
      .filter((ch) => used.has(ch.id))
      .map((ch) => ({ id: ch.id, title: ch.title, clause: `ISA ${ch.id}` }))
  }
  const byId = new Map(controls.map((x) => [x.id, x]))
  return {
    themes,
    controls,
    isKnown: (id) => byId.has(id),
    themeOf: (id) => byId.get(id)?.theme,
    title: (id) => byId.get(id)?.title,
  }
}

/** The plan of a project on `today`, and whether the audit date has passed without the audit recorded. */
export interface ProjectPlan {
  milestones: PlannedMilestone[]
  auditPassed: boolean
}

/**
 * Plans a project with `planMilestones`. When the audit date has passed but the audit is not
 * recorded yet, the domain refuses to plan (the date is in the past); the stored project must
 * still show, so it is planned as of the audit date and `auditPassed` says so.
 */
export function projectPlan(
  project: Pick<CertProject, 'standard' | 'template' | 'auditDate' | 'done'>,
  today: IsoDate,
): ProjectPlan {
  const template = projectTemplate(project)
  const done: Record<string, DoneRecord> = { ...project.done }
  const auditPassed = project.auditDate < today && !done[template.anchorId]
  if (!auditPassed)
    return { milestones: planMilestones(template, project.auditDate, { done }, today), auditPassed }
  const asOf = project.auditDate
  const clamped = Object.fromEntries(
    Object.entries(project.done).map(([id, r]) => [id, { on: minDate(r.on, asOf), due: r.due }]),
  )
  const milestones = planMilestones(template, project.auditDate, { done: clamped }, asOf).map((m) =>
    project.done[m.id] ? { ...m, doneOn: project.done[m.id].on, late: project.done[m.id].on > m.due } : m,
  )
  return { milestones, auditPassed }
}

/** The date of an ISO timestamp (UTC). */
export const dateOf = (iso: string): IsoDate => iso.slice(0, 10)

/**
 * What a risk record (`risk`, see `store/risk-register.ts`) says about its treatment, for
 * readiness and for the SoA's links: an active acceptance is `accepted` (expired when past its
 * date), an approval `approved` (or `outdated` once the risk changed), a pending round
 * `in-approval`, a plan without a decision `draft`; otherwise the risk's status decides.
 */
export function riskForReadiness(rec: StoredRecord<Record<string, unknown>>, today?: IsoDate): ReadinessRisk {
  const d = rec.data ?? {}
  const status = typeof d.status === 'string' ? d.status : 'identified'
  const acceptance = d.acceptance as { status?: string; expiresOn?: string } | undefined
  const approval = d.approval as { outdated?: unknown } | undefined
  const rounds = Array.isArray(d.rounds) ? (d.rounds as { status?: string }[]) : []
  let treatment: TreatmentState
  if (acceptance?.status === 'active')
    treatment = today && acceptance.expiresOn && acceptance.expiresOn < today ? 'expired' : 'accepted'
  else if (approval) treatment = approval.outdated ? 'outdated' : 'approved'
  else if (rounds.some((r) => r.status === 'pending')) treatment = 'in-approval'
  else if (rounds.some((r) => r.status === 'changes-requested')) treatment = 'changes-requested'
  else if (d.plan) treatment = 'draft'
  else
    treatment =
      (
        {
          approved: 'approved',
          treated: 'approved',
          accepted: 'accepted',
          'in-approval': 'in-approval',
        } as Record<string, TreatmentState>
      )[status] ?? 'none'
  return {
    id: rec.id,
    title: typeof d.title === 'string' ? d.title : undefined,
    treatment,
    closed: status === 'closed',
  }
}

const soaId = (projectId: string, controlId: string) => `${projectId}#${controlId}`
const ncId = (projectId: string, id: string) => `${projectId}#${id}`

/**
 * The certification records of one organisation. Everything goes through `forOrg`, so an id
 * of another organisation is simply not found.
 */
export function certificationRecords(org: OrgRecords) {
  return {
    org,
    project: (id: string) => org.require<CertProject>(CERT_TYPES.project, id, 'Certification project'),
    findProject: (id: string) => org.get<CertProject>(CERT_TYPES.project, id),
    /** Every certification project: a small set by nature (one per standard and cycle). */
    projects: () => org.all<CertProject>(CERT_TYPES.project),
    soaEntry: (projectId: string, controlId: string) =>
      org.get<SoaRecord>(CERT_TYPES.soa, soaId(projectId, controlId)),
    /** A project's SoA entries, one key range: at most one per control of its catalogue. */
    soa: (projectId: string) => org.all<SoaRecord>(CERT_TYPES.soa, { idPrefix: `${projectId}#` }),
    soaRecordId: soaId,
    nc: (projectId: string, id: string) => org.get<NonconformityRecord>(CERT_TYPES.nc, ncId(projectId, id)),
    ncs: (projectId: string) => org.all<NonconformityRecord>(CERT_TYPES.nc, { idPrefix: `${projectId}#` }),
    ncRecordId: ncId,
    /**
     * Every risk and its treatment state, from the risk register (`risk` records): the readiness
     * score counts the whole register's treatment (a snapshot by design; it reads the register in
     * the store's pages). Counters kept on write could answer it instead.
     */
    async risks(today?: IsoDate): Promise<ReadinessRisk[]> {
      return (await org.all<Record<string, unknown>>('risk')).map((r) => riskForReadiness(r, today))
    },
    /**
     * The risks of these ids that exist, with their treatment state, by key (one batch read per
     * 100): what a control links, not the register.
     */
    async linkedRisks(ids: readonly string[], today?: IsoDate): Promise<Map<string, ReadinessRisk>> {
      const found = await org.getMany<Record<string, unknown>>('risk', ids)
      return new Map([...found.values()].map((r) => [r.id, riskForReadiness(r, today)]))
    },
    /**
     * Records a milestone as done on `on` with the due date it has now, and applies `also` to
     * the project in the same write (idempotent: a milestone already done keeps its first record,
     * and `also` still runs so that its own `??=` guards decide). Returns the project.
     */
    async markDone(
      projectId: string,
      milestoneId: string,
      on: IsoDate,
      completion: MilestoneCompletion,
      actor: Actor,
      also?: (p: CertProject) => void,
    ) {
      const cur = await org.require<CertProject>(CERT_TYPES.project, projectId, 'Certification project')
      if (cur.data.done[milestoneId] && !also) return cur
      const plan = projectPlan(cur.data, maxDate(on, dateOf(completion.at)))
      const due = plan.milestones.find((m) => m.id === milestoneId)?.due ?? on
      return org.mutate<CertProject>(
        CERT_TYPES.project,
        projectId,
        (p) => {
          also?.(p)
          if (p.done[milestoneId]) return p
          p.done[milestoneId] = { on, due }
          p.completions[milestoneId] = completion
          return p
        },
        { actor, action: 'cert-project.milestone-done' },
      )
    },
  }
}

/** The certification records of one organisation (see `certificationRecords`). */
export type CertificationRecords = ReturnType<typeof certificationRecords>

/** The readiness inputs of a project from the store: SoA, plan, nonconformities, risks. */
export async function readinessInputs(recs: CertificationRecords, project: CertProject, today: IsoDate) {
  const catalogue = controlCatalogue(project)
  const [soa, ncs, risks] = await Promise.all([recs.soa(project.id), recs.ncs(project.id), recs.risks(today)])
  const plan = projectPlan(project, today)
  return {
    catalogue,
    plan,
    soa,
    ncs,
    input: {
      soa: soa.map((r) => r.data),
      milestones: plan.milestones,
      nonconformities: ncs.map((r) => r.data),
      risks,
      expectedControlIds: catalogue.controls.map((c) => c.id),
      themeOf: catalogue.themeOf,
    },
  }
}
