/**
 * The figures of each dashboard card, read through the work index (`store/work-index.ts`,
 * `store/task-index.ts`): a figure is the length of one key-condition read of index entries,
 * and only the few records a card names are loaded (and re-checked). Certification projects
 * are read one page at a time; readiness is the existing computation of the project page.
 */
import { auditSentence } from '../../domain/audit-words.js'
import { readiness } from '../../domain/certification/index.js'
import type { DashboardCardData } from '../../domain/dashboard.js'
import { clockTitle, deadlines, type IncidentData } from '../../domain/incidents/index.js'
import { REVIEW_TASK_KINDS } from '../../domain/reviews/calendar-sources.js'
import type { ReviewCycle } from '../../domain/reviews/types.js'
import { levelRank, scoreRisk } from '../../domain/risk/index.js'
import { isOpen, type Task } from '../../domain/tasks.js'
import {
  CERT_TYPES,
  type CertProject,
  certificationRecords,
  projectPlan,
  readinessInputs,
} from '../../store/certification.js'
import type { OrgRecords } from '../../store/records.js'
import { loadRiskSettings, RISK, type RiskData } from '../../store/risk-register.js'
import { openTasksByDue, TASK_LIST_LIMIT, type TaskEntry, waitingFor } from '../../store/task-index.js'
import { INCIDENT_OPEN, idOfEntry, REVIEW_OPEN, RISK_CELL, timeOfEntry } from '../../store/work-index.js'

type Card<K extends DashboardCardData['kind']> = Extract<DashboardCardData, { kind: K }>

/** What every card builder gets. */
export interface CardContext {
  org: OrgRecords
  userId: string
  roles: readonly string[]
  now: Date
  /** Today's date (yyyy-mm-dd). */
  today: string
  /** The end of the "due soon" window (ISO). */
  until: string
}

/** How many items a card names. */
const SHOWN = 5
/** Most task records the due card loads to tell what they are. */
const DUE_TASKS_LOADED = 60
/** Most open incidents read. */
const INCIDENTS_READ = 50
/** Most certification projects read. */
const PROJECTS_READ = 10

const taskUrl = (id: string) => `/tasks/${encodeURIComponent(id)}`

/** Loads the open task records behind index entries (entries whose task closed meanwhile drop out). */
async function openTasks(org: OrgRecords, entries: readonly TaskEntry[]): Promise<Task[]> {
  const recs = await Promise.all(entries.map((e) => org.get<Task>('task', e.id)))
  return recs.flatMap((r) => (r && isOpen(r.data) ? [r.data] : []))
}

/** What waits for the person (held by them, unclaimed for their roles); management's decisions. */
export async function waitingCard(ctx: CardContext): Promise<Card<'waiting'>> {
  const entries = await waitingFor(ctx.org, { userId: ctx.userId, roles: ctx.roles })
  const shown = await openTasks(ctx.org, entries.slice(0, SHOWN))
  const nowIso = ctx.now.toISOString()
  return {
    kind: 'waiting',
    decisions: ctx.roles.includes('management'),
    count: entries.length,
    atLeast: entries.length >= TASK_LIST_LIMIT,
    items: shown.map((t) => ({
      id: t.id,
      title: t.title,
      dueAt: t.dueAt ?? null,
      overdue: Boolean(t.dueAt && t.dueAt < nowIso),
      url: taskUrl(t.id),
    })),
    url: '/',
  }
}

/**
 * What is overdue or due within the window in the organisation: open tasks (a review's own
 * tasks are shown as the review), open review cycles, certification milestones without an open
 * task of their own, and incident reporting clocks without an open report task.
 */
