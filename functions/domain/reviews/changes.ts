/**
 * What changed since the previous review: risks added, closed or re-scored (against the
 * previous review's baseline, or rebuilt from the audit log when there is none), the access
 * list (members and roles), and obligation decisions. Pure: callers pass records and
 * audit entries.
 */
import { decisionTitleText } from '../assessments/outcome.js'
import type { AccessLine, Localized, ReviewChanges, RiskLine } from './types.js'

/** A stored record as the diff reads it. */
export interface RecordLike {
  id: string
  createdAt: string
  updatedAt: string
  data: unknown
}

/** An audit entry as the diff reads it. */
export interface AuditLike {
  at: string
  action: string
  type: string
  id: string
  before?: unknown
  after?: unknown
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)
const str = (v: unknown, fallback = '') => (typeof v === 'string' ? v : fallback)

/** A risk record's data as a line (tolerant: unknown fields are ignored). */
export function riskLine(id: string, data: unknown): RiskLine {
  const d = (data ?? {}) as Record<string, unknown>
  return {
    id,
    title: str(d.title, id),
    status: str(d.status, 'identified'),
    likelihood: num(d.likelihood),
    impact: num(d.impact),
    residualLikelihood: num(d.residualLikelihood),
    residualImpact: num(d.residualImpact),
    ownerId: typeof d.ownerId === 'string' ? d.ownerId : undefined,
  }
}

/** Likelihood × impact, when both are known. */
export const riskScore = (r: Pick<RiskLine, 'likelihood' | 'impact'>) =>
  r.likelihood !== undefined && r.impact !== undefined ? r.likelihood * r.impact : undefined

const describeRisk = (r: RiskLine) => `${r.id} ${r.title}`

/**
 * The risk register's changes between `baseline` (the previous review's snapshot) and now.
 * Without a baseline, the state at `since` is rebuilt from the audit log: a risk created
 * after `since` is new; otherwise the `before` of its first change after `since` is what it
 * was then.
 *
 * `current` is the whole register, or — with `registerSize`, the number of risks the register
 * has — only the risks changed after `since` (read by key; every other risk is as it was then,
 * so it cannot have changed): a risk missing from it is then deleted only when the audit log
 * says so (its last entry has a `before` and no `after`).
 */
export function riskChanges(input: {
  current: readonly RecordLike[]
  registerSize?: number
  baseline?: readonly RiskLine[]
  audit: readonly AuditLike[]
  since: string
}): NonNullable<ReviewChanges['risks']> {
  const now = new Map(input.current.map((r) => [r.id, riskLine(r.id, r.data)]))
  const riskAudit = input.audit.filter((e) => e.type === 'risk' && e.at > input.since)
  const partial = input.registerSize !== undefined
  const last = new Map<string, AuditLike>()
  for (const e of [...riskAudit].sort((a, b) => (a.at < b.at ? -1 : 1))) last.set(e.id, e)
  /** Whether a risk not in `current` is gone (rather than unchanged, when `current` is partial). */
  const gone = (id: string) => {
    if (!partial) return true
    const e = last.get(id)
    return e !== undefined && e.before !== undefined && e.after === undefined
  }
  let before: Map<string, RiskLine>
  let basis: 'baseline' | 'audit-log' | 'none'
  if (input.baseline) {
    before = new Map(input.baseline.map((r) => [r.id, r]))
    basis = 'baseline'
  } else {
    before = new Map()
    const first = new Map<string, AuditLike>()
    for (const e of [...riskAudit].sort((a, b) => (a.at < b.at ? -1 : 1)))
      if (!first.has(e.id)) first.set(e.id, e)
    for (const rec of input.current) {
      const e = first.get(rec.id)
      if (!e) {
        if (rec.createdAt <= input.since) before.set(rec.id, now.get(rec.id)!)
      } else if (e.before !== undefined) before.set(rec.id, riskLine(rec.id, e.before))
    }
    // Deleted since: known only from the audit log.
    for (const [id, e] of first)
      if (!now.has(id) && e.before !== undefined && gone(id)) before.set(id, riskLine(id, e.before))
    basis =
      riskAudit.length > 0 || input.current.length > 0 || (input.registerSize ?? 0) > 0 ? 'audit-log' : 'none'
  }
  const out: NonNullable<ReviewChanges['risks']> = {
    added: [],
    closed: [],
    removed: [],
    rescored: [],
    statusChanged: [],
    auditEntries: riskAudit.length,
    basis,
  }
  for (const [id, r] of now) {
    const b = before.get(id)
    if (!b) {
      out.added.push(r)
      continue
    }
    if (r.status === 'closed' && b.status !== 'closed') out.closed.push(r)
    else if (r.status !== b.status) out.statusChanged.push({ ...r, before: { status: b.status } })
    if (r.likelihood !== b.likelihood || r.impact !== b.impact)
      out.rescored.push({ ...r, before: { likelihood: b.likelihood, impact: b.impact } })
  }
  for (const [id, b] of before) if (!now.has(id) && gone(id)) out.removed.push(b)
  return out
}

