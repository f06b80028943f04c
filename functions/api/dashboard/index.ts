/**
 * The home dashboard of one person in one organisation: the cards of their roles
 * (`cardsFor`), each read through the store's indexes (`cards.ts`), validated against the
 * schema the web app takes its types from.
 */
import { cardsFor, type Dashboard, DUE_WINDOW_DAYS, dashboardSchema } from '../../domain/dashboard.js'
import { toIsoDate } from '../../domain/risk/index.js'
import { ensureWorkIndexed } from '../../store/work-index.js'
import type { Deps, Principal } from '../env.js'
import { namesOf, orgPeople } from '../people.js'
import {
  activityCard,
  type CardContext,
  certificationCard,
  certificationProjects,
  dueCard,
  incidentsCard,
  readingCard,
  risksCard,
  waitingCard,
} from './cards.js'

/** The dashboard of the principal in their current organisation. */
export async function buildDashboard(deps: Deps, p: Principal): Promise<Dashboard> {
  const org = deps.records.forOrg(p.orgId)
  await ensureWorkIndexed(org)
  const now = deps.now()
  const ctx: CardContext = {
    org,
    userId: p.userId,
    roles: p.roles,
    now,
    today: toIsoDate(now),
    until: new Date(now.getTime() + DUE_WINDOW_DAYS * 86_400_000).toISOString(),
  }
  const kinds = cardsFor(p.roles)
  const needsProjects = kinds.some((k) => k === 'due' || k === 'certification' || k === 'reading')
  const projects = needsProjects ? await certificationProjects(org) : []
  const cards = await Promise.all(
    kinds.map(async (kind) => {
      switch (kind) {
        case 'waiting':
          return waitingCard(ctx)
        case 'due':
          return dueCard(ctx, projects)
        case 'certification':
          return certificationCard(ctx, projects)
        case 'incidents':
          return incidentsCard(ctx)
        case 'risks':
          return risksCard(ctx)
        case 'activity':
          return activityCard(ctx, namesOf(await orgPeople(deps, p.orgId)))
        case 'reading':
          return readingCard(projects)
        case 'report':
          return { kind: 'report' as const, url: '/incidents/new' }
      }
    }),
  )
  return dashboardSchema.parse({ orgId: p.orgId, roles: p.roles, generatedAt: now.toISOString(), cards })
}
