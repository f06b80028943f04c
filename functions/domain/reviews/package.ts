/**
 * The management review package (ISO/IEC 27001:2022 clause 9.3.2): the inputs top
 * management must consider, generated from ismsflow's own records. A section without a
 * source says so ("no data yet") instead of inventing content. Pure: callers pass records.
 */
import { decisionTitleText } from '../assessments/outcome.js'
import {
  ADDRESSED_WORDS,
  type ClimateDecision,
  type ContextIssue,
  type InterestedParty,
} from '../context/index.js'
import { plural } from '../plural.js'
import { RISK_STATUSES } from '../risk/risk.js'
import type { RecordLike } from './changes.js'
import { riskLine, riskScore } from './changes.js'
import { previousSince, trends, trendWindow } from './trends.js'
import type { Localized, ManagementPackage, PackageSection, ReviewCycle } from './types.js'

/** A task as the package reads it. */
export interface TaskLike {
  kind: string
  status: string
  dueAt?: string
  title: Localized
  createdAt?: string
  context?: Record<string, unknown>
  result?: { answers?: Record<string, unknown>; completedByName?: string; completedAt?: string }
}

/** How many tasks the organisation has, how many of them are open, and how many of those overdue. */
export interface TaskCounts {
  all: number
  open: number
  overdue: number
}

/** The records the package is built from (any may be empty). */
export interface PackageSources {
  now: Date
  /** Start of the window (the last management review, else twelve months ago). */
  since: string
  reviews: readonly { id: string; data: ReviewCycle }[]
  obligationDecisions: readonly RecordLike[]
  nonconformities: readonly RecordLike[]
  projects: readonly RecordLike[]
  /** The risks the section names (all of them, or at least the open ones of the highest scores,
   * the accepted ones and those changed since `since`), with `riskSummary` for the counts. */
  risks: readonly RecordLike[]
  /** The register's counts; absent: counted from `risks`. */
  riskSummary?: RiskSummary
  objectives: readonly RecordLike[]
  /** Tasks the package reads: at least those of the latest measure approval (`latestMeasureApproval`). */
  tasks: readonly TaskLike[]
  /** The organisation's task counts; absent: counted from `tasks`. */
  taskCounts?: TaskCounts
  /** Security incidents (record type `incident`); absent reads as none. */
  incidents?: readonly RecordLike[]
  /** Interested parties (4.2, record type `interested-party`); absent reads as none. */
  parties?: readonly { id: string; createdAt: string; updatedAt: string; data: InterestedParty }[]
  /** Context issues (4.1, record type `context-issue`). */
  contextIssues?: readonly { id: string; createdAt: string; updatedAt: string; data: ContextIssue }[]
  /** Whether climate change is a relevant issue (Amd 1:2024); undefined when not decided. */
  climate?: ClimateDecision
  /** Management duties (§ 38 BSIG): managers' trainings, measure approvals, the BSI registration. */
  trainings?: readonly RecordLike[]
  measureApprovals?: readonly RecordLike[]
  registration?: readonly RecordLike[]
}

/** The risk register's counts the package shows (from the list index's counters, or counted). */
export interface RiskSummary {
  total: number
  byStatus: Record<string, number>
  /** Treatment measures with progress, and how many of them are done. */
  measures: number
  measuresDone: number
}

/** How many risks of the highest scores the package names. */
export const TOP_RISKS = 5

/** The counts of a register from its records. */
export function riskSummaryOf(records: readonly RecordLike[]): RiskSummary {
  const byStatus: Record<string, number> = {}
  let measures = 0
  let measuresDone = 0
  for (const r of records) {
    const status = riskLine(r.id, r.data).status
    byStatus[status] = (byStatus[status] ?? 0) + 1
    for (const m of Object.values(obj(obj(r.data).measureProgress))) {
      measures++
      if (obj(m).status === 'done') measuresDone++
    }
  }
  return { total: records.length, byStatus, measures, measuresDone }
}

/** Statuses in the register's order, any other after them by name. */
const statusOrder = (byStatus: Record<string, number>) => {
  const known: readonly string[] = RISK_STATUSES
  return Object.entries(byStatus)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => {
      const i = known.indexOf(a)
      const j = known.indexOf(b)
      return (i < 0 ? known.length : i) - (j < 0 ? known.length : j) || a.localeCompare(b)
    })
}

const NO_DATA: Localized = { en: 'No data yet.', de: 'Noch keine Daten.' }
const day = (iso: string) => iso.slice(0, 10)
const obj = (v: unknown) => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {})
const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined)
const same = (s: string): Localized => ({ en: s, de: s })

