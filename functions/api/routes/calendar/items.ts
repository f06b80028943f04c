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
  parseCertificationTemplate,
} from '../../../domain/certification/index.js'
import {
  calendarItemsFor,
  REVIEW,
  REVIEW_ENTRY,
  type ReviewCycle,
  type ReviewEntry,
} from '../../../domain/reviews/index.js'
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

/** The calendar items of several organisations for one person, merged and sorted. */
export async function calendarItems(
  deps: Deps,
  userId: string,
  orgs: readonly OrgView[],
  window: { from: string; to: string; zone: string },
): Promise<CalendarItem[]> {
  const now = deps.now()
  // Open tasks due in the window (a day more on either side: the days are local to `zone`).
  const due = {
    from: new Date(Date.parse(`${window.from}T00:00:00Z`) - DAY).toISOString(),
    to: new Date(Date.parse(`${window.to}T23:59:59.999Z`) + DAY).toISOString(),
  }
  const lists = await Promise.all(
    orgs.map(async (o) => {
      const org = deps.records.forOrg(o.orgId)
      const viewer: Viewer = { userId, roles: [...o.roles] as Viewer['roles'] }
      const [entries, reviews, tasks, projects, risks] = await Promise.all([
        org.all<ReviewEntry>(REVIEW_ENTRY),
        org.all<ReviewCycle>(REVIEW),
        deps.taskStore.openDue(o.orgId, due, viewer),
        org.all('cert-project'),
        org.all('risk'),
      ])
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
