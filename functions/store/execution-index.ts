/**
 * The workflows list's index: the executions an organisation has (started through the app, or
 * met through one of its tasks), newest first, as entries `WIX#<first seen>#<execution ARN>` in
 * the organisation's partition (`WIX#v<version>#…`: versioned with the inbox's index,
 * `task-index-version.ts`), each noted once (`WSEEN#v<version>#<ARN>` guards it and holds when it
 * was first seen). An entry carries everything a row of the list shows, kept on write:
 * - what the app knows of the start (workflow, title, who started it), set when it is noted;
 * - the engine's status, `RUNNING` when noted and then from the engine's "Execution Status
 *   Change" events (`noteExecutionStatus`, called by the close-task step);
 * - the open tasks (`openN`, and `o#<taskId>` with title and assignee for the first
 *   `OPEN_DETAILS` of them) and who may see it (`v#u:<user>` / `v#r:<role>`: how many of its
 *   tasks each person or role may see), both written in each task's own transaction
 *   (`executionEntryWrites`).
 * So a page of the list is one key-condition read, whatever the number of executions and tasks.
 * The counts on an entry (`openN`, `v#…`, the open tasks' details) are what the tasks counted at
 * the index's version add (`stamped-index.ts`); the rest is noted idempotently (the first note
 * wins, the app's start info is set). `task-reindex.ts` builds a new version beside live writes.
 */
import type { OrgRecords, SideUpdate, SideWrites, StoredRecord } from './records.js'
import { TASK_SPACE } from './task-index-version.js'

const IX = `WIX#${TASK_SPACE}`
const SEEN = `WSEEN#${TASK_SPACE}`

/** Where the workflows list's index keeps its items: every version's prefixes, and this version's. */
export const EXECUTION_INDEX_KEYS = { all: ['WIX#', 'WSEEN#'], current: [IX, SEEN] } as const
const OPEN = 'o#'
const VIEWER = 'v#'

/** Open tasks whose title and assignee an entry keeps (an awareness campaign may wait for hundreds). */
export const OPEN_DETAILS = 20

/** What the app recorded when it started an execution (copied onto the entry). */
export interface ExecutionOrigin {
  workflow?: string
  title?: { en: string; de: string }
  startedBy?: string
  startedByName?: string
}

/** An open task as an entry keeps it: title, the person or the role it waits for, creation time. */
export interface OpenTask {
  taskId: string
  title: { en: string; de: string }
  userId?: string
  role?: string
  createdAt: string
}

/** An execution in the organisation's list, as its entry holds it. */
export interface ExecutionEntry extends ExecutionOrigin {
  executionArn: string
  /** When the organisation first saw it (its start, or its first task). */
  at: string
  /** The engine's status; absent on an entry rebuilt from the records until it is looked up. */
  status?: string
  startedAt?: string
  stoppedAt?: string
  /** Title of the first task (for an execution the app did not start). */
  firstTitle?: { en: string; de: string }
  openTasks: number
  /** The open tasks it keeps details of (at most `OPEN_DETAILS`), oldest first. */
  open: OpenTask[]
  /** People (`u:<id>`) and roles (`r:<role>`) who may see at least one of its tasks. */
  viewers: string[]
}

