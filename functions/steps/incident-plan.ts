import { z } from 'zod'
import {
  type ClockKind,
  deadlines,
  type IncidentData,
  isOpenIncident,
  reminderMarks,
  reportDraft,
} from '../domain/incidents/index.js'
import { INCIDENT } from '../store/incidents.js'
import { INCIDENT_ACTOR } from './incident-record.js'
import { defineStep, StepError } from './step.js'

/** Input of the plan step. */
export const planInput = z.strictObject({
  orgId: z.string().min(2),
  incidentId: z.string().min(1),
  /** `<execution arn>#<round>`: a repeated invocation of one round answers the same clocks. */
  key: z.string().min(1),
  /** `full` (triage, clocks, closing) or `clocks` (clocks only: reclassification, the BSI's request). */
  mode: z.enum(['full', 'clocks']),
})

/** A clock handed to the workflow's Map: due time, reminder marks, the task's title and draft. */
export interface PlannedClock {
  orgId: string
  incidentId: string
  incidentTitle: string
  kind: ClockKind
  slot: string
  dueAt: string
  remind50At: string
  remind90At: string
  title: { en: string; de: string }
  draft: string
  monthly: boolean
}

/**
 * Decides what the incident workflow does next: the clocks that are due and not yet tracked by
 * any execution (claimed for this one), else the closing task (full mode, while open), else the
 * end. Wait timestamps in the past continue at once, so a clock that is already late shows as
 * late and escalates straight away.
 */
export const handler = defineStep({
  name: 'incident-plan',
  input: planInput,
  async run(input, deps) {
    const { records, now } = deps
    const org = records.forOrg(input.orgId)
    const rec = await org.get<IncidentData>(INCIDENT, input.incidentId)
    if (!rec) throw new StepError('Incident.NotFound', `incident ${input.incidentId} does not exist`)
    const at = now()
    const wanted = (d: IncidentData) =>
      deadlines(d, at).filter(
        (x) =>
          (x.status === 'open' || x.status === 'overdue') &&
          (d.tracked[x.slot] === undefined || d.tracked[x.slot] === input.key),
      )
    let mine = wanted(rec.data)
    let data = rec.data
    if (mine.some((x) => data.tracked[x.slot] !== input.key)) {
      const saved = await org.mutate<IncidentData>(
        INCIDENT,
        rec.id,
        (d) => {
          for (const x of wanted(d)) d.tracked[x.slot] = input.key
          return d
        },
        { actor: INCIDENT_ACTOR, action: 'incident.track' },
      )
      data = saved.data
      mine = wanted(data).filter((x) => data.tracked[x.slot] === input.key)
    }
    const clocks: PlannedClock[] = mine.map((x) => {
      const marks = reminderMarks(x)
      return {
        orgId: input.orgId,
        incidentId: rec.id,
        incidentTitle: data.title,
        kind: x.kind,
        slot: x.slot,
        dueAt: x.dueAt,
        remind50At: marks.at50,
        remind90At: marks.at90,
        title: {
          en: `${x.title.en}: ${data.title}`,
          de: `${x.title.de}: ${data.title}`,
        },
        draft: reportDraft(x.kind, data, data.reportingEntity),
        monthly: x.slot === 'nis2-month',
      }
    })
    const next =
      clocks.length > 0 ? 'clocks' : input.mode === 'full' && isOpenIncident(data) ? 'close' : 'end'
    return { clocks, next, title: data.title }
  },
})