const section = (
  id: PackageSection['id'],
  clause: string,
  title: Localized,
  lines: Localized[],
  counts?: Record<string, number>,
  emptyText: Localized = NO_DATA,
): PackageSection => ({
  id,
  clause,
  title,
  empty: lines.length === 0,
  lines: lines.length ? lines : [emptyText],
  ...(counts ? { counts } : {}),
})

function previousActions(s: PackageSources): PackageSection {
  // 9.3.2 a): the actions decided in earlier *management reviews* only.
  const rows = s.reviews
    .filter((r) => r.data.kind === 'management-review' && r.data.status === 'completed')
    .flatMap((r) => r.data.actions.map((a) => ({ a, r: r.data })))
  const open = rows.filter((x) => x.a.status === 'open')
  const overdue = open.filter((x) => x.a.dueAt < s.now.toISOString())
  const lines: Localized[] = rows.length
    ? [
        {
          en: `${plural('en', rows.length, { one: '# action', other: '# actions' })} from earlier management reviews: ${rows.length - open.length} done, ${open.length} open (${overdue.length} overdue).`,
          de: `${plural('de', rows.length, { one: '# Maßnahme', other: '# Maßnahmen' })} aus früheren Managementbewertungen: ${rows.length - open.length} erledigt, ${open.length} offen (${overdue.length} überfällig).`,
        },
        ...open.map(({ a, r }) => ({
          en: `Open: ${a.title} (from ${r.title.en}, ${day(r.scheduledAt)}; due ${day(a.dueAt)})`,
          de: `Offen: ${a.title} (aus ${r.title.de}, ${day(r.scheduledAt)}; fällig ${day(a.dueAt)})`,
        })),
      ]
    : []
  return section(
    'previous-actions',
    '9.3.2 a)',
    {
      en: 'Status of actions from previous management reviews',
      de: 'Stand der Maßnahmen aus früheren Managementbewertungen',
    },
    lines,
    { total: rows.length, open: open.length, overdue: overdue.length },
  )
}

function issues(s: PackageSources): PackageSection {
  const changed = s.obligationDecisions.filter((r) => r.updatedAt > s.since)
  const lines: Localized[] = []
  if (s.obligationDecisions.length) {
    lines.push(
      changed.length
        ? {
            en: `${changed.length} obligation decision(s) recorded or changed since ${day(s.since)}:`,
            de: `${changed.length} Pflichtenentscheidung(en) seit ${day(s.since)} festgehalten oder geändert:`,
          }
        : {
            en: `No obligation decision changed since ${day(s.since)}.`,
            de: `Keine Pflichtenentscheidung seit ${day(s.since)} geändert.`,
          },
    )
    for (const r of changed) {
      const d = obj(r.data)
      const label = decisionTitleText(text(d.title) ?? text(d.summary) ?? r.id)
      lines.push({ en: `${label.en} (${day(r.updatedAt)})`, de: `${label.de} (${day(r.updatedAt)})` })
    }
  }
  lines.push(...contextIssueLines(s))
  return section(
    'issues',
    '9.3.2 b)',
    { en: 'Changes in external and internal issues', de: 'Veränderungen bei externen und internen Themen' },
    lines,
    {
      decisions: s.obligationDecisions.length,
      changed: changed.length,
      ...(s.contextIssues?.length ? { contextIssues: s.contextIssues.length } : {}),
    },
  )
}

/** Context issues (4.1) changed since the last review, and the climate decision (Amd 1:2024). */
function contextIssueLines(s: PackageSources): Localized[] {
  const lines: Localized[] = []
  const all = s.contextIssues ?? []
  if (all.length) {
    const ext = all.filter((r) => r.data.kind === 'external').length
    const changed = all.filter((r) => r.updatedAt > s.since)
    lines.push({
      en: `Context (4.1): ${all.length} issues recorded (${ext} external, ${all.length - ext} internal), ${changed.length} new or changed since ${day(s.since)}.`,
      de: `Kontext (4.1): ${all.length} Themen erfasst (${ext} extern, ${all.length - ext} intern), ${changed.length} seit ${day(s.since)} neu oder geändert.`,
    })
    for (const r of changed)
      lines.push({
        en: `${r.data.kind === 'external' ? 'External' : 'Internal'}: ${r.data.title} (${day(r.updatedAt)})`,
        de: `${r.data.kind === 'external' ? 'Extern' : 'Intern'}: ${r.data.title} (${day(r.updatedAt)})`,
      })
  }
  const c = s.climate
  // Without any record of the context there is nothing to say yet ("no data yet").
  if (!c && all.length === 0) return lines
  lines.push(
    c
      ? {
          en: `Climate change is ${c.relevant === 'yes' ? '' : 'not '}a relevant issue (decided ${c.decidedOn}): ${c.reasoning}`,
          de: `Der Klimawandel ist ${c.relevant === 'yes' ? '' : 'k'}ein relevantes Thema (entschieden am ${c.decidedOn}): ${c.reasoning}`,
        }
      : {
          en: 'Not yet decided whether climate change is a relevant issue (ISO/IEC 27001:2022/Amd 1:2024).',
          de: 'Noch nicht entschieden, ob der Klimawandel ein relevantes Thema ist (ISO/IEC 27001:2022/Amd 1:2024).',
        },
  )
  return lines
}

