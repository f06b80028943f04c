/**
 * The inbox's index: for every task, entries in the task's organisation partition under
 * `TIX#v<version>#<stream>#<class>#<order>`, one per list the task belongs to (everything, waiting
 * for a person, unclaimed for a role, completed, visible to a member, of one execution, open, open
 * of one kind, about one subject), each holding the task's row as the inbox shows it (`TaskRow`);
 * readers that need whole tasks read the task records by key (`streamTasks`, `dueTasks`); and a counter item
 * per stream (`TCNT#v<version>#<stream>`: all, by kind, by workflow). Written in the task's own
 * transaction (see `WriteOptions.side`), so a page of an inbox view is a few key-condition reads
 * of the streams that make it up, merged, and its total a few counter reads: the cost does not
 * grow with the organisation's tasks.
 *
 * Built beside live writes (`task-reindex.ts`, by the rule of `stamped-index.ts`): the keys name
 * the version (`task-index-version.ts`), each task's item carries the version it is counted in, a
 * write moves entries and counts from what the task was only when it was counted at this version.
 */
import { compareTasks, type InboxView, isOpen, type Task, type TaskRow, taskRow } from '../domain/tasks.js'
import { countRange } from './count-range.js'
import { type EntryTarget, executionEntryWrites } from './execution-index.js'
import type { OrgRecords, SideWrites, StoredRecord } from './records.js'
import { TASK_INDEX_VERSION, TASK_SPACE } from './task-index-version.js'

export { TASK_INDEX_VERSION }

/** A plain object (a stored item's attribute). */
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null

/** Whether stored data has the fields the index reads of a task and of its row alike. */
const hasIndexFields = (t: unknown): boolean =>
  isObject(t) &&
  typeof t.id === 'string' &&
  typeof t.kind === 'string' &&
  typeof t.status === 'string' &&
  typeof t.createdAt === 'string' &&
  typeof t.priority === 'number' &&
  isObject(t.workflow)

/** Whether stored data is a task (the fields the index reads). */
export const isTask = (t: unknown): t is Task => hasIndexFields(t)

/** Whether stored data is a task's row (the same fields). */
const isRow = (r: unknown): r is TaskRow => hasIndexFields(r)

/**
 * One entry of a stream as read: its sort key, the task's row as stored (JSON: a page answers it
 * as it is, the readers of whole tasks parse it for the id), the task's status and the task
 * record's version.
 */
interface Entry {
  sk: string
  row: string
  st: string
  v: number
  /** Its place in a page's merge (`taskPage`), worked out once when it is first compared. */
  order?: string
}

/** The attributes of an entry that its readers use (`Entry`; not `kind` and `wf`, which only the filters read). */
const ENTRY_FIELDS = ['v', 'st', 'row'] as const

/**
 * An entry as stored: the attributes the reads filter on (`kind`, `wf`, `st`), the record's
 * version, and the task's row (`TaskRow`) as one JSON string (`row`). One string instead of a
 * nested map: the store, its wire format and the SDK's unmarshalling handle one attribute per
 * entry instead of dozens; the row instead of the whole task (context snapshots, answers, drafts):
 * a few hundred bytes per entry however much the task holds.
 */
function entryItem(task: Task, rec: StoredRecord<unknown>) {
  return {
    kind: task.kind,
    wf: task.workflow.name,
    st: task.status,
    v: rec.version,
    row: JSON.stringify(taskRow(task)),
  }
}

/** The row an entry holds, or none (not the shape of a row). */
function rowOf(e: Entry): TaskRow | undefined {
  try {
    const row: unknown = JSON.parse(e.row)
    return isRow(row) ? row : undefined
  } catch {
    return undefined
  }
}

