/**
 * Recovery of tasks left `completing` by a crash between "answer sent" and "recorded". It
 * runs with the hourly sweep (task-reminders, on AWS and locally), once when the local stack
 * starts, and for one task when someone opens it or works on it after its lease ran out (the
 * task routes, through `recoveredTask`).
 */
import { ConflictError } from '../domain/errors.js'
import type { TaskRecord, TaskStore } from '../store/tasks.js'
import type { WorkflowClient } from '../workflow-client.js'

/** How long a task may stay `completing` before the sweep recovers it. */
export const COMPLETING_LEASE_MS = 60_000

/** What the recovery needs: the task store and the workflow engine's history. */
export interface RecoveryDeps {
  taskStore: TaskStore
  workflows: Pick<WorkflowClient, 'history' | 'describe'>
  now: () => Date
}

export interface RecoveryReport {
  /** The engine had taken the answer: recorded as completed. */
  completed: string[]
  /** The engine had not: open (or claimed) again, for the person to submit again. */
  reopened: string[]
  /** The token was closed without the answer (timed out, stopped). */
  expired: string[]
}

/** What became of one task left `completing`: see {@link recoverTask}. */
export type RecoveryOutcome = 'completed' | 'reopened' | 'expired'

/** Who recovers: the audit log's actor of a recovery. */
const SYSTEM = { userId: 'system:recovery' }

/**
 * Recovers one task left `completing`: completed with its pending result if the execution's
 * history shows the engine took this task's answer, expired when the execution ended without
 * it, reopened otherwise (for the person to submit again). Does not look at the lease: the
 * callers do. A version conflict (another recovery, the person) propagates as `ConflictError`.
 */
export async function recoverTask(deps: RecoveryDeps, rec: TaskRecord): Promise<RecoveryOutcome> {
  const outcome = await engineOutcome(deps, rec)
  if (outcome === 'taken' && rec.data.pending) {
    await deps.taskStore.transition(
      rec,
      { status: 'completed', result: rec.data.pending.result, draft: undefined, pending: undefined },
      SYSTEM,
      'task.recovered-complete',
    )
    return 'completed'
  }
  if (outcome === 'closed') {
    await deps.taskStore.transition(
      rec,
      { status: 'expired', closedReason: 'TaskTimedOut', pending: undefined },
      SYSTEM,
      'task.expired',
    )
    return 'expired'
  }
  await deps.taskStore.transition(
    rec,
    { status: rec.data.pending?.reopenAs ?? 'open', pending: undefined },
    SYSTEM,
    'task.recovered-reopen',
  )
  return 'reopened'
}

/** Whether a task has been `completing` longer than the lease (`leaseMs`, default {@link COMPLETING_LEASE_MS}). */
export const completingTooLong = (rec: TaskRecord, now: Date, leaseMs = COMPLETING_LEASE_MS) =>
  rec.data.status === 'completing' && Date.parse(rec.updatedAt) <= now.getTime() - leaseMs

/**
 * The task as it is once recovered, when it has been `completing` longer than the lease;
 * otherwise the record as given. Whoever opens or works on a task left `completing` by a
 * crash sees it recovered there and then (reopened for another try, or completed), not only
 * after the next sweep. A recovery someone else made meanwhile (a conflict) reads the task as
 * that left it.
 */
export async function recoveredTask(deps: RecoveryDeps, rec: TaskRecord): Promise<TaskRecord> {
  if (!completingTooLong(rec, deps.now())) return rec
  try {
    await recoverTask(deps, rec)
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err
  }
  return (await deps.taskStore.get(rec.orgId, rec.id)) ?? rec
}

/**
 * Recovers the tasks left in `completing` by a crash between "token sent" and "recorded"
 * whose lease ran out (see {@link recoverTask}). Runs at start and by the periodic sweep;
 * safe to run twice or concurrently (version conditions).
 */
export async function recoverCompletingTasks(
  deps: RecoveryDeps,
  orgIds: readonly string[],
  opts: { leaseMs?: number } = {},
): Promise<RecoveryReport> {
  const report: RecoveryReport = { completed: [], reopened: [], expired: [] }
  for (const orgId of orgIds) {
    for (const rec of await deps.taskStore.listByStatus(orgId, 'completing')) {
      if (!completingTooLong(rec, deps.now(), opts.leaseMs)) continue
      try {
        report[await recoverTask(deps, rec)].push(rec.id)
      } catch (err) {
        // Another sweep or the person got there first; anything else waits for the next sweep.
        if (!(err instanceof ConflictError))
          console.error(
            JSON.stringify({
              level: 'error',
              msg: 'task recovery failed',
              taskId: rec.id,
              error: String(err),
            }),
          )
      }
    }
  }
  return report
}

/**
 * Whether the engine took this task's answer: a `TaskSucceeded` event in the execution's
 * history whose output names the task; `closed` when the execution ended without it.
 */
async function engineOutcome(
  deps: Pick<RecoveryDeps, 'workflows'>,
  rec: TaskRecord,
): Promise<'taken' | 'closed' | 'waiting'> {
  const arn = rec.data.workflow.executionArn
  const events = await deps.workflows.history(arn)
  const taken = events.some((e) => {
    const output = e.taskSucceededEventDetails?.output
    if (!output) return false
    try {
      const parsed: unknown = JSON.parse(output)
      return typeof parsed === 'object' && parsed !== null && 'taskId' in parsed && parsed.taskId === rec.id
    } catch {
      return false
    }
  })
  if (taken) return 'taken'
  const { status } = await deps.workflows.describe(arn)
  return status === 'RUNNING' ? 'waiting' : 'closed'
}