/** 9.3.2 c) changes in the needs and expectations of interested parties, e) their feedback (4.2 register). */
function interestedParties(s: PackageSources): PackageSection {
  const all = s.parties ?? []
  const today = day(s.now.toISOString())
  const count = (a: InterestedParty['addressed']) => all.filter((r) => r.data.addressed === a).length
  const changed = all.filter((r) => r.updatedAt > s.since)
  const due = all.filter((r) => r.data.nextReviewOn <= today)
  const feedback = all.filter((r) => r.data.feedback && (r.data.feedbackOn ?? r.updatedAt) > day(s.since))
  const lines: Localized[] = []
  if (all.length) {
    lines.push({
      en: `${all.length} interested parties in the register: ${count('yes')} addressed through the ISMS, ${count('partly')} partly, ${count('no')} not; ${due.length} due for their yearly review.`,
      de: `${all.length} interessierte Parteien im Register: ${count('yes')} über das ISMS berücksichtigt, ${count('partly')} teilweise, ${count('no')} nicht; ${due.length} zur jährlichen Überprüfung fällig.`,
    })
    lines.push(
      changed.length
        ? {
            en: `c) Requirements new or changed since ${day(s.since)}:`,
            de: `c) Seit ${day(s.since)} neue oder geänderte Anforderungen:`,
          }
        : {
            en: `c) No party's requirements changed since ${day(s.since)}.`,
            de: `c) Seit ${day(s.since)} haben sich keine Anforderungen geändert.`,
          },
    )
    for (const r of changed) {
      const w = ADDRESSED_WORDS[r.data.addressed]
      lines.push({
        en: `${r.data.name}: ${r.data.requirements} (${w.en})`,
        de: `${r.data.name}: ${r.data.requirements} (${w.de})`,
      })
    }
    for (const r of all.filter((x) => x.data.addressed === 'no'))
      lines.push({
        en: `Not addressed: ${r.data.name}: ${r.data.how}`,
        de: `Nicht berücksichtigt: ${r.data.name}: ${r.data.how}`,
      })
    lines.push(
      feedback.length
        ? { en: 'e) Feedback from interested parties:', de: 'e) Rückmeldungen interessierter Parteien:' }
        : {
            en: `e) No feedback from interested parties recorded since ${day(s.since)}.`,
            de: `e) Seit ${day(s.since)} keine Rückmeldungen interessierter Parteien erfasst.`,
          },
    )
    for (const r of feedback)
      lines.push(same(`${r.data.name} (${r.data.feedbackOn ?? day(r.updatedAt)}): ${r.data.feedback}`))
  }
  return section(
    'interested-parties',
    '9.3.2 c), e)',
    {
      en: 'Needs, expectations and feedback of interested parties',
      de: 'Erfordernisse, Erwartungen und Rückmeldungen interessierter Parteien',
    },
    lines,
    { parties: all.length, changed: changed.length, feedback: feedback.length, dueForReview: due.length },
    {
      en: 'No data yet: the register of interested parties is empty (Context and interested parties).',
      de: 'Noch keine Daten: das Register der interessierten Parteien ist leer (Kontext und interessierte Parteien).',
    },
  )
}

/** 9.3.2 d): per indicator, this period against the one before, in words with arrows. */
function trendSection(s: PackageSources): PackageSection {
  const list = trends(s)
  // Nothing happened in either period: nothing to compare, so "no data yet" like every input.
  const nothing = list.every((x) => !x.current && !x.previous)
  return section(
    'trends',
    '9.3.2 d) trends',
    {
      en: 'Trends: this period against the period before',
      de: 'Trends: dieser Zeitraum gegenüber dem Zeitraum davor',
    },
    nothing ? [] : [trendWindow(s), ...list.map((x) => x.line)],
    Object.fromEntries(list.filter((x) => x.current !== undefined).map((x) => [x.id, x.current ?? 0])),
  )
}