export async function dueCard(ctx: CardContext, projects: readonly CertProject[]): Promise<Card<'due'>> {
  const nowIso = ctx.now.toISOString()
  const [taskEntries, reviewKeys, incidents] = await Promise.all([
    openTasksByDue(ctx.org),
    ctx.org.sideKeys(REVIEW_OPEN, TASK_LIST_LIMIT),
    openIncidents(ctx.org),
  ])
  const inWindow = taskEntries.filter((e) => e.dueAt !== undefined && e.dueAt <= ctx.until)
  const loaded = await openTasks(ctx.org, inWindow.slice(0, DUE_TASKS_LOADED))
  const items: Card<'due'>['items'] = []
  for (const t of loaded) {
    const dueAt = t.dueAt
    if (!dueAt || REVIEW_TASK_KINDS.includes(t.kind)) continue
    items.push({
      type: 'task',
      id: t.id,
      title: t.title,
      dueAt,
      overdue: dueAt < nowIso,
      url: taskUrl(t.id),
    })
  }
  // Entries beyond what was loaded are counted as tasks, unnamed.
  const unloaded = Math.max(0, inWindow.length - DUE_TASKS_LOADED)

  const reviewIds = reviewKeys.filter((k) => timeOfEntry(k) <= ctx.until).map(idOfEntry)
  const cycles = await Promise.all(reviewIds.map((id) => ctx.org.get<ReviewCycle>('review', id)))
  for (const r of cycles) {
    if (!r) continue
    items.push({
      type: 'review',
      id: r.id,
      title: r.data.title,
      dueAt: r.data.dueAt,
      overdue: r.data.dueAt < nowIso,
      url: `/reviews/${encodeURIComponent(r.id)}`,
    })
  }

  const withTask = (type: string, id: string, match: (t: Task) => boolean) =>
    loaded.some((t) => t.subject?.type === type && t.subject.id === id && match(t))
  const untilDate = ctx.until.slice(0, 10)
  for (const p of projects) {
    for (const m of projectPlan(p, ctx.today).milestones) {
      if (m.status === 'done' || m.due > untilDate) continue
      if (withTask('cert-project', p.id, (t) => t.context.milestoneId === m.id)) continue
      items.push({
        type: 'milestone',
        id: `${p.id}.${m.id}`,
        title: { en: `${p.title}: ${m.title.en}`, de: `${p.title}: ${m.title.de}` },
        dueAt: m.due,
        overdue: m.due < ctx.today,
        url: `/certification/${encodeURIComponent(p.id)}`,
      })
    }
  }

  for (const rec of incidents) {
    for (const d of deadlines(rec.data, ctx.now)) {
      if ((d.status !== 'open' && d.status !== 'overdue') || d.dueAt > ctx.until) continue
      if (withTask('incident', rec.id, (t) => t.kind === `incident-${d.kind}`)) continue
      const clock = clockTitle(d.kind, { trustServiceProvider: rec.data.regime.trustServiceProvider })
      items.push({
        type: 'incident-clock',
        id: `${rec.id}.${d.slot}`,
        title: { en: `${clock.en}: ${rec.data.title}`, de: `${clock.de}: ${rec.data.title}` },
        dueAt: d.dueAt,
        overdue: d.dueAt < nowIso,
        url: `/incidents/${encodeURIComponent(rec.id)}`,
      })
    }
  }

  items.sort((a, b) => a.dueAt.localeCompare(b.dueAt))
  const overdue = items.filter((i) => i.overdue).length
  return {
    kind: 'due',
    until: ctx.until,
    overdue,
    dueSoon: items.length - overdue + unloaded,
    atLeast: unloaded > 0 || taskEntries.length >= TASK_LIST_LIMIT,
    items: items.slice(0, 8),
    url: '/calendar',
  }
}

/** The organisation's certification projects (one page). */
export async function certificationProjects(org: OrgRecords): Promise<CertProject[]> {
  const page = await org.list<CertProject>(CERT_TYPES.project, { limit: PROJECTS_READ })
  return page.items.map((r) => r.data)
}

/** Each project's audit date, milestones and (for the ISO and management) readiness. */
export async function certificationCard(
  ctx: CardContext,
  projects: readonly CertProject[],
): Promise<Card<'certification'>> {
  const readsReadiness = ctx.roles.some((r) => r === 'iso' || r === 'management')
  const recs = certificationRecords(ctx.org)
  const items = await Promise.all(
    projects.map(async (p) => {
      const plan = projectPlan(p, ctx.today)
      const open = plan.milestones
        .filter((m) => m.status !== 'done')
        .sort((a, b) => a.due.localeCompare(b.due))
      let score: number | null = null
      if (readsReadiness)
        score = readiness((await readinessInputs(recs, p, ctx.today)).input, ctx.today).score
      return {
        id: p.id,
        title: p.title,
        standard: p.standard,
        auditDate: p.auditDate,
        daysToAudit: Math.round((Date.parse(p.auditDate) - Date.parse(ctx.today)) / 86_400_000),
        readiness: score,
        stage1Threshold: p.stage1Threshold,
        milestonesDone: plan.milestones.length - open.length,
        milestonesTotal: plan.milestones.length,
        milestonesLate: open.filter((m) => m.late).length,
        nextMilestone: open[0] ? { title: open[0].title, due: open[0].due } : null,
        certificateValidUntil: p.certificate?.validUntil ?? null,
        url: `/certification/${encodeURIComponent(p.id)}`,
      }
    }),
  )
  items.sort((a, b) => a.auditDate.localeCompare(b.auditDate))
  return { kind: 'certification', projects: items, url: '/certification' }
}

/** The open incidents (from the index), oldest awareness first. */
async function openIncidents(org: OrgRecords) {
  const keys = await org.sideKeys(INCIDENT_OPEN, INCIDENTS_READ)
  const recs = await Promise.all(keys.map((k) => org.get<IncidentData>('incident', idOfEntry(k))))
  return recs.flatMap((r) => (r && r.data.closedAt === undefined ? [r] : []))
}

