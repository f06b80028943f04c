import type { FieldErrors } from '../errors.js'
import { validationError } from '../errors.js'
import { addDays, daysBetween, type IsoDate, isIsoDate, maxDate, minDate } from '../risk/calendar.js'
import type { Text } from '../risk/text.js'
import { type CertificationTemplate, type MilestoneTemplate, parseCertificationTemplate } from './template.js'

/**
 * A milestone that is done: the date it was done, or that date with the due date it had then
 * (so that moving the audit date later does not make finished work look late).
 */
export type DoneRecord = IsoDate | { on: IsoDate; due: IsoDate }

/** What has happened so far in a project. */
export interface PlanProgress {
  done?: Record<string, DoneRecord>
}

/** Where a milestone stands: done, ready (every dependency done) or waiting for a dependency. */
export type MilestoneStatus = 'done' | 'ready' | 'waiting'

/** One milestone of a project's plan, with dates planned back from the audit date. */
export interface PlannedMilestone {
  id: string
  title: Text
  clause: string
  phase: MilestoneTemplate['phase']
  performerRole: MilestoneTemplate['performerRole']
  completes: MilestoneTemplate['completes']
  dependsOn: string[]
  /** The latest day to start so that it is done by `due`. */
  start: IsoDate
  /** The planned due date (audit date − leadDays, and no later than the start of what depends on it). */
  due: IsoDate
  status: MilestoneStatus
  doneOn?: IsoDate
  /** The earliest it can be done from today, after its unfinished dependencies (undefined when done). */
  earliestFinish?: IsoDate
  /** Days between the earliest finish and the due date; negative means it cannot make its date (null when done). */
  slackDays: number | null
  /** On the chain of unfinished work that decides the earliest date of the next audit (zero float). */
  critical: boolean
  /** Not done and past its due date, or done after its due date. */
  late: boolean
  /** Not done, not yet late, but today + remaining work (with dependencies) ends after the due date. */
  atRisk: boolean
}

const doneOn = (r: DoneRecord) => (typeof r === 'string' ? r : r.on)

function topologicalOrder(milestones: readonly MilestoneTemplate[]): MilestoneTemplate[] {
  const byId = new Map(milestones.map((m) => [m.id, m]))
  const order: MilestoneTemplate[] = []
  const seen = new Set<string>()
  const visit = (m: MilestoneTemplate) => {
    if (seen.has(m.id)) return
    seen.add(m.id)
    for (const dep of m.dependsOn) visit(byId.get(dep)!)
    order.push(m)
  }
  for (const m of milestones) visit(m)
  return order
}

function inputProblems(
  template: CertificationTemplate,
  auditDate: IsoDate,
  progress: PlanProgress,
  today: IsoDate,
): FieldErrors {
  const fields: FieldErrors = {}
  if (!isIsoDate(today)) fields.today = 'must be a date written YYYY-MM-DD'
  if (!isIsoDate(auditDate)) fields.auditDate = 'must be a date written YYYY-MM-DD'
  const ids = new Set(template.milestones.map((m) => m.id))
  for (const [id, record] of Object.entries(progress.done ?? {})) {
    const on = doneOn(record)
    if (!ids.has(id)) fields[`done.${id}`] = 'is not a milestone of this template'
    else if (!isIsoDate(on)) fields[`done.${id}`] = 'must be a date written YYYY-MM-DD'
    else if (typeof record !== 'string' && !isIsoDate(record.due))
      fields[`done.${id}.due`] = 'must be a date written YYYY-MM-DD'
    else if (isIsoDate(today) && on > today) fields[`done.${id}`] = 'must not be in the future'
  }
  if (!fields.auditDate && !fields.today && auditDate < today && !progress.done?.[template.anchorId])
    fields.auditDate = 'must not be in the past'
  return fields
}

/**
 * Plans a certification project back from its audit date.
 *
 * - Each milestone is due `leadDays` before `auditDate`, or earlier when something that depends
 *   on it must start before then (a milestone is due no later than its dependents' start; start =
 *   due − durationDays). Moving `auditDate` moves every milestone that is not done.
 * - From `today`, the earliest finish of each open milestone is today (or the end of its open
 *   dependencies) plus its duration; `slackDays` = due − earliest finish. A milestone whose earliest
 *   finish is after its due date is `atRisk` before it is `late`.
 * - `critical` marks the zero-float chain of open milestones that decides the earliest date of the
 *   next audit (the anchor, or after it the next open audit milestone).
 *
 * Throws a 400 naming the field for an invalid template, an invalid date, an audit date in the
 * past (unless the audit is recorded as done), or done dates that are unknown or in the future.
 * Returns the milestones in template order.
 */
