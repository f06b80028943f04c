import { z } from 'zod'
import {
  applyClose,
  applySent,
  applyTriage,
  CLOCK_KINDS,
  clockTitle,
  deadlines,
  type IncidentData,
  sentAtOf,
} from '../domain/incidents/index.js'
import { notify } from '../mail/index.js'
import { INCIDENT } from '../store/incidents.js'
import { notifyDeps } from './deps.js'
import { defineStep, StepError } from './step.js'

/** The actor written to the audit log for changes an incident step makes. */
export const INCIDENT_ACTOR = { userId: 'system:workflow', name: 'Incident workflow' }

const taskResult = z.looseObject({
  answers: z.record(z.string(), z.unknown()),
  completedBy: z.string(),
  completedByName: z.string().optional(),
  completedAt: z.string(),
})
const base = { orgId: z.string().min(2), incidentId: z.string().min(1) }
const kind = z.enum(CLOCK_KINDS)

/** Input of the record step, by action. */
export const recordInput = z.discriminatedUnion('action', [
  z.strictObject({ ...base, action: z.literal('triage'), result: taskResult }),
  z.strictObject({ ...base, action: z.literal('sent'), kind, result: taskResult }),
  z.strictObject({
    ...base,
    action: z.literal('reminder'),
    kind,
    percent: z.union([z.literal(50), z.literal(90)]),
  }),
  z.strictObject({ ...base, action: z.literal('escalate'), kind }),
  z.strictObject({ ...base, action: z.literal('close'), result: taskResult }),
])

const signed = (r: z.infer<typeof taskResult>) => ({
  by: r.completedBy,
  byName: r.completedByName,
  at: r.completedAt,
})
const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined)

/**
 * Records what the incident workflow learns: the triage, a report sent (a new entry; progress
 * instead of final when the ISO says the incident is still ongoing), the 50 % and 90 %
 * reminders and the escalation to management when a clock runs out (each once, to the outbox),
 * and the closing. Idempotent: a repeated invocation changes nothing more.
 */
export const handler = defineStep({
  name: 'incident-record',
  input: recordInput,
  async run(input, deps) {
    const { records, now } = deps
    const org = records.forOrg(input.orgId)
    const current = await org.get<IncidentData>(INCIDENT, input.incidentId)
    if (!current) throw new StepError('Incident.NotFound', `incident ${input.incidentId} does not exist`)
    const save = (fn: (d: IncidentData) => IncidentData, action: string) =>
      org.mutate<IncidentData>(INCIDENT, input.incidentId, fn, { actor: INCIDENT_ACTOR, action })

    switch (input.action) {
      case 'triage': {
        const saved = await save(
          (d) => applyTriage(d, input.result.answers, signed(input.result)),
          'incident.triage',
        )
        return { significant: saved.data.classification.significant }
      }
      case 'sent': {
        const a = input.result.answers
        const k =
          input.kind === 'nis2-final-report' && a.reportType === 'progress'
            ? 'nis2-progress-report'
            : input.kind
        await save(
          (d) =>
            applySent(
              d,
              {
                kind: k,
                sentAt: sentAtOf(a, d.timeZone, input.result.completedAt),
                channel: str(a.channel) ?? 'other',
                ...(str(a.reference) ? { reference: str(a.reference) } : {}),
                ...(str(a.draft) ? { note: str(a.draft) } : {}),
              },
              signed(input.result),
            ),
          'incident.report-sent',
        )
        return { kind: k }
      }
      case 'reminder':
      case 'escalate': {
        const at = now()
        const d = deadlines(current.data, at).find((x) => x.kind === input.kind)
        if (!d || d.status === 'done' || d.status === 'stopped') return { skipped: true }
        const escalate = input.action === 'escalate'
        const title = clockTitle(input.kind, {
          trustServiceProvider: current.data.regime.trustServiceProvider,
        })
        const what = escalate ? 'escalated' : 'reminder'
        const label = escalate ? 'due' : `${input.percent}%`
        await notify(notifyDeps(deps), input.orgId, `incident:${input.incidentId}:${input.kind}:${label}`, {
          kind: escalate ? 'escalation' : 'reminder',
          to: { role: escalate ? 'management' : 'iso' },
          subject: escalate
            ? { en: `Report overdue: ${title.en}`, de: `Meldung überfällig: ${title.de}` }
            : {
                en: `${input.action === 'reminder' ? input.percent : ''} % of the time used: ${title.en}`,
                de: `${input.action === 'reminder' ? input.percent : ''} % der Frist verstrichen: ${title.de}`,
              },
          body: { en: current.data.title, de: current.data.title },
          // One notification per clock and mark: the reference names the incident, the clock and the mark.
          ref: { type: 'incident-clock', id: `${input.incidentId}/${input.kind}/${label}` },
          data: { title, dueAt: d.dueAt },
        })
        await save((x) => {
          if (x.timeline.some((e) => e.what === what && e.kind === input.kind && e.text === label)) return x
          return {
            ...x,
            timeline: [...x.timeline, { at: at.toISOString(), what, kind: input.kind, text: label }],
          }
        }, `incident.${what}`)
        return { skipped: false }
      }
      case 'close': {
        const a = input.result.answers
        await save(
          (d) =>
            applyClose(
              d,
              { lessonsLearned: str(a.lessonsLearned) ?? '', newRisk: a.newRisk === 'yes' },
              signed(input.result),
            ),
          'incident.close',
        )
        return { closed: true }
      }
    }
  },
})