function nonconformities(s: PackageSources): PackageSection {
  const ncs = s.nonconformities.map((r) => ({ id: r.id, d: obj(r.data), updatedAt: r.updatedAt }))
  const status = (d: Record<string, unknown>) => (obj(d.closure).at ? 'closed' : (text(d.status) ?? 'open'))
  const open = ncs.filter((x) => status(x.d) !== 'closed')
  const closedSince = ncs.filter((x) => status(x.d) === 'closed' && x.updatedAt > s.since)
  const major = open.filter((x) => x.d.severity === 'major')
  const lines: Localized[] = ncs.length
    ? [
        {
          en: `${open.length} open nonconformities (${major.length} major); ${closedSince.length} closed with corrective action since ${day(s.since)}.`,
          de: `${open.length} offene Nichtkonformitäten (${major.length} schwerwiegend); ${closedSince.length} seit ${day(s.since)} mit Korrekturmaßnahme geschlossen.`,
        },
        ...open.map((x) => {
          const label = `${text(x.d.title) ?? x.id}${text(x.d.dueOn) ? `, ${text(x.d.dueOn)}` : ''}`
          return {
            en: `Open (${x.d.severity === 'major' ? 'major' : 'minor'}): ${label}`,
            de: `Offen (${x.d.severity === 'major' ? 'schwerwiegend' : 'geringfügig'}): ${label}`,
          }
        }),
      ]
    : []
  return section(
    'nonconformities',
    '9.3.2 d) 1',
    { en: 'Nonconformities and corrective actions', de: 'Nichtkonformitäten und Korrekturmaßnahmen' },
    lines,
    { open: open.length, major: major.length, closedSince: closedSince.length },
  )
}

function monitoring(s: PackageSources): PackageSection {
  const cycles = s.reviews.filter((r) => r.data.scheduledAt > s.since).map((r) => r.data)
  const done = cycles.filter((c) => c.status === 'completed')
  const late = done.filter((c) => c.overdue)
  const missed = cycles.filter((c) => c.status === 'missed')
  const running = cycles.filter((c) => !['completed', 'missed', 'cancelled'].includes(c.status))
  const openTasks = s.tasks.filter((t) => t.status === 'open' || t.status === 'claimed')
  const tasks = s.taskCounts ?? {
    all: s.tasks.length,
    open: openTasks.length,
    overdue: openTasks.filter((t) => t.dueAt && t.dueAt < s.now.toISOString()).length,
  }
  const lines: Localized[] = []
  if (cycles.length)
    lines.push({
      en: `Review programme since ${day(s.since)}: ${done.length} reviews completed (${late.length} after their due date), ${missed.length} missed, ${running.length} in progress.`,
      de: `Überprüfungsprogramm seit ${day(s.since)}: ${done.length} Überprüfungen abgeschlossen (${late.length} nach Fälligkeit), ${missed.length} versäumt, ${running.length} laufend.`,
    })
  for (const c of missed)
    lines.push({
      en: `Missed: ${c.title.en} due ${day(c.dueAt)}`,
      de: `Versäumt: ${c.title.de}, fällig ${day(c.dueAt)}`,
    })
  if (tasks.all)
    lines.push({
      en: `Tasks: ${tasks.open} open, ${tasks.overdue} of them overdue.`,
      de: `Aufgaben: ${tasks.open} offen, davon ${tasks.overdue} überfällig.`,
    })
  return section(
    'monitoring',
    '9.3.2 d) 2',
    { en: 'Monitoring and measurement results', de: 'Ergebnisse von Überwachung und Messung' },
    lines,
    { completed: done.length, late: late.length, missed: missed.length, overdueTasks: tasks.overdue },
  )
}

function audits(s: PackageSources): PackageSection {
  const lines: Localized[] = []
  for (const p of s.projects) {
    const d = obj(p.data)
    const name = text(d.title) ?? p.id
    for (const [id, a] of Object.entries(obj(d.audits))) {
      const audit = obj(a)
      if (!text(audit.heldOn)) continue
      lines.push(same(`${name}: ${id} ${text(audit.heldOn)} (${text(audit.outcome) ?? '—'})`))
    }
    const cert = obj(d.certificate)
    if (text(cert.validUntil))
      lines.push({
        en: `${name}: certificate ${text(cert.number) ?? ''} valid until ${text(cert.validUntil)}`,
        de: `${name}: Zertifikat ${text(cert.number) ?? ''} gültig bis ${text(cert.validUntil)}`,
      })
    else if (text(d.auditDate))
      lines.push({
        en: `${name}: audit planned for ${text(d.auditDate)}`,
        de: `${name}: Audit geplant am ${text(d.auditDate)}`,
      })
  }
  return section('audits', '9.3.2 d) 3', { en: 'Audit results', de: 'Auditergebnisse' }, lines, {
    projects: s.projects.length,
  })
}