/** The access list's changes: people added or removed, roles changed. */
export function accessChanges(
  baseline: readonly AccessLine[] | undefined,
  current: readonly AccessLine[],
): NonNullable<ReviewChanges['access']> {
  const out: NonNullable<ReviewChanges['access']> = { added: [], removed: [], roleChanges: [] }
  if (!baseline) return { ...out, added: [...current] }
  const before = new Map(baseline.map((a) => [a.userId, a]))
  const now = new Map(current.map((a) => [a.userId, a]))
  for (const a of current) {
    const b = before.get(a.userId)
    if (!b) out.added.push(a)
    else if ([...a.roles].sort().join() !== [...b.roles].sort().join())
      out.roleChanges.push({ ...a, before: [...b.roles] })
  }
  for (const b of baseline) if (!now.has(b.userId)) out.removed.push(b)
  return out
}

const plural = (n: number, one: Localized, many: Localized): Localized =>
  n === 1 ? one : { en: many.en.replace('{n}', String(n)), de: many.de.replace('{n}', String(n)) }

const list = (items: string[]) => (items.length > 5 ? `${items.slice(0, 5).join('; ')}; …` : items.join('; '))

/** Plain lines (en/de) summarising the changes, for the task's context panel. */
export function summariseChanges(changes: Omit<ReviewChanges, 'summary'>): Localized[] {
  const lines: Localized[] = []
  const r = changes.risks
  if (r) {
    const add = (n: number, one: Localized, many: Localized, items: string[]) => {
      if (n === 0) return
      const head = plural(n, one, many)
      lines.push({ en: `${head.en}: ${list(items)}`, de: `${head.de}: ${list(items)}` })
    }
    add(
      r.added.length,
      { en: '1 risk added', de: '1 Risiko neu' },
      { en: '{n} risks added', de: '{n} Risiken neu' },
      r.added.map(describeRisk),
    )
    add(
      r.closed.length,
      { en: '1 risk closed', de: '1 Risiko geschlossen' },
      { en: '{n} risks closed', de: '{n} Risiken geschlossen' },
      r.closed.map(describeRisk),
    )
    add(
      r.rescored.length,
      { en: '1 risk re-scored', de: '1 Risiko neu bewertet' },
      { en: '{n} risks re-scored', de: '{n} Risiken neu bewertet' },
      r.rescored.map((x) => `${describeRisk(x)} (${riskScore(x.before) ?? '?'} → ${riskScore(x) ?? '?'})`),
    )
    add(
      r.removed.length,
      { en: '1 risk deleted', de: '1 Risiko gelöscht' },
      { en: '{n} risks deleted', de: '{n} Risiken gelöscht' },
      r.removed.map(describeRisk),
    )
    add(
      r.statusChanged.length,
      { en: '1 risk changed status', de: '1 Risiko mit neuem Status' },
      { en: '{n} risks changed status', de: '{n} Risiken mit neuem Status' },
      r.statusChanged.map((x) => `${describeRisk(x)} (${x.before.status} → ${x.status})`),
    )
    if (lines.length === 0)
      lines.push(
        r.basis === 'none'
          ? { en: 'The risk register is empty.', de: 'Das Risikoregister ist leer.' }
          : {
              en: 'No risk changed since the last review.',
              de: 'Seit der letzten Überprüfung hat sich kein Risiko geändert.',
            },
      )
  }
  const a = changes.access
  if (a) {
    const name = (x: AccessLine) => `${x.name ?? x.userId} (${x.roles.join(', ')})`
    if (a.added.length)
      lines.push({
        en: `Access granted: ${list(a.added.map(name))}`,
        de: `Zugang erteilt: ${list(a.added.map(name))}`,
      })
    if (a.removed.length)
      lines.push({
        en: `Access removed: ${list(a.removed.map(name))}`,
        de: `Zugang entzogen: ${list(a.removed.map(name))}`,
      })
    if (a.roleChanges.length) {
      const items = a.roleChanges.map(
        (x) => `${x.name ?? x.userId} (${x.before.join(', ')} → ${x.roles.join(', ')})`,
      )
      lines.push({ en: `Roles changed: ${list(items)}`, de: `Rollen geändert: ${list(items)}` })
    }
    if (!a.added.length && !a.removed.length && !a.roleChanges.length)
      lines.push({
        en: 'No access changed since the last review.',
        de: 'Seit der letzten Überprüfung hat sich kein Zugang geändert.',
      })
  }
  const o = changes.obligations
  if (o)
    lines.push(
      o.decisions.length
        ? {
            en: `Obligation decisions since the last review: ${list(o.decisions.map((d) => d.title ?? d.id))}`,
            de: `Pflichtenentscheidungen seit der letzten Überprüfung: ${list(o.decisions.map((d) => decisionTitleText(d.title ?? d.id).de))}`,
          }
        : {
            en: 'No obligation decision recorded since the last review.',
            de: 'Seit der letzten Überprüfung wurde keine Pflichtenentscheidung festgehalten.',
          },
    )
  if (changes.previousAnswers && Object.keys(changes.previousAnswers).length)
    lines.push({
      en: 'The form is pre-filled with the answers of the last review: check and update each.',
      de: 'Das Formular ist mit den Antworten der letzten Überprüfung vorausgefüllt: prüfen und aktualisieren Sie jede.',
    })
  else if (!changes.previousReviewId)
    lines.push({
      en: 'This is the first review of this kind: there is nothing to compare with yet.',
      de: 'Dies ist die erste Überprüfung dieser Art: es gibt noch nichts zum Vergleichen.',
    })
  return lines
}