/** The fields of a task the index reads. */
interface TaskLike {
  id: string
  title: { en: string; de: string }
  status: string
  createdAt: string
  assigneeUserId?: string
  claimedBy?: string
  candidateRole?: string
  requestedBy?: string
  workflow: { executionArn: string }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null
const isTaskLike = (t: unknown): t is TaskLike =>
  isObject(t) &&
  typeof t.id === 'string' &&
  typeof t.status === 'string' &&
  typeof t.createdAt === 'string' &&
  isObject(t.title) &&
  isObject(t.workflow) &&
  typeof t.workflow.executionArn === 'string'
const isLocalized = (v: unknown): v is { en: string; de: string } =>
  isObject(v) && typeof v.en === 'string' && typeof v.de === 'string'
const text = (v: unknown) => (typeof v === 'string' ? v : undefined)

const isOpenTask = (t: TaskLike) => t.status === 'open' || t.status === 'claimed'

/** The entry's sort key. */
export const entrySk = (executionArn: string, at: string) => `${IX}${at}#${executionArn}`

/** Who may see a task in the list: what `mayView` grants besides the overseers' roles. */
export function viewersOf(t: TaskLike): string[] {
  const people = [t.assigneeUserId, t.claimedBy].filter((x): x is string => Boolean(x))
  const out = new Set(people.map((u) => `u:${u}`))
  if (!t.assigneeUserId && !t.claimedBy && t.candidateRole) out.add(`r:${t.candidateRole}`)
  if (t.requestedBy) out.add(`u:${t.requestedBy}`)
  return [...out]
}

const detailOf = (t: TaskLike) => {
  const user = t.claimedBy ?? t.assigneeUserId
  return {
    c: t.createdAt,
    t: { en: t.title.en, de: typeof t.title.de === 'string' ? t.title.de : t.title.en },
    ...(user ? { u: user } : t.candidateRole ? { r: t.candidateRole } : {}),
  }
}

/** Where a task's execution has its entry, and whether the entry keeps this task's details. */
export interface EntryTarget {
  executionArn: string
  at: string
  /** Keep (or keep on keeping) this task's title and assignee on the entry. */
  detailed: boolean
}

/**
 * The change of an execution's entry that a task's write makes (in the task's transaction):
 * the open count, the task's details while it is open, and who may see the execution.
 */
export function executionEntryWrites(
  target: EntryTarget,
  before: unknown,
  after: StoredRecord<unknown>,
): SideWrites {
  const now = after.data
  if (!isTaskLike(now)) return {}
  const prev = isTaskLike(before) ? before : undefined
  const add: Record<string, number> = {}
  const delta = (attr: string, n: number) => {
    add[attr] = (add[attr] ?? 0) + n
  }
  delta('openN', (isOpenTask(now) ? 1 : 0) - (prev && isOpenTask(prev) ? 1 : 0))
  for (const v of prev ? viewersOf(prev) : []) delta(`${VIEWER}${v}`, -1)
  for (const v of viewersOf(now)) delta(`${VIEWER}${v}`, 1)
  const set: Record<string, unknown> = { executionArn: target.executionArn, at: target.at }
  const remove: string[] = []
  if (isOpenTask(now) && target.detailed) set[`${OPEN}${now.id}`] = detailOf(now)
  else if (prev && isOpenTask(prev)) remove.push(`${OPEN}${now.id}`)
  const update: SideUpdate = {
    sk: entrySk(target.executionArn, target.at),
    set,
    remove,
    add: Object.fromEntries(Object.entries(add).filter(([, n]) => n !== 0)),
  }
  return { updates: [update] }
}

/**
 * Where a task of this execution writes to its entry: the entry's key (the execution is noted
 * first if the organisation has not seen it), and whether the task's details are kept there
 * (they are while the entry keeps fewer than `OPEN_DETAILS`, and once kept, until the task closes).
 */
export async function entryTarget(
  records: OrgRecords,
  executionArn: string,
  taskId: string,
  fallbackAt: string,
  firstTitle?: { en: string; de: string },
  options: { running?: boolean } = {},
): Promise<EntryTarget & { kept: string[] }> {
  const at = await noteExecution(records, executionArn, fallbackAt, { firstTitle }, options)
  const sk = entrySk(executionArn, at)
  const entry = (await records.sideGet([sk])).get(sk) ?? {}
  const kept = Object.keys(entry).filter((k) => k.startsWith(OPEN))
  return {
    executionArn,
    at,
    detailed: kept.includes(`${OPEN}${taskId}`) || kept.length < OPEN_DETAILS,
    kept: kept.map((k) => k.slice(OPEN.length)),
  }
}

/**
 * Notes that the organisation has this execution (the first note wins; later ones do nothing
 * but add what the app recorded of its start). Answers when it was first seen. A note of the
 * running app starts the entry as `RUNNING`; a rebuild's (`running: false`) leaves the status for
 * the list to look up once.
 */
export async function noteExecution(
  records: OrgRecords,
  executionArn: string,
  at: string,
  info: ExecutionOrigin & { firstTitle?: { en: string; de: string } } = {},
  options: { running?: boolean } = {},
): Promise<string> {
  const seen = `${SEEN}${executionArn}`
  const { firstTitle, ...origin } = info
  const originSet = Object.fromEntries(Object.entries(origin).filter(([, v]) => v !== undefined))
  const found = (await records.sideGet([seen])).get(seen)
  if (!found) {
    const put = {
      executionArn,
      at,
      ...(options.running === false ? {} : { status: 'RUNNING', statusAt: at, startedAt: at }),
      openN: 0,
      ...originSet,
      ...(firstTitle ? { firstTitle } : {}),
    }
    if (await records.putSideOnce({ sk: seen, item: { at } }, [{ sk: entrySk(executionArn, at), item: put }]))
      return at
  }
  const first = text(found?.at) ?? text((await records.sideGet([seen])).get(seen)?.at) ?? at
  if (Object.keys(originSet).length > 0)
    await records.sideUpdate({ sk: entrySk(executionArn, first), set: originSet }, { ifExists: true })
  return first
}

/**
 * Records an execution's status from the engine's "Execution Status Change" event (or from a
 * look-up): only on an entry the organisation has, and never over a later one (`statusAt`).
 */
export async function noteExecutionStatus(
  records: OrgRecords,
  executionArn: string,
  s: { status: string; at: string; startedAt?: string; stoppedAt?: string },
): Promise<boolean> {
  const seen = `${SEEN}${executionArn}`
  const at = text((await records.sideGet([seen])).get(seen)?.at)
  if (!at) return false
  const set: Record<string, unknown> = { status: s.status, statusAt: s.at }
  if (s.startedAt) set.startedAt = s.startedAt
  if (s.stoppedAt) set.stoppedAt = s.stoppedAt
  return records.sideUpdate(
    { sk: entrySk(executionArn, at), set },
    { ifExists: true, ifNotAfter: { attr: 'statusAt', value: s.at } },
  )
}

const toEntry = (i: Record<string, unknown>): ExecutionEntry | undefined => {
  const executionArn = text(i.executionArn)
  const at = text(i.at)
  if (!executionArn || !at) return undefined
  const open: OpenTask[] = []
  const viewers: string[] = []
  for (const [k, v] of Object.entries(i)) {
    if (k.startsWith(OPEN) && isObject(v) && isLocalized(v.t))
      open.push({
        taskId: k.slice(OPEN.length),
        title: v.t,
        createdAt: text(v.c) ?? '',
        ...(text(v.u) ? { userId: text(v.u) } : {}),
        ...(text(v.r) ? { role: text(v.r) } : {}),
      })
    if (k.startsWith(VIEWER) && typeof v === 'number' && v > 0) viewers.push(k.slice(VIEWER.length))
  }
  open.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))
  return {
    executionArn,
    at,
    status: text(i.status),
    startedAt: text(i.startedAt),
    stoppedAt: text(i.stoppedAt),
    workflow: text(i.workflow),
    title: isLocalized(i.title) ? i.title : undefined,
    firstTitle: isLocalized(i.firstTitle) ? i.firstTitle : undefined,
    startedBy: text(i.startedBy),
    startedByName: text(i.startedByName),
    openTasks: Math.max(0, typeof i.openN === 'number' ? i.openN : open.length),
    open,
    viewers,
  }
}

