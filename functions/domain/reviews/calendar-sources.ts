/**
 * The calendar items of one organisation, as one person may see them: planned and running
 * reviews, open task due dates, certification milestones and risk-acceptance expiries.
 * Task and review due dates are days (all-day items, see `dueDateOf`); planned occurrences
 * are moments. Pure: the caller reads the records (and the certification templates) and merges the
 * organisations with `mergeCalendarItems`.
 */
import { dueDateOf } from '../calendar/due.js'
import type { CalendarItem, CalendarStatus } from '../calendar/items.js'
import { planMilestones } from '../certification/planning.js'
import type { CertificationTemplate } from '../certification/template.js'
import { minDate } from '../risk/calendar.js'
import { occurrencesBetween } from '../schedules/occurrences.js'
import { instantToLocal } from '../schedules/zone.js'
import { isOpen, mayView, type Task } from '../tasks.js'
import type { RecordLike } from './changes.js'
import { riskLine } from './changes.js'
import { reviewId } from './cycle.js'
import { entryTiming } from './entry.js'
import { OPEN_REVIEW_STATUSES, type ReviewCycle, type ReviewEntry } from './types.js'

/** Task kinds that stand for the review itself (the review item shows them). */
export const REVIEW_TASK_KINDS = [
  'review',
  'review-overdue',
  'review-escalation',
  'review-rework',
  'review-sign-off',
]

/** What one organisation contributes. */
export interface CalendarSources {
  orgId: string
  orgName: string
  now: Date
  /** Window of local dates (yyyy-mm-dd), inclusive. */
  from: string
  to: string
  zone: string
  viewer: { userId: string; roles: readonly string[] }
  entries: readonly { id: string; data: ReviewEntry }[]
  reviews: readonly { id: string; data: ReviewCycle }[]
  tasks: readonly Task[]
  projects: readonly RecordLike[]
  risks: readonly RecordLike[]
  /** Certification templates by standard (`iso27001`, `tisax`). */
  templates: Partial<Record<string, CertificationTemplate>>
}

const localDate = (ms: number, zone: string) => {
  const t = instantToLocal(ms, zone)
  return `${t.year}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`
}

const obj = (v: unknown) => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {})
const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined)

/** The items of one organisation. Duplicates (a planned occurrence that has started) share an id. */
export function calendarItemsFor(s: CalendarSources): CalendarItem[] {
  const nowIso = s.now.toISOString()
  const today = localDate(s.now.getTime(), s.zone)
  const base = { orgId: s.orgId, orgName: s.orgName }
  const items: CalendarItem[] = []
  const readsAll = s.viewer.roles.some((r) => r === 'iso' || r === 'management' || r === 'auditor')

  // Planned occurrences inside the window (a started one is replaced by its cycle below).
  const fromMs = Date.parse(`${s.from}T00:00:00Z`) - 86_400_000
  const toMs = Date.parse(`${s.to}T23:59:59Z`) + 86_400_000
  for (const e of s.entries) {
    if (!e.data.enabled) continue
    let dates: Date[] = []
    try {
      dates = occurrencesBetween(entryTiming(e.data), Math.max(fromMs, s.now.getTime()), toMs, { limit: 60 })
    } catch {
      dates = []
    }
    for (const at of dates)
      items.push({
        ...base,
        id: reviewId(e.id, at),
        kind: 'review',
        title: e.data.title,
        description: {
          en: `Planned review; due ${e.data.dueAfterDays} days after it opens.`,
          de: `Geplante Überprüfung; fällig ${e.data.dueAfterDays} Tage nach Beginn.`,
        },
        due: at.toISOString(),
        url: `/reviews/programme/${e.id}`,
        status: 'planned',
      })
  }

  for (const r of s.reviews) {
    const c = r.data
    const running = OPEN_REVIEW_STATUSES.includes(c.status)
    const status: CalendarStatus =
      c.status === 'completed'
        ? 'done'
        : c.status === 'cancelled'
          ? 'cancelled'
          : c.status === 'missed' || (running && c.dueAt < nowIso)
            ? 'overdue'
            : 'open'
    items.push({
      ...base,
      id: r.id,
      kind: 'review',
      title: c.status === 'missed' ? { en: `Missed: ${c.title.en}`, de: `Versäumt: ${c.title.de}` } : c.title,
      due: dueDateOf(c.dueAt, s.zone),
      url: `/reviews/${r.id}`,
      status,
    })
  }

  for (const t of s.tasks) {
    if (!t.dueAt || !isOpen(t) || !mayView(t, s.viewer)) continue
    if (REVIEW_TASK_KINDS.includes(t.kind)) continue
    items.push({
      ...base,
      id: t.id,
      kind: 'task',
      title: t.title,
      due: dueDateOf(t.dueAt, s.zone),
      url: `/tasks/${t.id}`,
      status: t.dueAt < nowIso ? 'overdue' : 'open',
    })
  }

  if (readsAll)
    for (const p of s.projects) {
      const d = obj(p.data)
      const name = text(d.title) ?? p.id
      const template = s.templates[String(d.standard)]
      const auditDate = text(d.auditDate)
      if (template && auditDate) {
        const asOf = minDate(auditDate, today)
        const done = Object.fromEntries(
          Object.entries(obj(d.done)).flatMap(([id, v]) => {
            const on = typeof v === 'string' ? v : text(obj(v).on)
            const due = text(obj(v).due)
            return on ? [[id, due ? { on: minDate(on, asOf), due } : minDate(on, asOf)]] : []
          }),
        )
        let milestones: ReturnType<typeof planMilestones> = []
        try {
          milestones = planMilestones(template, auditDate, { done }, asOf)
        } catch {
          milestones = []
        }
        for (const m of milestones)
          items.push({
            ...base,
            id: `${p.id}.${m.id}`,
            kind: 'milestone',
            title: { en: `${name}: ${m.title.en}`, de: `${name}: ${m.title.de}` },
            due: m.due,
            url: `/certification/${p.id}`,
            status: m.status === 'done' ? 'done' : m.due < today ? 'overdue' : 'open',
          })
      }
      const validUntil = text(obj(d.certificate).validUntil)
      if (validUntil)
        items.push({
          ...base,
          id: `${p.id}.certificate`,
          kind: 'milestone',
          title: { en: `${name}: certificate expires`, de: `${name}: Zertifikat läuft ab` },
          due: validUntil,
          url: `/certification/${p.id}`,
          status: validUntil < today ? 'overdue' : 'open',
        })
    }

  for (const r of s.risks) {
    const d = obj(r.data)
    const acc = obj(d.acceptance)
    const expiresOn = text(acc.expiresOn)
    if (acc.status !== 'active' || !expiresOn || !/^\d{4}-\d{2}-\d{2}$/.test(expiresOn)) continue
    const line = riskLine(r.id, r.data)
    if (!readsAll && line.ownerId !== s.viewer.userId) continue
    items.push({
      ...base,
      id: r.id,
      kind: 'acceptance-expiry',
      title: { en: `Risk acceptance expires: ${line.title}`, de: `Risikoakzeptanz läuft ab: ${line.title}` },
      due: expiresOn,
      url: `/risks/${r.id}`,
      status: expiresOn < today ? 'overdue' : 'open',
    })
  }
  return items
}
