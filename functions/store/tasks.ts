import { ConflictError, conflict } from '../domain/errors.js'
import { compareTasks, isOpen, type Task, type TaskStatus } from '../domain/tasks.js'
import { type EntryTarget, entryTarget } from './execution-index.js'
import {
  countDue,
  type DueWindow,
  dueTasks,
  type IndexOrg,
  openKindStream,
  streamCounts,
  streamTasks,
  subjectStream,
  type TaskPageQuery,
  taskPage,
  taskSideWrites,
  viewStreams,
} from './inbox-index.js'
import { acrossOrgKeys } from './keys.js'
import type { Actor, OrgRecords, Records, SideWrites, StoredRecord } from './records.js'
import { createSecretBox, idFromSecret } from './secret-box.js'
import { TASK_STAMP } from './task-index-version.js'
import { ensureTaskIndexed } from './task-reindex.js'

const TASK = 'task'
const TOKEN = 'task-token'

/** A task with its record version (for conditional transitions). */
export type TaskRecord = StoredRecord<Task>

/**
 * Human tasks in the store. The engine's token is kept in its own record, encrypted, and
 * never returned with the task. Task ids derive from the token, so a step invoked twice
 * (at-least-once) creates one task.
 */
export function createTaskStore(options: {
  records: Records
  /** The application secret (see `functions/config-secret.ts`). */
  secret: () => Promise<string>
  now: () => Date
}) {
  const box = createSecretBox(options.secret)
  const org = (orgId: string): OrgRecords => options.records.forOrg(orgId)
  /**
   * Every write of a task keeps the inbox's index and counters (see `inbox-index.ts`) and its
   * execution's entry in the workflows list (see `execution-index.ts`), in its own transaction,
   * stamped with the version it counts the task in (`task-reindex.ts` builds a version beside it).
   */
  const sideFor = (target: EntryTarget) => ({
    side: (before: unknown, rec: StoredRecord<unknown>): SideWrites => taskSideWrites(target, before, rec),
    stamp: TASK_STAMP,
  })
  /** Before a read of the indexes: builds the organisation's at this version if this process has not found them built. */
  const indexed = async (orgId: string) => {
    await ensureTaskIndexed(org(orgId))
    return org(orgId)
  }
  /** Where a task's write changes its execution's entry (noting the execution when it is new). */
  const targetOf = (t: Pick<Task, 'orgId' | 'id' | 'workflow' | 'title' | 'createdAt'>) =>
    entryTarget(org(t.orgId), t.workflow.executionArn, t.id, t.createdAt, t.title)

  /** Creates the task for a token; returns the existing one when the step ran before. */
  async function createFromToken(
    task: Omit<Task, 'id' | 'createdAt' | 'status'> & { status?: TaskStatus },
    token: string,
    actor: Actor,
  ) {
    const id = idFromSecret(token)
    const o = org(task.orgId)
    const existing = await o.get<Task>(TASK, id)
    if (existing) return existing
    await o.createOrGet(TOKEN, id, { sealed: await box.seal(token) }, { actor, action: 'task.token' })
    const full: Task = { ...task, id, status: task.status ?? 'open', createdAt: options.now().toISOString() }
    // The workflows list meets the execution through its first task (see `execution-index.ts`).
    const side = sideFor(await targetOf(full))
    // A step invoked twice at once: the refused create answers the task the other one wrote.
    const { rec } = await o.createOrGet<Task>(TASK, id, full, {
      actor,
      action: 'task.create',
      ...side,
      index: { gsi2pk: acrossOrgKeys.task(id), gsi2sk: task.orgId },
    })
    return rec
  }

  /** The engine token of a task (server side only). */
  async function token(orgId: string, id: string): Promise<string> {
    const rec = await org(orgId).require<{ sealed: string }>(TOKEN, id, 'Task')
    return box.open(rec.data.sealed)
  }

  const get = (orgId: string, id: string) => org(orgId).get<Task>(TASK, id)
  const require = (orgId: string, id: string) => org(orgId).require<Task>(TASK, id, 'Task')

  /**
   * Every task of an organisation, in inbox order. Reads the whole organisation: for tests and
   * tools only; the application reads by key (`page`, `forExecution`, `forSubject`, `openOfKinds`,
   * `heldBy`, `openDue`, `counts`).
   */
  async function list(orgId: string): Promise<TaskRecord[]> {
    const all = await org(orgId).all<Task>(TASK)
    return all.sort((a, b) => compareTasks(a.data, b.data))
  }

  /**
   * One page of an inbox view for a person over their organisations (each with their roles
   * there), by key conditions on the index, with the view's total from its counters.
   */
  async function page(orgs: { orgId: string; userId: string; roles: readonly string[] }[], q: TaskPageQuery) {
    const parts: IndexOrg[] = await Promise.all(
      orgs.map(async (o) => ({ ...o, records: await indexed(o.orgId) })),
    )
    return taskPage(parts, q)
  }

  /** The tasks left `completing` (for the recovery sweep), from the index. */
  async function listByStatus(orgId: string, status: 'completing'): Promise<TaskRecord[]> {
    return streamTasks(await indexed(orgId), status.toUpperCase())
  }

  /** The tasks of one execution (any status), from the index. */
  const forExecution = async (orgId: string, executionArn: string) =>
    streamTasks(await indexed(orgId), `EXEC#${executionArn}`)

  /** The tasks about one record (`Task.subject`, any status), from the index. */
  const forSubject = async (orgId: string, type: string, id: string) =>
    streamTasks(await indexed(orgId), subjectStream(type, id))

  /** The open tasks of some kinds (e.g. the stages of an assessment), in inbox order, from the index. */
  async function openOfKinds(orgId: string, kinds: readonly string[]): Promise<TaskRecord[]> {
    const o = await indexed(orgId)
    const lists = await Promise.all([...new Set(kinds)].map((k) => streamTasks(o, openKindStream(k))))
    return lists.flat().sort((a, b) => compareTasks(a.data, b.data))
  }

  /** The open tasks a person holds (assigned to them or claimed by them), from the index. */
  const heldBy = async (orgId: string, userId: string) =>
    streamTasks(await indexed(orgId), `MINE#${userId}`, 5000)

  /**
   * The open tasks due in a window (`DueWindow`), in inbox order: all of the organisation's, or
   * those `viewer` may see (`mayView`), at most `limit`. Reads the window's entries only.
   */
  async function openDue(
    orgId: string,
    w: DueWindow,
    viewer?: { userId: string; roles: readonly string[] },
    limit = 1000,
  ) {
    const o = await indexed(orgId)
    const streams = viewer ? viewStreams('all', viewer) : ['ALL']
    // The organisation's open tasks have a stream of their own; a member's view holds closed ones too.
    return streams.length === 1 && streams[0] === 'ALL'
      ? dueTasks(o, ['OPEN'], w, { limit })
      : dueTasks(o, streams, w, { open: true, limit })
  }

  /**
   * How many tasks the organisation has, how many are open and how many of those are overdue at
   * `now` (counters, and a count of the overdue range). With `worker`: those waiting for that
   * person (held by them or unclaimed for their roles, as `mayWork` says).
   */
  async function counts(orgId: string, now: Date, worker?: { userId: string; roles: readonly string[] }) {
    const o = await indexed(orgId)
    const before = { to: new Date(now.getTime() - 1).toISOString() }
    if (worker) {
      const streams = viewStreams('waiting', worker)
      const n = await streamCounts(o, streams)
      let overdue = 0
      for (const s of streams) overdue += await countDue(o, s, before)
      const open = [...n.values()].reduce((a, b) => a + b, 0)
      return { all: open, open, overdue }
    }
    const n = await streamCounts(o, ['ALL', 'OPEN'])
    return { all: n.get('ALL') ?? 0, open: n.get('OPEN') ?? 0, overdue: await countDue(o, 'OPEN', before) }
  }

  /**
   * Builds the organisation's indexes (the inbox's, the workflows list's) when an older version
   * wrote them, beside live writes (`task-reindex.ts`; by the re-index, on deploy and at start).
   */
  const rebuildIndex = (orgId: string) => ensureTaskIndexed(org(orgId), { recheck: true })

  /** Before a read of the workflows list (`execution-index.ts`): the indexes built at this version. */
  const ensureIndexed = async (orgId: string) => {
    await indexed(orgId)
  }

  /** Conditional transition: applies `change` only if the record still has `version`. */
  async function transition(rec: TaskRecord, change: Partial<Task>, actor: Actor, action: string) {
    const side = sideFor(await targetOf(rec.data))
    return org(rec.orgId).update<Task>(
      TASK,
      rec.id,
      { ...rec.data, ...change },
      { actor, action, expectedVersion: rec.version, ...side },
    )
  }

  /** Marks the open tasks of an execution closed (execution stopped, failed or timed out). */
  async function closeForExecution(
    orgId: string,
    executionArn: string,
    status: 'cancelled' | 'expired',
    reason: string,
    actor: Actor,
  ) {
    const closed: string[] = []
    for (const rec of await forExecution(orgId, executionArn)) {
      if (!isOpen(rec.data)) continue
      try {
        await transition(rec, { status, closedReason: reason }, actor, `task.${status}`)
        closed.push(rec.id)
      } catch (err) {
        // Completed or closed meanwhile: not this sweep's to close.
        if (!(err instanceof ConflictError)) throw err
      }
    }
    return closed
  }

  /**
   * Closes the open task behind an engine token that the engine closed itself (the
   * execution was stopped or failed, or the step timed out and was escalated).
   */
  async function closeByToken(engineToken: string, status: 'cancelled' | 'expired', reason: string) {
    const id = idFromSecret(engineToken)
    const [rec] = await options.records.acrossOrgs<Task>(acrossOrgKeys.task(id), { limit: 1 })
    if (!rec || !isOpen(rec.data)) return false
    try {
      await transition(rec, { status, closedReason: reason }, { userId: 'system:workflow' }, `task.${status}`)
      return true
    } catch (err) {
      if (err instanceof ConflictError) return false
      throw err
    }
  }

  return {
    createFromToken,
    token,
    get,
    require,
    list,
    page,
    listByStatus,
    forExecution,
    forSubject,
    openOfKinds,
    heldBy,
    openDue,
    counts,
    rebuildIndex,
    ensureIndexed,
    transition,
    closeForExecution,
    closeByToken,
  }
}

export type TaskStore = ReturnType<typeof createTaskStore>

/** 409 for a task that is not open any more, saying by whom and when it was completed. */
export function notOpen(task: Task, cause?: unknown) {
  if (task.status === 'completed' && task.result)
    return conflict(
      `This task was already completed by ${task.result.completedByName ?? task.result.completedBy} at ${task.result.completedAt}.`,
      undefined,
      cause,
    )
  if (task.status === 'completing')
    return conflict('This task is being completed right now.', undefined, cause)
  if (task.status === 'expired') return conflict('This task expired.', undefined, cause)
  return conflict('This task is no longer open.', undefined, cause)
}
