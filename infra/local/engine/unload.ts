import type { Run } from './run.js'
import type { TokenHub } from './tokens.js'

/**
 * When an execution may leave memory and when it must come back. An execution whose threads
 * all rest (a task waiting for its token, a Wait, a Retry delay; Map and Parallel states
 * waiting for such children) has everything it needs to go on in the store, as after a
 * restart: the engine drops it from memory and resumes it from the store when a token is
 * answered or heart-beaten, when it is stopped, or when its earliest timer is due.
 */

/** True when nothing of the execution moves in memory: every thread rests, has ended or waits for its children. */
export function isIdle(run: Run, tokens: TokenHub): boolean {
  if (run.closed || run.resting.size === 0 || !run.written) return false
  for (const th of run.threads.values()) {
    if (th.phase === 'done' || th.phase === 'failed' || th.phase === 'kids') continue
    if (!run.resting.has(th.id)) return false
    // A token answered a moment ago: its thread is about to go on.
    if (th.phase === 'task' && th.task?.token && !tokens.get(th.task.token)) return false
  }
  return true
}

/**
 * The earliest time the execution has something to do without being asked: a Wait or Retry
 * that ends, a task's TimeoutSeconds or HeartbeatSeconds, the execution's TimeoutSeconds.
 * Undefined when only an answer from outside moves it. Earlier is harmless (it is resumed and
 * rests again); later would be wrong.
 */
export function wakeAt(run: Run): number | undefined {
  let wake = Number.POSITIVE_INFINITY
  const limit = run.init.def.TimeoutSeconds
  if (typeof limit === 'number' && limit > 0) wake = (run.init.redriveMs ?? run.init.startMs) + limit * 1000
  for (const th of run.threads.values()) {
    if ((th.phase === 'wait' || th.phase === 'retry') && th.due !== undefined) wake = Math.min(wake, th.due)
    const task = th.phase === 'task' ? th.task : undefined
    if (task?.timeoutAt !== undefined) wake = Math.min(wake, task.timeoutAt)
    if (task?.heartbeatMs !== undefined)
      wake = Math.min(wake, Math.max(task.start, task.heartbeatAt ?? 0) + task.heartbeatMs)
  }
  return Number.isFinite(wake) ? wake : undefined
}
