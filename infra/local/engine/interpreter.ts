import { applyResultPath, evaluateAssign } from './dataflow.js'
import { StatesError } from './errors.js'
import { evaluateTemplate } from './jsonata.js'
import { mapBody, parallelBody } from './kids.js'
import { decideRetry, findCatcher } from './retry.js'
import { Fatal, Interrupt, type Run, type Scope, Shutdown, ThreadFailure } from './run.js'
import {
  bindings,
  evaluateAssignTemplate,
  exitState,
  isJsonata,
  json,
  now,
  toFailure,
} from './state-common.js'
import { choiceState, failState, passState, succeedState, waitState } from './states.js'
import { type TaskHost, taskBody } from './task.js'
import type { StateDef, ThreadRec } from './types.js'

export type { ResourceInfo, TaskHost, TaskInvocation } from './task.js'

/**
 * The interpreter: runs the states of one thread (the machine, a branch, an iteration)
 * with AWS's semantics. It knows nothing of storage: it emits events, marks thread records
 * as changed and calls `run.commit()` after each transition; the run decides where that goes.
 * The states live in states.ts (one-step states), task.ts and kids.ts (Map, Parallel).
 */

/** Runs a thread until it ends; returns its output, throws ThreadFailure / Fatal / Interrupt. */
export async function runThread(run: Run, th: ThreadRec, host: TaskHost, scope: Scope): Promise<unknown> {
  const block = run.block(th.blk)
  for (;;) {
    scope.guard()
    const def = block.States[th.state]
    if (!def) throw new Fatal({ error: 'States.Runtime', cause: `The state '${th.state}' does not exist.` })
    const ended = await runState(run, th, def, host, scope)
    if (ended) return th.output
    await run.commit()
  }
}

/** Runs the current state of a thread once (TestState); true when the thread ended. */
export async function runOneState(run: Run, th: ThreadRec, host: TaskHost, scope: Scope): Promise<boolean> {
  const def = run.block(th.blk).States[th.state]
  return runState(run, th, def, host, scope)
}

/** Runs one state of a thread; true when the thread ended. */
async function runState(
  run: Run,
  th: ThreadRec,
  def: StateDef,
  host: TaskHost,
  scope: Scope,
): Promise<boolean> {
  if (th.phase === 'enter') {
    th.visit++
    th.enteredAt = now(run)
    th.retries = undefined
    th.enteredId = run.emit(
      th,
      `${def.Type}StateEntered`,
      run.init.recording
        ? { name: th.state, input: json(th.input, 'state input'), inputDetails: { truncated: false } }
        : undefined,
    )
    th.phase = 'run'
  }
  try {
    switch (def.Type) {
      case 'Pass':
        return await passState(run, th, def)
      case 'Choice':
        return await choiceState(run, th, def)
      case 'Wait':
        return await waitState(run, th, def, scope)
      case 'Succeed':
        return await succeedState(run, th, def)
      case 'Fail':
        return await failState(run, th, def)
      case 'Task':
      case 'Map':
      case 'Parallel':
        return await withRetry(run, th, def, host, scope)
      default:
        throw new StatesError('States.Runtime', `Unsupported state type ${def.Type}`)
    }
  } catch (err) {
    if (err instanceof Interrupt) {
      // A stop, a timeout or a failing sibling ended the state while it ran (a shutdown is not an abort).
      if (!(err instanceof Shutdown) && ABORTABLE.has(def.Type) && !run.sealed)
        run.emit(th, `${def.Type}StateAborted`)
      throw err
    }
    if (err instanceof ThreadFailure || err instanceof Fatal) throw err
    throw new ThreadFailure(toFailure(run, th, err))
  }
}

/** States whose history has a `<Type>StateAborted` event (AWS's HistoryEventType). */
const ABORTABLE = new Set(['Task', 'Wait', 'Map', 'Parallel'])

/** Task, Map and Parallel: the body runs, failures go through Retry then Catch. */
async function withRetry(
  run: Run,
  th: ThreadRec,
  def: StateDef,
  host: TaskHost,
  scope: Scope,
): Promise<boolean> {
  for (;;) {
    try {
      if (th.phase === 'retry') {
        await run.rest(th, run.sleep(scope, th.due ?? 0))
        th.phase = 'run'
      }
      if (def.Type === 'Task') return await taskBody(run, th, def, host, scope)
      if (def.Type === 'Map') return await mapBody(run, th, def, host, scope, runThread)
      return await parallelBody(run, th, def, host, scope, runThread)
    } catch (err) {
      if (err instanceof Fatal || err instanceof Interrupt) throw err
      const failure = toFailure(run, th, err)
      const d = decideRetry(def.Retry, failure, th.retries ?? [])
      if (d.retry) {
        if (th.kids) run.dropDescendants(th.id)
        th.retries ??= []
        th.retries[d.index] = (th.retries[d.index] ?? 0) + 1
        th.phase = 'retry'
        th.due = now(run) + d.delayMs
        th.task = undefined
        th.kids = undefined
        run.touch(th)
        await run.commit()
        continue
      }
      if (def.Type !== 'Task') run.emit(th, `${def.Type}StateFailed`)
      const catcher = findCatcher(def.Catch, failure)
      // Uncaught, the children stay for RedriveExecution (the failed and aborted ones run again).
      if (!catcher) throw new ThreadFailure(failure)
      if (th.kids) run.dropDescendants(th.id)
      const errorOutput: Record<string, unknown> = {}
      if (failure.error !== undefined) errorOutput.Error = failure.error
      if (failure.cause !== undefined) errorOutput.Cause = failure.cause
      const next = catcher.Next as string
      let output: unknown
      let assigned: Record<string, unknown> | undefined
      if (isJsonata(run, def)) {
        const b = bindings(run, th, { input: th.input, errorOutput })
        output =
          catcher.Output !== undefined ? await evaluateTemplate(catcher.Output, b, 'Output') : errorOutput
        if (catcher.Assign !== undefined) assigned = await evaluateAssignTemplate(catcher.Assign, b)
      } else {
        if (catcher.Assign !== undefined)
          assigned = evaluateAssign(catcher.Assign, run.scope(th, errorOutput))
        output = applyResultPath(
          def,
          th.input,
          errorOutput,
          'ResultPath' in catcher ? catcher.ResultPath : '$',
        )
      }
      exitState(run, th, def, output, assigned, next)
      return false
    }
  }
}
