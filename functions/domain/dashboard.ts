/**
 * The home dashboard: which cards a person's roles show (the union of their roles' cards, each
 * card once) and the shape `GET /api/dashboard` answers, as a zod schema the API validates its
 * answer with and the web app takes its types from. The figures come from the store's indexes
 * (see `functions/api/dashboard/`); the words are the web app's.
 */
import { z } from 'zod'

/** The cards, in the order the page shows them. */
export const DASHBOARD_CARDS = [
  'waiting',
  'due',
  'certification',
  'incidents',
  'risks',
  'activity',
  'reading',
  'report',
] as const
export type DashboardCard = (typeof DASHBOARD_CARDS)[number]

/** Each role's cards. */
export const ROLE_CARDS: Record<string, readonly DashboardCard[]> = {
  iso: ['due', 'certification', 'incidents', 'risks', 'activity'],
  management: ['waiting', 'risks', 'certification', 'incidents'],
  auditor: ['reading', 'certification'],
  member: ['waiting', 'report'],
}

/** The cards of a person with these roles: every role's cards, each once, in page order. */
export function cardsFor(roles: readonly string[]): DashboardCard[] {
  const wanted = new Set(roles.flatMap((r) => ROLE_CARDS[r] ?? []))
  return DASHBOARD_CARDS.filter((c) => wanted.has(c))
}

/** How many days ahead "due soon" looks. */
export const DUE_WINDOW_DAYS = 7

const localized = z.object({ en: z.string(), de: z.string() })

/** A figure read from an index: `atLeast` when the read stopped at its limit (there may be more). */
const count = { count: z.number().int().min(0), atLeast: z.boolean() }

const taskItem = z.object({
  id: z.string(),
  title: localized,
  dueAt: z.string().nullable(),
  overdue: z.boolean(),
  url: z.string(),
})

const dueItem = z.object({
  type: z.enum(['task', 'review', 'milestone', 'incident-clock']),
  id: z.string(),
  title: localized,
  /** A moment (tasks, reviews, clocks) or a date (milestones). */
  dueAt: z.string(),
  overdue: z.boolean(),
  url: z.string(),
})

const projectItem = z.object({
  id: z.string(),
  title: z.string(),
  standard: z.string(),
  auditDate: z.string(),
  daysToAudit: z.number().int(),
  /** Readiness 0–100; `null` for people who do not read readiness (auditors). */
  readiness: z.number().nullable(),
  stage1Threshold: z.number(),
  milestonesDone: z.number().int(),
  milestonesTotal: z.number().int(),
  milestonesLate: z.number().int(),
  nextMilestone: z.object({ title: localized, due: z.string() }).nullable(),
  certificateValidUntil: z.string().nullable(),
  url: z.string(),
})

const incidentItem = z.object({
  id: z.string(),
  title: z.string(),
  significant: z.boolean().nullable(),
  overdueClocks: z.number().int(),
  nextClock: z
    .object({ kind: z.string(), title: localized, dueAt: z.string(), overdue: z.boolean() })
    .nullable(),
  url: z.string(),
})

const riskItem = z.object({
  id: z.string(),
  title: z.string(),
  level: localized,
  score: z.number(),
  url: z.string(),
})

const activityItem = z.object({ at: z.string(), text: localized })

const readingLink = z.object({
  what: z.enum(['soa', 'evidence', 'risks', 'reviews', 'audit', 'incidents', 'certification']),
  title: z.string().nullable(),
  url: z.string(),
})

/** One card of the dashboard. */
export const dashboardCardSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('waiting'),
    /** Management's view: decisions (approvals, acknowledgements) waiting for the person. */
    decisions: z.boolean(),
    ...count,
    items: z.array(taskItem),
    url: z.string(),
  }),
  z.object({
    kind: z.literal('due'),
    until: z.string(),
    overdue: z.number().int(),
    dueSoon: z.number().int(),
    atLeast: z.boolean(),
    items: z.array(dueItem),
    url: z.string(),
  }),
  z.object({
    kind: z.literal('certification'),
    projects: z.array(projectItem),
    url: z.string(),
  }),
  z.object({
    kind: z.literal('incidents'),
    /** `open`: every open incident (ISO); `significant`: the significant open ones (management). */
    scope: z.enum(['open', 'significant']),
    count: z.number().int(),
    items: z.array(incidentItem),
    url: z.string(),
  }),
  z.object({
    kind: z.literal('risks'),
    ...count,
    maxAcceptableLevel: localized,
    items: z.array(riskItem),
    url: z.string(),
  }),
  z.object({ kind: z.literal('activity'), items: z.array(activityItem), url: z.string() }),
  z.object({ kind: z.literal('reading'), links: z.array(readingLink) }),
  z.object({ kind: z.literal('report'), url: z.string() }),
])
export type DashboardCardData = z.infer<typeof dashboardCardSchema>

/** What `GET /api/dashboard` answers. */
export const dashboardSchema = z.object({
  orgId: z.string(),
  roles: z.array(z.string()),
  generatedAt: z.string(),
  cards: z.array(dashboardCardSchema),
})
export type Dashboard = z.infer<typeof dashboardSchema>
