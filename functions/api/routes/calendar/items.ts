/**
 * Reads what one person may see due in their organisations and builds the calendar: review
 * programme entries and cycles, open tasks, certification milestones, risk-acceptance
 * expiries. Used by the calendar page (one or all organisations) and by the feed.
 */
import isoTemplateJson from '../../../../workflows/certification/iso27001.json' with { type: 'json' }
import tisaxTemplateJson from '../../../../workflows/certification/tisax.json' with { type: 'json' }
import { type CalendarItem, mergeCalendarItems } from '../../../domain/calendar/index.js'
import {
  type CertificationTemplate,
  milestoneReach,
  parseCertificationTemplate,
} from '../../../domain/certification/index.js'
import {
  calendarItemsFor,
  REVIEW,
  REVIEW_ENTRY,
  type ReviewCycle,
  type ReviewEntry,
} from '../../../domain/reviews/index.js'
import { addDays } from '../../../domain/risk/calendar.js'
import { CERT_TYPES } from '../../../store/certification.js'
import { recordsBetween } from '../../../store/list-index.js'
import { AUDIT_STREAM, CERTIFICATE_STREAM, DUE_STREAM, ENABLED_STREAM } from '../../../store/list-specs.js'
import { RISK } from '../../../store/risk-register.js'
import type { Deps } from '../../env.js'
import { maySeeCycle, maySeeEntry, type Viewer } from '../reviews/access.js'

const DAY = 86_400_000

let templates: Record<string, CertificationTemplate> | undefined
const certificationTemplates = () => {
  templates ??= {
    iso27001: parseCertificationTemplate(isoTemplateJson),
    tisax: parseCertificationTemplate(tisaxTemplateJson),
  }
  return templates
}

/** One organisation the person looks into, with their roles there. */
export interface OrgView {
  orgId: string
  orgName: string
  roles: readonly string[]
}

/** Certification projects audited in this range may have milestones in a window (`milestoneReach`). */
function auditRange(window: { from: string; to: string }) {
  const reach = Object.values(certificationTemplates()).map(milestoneReach)
  return {
    from: addDays(window.from, Math.min(0, ...reach.map((r) => r.min))),
    to: addDays(window.to, Math.max(0, ...reach.map((r) => r.max))),
  }
}

/**
 * What one organisation has due in a window, read by key (the list index's streams,
 * `list-specs.ts`): cycles by due time, acceptances by expiry, projects by audit date and
 * certificate expiry, the programme's enabled entries started before the window ends, the
 * open tasks by due time. Nothing outside the window is read, however big the registers.
 */
async function dueInWindow(
  deps: Deps,
  orgId: string,
  viewer: Viewer,
  window: { from: string; to: string },
  due: { from: string; to: string },
) {
  const org = deps.records.forOrg(orgId)
  const readsAll = viewer.roles.some((r) => r === 'iso' || r === 'management' || r === 'auditor')
  const projects = async () => {
    if (!readsAll) return []
    const [audited, certified] = await Promise.all([
      recordsBetween(org, CERT_TYPES.project, AUDIT_STREAM, auditRange(window)),
      recordsBetween(org, CERT_TYPES.project, CERTIFICATE_STREAM, window),
    ])
    return [...new Map([...audited, ...certified].map((p) => [p.id, p])).values()]
  }
  const [entries, reviews, tasks, certProjects, risks] = await Promise.all([
    recordsBetween<ReviewEntry>(org, REVIEW_ENTRY, ENABLED_STREAM, { from: '', to: window.to }),
    recordsBetween<ReviewCycle>(org, REVIEW, DUE_STREAM, due),
    deps.taskStore.openDue(orgId, due, viewer),
    projects(),
    recordsBetween(org, RISK, DUE_STREAM, window),
  ])
  return { entries, reviews, tasks, projects: certProjects, risks }
}

/** The calendar items of several organisations for one person, merged and sorted. */
export async function calendarItems(
  deps: Deps,
  userId: string,
  orgs: readonly OrgView[],
  window: { from: string; to: string; zone: string },
): Promise<CalendarItem[]> {
  const now = deps.now()
  // Due times in the window (a day more on either side: the days are local to `zone`).
  const due = {
    from: new Date(Date.parse(`${window.from}T00:00:00Z`) - DAY).toISOString(),
    to: new Date(Date.parse(`${window.to}T23:59:59.999Z`) + DAY).toISOString(),
  }
  const lists = await Promise.all(
    orgs.map(async (o) => {
      const viewer: Viewer = { userId, roles: [...o.roles] as Viewer['roles'] }
      const { entries, reviews, tasks, projects, risks } = await dueInWindow(
        deps,
        o.orgId,
        viewer,
        window,
        due,
      )
      return calendarItemsFor({
        orgId: o.orgId,
        orgName: o.orgName,
        now,
        ...window,
        viewer,
        entries: entries.filter((e) => maySeeEntry(viewer, e.data)),
        reviews: reviews.filter((r) => maySeeCycle(viewer, r.data)),
        tasks: tasks.map((t) => t.data),
        projects,
        risks,
        templates: certificationTemplates(),
      })
    }),
  )
  return mergeCalendarItems(lists, window)
}