function objectives(s: PackageSources): PackageSection {
  const lines = s.objectives.map((r) => {
    const d = obj(r.data)
    const status = text(d.status)
    return same(`${text(d.title) ?? r.id}${status ? ` (${status})` : ''}`)
  })
  return section(
    'objectives',
    '9.3.2 d) 4',
    { en: 'Fulfilment of information security objectives', de: 'Erfüllung der Informationssicherheitsziele' },
    lines,
    undefined,
    {
      en: 'No data yet: no information security objectives are recorded in ismsflow.',
      de: 'Noch keine Daten: in ismsflow sind keine Informationssicherheitsziele erfasst.',
    },
  )
}

function risks(s: PackageSources): PackageSection {
  const all = s.risks.map((r) => ({ line: riskLine(r.id, r.data), d: obj(r.data), createdAt: r.createdAt }))
  const open = all.filter((x) => x.line.status !== 'closed')
  const summary = s.riskSummary ?? riskSummaryOf(s.risks)
  const total = summary.total
  const openCount = total - (summary.byStatus.closed ?? 0)
  const { measures, measuresDone } = summary
  const newSince = all.filter((x) => x.createdAt > s.since)
  const lines: Localized[] = []
  if (total) {
    const byStatus = statusOrder(summary.byStatus)
    lines.push({
      en: `${total} risks (${openCount} open, ${newSince.length} new since ${day(s.since)}); by status: ${byStatus.map(([k, n]) => `${k} ${n}`).join(', ')}.`,
      de: `${total} Risiken (${openCount} offen, ${newSince.length} neu seit ${day(s.since)}); nach Status: ${byStatus.map(([k, n]) => `${k} ${n}`).join(', ')}.`,
    })
    if (measures)
      lines.push({
        en: `Treatment measures: ${measuresDone} of ${measures} done.`,
        de: `Behandlungsmaßnahmen: ${measuresDone} von ${measures} erledigt.`,
      })
    const top = [...open]
      .filter((x) => riskScore(x.line) !== undefined)
      .sort((a, b) => riskScore(b.line)! - riskScore(a.line)!)
      .slice(0, TOP_RISKS)
    for (const x of top)
      lines.push({
        en: `Highest: ${x.line.id} ${x.line.title}, score ${riskScore(x.line)} (${x.line.status})`,
        de: `Höchste: ${x.line.id} ${x.line.title}, Wert ${riskScore(x.line)} (${x.line.status})`,
      })
    for (const x of all) {
      const acc = obj(x.d.acceptance)
      if (acc.status === 'active' && text(acc.expiresOn))
        lines.push({
          en: `Accepted: ${x.line.id} ${x.line.title} until ${text(acc.expiresOn)}`,
          de: `Akzeptiert: ${x.line.id} ${x.line.title} bis ${text(acc.expiresOn)}`,
        })
    }
  }
  return section(
    'risks',
    '9.3.2 f)',
    {
      en: 'Results of risk assessment and status of risk treatment',
      de: 'Ergebnisse der Risikobeurteilung und Stand der Risikobehandlung',
    },
    lines,
    { total, open: openCount, measures, measuresDone },
  )
}

function improvement(s: PackageSources): PackageSection {
  const lines: Localized[] = []
  for (const r of s.reviews) {
    const c = r.data
    if (c.status !== 'completed' || !c.completedAt || c.completedAt <= s.since) continue
    const a = c.answers ?? {}
    const outcome = a.outcome
    const note = text(a.improvements) ?? text(a.summary)
    if (outcome === 'changes-needed' || outcome === 'not-effective' || text(a.improvements))
      lines.push({
        en: `${c.title.en} (${day(c.completedAt)}): ${note ?? 'changes needed'}`,
        de: `${c.title.de} (${day(c.completedAt)}): ${note ?? 'Änderungen nötig'}`,
      })
  }
  return section(
    'improvement',
    '9.3.2 g)',
    { en: 'Opportunities for continual improvement', de: 'Möglichkeiten zur fortlaufenden Verbesserung' },
    lines,
    undefined,
    {
      en: 'No data yet: no review since the last management review named an improvement.',
      de: 'Noch keine Daten: keine Überprüfung seit der letzten Managementbewertung hat eine Verbesserung genannt.',
    },
  )
}