/** The entries of stored items (those of this version's shape: a row that is a JSON object). */
function entriesOf(items: (Record<string, unknown> & { sk: string })[]): Entry[] {
  const out: Entry[] = []
  for (const i of items)
    if (
      typeof i.v === 'number' &&
      typeof i.st === 'string' &&
      typeof i.row === 'string' &&
      i.row.length > 2 &&
      i.row.startsWith('{') &&
      i.row.endsWith('}')
    )
      out.push({ sk: i.sk, row: i.row, st: i.st, v: i.v })
  return out
}

const IX = `TIX#${TASK_SPACE}`
const CNT = `TCNT#${TASK_SPACE}`

/** Where the inbox's index keeps its items: every version's prefixes, and this version's. */
export const INBOX_INDEX_KEYS = { all: ['TIX#', 'TCNT#'], current: [IX, CNT] } as const

/** Roles that see every task of their organisation (`mayView`). */
const OVERSEERS = ['iso', 'management', 'auditor']

/** Decisions first for management: class `A` (approvals) before `B` (everything else). */
export const isApproval = (t: Pick<Task, 'formId' | 'kind'>) =>
  t.formId === 'approval' || t.kind.endsWith('approval')

/** The part of a sort key that orders tasks like `compareTasks`: due date, priority, creation, id. */
export function orderKey(t: Task): string {
  const due = t.dueAt ?? '9999'
  const prio = String(9 - Math.max(0, Math.min(9, t.priority)))
  return `${due}#${prio}#${t.createdAt}#${t.id}`
}

