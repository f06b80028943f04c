/**
 * The lists of each record type the list index keeps (`list-index.ts`): which streams a record
 * belongs to and its place in them. Read by `records.ts` on every write, so a type's lists are
 * kept by whoever writes the record (a route, a workflow step, the seed).
 */
import { CYCLE_LIST_FIELDS, OPEN_REVIEW_STATUSES } from '../domain/reviews/types.js'
import { RISK_STATUSES } from '../domain/risk/risk.js'

/** What a spec sees of a record besides its data. */
export interface RecordMeta {
  version: number
  createdAt: string
  updatedAt: string
}

/** One entry of a record: its stream, its place there, and what a read may filter on. */
export interface ListEntry {
  /** The stream (list): words and `|`, values through `streamPart`. */
  stream: string
  /** Its place in the stream: a string that sorts as the list does (the record's id follows it). */
  order: string
  /** Attributes a read of the stream filters on (e.g. a category); kept small. */
  attrs?: Record<string, string>
  /**
   * What the list shows of the record, kept in the entry (one JSON string) so that a page is read
   * without its records (`listRows`); only in the streams a page reads.
   */
  row?: Record<string, unknown>
}

/** The lists of one record type. */
export interface ListSpec {
  /** Bump when the entries change shape: each organisation's entries are built again. */
  version: number
  /** The entries of a record, from its data (one per stream). */
  entries(id: string, data: unknown, meta: RecordMeta): ListEntry[]
  /**
   * Numbers a record adds to its type's counter besides its streams' counts (e.g. its measures),
   * summed over the records as they are written (`listTallies`).
   */
  tallies?(id: string, data: unknown, meta: RecordMeta): Record<string, number>
}

/** Entries in every one of `streams`, at the same place. */
const at = (order: string, streams: string[]): ListEntry[] => streams.map((stream) => ({ stream, order }))