/** Security incidents since the last review (9.3.2 d): counts, the significant ones and late reports. */
function incidents(s: PackageSources): PackageSection {
  const rows = (s.incidents ?? [])
    .map((r) => ({ id: r.id, d: obj(r.data) }))
    .filter((x) => String(x.d.awareAt ?? '') > s.since)
    // By id, however they were read.
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const cls = (x: { d: Record<string, unknown> }) => obj(x.d.classification)
  const significant = rows.filter((x) => cls(x).significant === true)
  const personal = rows.filter((x) => cls(x).personalDataBreach === true)
  const open = rows.filter((x) => !x.d.closedAt)
  const late = rows.filter((x) =>
    (Array.isArray(x.d.timeline) ? x.d.timeline : []).some((e) => obj(e).what === 'escalated'),
  )
  const lines: Localized[] = rows.length
    ? [
        {
          en: `${rows.length} security incidents since ${day(s.since)}: ${significant.length} significant, ${personal.length} personal data breaches, ${open.length} still open; ${late.length} with a report that ran past its deadline.`,
          de: `${rows.length} Sicherheitsvorfälle seit ${day(s.since)}: ${significant.length} erheblich, ${personal.length} Datenschutzverletzungen, ${open.length} noch offen; ${late.length} mit einer Meldung nach Fristablauf.`,
        },
        ...significant.map((x) => same(`${x.id}: ${text(x.d.title) ?? ''} (${day(String(x.d.awareAt))})`)),
      ]
    : []
  return section(
    'incidents',
    '9.3.2 d)',
    { en: 'Security incidents since the last review', de: 'Sicherheitsvorfälle seit der letzten Bewertung' },
    lines,
    {
      total: rows.length,
      significant: significant.length,
      personalData: personal.length,
      open: open.length,
      late: late.length,
    },
  )
}

/**
 * Management duties under § 38 BSIG and the registration (§ 33 BSIG): whether management
 * approved the current risk-management measures (the approval task of the latest measure set),
 * each manager's training with its due date and certificate, and the state of the registration.
 */