/** Open incidents with their next legal clock; management's scope is the significant ones. */
export async function incidentsCard(ctx: CardContext): Promise<Card<'incidents'>> {
  const scope = ctx.roles.includes('iso') ? 'open' : 'significant'
  const nowIso = ctx.now.toISOString()
  const rows = (await openIncidents(ctx.org))
    .filter((r) => scope === 'open' || r.data.classification.significant === true)
    .map((rec) => {
      const ds = deadlines(rec.data, ctx.now)
      const running = ds
        .filter((d) => d.status === 'open' || d.status === 'overdue')
        .sort((a, b) => a.dueAt.localeCompare(b.dueAt))
      const next = running[0]
      return {
        id: rec.id,
        title: rec.data.title,
        significant: rec.data.classification.significant,
        overdueClocks: ds.filter((d) => d.status === 'overdue').length,
        nextClock: next
          ? {
              kind: next.kind,
              title: clockTitle(next.kind, { trustServiceProvider: rec.data.regime.trustServiceProvider }),
              dueAt: next.dueAt,
              overdue: next.dueAt < nowIso,
            }
          : null,
        url: `/incidents/${encodeURIComponent(rec.id)}`,
      }
    })
  rows.sort((a, b) => (a.nextClock?.dueAt ?? '9999').localeCompare(b.nextClock?.dueAt ?? '9999'))
  return { kind: 'incidents', scope, count: rows.length, items: rows.slice(0, SHOWN), url: '/incidents' }
}

/**
 * Risks whose residual level is above the appetite: the matrix's cells above the appetite are
 * known from the settings, and each cell's risks are one read of the index.
 */
export async function risksCard(ctx: CardContext): Promise<Card<'risks'>> {
  const { settings } = await loadRiskSettings(ctx.org)
  const { matrix, appetite } = settings
  const max = levelRank(appetite.maxAcceptableLevel, matrix)
  const cells: { l: number; i: number; score: ReturnType<typeof scoreRisk> }[] = []
  for (const l of matrix.likelihood)
    for (const i of matrix.impact) {
      const score = scoreRisk(l.value, i.value, matrix)
      if (levelRank(score.level, matrix) > max) cells.push({ l: l.value, i: i.value, score })
    }
  const perCell = await Promise.all(
    cells.map(async (c) => ({
      ...c,
      ids: (await ctx.org.sideKeys(`${RISK_CELL}${c.l}#${c.i}#`, TASK_LIST_LIMIT)).map(idOfEntry),
    })),
  )
  const found = perCell
    .flatMap((c) => c.ids.map((id) => ({ id, score: c.score })))
    .sort((a, b) => b.score.rank - a.score.rank || b.score.score - a.score.score || a.id.localeCompare(b.id))
  const shown = await Promise.all(
    found.slice(0, SHOWN).map(async (f) => ({ f, rec: await ctx.org.get<RiskData>(RISK, f.id) })),
  )
  const band = matrix.levels.find((b) => b.id === appetite.maxAcceptableLevel)
  return {
    kind: 'risks',
    count: found.length,
    atLeast: perCell.some((c) => c.ids.length >= TASK_LIST_LIMIT),
    maxAcceptableLevel: band
      ? band.name
      : { en: appetite.maxAcceptableLevel, de: appetite.maxAcceptableLevel },
    items: shown.flatMap(({ f, rec }) =>
      rec && rec.data.status !== 'closed'
        ? [
            {
              id: rec.id,
              title: rec.data.title,
              level: f.score.band.name,
              score: f.score.score,
              url: `/risks/${encodeURIComponent(rec.id)}`,
            },
          ]
        : [],
    ),
    url: '/risks',
  }
}

/** Record types whose changes are news on the home page (not sign-ins, mail or tokens). */
const ACTIVITY_TYPES = ['task', 'risk', 'cert-', 'evidence-file', 'review', 'obligation', 'incident']

/** The newest changes of the organisation's work, in words (a bounded read of the audit log). */
export async function activityCard(
  ctx: CardContext,
  names: Record<string, string>,
): Promise<Card<'activity'>> {
  const page = await ctx.org.auditLog({
    limit: 20,
    maxReads: 3,
    sentences: true,
    typePrefixes: ACTIVITY_TYPES,
  })
  return {
    kind: 'activity',
    items: page.items
      .filter((e) => e.type !== 'task-token')
      .slice(0, 6)
      .map((e) => ({ at: e.at, text: auditSentence(e, names) })),
    url: '/audit',
  }
}

/** What an auditor may read: each project's SoA and evidence index, the registers, the audit log. */
export function readingCard(projects: readonly CertProject[]): Card<'reading'> {
  return {
    kind: 'reading',
    links: [
      ...projects.flatMap((p) => [
        { what: 'soa' as const, title: p.title, url: `/certification/${encodeURIComponent(p.id)}/soa` },
        {
          what: 'evidence' as const,
          title: p.title,
          url: `/certification/${encodeURIComponent(p.id)}/evidence-index`,
        },
      ]),
      { what: 'risks', title: null, url: '/risks' },
      { what: 'reviews', title: null, url: '/reviews' },
      { what: 'incidents', title: null, url: '/incidents' },
      { what: 'audit', title: null, url: '/audit' },
    ],
  }
}