/** One value in a stream name with `%` and `#` escaped, so no stream is a prefix of another. */
const part = (v: string) => v.replace(/[%#]/g, (ch) => `%${ch.charCodeAt(0).toString(16)}`)

/** The stream of the open tasks of one kind. */
export const openKindStream = (kind: string) => `OPENK#${part(kind)}`

/** The stream of the tasks (any status) about one record (`Task.subject`). */
export const subjectStream = (type: string, id: string) => `SUBJ#${part(type)}#${part(id)}`

/** The streams (lists) a task belongs to, given its data. */
export function streamsOf(t: Task): string[] {
  const s = new Set<string>(['ALL', `EXEC#${t.workflow.executionArn}`])
  if (isOpen(t)) {
    s.add('OPEN')
    s.add(openKindStream(t.kind))
  }
  if (t.subject) s.add(subjectStream(t.subject.type, t.subject.id))
  const people = [t.assigneeUserId, t.claimedBy].filter((x): x is string => Boolean(x))
  const roleQueue = !t.assigneeUserId && !t.claimedBy && t.candidateRole
  if (isOpen(t)) for (const u of people) s.add(`MINE#${u}`)
  if (t.status === 'open' && roleQueue) s.add(`ROLE#${t.candidateRole}`)
  if (t.status === 'completing') s.add('COMPLETING')
  if (t.status === 'completed') {
    for (const u of people) s.add(`DONE#U#${u}`)
    if (roleQueue) s.add(`DONE#R#${t.candidateRole}`)
    // Someone who completed for another (ISO on behalf) sees it too; whoever worked it is covered above.
    if (t.result?.completedBy && (t.result.onBehalfOf || (!people.length && !roleQueue)))
      s.add(`DONE#U#${t.result.completedBy}`)
  }
  // What a member (not an overseer) may view: what they may work on, in any status, and what they asked for.
  for (const u of people) s.add(`SEE#U#${u}`)
  if (roleQueue) s.add(`SEE#R#${t.candidateRole}`)
  if (t.requestedBy) s.add(`SEE#U#${t.requestedBy}`)
  return [...s]
}

/** Streams that have counters (the views and the open tasks; not the lookups by execution, kind, subject, recovery). */
const counted = (stream: string) =>
  !stream.startsWith('EXEC#') &&
  !stream.startsWith('OPENK#') &&
  !stream.startsWith('SUBJ#') &&
  stream !== 'COMPLETING'

const entrySk = (stream: string, t: Task) => `${IX}${stream}#${isApproval(t) ? 'A' : 'B'}#${orderKey(t)}`

/**
 * The side writes of a task's write: entries of the streams it leaves are deleted, those of the
 * streams it is in are (re)written with the new data, counters follow the streams it joins or leaves.
 */
export function taskIndexWrites(before: unknown, rec: StoredRecord<unknown>): SideWrites {
  const after = rec.data
  if (!isTask(after)) return {}
  const prev = isTask(before) ? before : undefined
  const was = new Map(prev ? streamsOf(prev).map((s) => [entrySk(s, prev), s]) : [])
  const now = new Map(streamsOf(after).map((s) => [entrySk(s, after), s]))
  const item = entryItem(after, rec)
  const deletes = [...was.keys()].filter((sk) => !now.has(sk))
  const puts = [...now.keys()].map((sk) => ({ sk, item }))
  const delta = new Map<string, Record<string, number>>()
  const add = (stream: string, t: Task, n: number) => {
    if (!counted(stream)) return
    const d = delta.get(stream) ?? {}
    for (const a of ['n', `k#${t.kind}`, `w#${t.workflow.name}`]) d[a] = (d[a] ?? 0) + n
    delta.set(stream, d)
  }
  const wasStreams = new Set(was.values())
  const nowStreams = new Set(now.values())
  if (prev) for (const s of wasStreams) if (!nowStreams.has(s)) add(s, prev, -1)
  for (const s of nowStreams) if (!wasStreams.has(s)) add(s, after, 1)
  return { puts, deletes, counts: [...delta].map(([s, a]) => ({ sk: `${CNT}${s}`, add: a })) }
}

/**
 * The side writes of a task's write: its inbox entries and counters, and its execution's entry in
 * the workflows list (`execution-index.ts`, at `target`), from the task's data before (none: counted
 * afresh) to the record as written.
 */
export function taskSideWrites(target: EntryTarget, before: unknown, rec: StoredRecord<unknown>): SideWrites {
  const inbox = taskIndexWrites(before, rec)
  return {
    ...inbox,
    updates: [...(inbox.updates ?? []), ...(executionEntryWrites(target, before, rec).updates ?? [])],
  }
}

/** The streams of one inbox view for a person with these roles in the organisation. */
export function viewStreams(view: InboxView, user: { userId: string; roles: readonly string[] }): string[] {
  const roles = [...new Set(user.roles)]
  switch (view) {
    case 'waiting':
      return [`MINE#${user.userId}`, ...roles.map((r) => `ROLE#${r}`)]
    case 'mine':
      return [`MINE#${user.userId}`]
    case 'unclaimed':
      return roles.map((r) => `ROLE#${r}`)
    case 'completed':
      return [`DONE#U#${user.userId}`, ...roles.map((r) => `DONE#R#${r}`)]
    case 'all':
      return roles.some((r) => OVERSEERS.includes(r))
        ? ['ALL']
        : [`SEE#U#${user.userId}`, ...roles.map((r) => `SEE#R#${r}`)]
  }
}

/** One organisation's part of a page: the person's roles there. */
export interface IndexOrg {
  orgId: string
  records: OrgRecords
  userId: string
  roles: readonly string[]
}

export interface TaskPageQuery {
  view: InboxView
  kind?: string
  workflow?: string
  due?: 'overdue' | 'due-soon'
  /** Management's order: approvals first. */
  approvalsFirst?: boolean
  limit: number
  cursor?: string
  now: Date
  /** Days ahead that count as due soon (`dueBadge`). */
  soonDays?: number
}

/**
 * A row of a page: the task's row (`TaskRow`) as its entry holds it, as JSON (answered as it is:
 * parsing each row and serialising it again was a good part of what a page of 50 rows cost), its
 * organisation, id, status and due date (from the entry's key and attributes) and record version.
 */
export interface TaskRowRecord {
  orgId: string
  id: string
  status: TaskRow['status']
  dueAt?: string
  version: number
  /** The task's row, a JSON object. */
  json: string
}

export interface TaskPage {
  items: TaskRowRecord[]
  /** Opaque; absent on the last page. */
  cursor?: string
  total: number
}

interface Source {
  key: string
  org: IndexOrg
  stream: string
  /**
   * What precedes each entry's order part: `TIX#v<version>#<stream>#<class>#` for one class, or
   * `TIX#v<version>#<stream>#` for both (`cls` unset), whose entries then read `A#<order>` before `B#<order>`.
   */
  prefix: string
  cls?: 'A' | 'B'
  from: string
  to: string
  /** Position in the stream (sort key read last), `null` when exhausted. */
  after?: string | null
  buffer: Entry[]
  reads: number
}

/** Most reads of one stream for one page when a filter skips entries (a page may then come short, with a cursor). */
const MAX_READS = 10

const decode = (cursor?: string): Record<string, string | null> => {
  if (!cursor) return {}
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    return v && typeof v === 'object' && !Array.isArray(v) ? v : {}
  } catch {
    return {}
  }
}

/**
 * The key ranges of a view: each stream of each organisation. Management's order (approvals
 * first) is the streams' key order, so one range of each stream reads both classes; otherwise,
 * and for a due date (a range of the order part within each class), approvals and the rest apart.
 */
function sourcesOf(orgs: IndexOrg[], q: TaskPageQuery, position: Record<string, string | null>): Source[] {
  const nowIso = q.now.toISOString()
  const soonIso = new Date(q.now.getTime() + (q.soonDays ?? 3) * 86_400_000).toISOString()
  const classes = q.approvalsFirst === true && !q.due ? [undefined] : (['A', 'B'] as const)
  const sources: Source[] = []
  for (const org of orgs)
    for (const stream of viewStreams(q.view, org))
      for (const cls of classes) {
        const prefix = cls ? `${IX}${stream}#${cls}#` : `${IX}${stream}#`
        const [from, to] =
          q.due === 'overdue'
            ? [prefix, `${prefix}${nowIso}`]
            : q.due === 'due-soon'
              ? [`${prefix}${nowIso}`, `${prefix}${soonIso}#\uffff`]
              : [prefix, `${prefix}\uffff`]
        const key = cls ? `${org.orgId}|${stream}#${cls}` : `${org.orgId}|${stream}`
        const at = position[key]
        // A position from a cursor must lie in the stream's range; anything else starts over.
        const after = at === null ? null : typeof at === 'string' && at >= from && at <= to ? at : undefined
        sources.push({ key, org, stream, prefix, cls, from, to, after, buffer: [], reads: 0 })
      }
  return sources
}

/** Entry filters of a query: kind, workflow, and open tasks only when asking by due date. */
function filterOf(q: TaskPageQuery): Record<string, string | readonly string[]> {
  const where: Record<string, string | readonly string[]> = {}
  if (q.kind) where.kind = q.kind
  if (q.workflow) where.wf = q.workflow
  if (q.due) where.st = ['open', 'claimed']
  return where
}

/**
 * One page of an inbox view over one or more organisations, in inbox order (approvals first
 * for management), deduplicated (a task in two of a person's streams appears once), with
 * the view's total from the counters. `kind`, `workflow` and `due` narrow it; `due` is a key
 * range (the order starts with the due date), `kind`/`workflow` filter the entries read.
 */
export async function taskPage(orgs: IndexOrg[], q: TaskPageQuery): Promise<TaskPage> {
  const position = decode(q.cursor)
  // The view's counters first: a stream without a task that may match is not read (a person's
  // own tasks, a role's queue are often empty), and they give the total.
  const counts = await viewCounts(orgs, q)
  const sources = sourcesOf(orgs, q, position)
  for (const s of sources) if (counts.get(`${s.org.orgId}|${s.stream}`) === 0) s.after = null
  // A total that counts key ranges goes on beside the page's reads (a failure surfaces at its await below).
  const total = taskTotal(orgs, q, counts)
  total.catch(() => {})
  const where = filterOf(q)
  // Management's page takes every approval (class A) before anything else (class B): a class B
  // stream read apart (by due date) reads its head only first (one entry, to order and to know
  // whether it has more), and a page's worth once the page reaches it. Otherwise an inbox with
  // many tasks of both classes read (and threw away) a whole page of each class B stream.
  const later = (s: Source) => q.approvalsFirst === true && s.cls === 'B'
  // Where several streams are read, one with more tasks than a page's read reads its head first
  // too, and a page's worth only once the merge takes from it: a person's waiting view merges their
  // own tasks and each role's queue, and a page of 50 from one of them no longer costs a page of 50
  // read and thrown away from each of the others (one more store call for a stream the page does
  // need). A stream one read takes whole is read whole at once, as before.
  const read = sources.filter((s) => s.after !== null)
  const countOf = (s: Source) => counts.get(`${s.org.orgId}|${s.stream}`) ?? Number.POSITIVE_INFINITY
  const big = (s: Source) => read.length > 1 && countOf(s) > q.limit + 1
  // A big stream the page cannot do without is read a page's worth at once, not by its head
  // first: when the other streams read hold fewer tasks than a page together (counted, an upper
  // bound of what they give), the page takes from it whatever their order. Saves a store call
  // on a person's waiting view of one big queue beside a few tasks of their own (management's
  // approvals beside the ISO's tasks: 4 calls instead of 5).
  const headFirst = (s: Source) =>
    big(s) && read.reduce((n, other) => (other === s ? n : n + countOf(other)), 0) >= q.limit
  const fill = async (s: Source) => {
    while (s.buffer.length === 0 && s.after !== null && s.reads < MAX_READS) {
      const out = await s.org.records.sideRange({
        from: s.from,
        to: s.to,
        after: s.after,
        limit: s.reads === 0 && (later(s) || headFirst(s)) ? 1 : q.limit + 1,
        where,
        fields: ENTRY_FIELDS,
      })
      s.reads++
      s.buffer.push(...entriesOf(out.items))
      s.after = out.last ?? null
    }
  }
  // An entry's order is compared while it is a stream's head, once per row taken: worked out once.
  const order = (s: Source, item: Entry) => {
    if (item.order !== undefined) return item.order
    const tail = item.sk.slice(s.prefix.length)
    item.order = q.approvalsFirst && s.cls ? `${s.cls}#${tail}` : tail
    return item.order
  }
  await Promise.all(sources.map(fill))
  const items: TaskRowRecord[] = []
  const seen = new Set<string>()
  // Position of each stream after the entries taken; an untouched stream keeps the one it came with.
  const taken = new Map<Source, string>()
  let exhaustedAll = false
  while (items.length < q.limit) {
    // A stream that stopped reading (filters skipped too much) may still hold smaller entries: the page ends here.
    if (sources.some((s) => s.buffer.length === 0 && s.after !== null)) break
    let best: { s: Source; o: string } | undefined
    for (const s of sources) {
      const head = s.buffer[0]
      if (!head) continue
      const o = order(s, head)
      if (!best || o < best.o) best = { s, o }
    }
    if (!best) {
      exhaustedAll = sources.every((s) => s.after === null)
      break
    }
    // Take the smallest head and every equal head (the same task in another stream).
    for (const s of sources) {
      const head = s.buffer[0]
      if (!head || order(s, head) !== best.o) continue
      s.buffer.shift()
      taken.set(s, head.sk)
      const { id, dueAt } = orderParts(best.o)
      if (!seen.has(`${s.org.orgId}/${id}`)) {
        seen.add(`${s.org.orgId}/${id}`)
        items.push({
          orgId: s.org.orgId,
          id,
          status: head.st as TaskRow['status'],
          dueAt,
          version: head.v,
          json: head.row,
        })
      }
      // A stream read to its head only and taken from as the page fills is not read again: its
      // position is the entry taken, and it holds more (it was read by head for having more than a read).
      if (s.buffer.length === 0 && (items.length < q.limit || !big(s))) await fill(s)
    }
  }
  let cursor: string | undefined
  if (!exhaustedAll) {
    const next: Record<string, string | null> = {}
    let more = false
    for (const s of sources) {
      const done = s.buffer.length === 0 && s.after === null
      // Read to its end of what it read (all taken or skipped), or up to the last entry taken.
      const pos = done
        ? null
        : s.buffer.length === 0
          ? s.after
          : (taken.get(s) ?? position[s.key] ?? undefined)
      if (!done) more = true
      if (pos !== undefined) next[s.key] = pos
    }
    if (more) cursor = Buffer.from(JSON.stringify(next)).toString('base64url')
  }
  return { items, cursor, total: await total }
}

/**
 * The task's id and due date from an entry's order (`A#` or `B#`, then `orderKey`: due date or
 * `9999`, priority, creation, id; none of the first three holds a `#`).
 */
function orderParts(order: string): { id: string; dueAt?: string } {
  // Three `#` after the class, if any: the id is what follows the third (it may hold `#` itself).
  const from = order.startsWith('A#') || order.startsWith('B#') ? 2 : 0
  const afterDue = order.indexOf('#', from)
  const afterPriority = afterDue < 0 ? -1 : order.indexOf('#', afterDue + 1)
  const afterCreation = afterPriority < 0 ? -1 : order.indexOf('#', afterPriority + 1)
  if (afterCreation >= 0) {
    const due = order.slice(from, afterDue)
    return { id: order.slice(afterCreation + 1), dueAt: due === '9999' ? undefined : due }
  }
  const parts = order.split('#')
  const [due, , , ...id] = parts[0] === 'A' || parts[0] === 'B' ? parts.slice(1) : parts
  return { id: id.join('#'), dueAt: due === '9999' ? undefined : due }
}

/**
 * The task records of entries' rows, read by key (one read per 100; a task removed meanwhile is
 * left out), in inbox order: for the readers that need whole tasks (the entries hold rows).
 */
async function tasksOf(records: OrgRecords, ids: Iterable<string>): Promise<StoredRecord<Task>[]> {
  const found = await records.getMany<unknown>('task', [...ids])
  return [...found.values()]
    .filter((r): r is StoredRecord<Task> => isTask(r.data))
    .sort((a, b) => compareTasks(a.data, b.data))
}

/**
 * The counters of a view's streams, one read per organisation (at once): for each
 * `<orgId>|<stream>`, how many of its tasks may match the query (the stream's tasks, of the
 * kind, of the workflow; the smaller of the two when both are asked). Counters are written in
 * the tasks' own transactions, so a stream counted 0 has no entries to read.
 */
async function viewCounts(orgs: IndexOrg[], q: TaskPageQuery): Promise<Map<string, number>> {
  const attrs = [q.kind && `k#${q.kind}`, q.workflow && `w#${q.workflow}`].filter((a): a is string => !!a)
  if (!attrs.length) attrs.push('n')
  const out = new Map<string, number>()
  await Promise.all(
    orgs.map(async (org) => {
      const streams = viewStreams(q.view, org)
      const counters = await org.records.sideGet(streams.map((s) => `${CNT}${s}`))
      for (const s of streams) {
        const c = counters.get(`${CNT}${s}`) ?? {}
        out.set(`${org.orgId}|${s}`, Math.min(...attrs.map((a) => Math.max(0, Number(c[a] ?? 0)))))
      }
    }),
  )
  return out
}

/**
 * The number of tasks in a view: from the counters (`viewCounts`) when there is no filter or one
 * of kind and workflow; with a due filter (it depends on the clock) or both, by counting the
 * view's key ranges (bounded by the tasks due in that window, not by the organisation's) of the
 * streams that have any.
 */
async function taskTotal(orgs: IndexOrg[], q: TaskPageQuery, counts: Map<string, number>): Promise<number> {
  let total = 0
  if (!q.due && !(q.kind && q.workflow)) {
    for (const n of counts.values()) total += n
    return total
  }
  const where = filterOf(q)
  for (const source of sourcesOf(orgs, q, {}))
    if (counts.get(`${source.org.orgId}|${source.stream}`) !== 0)
      total += await countRange(source.org.records, { from: source.from, to: source.to, where }, MAX_READS)
  return total
}

/** The tasks of one stream in order (e.g. those of an execution, those left `completing`): its entries, then the records. */
export async function streamTasks(
  records: OrgRecords,
  stream: string,
  limit = 500,
): Promise<StoredRecord<Task>[]> {
  const ids: string[] = []
  let after: string | undefined
  do {
    const page = await records.sideRange({
      from: `${IX}${stream}#`,
      to: `${IX}${stream}#\uffff`,
      after,
      limit: Math.min(limit - ids.length, 200),
    })
    for (const e of entriesOf(page.items)) {
      const row = rowOf(e)
      if (row) ids.push(row.id)
    }
    after = page.last
  } while (after && ids.length < limit)
  return tasksOf(records, ids)
}

/** Due dates from `from` to `to` (ISO instants in UTC, inclusive; either may be left open). */
export interface DueWindow {
  from?: string
  to?: string
}

/** The key ranges of one stream's entries due in a window (approvals and the rest apart). */
const dueRanges = (stream: string, w: DueWindow) =>
  (['A', 'B'] as const).map((cls) => {
    const prefix = `${IX}${stream}#${cls}#`
    // The order part starts with the due date (`9999` without one, after every date).
    return { from: `${prefix}${w.from ?? ''}`, to: w.to ? `${prefix}${w.to}#\uffff` : `${prefix}\uffff` }
  })

/**
 * The tasks of some streams due in a window, in inbox order, each once (a task may be in two of
 * the streams): key-condition reads of the window only, however many tasks the organisation has.
 * `open` keeps open and claimed tasks (a condition on the entries read); at most `limit` tasks.
 */
export async function dueTasks(
  records: OrgRecords,
  streams: readonly string[],
  w: DueWindow,
  opts: { open?: boolean; limit?: number } = {},
): Promise<StoredRecord<Task>[]> {
  const limit = opts.limit ?? 1000
  const where = opts.open ? { st: ['open', 'claimed'] } : undefined
  const found = new Map<string, TaskRow>()
  for (const stream of new Set(streams))
    for (const range of dueRanges(stream, w)) {
      let after: string | undefined
      do {
        const page = await records.sideRange({ ...range, after, limit: 200, where })
        for (const e of entriesOf(page.items)) {
          const row = rowOf(e)
          if (row) found.set(row.id, row)
        }
        after = page.last
      } while (after && found.size < limit)
    }
  const first = [...found.values()].sort(compareTasks).slice(0, limit)
  const tasks = await tasksOf(
    records,
    first.map((r) => r.id),
  )
  // Changed since its entry was read (the entry and the record are written together): as the record says now.
  return opts.open ? tasks.filter((r) => isOpen(r.data)) : tasks
}

/** How many tasks of a stream are due in a window (a count read of its key ranges). */
export async function countDue(records: OrgRecords, stream: string, w: DueWindow): Promise<number> {
  let total = 0
  for (const range of dueRanges(stream, w)) total += await countRange(records, range)
  return total
}

/** How many tasks each counted stream has (`ALL`, `OPEN`, a view's streams), from the counters. */
export async function streamCounts(records: OrgRecords, streams: readonly string[]) {
  const counters = await records.sideGet(streams.map((s) => `${CNT}${s}`))
  return new Map(streams.map((s) => [s, Math.max(0, Number(counters.get(`${CNT}${s}`)?.n ?? 0))]))
}