function managementDuties(s: PackageSources): PackageSection {
  const lines: Localized[] = []
  const latest = latestMeasureApproval(s.measureApprovals ?? [])
  let approved = 0
  if (latest) {
    const hash = String(obj(latest.data).hash ?? '')
    const tasks = s.tasks
      .filter((t) => t.context?.measureSetHash === hash)
      .sort((a, b) => ((a.createdAt ?? '') < (b.createdAt ?? '') ? 1 : -1))
    const decided = tasks.find((t) => t.status === 'completed')
    const outcome = text(obj(decided?.result?.answers?.decision).outcome)
    const at = day(String(obj(latest.data).requestedAt ?? ''))
    const items = obj(latest.data).items
    const count = Array.isArray(items) ? items.length : 0
    if (outcome === 'approve') {
      approved = 1
      lines.push({
        en: `Risk-management measures (§ 30 BSIG, ${count}) approved by ${decided?.result?.completedByName ?? 'management'} on ${day(decided?.result?.completedAt ?? '')} (§ 38 Abs. 1 BSIG).`,
        de: `Risikomanagementmaßnahmen (§ 30 BSIG, ${count}) gebilligt von ${decided?.result?.completedByName ?? 'der Geschäftsleitung'} am ${day(decided?.result?.completedAt ?? '')} (§ 38 Abs. 1 BSIG).`,
      })
    } else if (outcome)
      lines.push({
        en: `Risk-management measures (§ 30 BSIG, ${count}): management did not approve them (${outcome}) (§ 38 Abs. 1 BSIG).`,
        de: `Risikomanagementmaßnahmen (§ 30 BSIG, ${count}): von der Geschäftsleitung nicht gebilligt (${outcome}) (§ 38 Abs. 1 BSIG).`,
      })
    else
      lines.push({
        en: `Risk-management measures (§ 30 BSIG, ${count}): waiting for management's approval since ${at} (§ 38 Abs. 1 BSIG).`,
        de: `Risikomanagementmaßnahmen (§ 30 BSIG, ${count}): Billigung durch die Geschäftsleitung ausstehend seit ${at} (§ 38 Abs. 1 BSIG).`,
      })
  }
  const today = day(s.now.toISOString())
  let overdue = 0
  for (const r of s.trainings ?? []) {
    const d = obj(r.data)
    const due = String(d.nextDueOn ?? '')
    const cert = d.certificate
      ? { en: 'certificate on file', de: 'Bescheinigung liegt vor' }
      : { en: 'no certificate', de: 'keine Bescheinigung' }
    if (due < today) overdue++
    lines.push({
      en: `${text(d.name) ?? r.id}: trained on ${day(String(d.lastTrainingOn ?? ''))}, next training ${due < today ? 'overdue since' : 'due'} ${due}; ${cert.en} (§ 38 Abs. 3 BSIG).`,
      de: `${text(d.name) ?? r.id}: geschult am ${day(String(d.lastTrainingOn ?? ''))}, nächste Schulung ${due < today ? 'überfällig seit' : 'fällig am'} ${due}; ${cert.de} (§ 38 Abs. 3 BSIG).`,
    })
  }
  const reg = obj(s.registration?.[0]?.data)
  if (reg.status) {
    const subs = Array.isArray(reg.submissions) ? reg.submissions.map(obj) : []
    const last = subs.at(-1)
    lines.push(
      reg.status === 'registered' && last
        ? {
            en: `Registered with the BSI on ${String(last.submittedOn)} (reference ${String(last.reference)}) (§ 33 BSIG).`,
            de: `Beim BSI registriert am ${String(last.submittedOn)} (Referenz ${String(last.reference)}) (§ 33 BSIG).`,
          }
        : reg.status === 'closed'
          ? {
              en: 'No registration with the BSI due (§ 33 BSIG).',
              de: 'Keine Registrierung beim BSI fällig (§ 33 BSIG).',
            }
          : {
              en: `Registration with the BSI due by ${day(String(reg.dueAt ?? ''))} (§ 33 BSIG).`,
              de: `Registrierung beim BSI fällig bis ${day(String(reg.dueAt ?? ''))} (§ 33 BSIG).`,
            },
    )
  }
  return section(
    'management-duties',
    '§ 38 BSIG',
    { en: 'Management duties (§ 38 BSIG)', de: 'Pflichten der Geschäftsleitung (§ 38 BSIG)' },
    lines,
    { measuresApproved: approved, trainings: (s.trainings ?? []).length, trainingsOverdue: overdue },
  )
}

/** Builds the package from the organisation's records. */
export function buildManagementPackage(s: PackageSources): ManagementPackage {
  return {
    generatedAt: s.now.toISOString(),
    since: s.since,
    sections: [
      previousActions(s),
      issues(s),
      interestedParties(s),
      trendSection(s),
      nonconformities(s),
      monitoring(s),
      audits(s),
      objectives(s),
      risks(s),
      incidents(s),
      managementDuties(s),
      improvement(s),
    ],
  }
}

/** Record types the package reads (besides reviews and tasks). */
export const PACKAGE_RECORD_TYPES = {
  obligationDecisions: 'obligation-decision',
  nonconformities: 'cert-nc',
  projects: 'cert-project',
  risks: 'risk',
  objectives: 'objective',
  incidents: 'incident',
  parties: 'interested-party',
  contextIssues: 'context-issue',
  trainings: 'management-training',
  measureApprovals: 'measure-approval',
  registration: 'bsi-registration',
} as const

/** The latest request for management's approval of the measures (by the time it was asked for). */
export function latestMeasureApproval<R extends RecordLike>(approvals: readonly R[]): R | undefined {
  return [...approvals].sort((a, b) =>
    String(obj(a.data).requestedAt) < String(obj(b.data).requestedAt) ? 1 : -1,
  )[0]
}

/**
 * Where the package reads what grows with the organisation's work (by key and period, never
 * every record): the task counters and one execution's tasks, the incidents and review cycles
 * of the periods it compares, the risks it names with the register's counts, the
 * nonconformities that are open or changed in its periods.
 */
export interface PackageTaskSource {
  counts(now: Date): Promise<TaskCounts>
  /** The tasks of one execution (the approval of the latest measure set). */
  forExecution(executionArn: string): Promise<readonly TaskLike[]>
  /** The incidents the organisation became aware of after `from` (record type `incident`). */
  incidentsSince(from: string): Promise<readonly RecordLike[]>
  /** Every management review cycle (they set the periods and carry the previous actions). */
  managementReviews(): Promise<readonly { id: string; data: ReviewCycle }[]>
  /** At least the review cycles scheduled or due after `from` (the periods the package compares). */
  reviewsFrom(from: string, now: Date): Promise<readonly { id: string; data: ReviewCycle }[]>
  /**
   * At least the risks the section names (open ones of the highest scores, accepted ones, those
   * changed after `since`) and the register's counts.
   */
  risks(since: string): Promise<{ records: readonly RecordLike[]; summary: RiskSummary }>
  /** At least the nonconformities open, changed after `since` or raised after `from`, and one if any exists. */
  nonconformities(since: string, from: string): Promise<readonly RecordLike[]>
}

