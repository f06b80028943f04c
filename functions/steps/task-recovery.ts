/**
 * Recovery of tasks left `completing` by a crash between "answer sent" and "recorded". It
 * runs with the hourly sweep (task-reminders, on AWS and locally) and once when the local
 * stack starts.
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

/**
 * Recovers tasks left in `completing` by a crash between "token sent" and "recorded": a task
 * whose lease ran out is completed if the execution's history shows the engine took this
 * task's answer, and reopened otherwise (or expired when the token closed meanwhile). Runs at
 * start and by the periodic sweep; safe to run twice or concurrently (version conditions).
 */
export async function recoverCompletingTasks(
  deps: RecoveryDeps,
  orgIds: readonly string[],
  opts: { leaseMs?: number } = {},
): Promise<RecoveryReport> {
  const leaseMs = opts.leaseMs ?? COMPLETING_LEASE_MS
  const report: RecoveryReport = { completed: [], reopened: [], expired: [] }
  const system = { userId: 'system:recovery' }
  const cutoff = deps.now().getTime() - leaseMs
  for (const orgId of orgIds) {
    for (const rec of await deps.taskStore.listByStatus(orgId, 'completing')) {
      if (Date.parse(rec.updatedAt) > cutoff) continue
      try {
        const outcome = await engineOutcome(deps, rec)
        if (outcome === 'taken' && rec.data.pending) {
          await deps.taskStore.transition(
            rec,
            { status: 'completed', result: rec.data.pending.result, draft: undefined, pending: undefined },
            system,
            'task.recovered-complete',
          )
          report.completed.push(rec.id)
        } else if (outcome === 'closed') {
          await deps.taskStore.transition(
            rec,
            { status: 'expired', closedReason: 'TaskTimedOut', pending: undefined },
            system,
            'task.expired',
          )
          report.expired.push(rec.id)
        } else {
          await deps.taskStore.transition(
            rec,
            { status: rec.data.pending?.reopenAs ?? 'open', pending: undefined },
            system,
            'task.recovered-reopen',
          )
          report.reopened.push(rec.id)
        }
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
