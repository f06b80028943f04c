/**
 * Step `certification-record`: writes what a completed certification task means to the
 * project. Every action is idempotent (the engine invokes at least once): a milestone already
 * done, a nonconformity already closed, a certificate or gate already recorded stays as it was.
 * Actions: `milestone-done`, `evidence-done`, `audit-done`, `nc-closed`, `certificate`, `gate`.
 */
import { z } from 'zod'
import { addDays, addMonths, type IsoDate, isIsoDate, minDate } from '../domain/risk/calendar.js'
import {
  CERT_TYPES,
  type CertProject,
  certificationRecords,
  dateOf,
  type NonconformityRecord,
} from '../store/certification.js'
import { defineStep } from './step.js'

/** The actor of workflow writes. */
export const WORKFLOW_ACTOR = { userId: 'system:workflow', name: 'Certification workflow' }

const taskResult = z.object({
  taskId: z.string().min(1),
  answers: z.record(z.string(), z.unknown()),
  completedBy: z.string().min(1),
  completedByName: z.string().optional(),
  completedAt: z.string().datetime({ offset: true }),
})

const base = z.object({
  orgId: z.string().min(2),
  projectId: z.string().min(1),
  at: z.string().datetime({ offset: true }),
})

const input = z.discriminatedUnion('action', [
  base.extend({
    action: z.literal('milestone-done'),
    milestoneId: z.string().min(1),
    result: taskResult.nullable(),
  }),
  base.extend({ action: z.literal('evidence-done'), ownerId: z.string().min(1), result: taskResult }),
  base.extend({ action: z.literal('audit-done'), milestoneId: z.string().min(1), result: taskResult }),
  base.extend({ action: z.literal('nc-closed'), ncId: z.string().min(1), result: taskResult }),
  base.extend({ action: z.literal('certificate'), milestoneId: z.string().min(1), result: taskResult }),
  base.extend({
    action: z.literal('gate'),
    outcome: z.enum(['passed', 'override']),
    score: z.number(),
    threshold: z.number(),
    result: taskResult.nullable(),
  }),
])

/** Input of the step. */
export type CertificationRecordInput = z.input<typeof input>

const str = (v: unknown) => (typeof v === 'string' ? v : undefined)

/** The date an answer names (a date question), no later than `today`; else `fallback`. */
function answeredDate(
  answers: Record<string, unknown>,
  keys: string[],
  today: IsoDate,
  fallback: IsoDate,
): IsoDate {
  for (const k of keys) {
    const v = answers[k]
    if (isIsoDate(v)) return minDate(v, today)
  }
  return minDate(fallback, today)
}

/** The step handler (see the module comment). */
export const handler = defineStep({
  name: 'certification-record',
  input: input,
  async run(e, deps) {
    const org = deps.records.forOrg(e.orgId)
    const recs = certificationRecords(org)
    const today = dateOf(e.at)
    const opts = (action: string) => ({ actor: WORKFLOW_ACTOR, action })

    switch (e.action) {
      case 'milestone-done': {
        const r = e.result
        const on = r
          ? answeredDate(
              r.answers,
              ['doneOn', 'heldOn', 'completedOn', 'submittedOn'],
              today,
              dateOf(r.completedAt),
            )
          : today
        const note = r ? (str(r.answers.note) ?? str(r.answers.summary)) : undefined
        const rec = await recs.markDone(
          e.projectId,
          e.milestoneId,
          on,
          {
            taskId: r?.taskId,
            by: r?.completedBy ?? WORKFLOW_ACTOR.userId,
            byName: r?.completedByName ?? WORKFLOW_ACTOR.name,
            at: r?.completedAt ?? e.at,
            note,
          },
          WORKFLOW_ACTOR,
        )
        return { milestoneId: e.milestoneId, done: rec.data.done[e.milestoneId] }
      }
      case 'evidence-done': {
        const rec = await org.mutate<CertProject>(
          CERT_TYPES.project,
          e.projectId,
          (p) => {
            p.evidenceConfirmations[e.ownerId] ??= { taskId: e.result.taskId, at: e.result.completedAt }
            return p
          },
          opts('cert-project.evidence-confirmed'),
        )
        return { ownerId: e.ownerId, confirmed: rec.data.evidenceConfirmations[e.ownerId] }
      }
      case 'audit-done': {
        const r = e.result
        const heldOn = answeredDate(r.answers, ['heldOn'], today, dateOf(r.completedAt))
        const rec = await recs.markDone(
          e.projectId,
          e.milestoneId,
          heldOn,
          { taskId: r.taskId, by: r.completedBy, byName: r.completedByName, at: r.completedAt },
          WORKFLOW_ACTOR,
          (p) => {
            p.audits[e.milestoneId] ??= {
              heldOn,
              outcome: str(r.answers.outcome) ?? 'recorded',
              auditor: str(r.answers.auditorName),
              recordedBy: r.completedBy,
              recordedAt: r.completedAt,
            }
          },
        )
        return { milestoneId: e.milestoneId, done: rec.data.done[e.milestoneId] }
      }
      case 'nc-closed': {
        const r = e.result
        const id = recs.ncRecordId(e.projectId, e.ncId)
        const rec = await org.mutate<NonconformityRecord>(
          CERT_TYPES.nc,
          id,
          (n) => {
            if (n.status === 'closed') return n
            n.status = 'closed'
            n.closure = {
              rootCause: str(r.answers.rootCause) ?? '',
              actionTaken: str(r.answers.actionTaken) ?? '',
              effectiveOn: answeredDate(r.answers, ['effectiveOn'], today, dateOf(r.completedAt)),
              by: r.completedBy,
              byName: r.completedByName,
              at: r.completedAt,
              taskId: r.taskId,
            }
            return n
          },
          opts('cert-nc.closed'),
        )
        return { ncId: e.ncId, status: rec.data.status }
      }
      case 'certificate': {
        const r = e.result
        const issuedOn = answeredDate(r.answers, ['issuedOn'], today, dateOf(r.completedAt))
        const validUntil = isIsoDate(r.answers.validUntil)
          ? r.answers.validUntil
          : addDays(addMonths(issuedOn, 36), -1)
        const rec = await recs.markDone(
          e.projectId,
          e.milestoneId,
          issuedOn,
          { taskId: r.taskId, by: r.completedBy, byName: r.completedByName, at: r.completedAt },
          WORKFLOW_ACTOR,
          (p) => {
            p.certificate ??= {
              number: str(r.answers.number) ?? '',
              issuedOn,
              validUntil,
              body: str(r.answers.body) ?? '',
              recordedBy: r.completedBy,
              recordedAt: r.completedAt,
            }
          },
        )
        return { certificate: rec.data.certificate, done: rec.data.done[e.milestoneId] }
      }
      case 'gate': {
        const r = e.result
        const ack = r?.answers.acknowledgement as { name?: string } | undefined
        const rec = await org.mutate<CertProject>(
          CERT_TYPES.project,
          e.projectId,
          (p) => {
            p.gate ??= {
              outcome: e.outcome,
              score: e.score,
              threshold: e.threshold,
              at: r?.completedAt ?? e.at,
              by: r?.completedBy,
              byName: r?.completedByName,
              acknowledgedName: ack?.name,
              reason: str(r?.answers.reason),
            }
            return p
          },
          opts(e.outcome === 'override' ? 'cert-project.stage1-override' : 'cert-project.stage1-passed'),
        )
        return { gate: rec.data.gate }
      }
    }
  },
})