/** Where the package reads records from (an organisation's record store fits). */
export interface RecordSource {
  all<T>(type: string): Promise<{ id: string; createdAt: string; updatedAt: string; data: T }[]>
}

/**
 * The keyed reads answered from every record of the types (what the package read before the
 * keyed reads; tests compare the two): the same package, whatever the source.
 */
export function everyRecordSource(
  source: RecordSource,
  keyed: Pick<PackageTaskSource, 'counts' | 'forExecution' | 'incidentsSince'>,
): PackageTaskSource {
  const t = PACKAGE_RECORD_TYPES
  return {
    ...keyed,
    managementReviews: async () =>
      (await source.all<ReviewCycle>('review')).filter((r) => r.data.kind === 'management-review'),
    reviewsFrom: () => source.all<ReviewCycle>('review'),
    risks: async () => {
      const records = await source.all(t.risks)
      return { records, summary: riskSummaryOf(records) }
    },
    nonconformities: () => source.all(t.nonconformities),
  }
}

/** The start of the package window: the last completed management review, else a year before `now`. */
export function packageSince(reviews: readonly { data: ReviewCycle }[], now: Date): string {
  const done = reviews
    .map((r) => r.data)
    .filter((c) => c.kind === 'management-review' && c.status === 'completed' && c.completedAt)
    .map((c) => c.completedAt!)
    .sort()
  return done.at(-1) ?? new Date(now.getTime() - 365 * 86_400_000).toISOString()
}

/** Records by id, each once, in id order (the order every record of a type is read in). */
const byId = <R extends { id: string }>(...lists: (readonly R[])[]): R[] =>
  [...new Map(lists.flat().map((r) => [r.id, r])).values()].sort((a, b) =>
    a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  )

/**
 * Reads the package's records and builds it (window from `packageSince` unless given): what
 * grows with the work by key and period (`keyed`), the small registers it shows in full
 * (obligation decisions, projects, objectives, parties, context, trainings, approvals, the
 * registration) from `source`.
 */
export async function loadManagementPackage(
  source: RecordSource,
  keyed: PackageTaskSource,
  now: Date,
  since?: string,
): Promise<ManagementPackage> {
  const t = PACKAGE_RECORD_TYPES
  const managementReviews = await keyed.managementReviews()
  const from = since ?? packageSince(managementReviews, now)
  // This period and the one before (the trends compare them).
  const before = previousSince(managementReviews, from, now)
  const [windowReviews, risks, nonconformities, incidents] = await Promise.all([
    keyed.reviewsFrom(before, now),
    keyed.risks(from),
    keyed.nonconformities(from, before),
    keyed.incidentsSince(before),
  ])
  const reviews = byId(managementReviews, windowReviews)
  const [obligationDecisions, projects, objectives] = await Promise.all([
    source.all(t.obligationDecisions),
    source.all(t.projects),
    source.all(t.objectives),
  ])
  const [parties, contextIssues, climate] = await Promise.all([
    source.all<InterestedParty>(t.parties),
    source.all<ContextIssue>(t.contextIssues),
    source.all<ClimateDecision>('context-climate'),
  ])
  const [trainings, measureApprovals, registration] = await Promise.all([
    source.all(t.trainings),
    source.all(t.measureApprovals),
    source.all(t.registration),
  ])
  const approvalArn = obj(latestMeasureApproval(measureApprovals)?.data).executionArn
  const [tasks, taskCounts] = await Promise.all([
    typeof approvalArn === 'string' ? keyed.forExecution(approvalArn) : [],
    keyed.counts(now),
  ])
  return buildManagementPackage({
    now,
    since: from,
    reviews,
    obligationDecisions,
    nonconformities: byId(nonconformities),
    projects,
    risks: byId(risks.records),
    riskSummary: risks.summary,
    objectives,
    tasks,
    taskCounts,
    incidents,
    parties,
    contextIssues,
    climate: climate[0]?.data,
    trainings,
    measureApprovals,
    registration,
  })
}