export function planMilestones(
  template: CertificationTemplate,
  auditDate: IsoDate,
  progress: PlanProgress,
  today: IsoDate,
): PlannedMilestone[] {
  const t = parseCertificationTemplate(template)
  const problems = inputProblems(t, auditDate, progress, today)
  if (Object.keys(problems).length > 0)
    throw validationError(problems, 'The plan cannot be made from these dates.')
  const done = progress.done ?? {}
  const order = topologicalOrder(t.milestones)
  const byId = new Map(t.milestones.map((m) => [m.id, m]))
  const dependents = new Map<string, string[]>(t.milestones.map((m) => [m.id, []]))
  for (const m of t.milestones) for (const dep of m.dependsOn) dependents.get(dep)!.push(m.id)

  // Backward: due dates from the audit date, lead times and dependents' starts.
  const due = new Map<string, IsoDate>()
  const start = new Map<string, IsoDate>()
  for (const m of [...order].reverse()) {
    let d = addDays(auditDate, -m.leadDays)
    for (const dep of dependents.get(m.id)!) d = minDate(d, start.get(dep)!)
    due.set(m.id, d)
    start.set(m.id, addDays(d, -m.durationDays))
  }

  // Forward: the earliest each open milestone can finish from today.
  const finish = new Map<string, IsoDate>()
  for (const m of order) {
    const record = done[m.id]
    if (record) {
      finish.set(m.id, doneOn(record))
      continue
    }
    let s = today
    for (const dep of m.dependsOn) if (!done[dep]) s = maxDate(s, finish.get(dep)!)
    finish.set(m.id, addDays(s, m.durationDays))
  }

  const critical = criticalChain(t, order, byId, finish, done)

  return t.milestones.map((m): PlannedMilestone => {
    const record = done[m.id]
    const base = {
      id: m.id,
      title: m.title,
      clause: m.clause,
      phase: m.phase,
      performerRole: m.performerRole,
      completes: m.completes,
      dependsOn: m.dependsOn,
    }
    if (record) {
      const frozenDue = typeof record === 'string' ? due.get(m.id)! : record.due
      const on = doneOn(record)
      return {
        ...base,
        start: addDays(frozenDue, -m.durationDays),
        due: frozenDue,
        status: 'done',
        doneOn: on,
        slackDays: null,
        critical: false,
        late: on > frozenDue,
        atRisk: false,
      }
    }
    const d = due.get(m.id)!
    const ef = finish.get(m.id)!
    const late = today > d
    return {
      ...base,
      start: start.get(m.id)!,
      due: d,
      status: m.dependsOn.every((dep) => done[dep]) ? 'ready' : 'waiting',
      earliestFinish: ef,
      slackDays: daysBetween(ef, d),
      critical: critical.has(m.id),
      late,
      atRisk: !late && ef > d,
    }
  })
}

/**
 * The zero-float chain: classic critical-path method over the open milestones the target depends
 * on, with the target's latest finish set to its earliest finish. The target is the anchor while
 * it is open, otherwise the open audit milestone due first.
 */
function criticalChain(
  t: CertificationTemplate,
  order: MilestoneTemplate[],
  byId: Map<string, MilestoneTemplate>,
  finish: Map<string, IsoDate>,
  done: Record<string, DoneRecord>,
): Set<string> {
  let target: MilestoneTemplate | undefined = done[t.anchorId] ? undefined : byId.get(t.anchorId)
  if (!target) {
    target = t.milestones
      .filter((m) => !done[m.id] && m.completes.kind === 'audit')
      .sort((a, b) => b.leadDays - a.leadDays)
      .at(0)
  }
  if (!target) return new Set()
  const relevant = new Set<string>()
  const collect = (id: string) => {
    if (relevant.has(id) || done[id]) return
    relevant.add(id)
    for (const dep of byId.get(id)!.dependsOn) collect(dep)
  }
  collect(target.id)
  const latestFinish = new Map<string, IsoDate>([[target.id, finish.get(target.id)!]])
  for (const m of [...order].reverse()) {
    if (!relevant.has(m.id) || m.id === target.id) continue
    let lf: IsoDate | undefined
    for (const other of relevant) {
      const o = byId.get(other)!
      if (!o.dependsOn.includes(m.id) || !latestFinish.has(other)) continue
      const ls = addDays(latestFinish.get(other)!, -o.durationDays)
      lf = lf === undefined ? ls : minDate(lf, ls)
    }
    if (lf !== undefined) latestFinish.set(m.id, lf)
  }
  const chain = new Set<string>()
  for (const id of relevant) if (latestFinish.get(id) === finish.get(id)) chain.add(id)
  return chain
}

/**
 * How far before its audit date a template's milestones may fall due, in days (`audit − due`,
 * negative: after the audit): at least the smallest lead time, at most the largest lead time
 * plus every duration (a milestone is due by the start of those that depend on it). A calendar
 * window `[from, to]` holds milestones only of projects audited from `from + min` to `to + max`.
 */
export function milestoneReach(template: CertificationTemplate): { min: number; max: number } {
  const leads = template.milestones.map((m) => m.leadDays)
  const durations = template.milestones.reduce((n, m) => n + m.durationDays, 0)
  return { min: Math.min(0, ...leads), max: Math.max(0, ...leads) + durations }
}