/** One page of the organisation's executions, newest first; `cursor` from the previous page. */
export async function executionPage(
  records: OrgRecords,
  opts: { limit: number; cursor?: string },
): Promise<{ items: ExecutionEntry[]; cursor?: string }> {
  const after = opts.cursor?.startsWith(IX) ? opts.cursor : undefined
  const out = await records.sideRange({
    from: IX,
    to: `${IX}\uffff`,
    after,
    limit: opts.limit,
    reverse: true,
  })
  return { items: out.items.flatMap((i) => toEntry(i) ?? []), cursor: out.last }
}

/** What a rebuild gathers of one execution from the records: when it was first seen, what the app recorded of its start, its first task's title. */
interface Gathered {
  at: string
  origin: ExecutionOrigin
  firstTitle?: { en: string; de: string }
  firstTaskAt?: string
}

/**
 * Gathers, from the records fed page by page (the executions the app started and every task),
 * how each execution is first noted when the index is built (`task-reindex.ts`): at its start or
 * its earliest task, titled by the app or by that task. What it keeps is bounded per execution,
 * not by the tasks read. `notes()` notes them (idempotent; a note already there is kept, the
 * app's start info set on it). The counts come from the tasks as they are stamped.
 */
export function firstSeenGatherer() {
  const all = new Map<string, Gathered>()
  const of = (arn: string, at: string) => {
    const g = all.get(arn) ?? { at, origin: {} }
    if (at < g.at) g.at = at
    all.set(arn, g)
    return g
  }
  return {
    starts(starts: readonly ({ executionArn: string; startedAt: string } & ExecutionOrigin)[]) {
      for (const s of starts)
        of(s.executionArn, s.startedAt).origin = {
          workflow: s.workflow,
          title: s.title,
          startedBy: s.startedBy,
          startedByName: s.startedByName,
        }
    },
    tasks(tasks: readonly unknown[]) {
      for (const t of tasks) {
        if (!isTaskLike(t)) continue
        const g = of(t.workflow.executionArn, t.createdAt)
        if (!g.firstTaskAt || t.createdAt < g.firstTaskAt) {
          g.firstTaskAt = t.createdAt
          g.firstTitle = isLocalized(t.title) ? t.title : undefined
        }
      }
    },
    async notes(records: OrgRecords) {
      for (const [arn, g] of all)
        await noteExecution(records, arn, g.at, { ...g.origin, firstTitle: g.firstTitle }, { running: false })
    },
  }
}
