/**
 * Pure helpers of the risk pages: the register's query in the URL, the API paths built from
 * it, server field errors in the reader's language, and how snapshot values are written.
 */
import {
  RISK_CATEGORIES,
  RISK_STATUSES,
  SNAPSHOT_FIELD_NAMES,
  type SnapshotChange,
  TREATMENT_OPTIONS,
} from '../../../../functions/domain/risk/index.js'

/** The register's filters and sort as they stand in the URL. */
export interface RegisterQuery {
  q?: string
  status?: string
  category?: string
  option?: string
  owner?: string
  level?: string
  view: 'inherent' | 'residual'
  sort: string
  order?: 'asc' | 'desc'
}

/** Sort keys offered in the register. */
export const SORTS = ['residual', 'inherent', 'id', 'title', 'status', 'owner', 'updated'] as const

const pick = <T extends string>(value: string | null, allowed: readonly T[]): T | undefined =>
  allowed.find((a) => a === value)

/** Reads the register query from `location.search`, dropping what is not valid. */
export function registerQuery(search: string): RegisterQuery {
  const p = new URLSearchParams(search)
  const text = (k: string) => p.get(k)?.trim() || undefined
  return {
    q: text('q'),
    status: pick(p.get('status'), RISK_STATUSES),
    category: pick(p.get('category'), RISK_CATEGORIES),
    option: pick(p.get('option'), TREATMENT_OPTIONS),
    owner: text('owner'),
    level: /^[a-z][a-z0-9-]{0,30}$/.test(p.get('level') ?? '') ? (p.get('level') ?? undefined) : undefined,
    view: p.get('view') === 'inherent' ? 'inherent' : 'residual',
    sort: pick(p.get('sort'), SORTS) ?? 'residual',
    order: pick(p.get('order'), ['asc', 'desc'] as const),
  }
}

function params(q: RegisterQuery, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries({ ...q, ...extra }))
    if (v !== undefined && v !== '') p.set(k, String(v))
  return p.toString()
}

/** The register page's address for a query. */
export const registerHref = (q: RegisterQuery) => {
  const s = params({ ...q, view: q.view, sort: q.sort })
  return s ? `/risks?${s}` : '/risks'
}

/** The API path of the list for a query. */
export const listPath = (q: RegisterQuery) => `/api/risks?${params(q)}`

/** The export address (CSV or XLSX) for the same filters, in the reader's language. */
export const exportPath = (q: RegisterQuery, format: 'csv' | 'xlsx', lang: 'en' | 'de') =>
  `/api/risks/export.${format}?${params(q, { lang })}`

/** Whether any filter is set (the empty state then says so). */
export const hasFilters = (q: RegisterQuery) =>
  Boolean(q.q || q.status || q.category || q.option || q.owner || q.level)

/** A server field message in the reader's language where it is one of the known rules. */
export function fieldMessage(message: string, lang: 'en' | 'de'): string {
  if (lang === 'en') return message
  const rules: [RegExp, (m: RegExpExecArray) => string][] = [
    [/^is required$/, () => 'ist erforderlich'],
    [/^must be a whole number from 1 to (\d+)$/, (m) => `muss eine ganze Zahl von 1 bis ${m[1]} sein`],
    [
      /^must not exceed the inherent (likelihood|impact) \((\d+)\)$/,
      (m) => `darf den Ausgangswert (${m[2]}) nicht übersteigen`,
    ],
    [/^is not a member of this organisation$/, () => 'ist kein Mitglied dieser Organisation'],
    [/^must be a date written YYYY-MM-DD$/, () => 'muss ein Datum im Format JJJJ-MM-TT sein'],
    [/^must not be in the past$/, () => 'darf nicht in der Vergangenheit liegen'],
    [/^a mitigation needs at least one measure$/, () => 'eine Minderung braucht mindestens eine Maßnahme'],
    [
      /^a mitigation must lower the likelihood or the impact$/,
      () => 'eine Minderung muss Eintrittswahrscheinlichkeit oder Auswirkung senken',
    ],
    [
      /^a transfer needs at least one measure/,
      () => 'eine Übertragung braucht mindestens eine Maßnahme (Vertrag oder Versicherung)',
    ],
    [/^avoiding a risk needs at least one measure/, () => 'eine Vermeidung braucht mindestens eine Maßnahme'],
    [/^an acceptance needs a justification$/, () => 'eine Akzeptanz braucht eine Begründung'],
    [
      /^say to whom the risk is transferred and how$/,
      () => 'geben Sie an, an wen und wie das Risiko übertragen wird',
    ],
    [
      /^an acceptance has no measures/,
      () => 'eine Akzeptanz hat keine Maßnahmen; wählen Sie „Mindern“, um welche hinzuzufügen',
    ],
    [
      /^an accepted risk keeps its (likelihood|impact) \((\d+)\)$/,
      (m) => `ein akzeptiertes Risiko behält seinen Wert (${m[2]})`,
    ],
    [
      /^is not an ISO\/IEC 27001:2022 Annex A control id/,
      () => 'ist keine Control-Nummer aus Anhang A der ISO/IEC 27001:2022 (A.5.1 … A.8.34)',
    ],
    [/^must look like nis2\.30\.2\.a$/, () => 'muss wie nis2.30.2.a aussehen'],
    [/^must be at most (\d+) characters$/, (m) => `darf höchstens ${m[1]} Zeichen lang sein`],
    [/^expected (\d+)$/, () => 'wurde inzwischen von jemand anderem geändert'],
  ]
  for (const [re, text] of rules) {
    const m = re.exec(message)
    if (m) return text(m)
  }
  return message
}

/** The label of a snapshot field (`risk.likelihood`, `plan.measures.dueDate`). */
export const changeLabel = (c: Pick<SnapshotChange, 'field'>, lang: 'en' | 'de') =>
  SNAPSHOT_FIELD_NAMES[c.field]?.[lang] ?? c.field

/** A snapshot value in words: lists joined, measures by their description, plans by option. */
export function valueText(value: unknown, names: Record<string, string> = {}): string {
  if (value === undefined || value === null || value === '') return '—'
  if (Array.isArray(value)) return value.map((v) => valueText(v, names)).join(', ')
  if (typeof value === 'object') {
    const v = value as { description?: string; option?: string; ownerId?: string; dueDate?: string }
    if (v.description)
      return [v.description, v.ownerId && (names[v.ownerId] ?? v.ownerId), v.dueDate]
        .filter(Boolean)
        .join(' · ')
    if (v.option) return v.option
    return JSON.stringify(value)
  }
  if (typeof value === 'string' && names[value]) return names[value]
  return String(value)
}

/** Splits a free list typed one per line (or separated by commas) into trimmed entries. */
export const splitList = (text: string) =>
  text
    .split(/[\n,;]/)
    .map((s) => s.trim())
    .filter(Boolean)

/** What `workflowMoving` reads of a risk's page. */
export interface WorkflowState {
  risk: { status: string }
  execution: { arn: string } | null
  openTasks: readonly unknown[]
}

/**
 * Whether the risk's workflow is between two steps: it runs, nobody has a task of it yet, and
 * it is not waiting for an accepted risk's re-approval date. Then its next task (a decision, a
 * measure, the verification) is a moment away and the page reads the risk again.
 */
export function workflowMoving(view: WorkflowState | undefined): boolean {
  return !!view?.execution && view.openTasks.length === 0 && view.risk.status !== 'accepted'
}

/** Waits before each read of a risk whose workflow is moving (ms); then the page stops asking. */
export const MOVING_READS_MS = [250, 500, 1000, 1000, 2000, 2000, 4000, 4000] as const