/** One value in a stream name, with `%`, `#` and `|` escaped, so no stream is a prefix of another. */
export const streamPart = (v: string) => v.replace(/[%#|]/g, (ch) => `%${ch.charCodeAt(0).toString(16)}`)

type Data = Record<string, unknown>
const isData = (v: unknown): v is Data => typeof v === 'object' && v !== null
const obj = (v: unknown): Data => (isData(v) ? v : {})
const str = (v: unknown) => (typeof v === 'string' ? v : undefined)
/** The fields of `d` named by `keys` that it has. */
const pick = (d: Data, keys: readonly string[]): Data =>
  Object.fromEntries(keys.filter((k) => d[k] !== undefined).map((k) => [k, d[k]]))

/** The stream of a list under some of its filters (in the order the spec names them; unset ones left out). */
export const filteredStream = (base: string, filters: Record<string, string | undefined>) => {
  const set = Object.entries(filters).filter((e): e is [string, string] => e[1] !== undefined)
  return set.length ? `${base}|${set.map(([k, v]) => `${k}|${streamPart(v)}`).join('|')}` : base
}

/** Every stream of a list: unfiltered, under each of its filters and every combination of them. */
const withFilters = (base: string, filters: Record<string, string>) => {
  const keys = Object.keys(filters)
  const out: string[] = []
  for (let mask = 0; mask < 1 << keys.length; mask++)
    out.push(
      filteredStream(
        base,
        Object.fromEntries(keys.map((k, i) => [k, mask & (1 << i) ? filters[k] : undefined])),
      ),
    )
  return out
}

/** Review cycles: who may see a cycle besides the overseers (its performer, or their role). */
export const reviewViewer = (performer: unknown): string | undefined => {
  const p = obj(performer)
  const user = str(p.userId)
  const role = str(p.role)
  return user ? `u:${user}` : role ? `r:${role}` : undefined
}

/** The stream of what one viewer (`u:<user>` or `r:<role>`) may see. */
export const viewerStream = (viewer: string) => `V|${streamPart(viewer)}`

/**
 * Review cycles, newest scheduled first:
 * - `ALL`, and under the filters of `GET /api/reviews`: `ALL|E|<entry>`, `ALL|S|<status>`, both;
 * - the same for who performs it (`V|<u:user or r:role>`…), which is what a member sees;
 * - per programme entry, its open cycles (`OPEN|<entry>`) and those flagged overdue
 *   (`OVERDUE|<entry>`, counted for the programme);
 * - every cycle by its due time (`DUE`, the calendar's), and per kind by schedule (`K|<kind>`).
 */
const review: ListSpec = {
  version: 3,
  entries: (_id, data) => {
    const d = obj(data)
    const entry = str(d.entryId) ?? ''
    const status = str(d.status) ?? ''
    const filters = { E: entry, S: status }
    const viewer = reviewViewer(d.performer)
    const scheduled = str(d.scheduledAt) ?? ''
    // The streams `GET /api/reviews` pages through carry the cycle's row (`CycleListData`).
    const paged = withFilters('ALL', filters)
    if (viewer) paged.push(...withFilters(viewerStream(viewer), filters))
    const row = reviewRow(d)
    const out: string[] = []
    if (OPEN_REVIEW_STATUSES.some((s) => s === status)) out.push(`OPEN|${streamPart(entry)}`)
    if (d.overdue) out.push(`OVERDUE|${streamPart(entry)}`)
    out.push(reviewKindStream(str(d.kind) ?? ''))
    const due = str(d.dueAt)
    return [
      ...paged.map((stream) => ({ stream, order: scheduled, row })),
      ...at(scheduled, out),
      ...(due ? [{ stream: DUE_STREAM, order: due }] : []),
    ]
  },
}

/** What the cycles' list shows of a cycle (`CycleListData`), from its data. */
const reviewRow = (d: Data): Data => ({
  ...pick(d, CYCLE_LIST_FIELDS),
  signOff: pick(obj(d.signOff), ['required', 'outcome']),
  actions: (Array.isArray(d.actions) ? d.actions : []).map((a) => pick(obj(a), ['status'])),
  ...(isData(d.computed) ? { computed: pick(d.computed, ['followUpNeeded']) } : {}),
})

/** The stream of the review cycles of one kind (e.g. the management reviews), by schedule. */
export const reviewKindStream = (kind: string) => `K|${streamPart(kind)}`

/** The stream of a type's records by the day or time they fall due (the calendar reads a window of it). */
export const DUE_STREAM = 'DUE'

/** The stream of the review programme's enabled entries, by start date (none: first). */
export const ENABLED_STREAM = 'ON'

/**
 * Review programme entries: the enabled ones by start date (`ON`), so the calendar reads the
 * entries that may have an occurrence in its window (started before its end) by a key condition.
 */
const reviewEntry: ListSpec = {
  version: 1,
  entries: (_id, data) => {
    const d = obj(data)
    return d.enabled === true ? [{ stream: ENABLED_STREAM, order: str(d.startDate) ?? '' }] : []
  },
}

/** The stream of certification projects by their audit date. */
export const AUDIT_STREAM = 'AUDIT'
/** The stream of certification projects by the day their certificate expires. */
export const CERTIFICATE_STREAM = 'CERT'

/**
 * Certification projects: by audit date (`AUDIT`; the milestones fall due at set distances
 * from it) and by the certificate's expiry (`CERT`), so the calendar reads the projects of its
 * window by key conditions.
 */
const certProject: ListSpec = {
  version: 1,
  entries: (_id, data) => {
    const d = obj(data)
    const audit = str(d.auditDate)
    const until = str(obj(d.certificate).validUntil)
    return [
      ...(audit ? [{ stream: AUDIT_STREAM, order: audit }] : []),
      ...(until ? [{ stream: CERTIFICATE_STREAM, order: until }] : []),
    ]
  },
}

/** Notifications (the outbox the ISO reads), newest first. */
const notification: ListSpec = {
  version: 1,
  entries: (_id, data, meta) => at(str(obj(data).createdAt) ?? meta.createdAt, ['ALL']),
}

/**
 * The fields of a risk its register row shows (`riskRow`) besides its plan, rounds, measure
 * progress, approval and acceptance (kept in part, see `RiskListData`): what the list index keeps
 * of a risk in its sort streams' entries, so a page of the register is read without the risks.
 */
export const RISK_LIST_FIELDS = [
  'title',
  'category',
  'status',
  'ownerId',
  'assets',
  'likelihood',
  'impact',
  'residualLikelihood',
  'residualImpact',
] as const

/** What the register's row reads of a risk (`RiskListRow`), from its data and meta. */
const riskRow = (d: Data, meta: RecordMeta) => {
  const plan = isData(d.plan) ? d.plan : undefined
  const progress = obj(d.measureProgress)
  return {
    version: meta.version,
    updatedAt: meta.updatedAt,
    data: {
      ...pick(d, RISK_LIST_FIELDS),
      plan: plan
        ? {
            ...pick(plan, ['option', 'targetLikelihood', 'targetImpact']),
            measures: (Array.isArray(plan.measures) ? plan.measures : []).map((m) => pick(obj(m), ['id'])),
          }
        : null,
      measureProgress: Object.fromEntries(
        Object.entries(progress).map(([id, m]) => [id, pick(obj(m), ['status'])]),
      ),
      rounds: (Array.isArray(d.rounds) ? d.rounds : []).map((r) => pick(obj(r), ['round', 'status'])),
      ...(isData(d.approval) ? { approval: pick(d.approval, ['outdated']) } : {}),
      ...(isData(d.acceptance) ? { acceptance: pick(d.acceptance, ['status', 'expiresOn']) } : {}),
    },
  }
}

/** The sorts of the risk register, each a stream of its own. */
export const RISK_LIST_SORTS = ['id', 'title', 'inherent', 'residual', 'status', 'owner', 'updated'] as const
export type RiskListSort = (typeof RISK_LIST_SORTS)[number]

const RISK_ID = /^R-(\d+)$/
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)
const pad = (n: number, width: number) => String(Math.max(0, Math.trunc(n))).padStart(width, '0')

/** A register id's place: `R-<n>` by its number (R-2 before R-10), any other id after them. */
export const riskIdOrder = (id: string) => {
  const m = RISK_ID.exec(id)
  return m ? `0${pad(Number(m[1]), 9)}` : `1${id}`
}

/** A matrix cell `<likelihood>#<impact>` (empty when a value is missing). */
const cell = (l: number | undefined, i: number | undefined) =>
  l === undefined || i === undefined ? '' : `${l}#${i}`

/** The stream of the whole register in one sort (ISO, management, auditors read it). */
export const riskStream = (sort: RiskListSort) => `ALL|${sort}`

/** The stream counting the register's risks of one status (no page reads it). */
export const riskStatusStream = (status: string) => `ALL|S|${streamPart(status)}`

/** The stream of a member's risks (those they own or hold a measure of), by id. */
export const riskMemberStream = (userId: string) => `U|${streamPart(userId)}`

/** The stream of the risks (not closed) in one heat map cell `<likelihood>#<impact>`, by id. */
export const riskCellStream = (view: 'inherent' | 'residual', cell: string) =>
  `${view === 'inherent' ? 'IC' : 'RC'}|${streamPart(cell)}`

/**
 * Risks:
 * - in every sort of the register (`RISK_LIST_SORTS`) for the whole register, each entry carrying
 *   what the register filters on in the key-condition read: status (`st`), category (`cat`),
 *   treatment option (`opt`), owner (`own`) and the inherent and residual cells (`ic`, `rc`; a
 *   level is the set of cells the matrix gives it), and the risk's row (`RiskListRow`); the owner
 *   sort orders by the owner's id;
 * - a counted stream per status (the totals) and, unless closed, per inherent and residual cell
 *   (the heat maps' counts, from the counters);
 * - while an acceptance is active, one entry by the day it expires (`DUE`, the calendar's);
 * - tallies of its treatment measures with progress and of those done (the review package's);
 * - one entry per member who may see the risk (its owner and the owners of its measures), by id
 *   and without attributes, so a write rewrites it only when the member joins or leaves: a
 *   member's register is their stream, bounded by their own risks. A risk's entries stay few
 *   whatever its measures (a transaction holds at most 100 writes).
 */
const risk: ListSpec = {
  version: 4,
  entries: (id, data, meta) => {
    const d = obj(data)
    const l = num(d.likelihood)
    const i = num(d.impact)
    const rl = num(d.residualLikelihood) ?? l
    const ri = num(d.residualImpact) ?? i
    const plan = obj(d.plan)
    const owner = str(d.ownerId) ?? ''
    const status = str(d.status) ?? ''
    const score = (a?: number, b?: number) => (a === undefined || b === undefined ? '000' : pad(1 + a * b, 3))
    const orders: Record<RiskListSort, string> = {
      id: riskIdOrder(id),
      title: (str(d.title) ?? '').toLocaleLowerCase('en').normalize('NFKD'),
      inherent: score(l, i),
      residual: score(rl, ri),
      status: pad(RISK_STATUSES.findIndex((x) => x === status) + 1, 2),
      owner,
      updated: meta.updatedAt,
    }
    const inherent = cell(l, i)
    const residual = cell(rl, ri)
    const attrs = {
      st: status,
      cat: str(d.category) ?? '',
      opt: str(plan.option) ?? '',
      own: owner,
      ic: inherent,
      rc: residual,
    }
    const row = riskRow(d, meta)
    const out: ListEntry[] = RISK_LIST_SORTS.map((sort) => ({
      // '#' inside a title would end the order early: the sort key keeps its place either way.
      stream: riskStream(sort),
      order: orders[sort].replaceAll('#', ' '),
      attrs,
      row,
    }))
    out.push({ stream: riskStatusStream(status), order: orders.id })
    if (status !== 'closed') {
      if (inherent) out.push({ stream: riskCellStream('inherent', inherent), order: orders.id })
      if (residual) out.push({ stream: riskCellStream('residual', residual), order: orders.id })
    }
    const measures = Array.isArray(plan.measures) ? plan.measures.map(obj) : []
    const members = new Set([owner, ...measures.map((m) => str(m.ownerId) ?? '')].filter(Boolean))
    for (const m of members) out.push({ stream: riskMemberStream(m), order: orders.id })
    const acceptance = obj(d.acceptance)
    const expires = str(acceptance.expiresOn)
    if (acceptance.status === 'active' && expires && /^\d{4}-\d{2}-\d{2}$/.test(expires))
      out.push({ stream: DUE_STREAM, order: expires })
    return out
  },
  // The management review package's treatment measures: with progress, and done.
  tallies: (_id, data) => {
    const progress = Object.values(obj(obj(data).measureProgress))
    return {
      measures: progress.length,
      measuresDone: progress.filter((m) => obj(m).status === 'done').length,
    }
  },
}

/** The streams of nonconformities: every one by when it was raised and by its last change, the open ones. */
export const NC_CREATED = 'CREATED'
export const NC_CHANGED = 'CHANGED'
export const NC_OPEN = 'OPEN'

/**
 * Nonconformities (`cert-nc`): every one by when it was raised (`CREATED`) and last changed
 * (`CHANGED`), the open ones by when they were raised (`OPEN`), so the management review
 * package reads the open ones and those of its periods by key.
 */
const nonconformity: ListSpec = {
  version: 1,
  entries: (_id, data, meta) => {
    const d = obj(data)
    const closed = Boolean(obj(d.closure).at) || d.status === 'closed'
    return [
      { stream: NC_CREATED, order: meta.createdAt },
      { stream: NC_CHANGED, order: meta.updatedAt },
      ...(closed ? [] : [{ stream: NC_OPEN, order: meta.createdAt }]),
    ]
  },
}

/** A flag as a filter value of a stream: `true`, else `false` (unknown reads as not). */
const flag = (v: unknown) => (v === true ? 'true' : 'false')

/**
 * Incidents, newest awareness first (`GET /api/incidents`; a year is a prefix of the order):
 * - `ALL` under the register's filters and every combination of them: open (`O`), significant
 *   (`S`), personal data breach (`P`), so a filtered page is one key-condition read;
 * - one stream per person who may see it besides the overseers (its reporter and assignees),
 *   `V|u:<user>`: a member's register, filtered as it is read (it holds only their incidents).
 */
const incident: ListSpec = {
  version: 1,
  entries: (_id, data) => {
    const d = obj(data)
    const c = obj(d.classification)
    const out = withFilters('ALL', {
      O: d.closedAt === undefined ? 'true' : 'false',
      S: flag(c.significant),
      P: flag(c.personalDataBreach),
    })
    const people = [str(d.reportedBy), ...(Array.isArray(d.assignees) ? d.assignees.map(str) : [])]
    for (const user of new Set(people)) if (user) out.push(viewerStream(`u:${user}`))
    return at(str(d.awareAt) ?? '', out)
  },
}

/** The stream of the invitations pending for one e-mail address (exactly as invited), by expiry. */
export const invitationPendingStream = (email: string) => `P|${streamPart(email)}`

/**
 * Invitations: the pending ones per e-mail address by when they expire (`P|<email>`), so
 * inviting someone finds whether they have a usable invitation by one key-condition read of
 * the last entry, however many invitations the organisation ever sent.
 */
const invitation: ListSpec = {
  version: 1,
  entries: (_id, data) => {
    const d = obj(data)
    const email = str(d.email)
    return d.status === 'pending' && email
      ? [{ stream: invitationPendingStream(email), order: str(d.expiresAt) ?? '' }]
      : []
  },
}

/** The streams of obligation decisions: every one by sequence, those not superseded, every one by its last change. */
export const DECISIONS_ALL = 'ALL'
export const DECISIONS_CURRENT = 'CURRENT'
export const DECISIONS_CHANGED = 'CHANGED'

/**
 * Obligation decisions (`obligation-decision`): every one in the history's order (`ALL`: by
 * sequence, then decision time; the last is the highest sequence), those not superseded in the
 * same order (`CURRENT`: the last is the decision in force), and every one by its last change
 * (`CHANGED`), so the history pages, the next sequence, the decision in force and the decisions
 * changed since a date are key-condition reads.
 */
const obligationDecision: ListSpec = {
  version: 1,
  entries: (_id, data, meta) => {
    const d = obj(data)
    const order = `${pad(num(d.sequence) ?? 0, 9)} ${str(d.decidedAt) ?? ''}`
    return [
      { stream: DECISIONS_ALL, order },
      ...(d.supersededBy ? [] : [{ stream: DECISIONS_CURRENT, order }]),
      { stream: DECISIONS_CHANGED, order: meta.updatedAt },
    ]
  },
}

/** The record types with lists, by type. */
export const LIST_SPECS: Record<string, ListSpec> = {
  review,
  notification,
  risk,
  incident,
  'review-entry': reviewEntry,
  'cert-project': certProject,
  'cert-nc': nonconformity,
  invitation,
  'obligation-decision': obligationDecision,
}
