import type { S3Client } from '@aws-sdk/client-s3'
import type { ActivityTask } from './activities.js'
import { applyInputPath, applyTemplate } from './dataflow.js'
import type { MapRunRec } from './distributed.js'
import { StatesError } from './errors.js'
import { evaluateTemplate } from './jsonata.js'
import { Fatal, Interrupt, type Run, type Scope, Shutdown, ThreadFailure } from './run.js'
import { bindings, finishWithResult, isJsonata, json, now, numberField } from './state-common.js'
import type { TokenHub, TokenOutcome } from './tokens.js'
import type { Failure, StateDef, TaskRec, ThreadRec } from './types.js'

/**
 * The Task state: parameters, TaskScheduled/Started events, the resource call (once, or
 * again after a restart), task tokens, TimeoutSeconds and HeartbeatSeconds.
 */

/** How a resource is described in Task events, and how it is awaited. */
export interface ResourceInfo {
  resourceType: string
  resource: string
  /** request-response, run to completion (.sync), or wait for a task token. */
  pattern: 'request' | 'sync' | 'token'
  /**
   * Which events the task writes: `Task*` (service integrations, the default), `LambdaFunction*`
   * (a plain Lambda function ARN as Resource) or `Activity*` (an activity ARN).
   */
  events?: 'lambda' | 'activity'
}

/** The event names of a task's life by its kind (AWS HistoryEventType). */
const EVENTS = {
  task: {
    scheduled: 'TaskScheduled',
    succeeded: 'TaskSucceeded',
    failed: 'TaskFailed',
    timedOut: 'TaskTimedOut',
  },
  lambda: {
    scheduled: 'LambdaFunctionScheduled',
    succeeded: 'LambdaFunctionSucceeded',
    failed: 'LambdaFunctionFailed',
    timedOut: 'LambdaFunctionTimedOut',
  },
  activity: {
    scheduled: 'ActivityScheduled',
    succeeded: 'ActivitySucceeded',
    failed: 'ActivityFailed',
    timedOut: 'ActivityTimedOut',
  },
} as const

/** One invocation of a task's resource. */
export interface TaskInvocation {
  resource: string
  params: unknown
  token?: string
  signal: AbortSignal
  run: Run
  thread: ThreadRec
  stateName: string
  /** Stable per state visit and attempt: the same on a re-invocation after a restart. */
  invocationId: string
}

/** What the interpreter needs from the engine for tasks. */
export interface TaskHost {
  describe(resource: string): ResourceInfo
  invoke(inv: TaskInvocation): Promise<unknown>
  tokens: TokenHub
  newToken(run: Run): string
  /** The S3 client of Distributed Map readers and writers (none: they fail with States.Runtime). */
  s3?: S3Client
  /** Writes a Map Run record (DescribeMapRun, ListMapRuns). */
  saveMapRun(rec: MapRunRec): Promise<void>
  /** Queues an activity task for GetActivityTask; `withdraw` takes it back. */
  offerActivity(activityArn: string, task: ActivityTask): void
  withdrawActivity(activityArn: string, token: string): void
  /** Closes a token in the store with a condition; true when this call closed it. */
  closeToken(
    run: Run,
    token: string,
    status: 'TIMED_OUT' | 'ABORTED',
    failure: Failure,
    stateName: string,
  ): Promise<boolean>
}

/** `States.Timeout` of a task: TimeoutSeconds elapsed, or (`heartbeat`) HeartbeatSeconds without a heartbeat. */
class TaskTimeout extends StatesError {
  constructor(
    cause: string,
    readonly heartbeat = false,
  ) {
    super('States.Timeout', cause)
  }
}

function errorOf(err: unknown): Failure {
  if (err instanceof TaskTimeout)
    return err.heartbeat
      ? { error: err.error, cause: err.causeText, heartbeat: true }
      : { error: err.error, cause: err.causeText }
  if (err instanceof StatesError) return { error: err.error, cause: err.causeText }
  if (err instanceof Error) return { error: err.name || 'Error', cause: err.message }
  return { error: 'Error', cause: String(err) }
}

async function positiveSeconds(
  run: Run,
  th: ThreadRec,
  def: StateDef,
  field: string,
  input: unknown,
  jsonata: boolean,
) {
  const v = await numberField(run, th, def, field, input, jsonata)
  if (v === undefined) return undefined
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new StatesError(
      'States.Runtime',
      `The ${field} value must be a positive integer, not ${JSON.stringify(v)}.`,
    )
  }
  return v
}

/** One attempt of a Task: schedule (persisted), invoke or re-park, then the result. */
export async function taskBody(
  run: Run,
  th: ThreadRec,
  def: StateDef,
  host: TaskHost,
  scope: Scope,
): Promise<boolean> {
  const jsonata = isJsonata(run, def)
  const resource = String(def.Resource)
  let rec = th.task
  const info = host.describe(resource)
  if (th.phase === 'run' || !rec) {
    let params: unknown
    const token = info.pattern === 'token' ? host.newToken(run) : undefined
    const extra = { token, task: true }
    if (jsonata) {
      params =
        def.Arguments !== undefined
          ? await evaluateTemplate(def.Arguments, bindings(run, th, { input: th.input }, extra), 'Arguments')
          : th.input
    } else {
      const eff = applyInputPath(def, run.scope(th, th.input, extra))
      params = def.Parameters !== undefined ? applyTemplate(def.Parameters, run.scope(th, eff, extra)) : eff
    }
    const timeout = await positiveSeconds(run, th, def, 'TimeoutSeconds', th.input, jsonata)
    const heartbeat = await positiveSeconds(run, th, def, 'HeartbeatSeconds', th.input, jsonata)
    const start = now(run)
    rec = {
      params,
      resource,
      start,
      token,
      timeoutAt: timeout ? start + timeout * 1000 : undefined,
      heartbeatMs: heartbeat ? heartbeat * 1000 : undefined,
    }
    const paramsJson = json(params, 'task parameters')
    if (info.events) {
      // LambdaFunctionScheduled / ActivityScheduled: resource, input, timeouts (no region, no type).
      const sched: Record<string, unknown> = {
        resource: info.resource,
        input: paramsJson,
        inputDetails: { truncated: false },
      }
      if (timeout) sched.timeoutInSeconds = timeout
      if (heartbeat && info.events === 'activity') sched.heartbeatInSeconds = heartbeat
      run.emit(th, EVENTS[info.events].scheduled, sched)
      // An activity starts when a worker takes it (GetActivityTask writes ActivityStarted).
      if (info.events === 'lambda') run.emit(th, 'LambdaFunctionStarted')
    } else {
      const sched: Record<string, unknown> = {
        resourceType: info.resourceType,
        resource: info.resource,
        region: run.init.region,
        parameters: paramsJson,
      }
      if (timeout) sched.timeoutInSeconds = timeout
      if (heartbeat) sched.heartbeatInSeconds = heartbeat
      run.emit(th, 'TaskScheduled', sched)
      run.emit(th, 'TaskStarted', { resourceType: info.resourceType, resource: info.resource })
    }
    th.task = rec
    th.phase = 'task'
    run.touch(th)
    await run.commit()
  }
  let result: unknown
  try {
    result = await invokeTask(run, th, rec, info, host, scope)
  } catch (err) {
    if (err instanceof Interrupt || err instanceof Fatal) throw err
    const f = errorOf(err)
    const names = EVENTS[info.events ?? 'task']
    const reported: Record<string, unknown> = info.events
      ? {}
      : { resourceType: info.resourceType, resource: info.resource }
    if (f.error !== undefined) reported.error = f.error
    if (f.cause !== undefined) reported.cause = f.cause
    run.emit(th, err instanceof TaskTimeout ? names.timedOut : names.failed, reported)
    th.task = undefined
    throw new ThreadFailure(f)
  }
  const out = json(result, 'task result')
  run.emit(
    th,
    EVENTS[info.events ?? 'task'].succeeded,
    info.events
      ? { output: out, outputDetails: { truncated: false } }
      : {
          resourceType: info.resourceType,
          resource: info.resource,
          output: out,
          outputDetails: { truncated: false },
        },
  )
  th.task = undefined
  return finishWithResult(run, th, def, result)
}

async function invokeTask(
  run: Run,
  th: ThreadRec,
  rec: TaskRec,
  info: ResourceInfo,
  host: TaskHost,
  scope: Scope,
): Promise<unknown> {
  const ctl = new AbortController()
  let stop!: (err: Error) => void
  const stopped = new Promise<never>((_, reject) => {
    stop = reject
  })
  // Observed through the races below; this only keeps a stop after the task settled from
  // being reported as unhandled.
  stopped.catch(() => {})
  const cleanups: (() => void)[] = []
  const waiter = rec.token ? host.tokens.park(rec.token, run.arn, th.id, th.state) : undefined
  const fail = (err: Error) => {
    ctl.abort(err)
    stop(err)
  }
  const timeOut = (cause: string, heartbeat: boolean) => {
    if (scope.reason) return
    const err = new TaskTimeout(cause, heartbeat)
    if (!rec.token) return fail(err)
    // A token task times out only if the timeout closes the token before a caller does.
    const failure: Failure = { error: 'States.Timeout', cause }
    if (heartbeat) failure.heartbeat = true
    host.closeToken(run, rec.token, 'TIMED_OUT', failure, th.state).then(
      (won) => {
        if (won) fail(err)
      },
      (e) => fail(e),
    )
  }
  let hbCancel: (() => void) | undefined
  cleanups.push(
    scope.onCancel((err) => {
      // Timers stop at once (not when the thread has unwound): a stopped engine writes nothing more.
      hbCancel?.()
      for (const c of cleanups) c()
      if (rec.token && waiter && !waiter.settled && !(err instanceof Shutdown)) {
        run.closing.push(
          host
            .closeToken(run, rec.token, 'ABORTED', { error: 'States.Aborted', cause: err.message }, th.state)
            // The token was closed by its caller meanwhile: nothing left to abort.
            .catch(() => false),
        )
      }
      fail(err)
    }),
  )
  if (rec.timeoutAt !== undefined)
    cleanups.push(run.clock.at(rec.timeoutAt, () => timeOut('Task timed out.', false)))
  const armHeartbeat = (from: number) => {
    hbCancel?.()
    if (rec.heartbeatMs !== undefined)
      hbCancel = run.clock.at(from + rec.heartbeatMs, () => timeOut('Task heartbeat timed out.', true))
  }
  if (waiter && rec.heartbeatMs !== undefined) {
    waiter.onHeartbeat = (at) => {
      rec.heartbeatAt = at
      armHeartbeat(at)
    }
    // A heartbeat may have come while the task was being resumed, before this timer existed.
    if (waiter.heartbeatAt !== undefined) rec.heartbeatAt = Math.max(rec.heartbeatAt ?? 0, waiter.heartbeatAt)
    armHeartbeat(Math.max(rec.start, rec.heartbeatAt ?? 0))
  }
  try {
    const call = () => {
      const p = Promise.resolve().then(() =>
        host.invoke({
          resource: rec.resource,
          params: rec.params,
          token: rec.token,
          signal: ctl.signal,
          run,
          thread: th,
          stateName: th.state,
          invocationId: `${run.arn}#${th.id}#${th.visit}#${(th.retries ?? []).reduce((a, b) => a + b, 0)}`,
        }),
      )
      // A call that settles after a timeout or abort is ignored, not an unhandled rejection.
      p.catch(() => {})
      return p
    }
    if (!waiter) return await Promise.race([call(), stopped])
    if (info.events === 'activity') {
      if (!rec.started) {
        const token = rec.token!
        const input = json(rec.params, 'activity input')
        host.offerActivity(rec.resource, {
          token,
          input,
          take: (workerName) => {
            if (rec.started || waiter.settled || scope.reason || host.tokens.get(token) !== waiter)
              return false
            rec.started = true
            run.emit(th, 'ActivityStarted', workerName === undefined ? {} : { workerName })
            run.touch(th)
            // The activity's start is written with the next commit should this one fail; a
            // failing store fails that commit, which the thread awaits.
            run.commit().catch(() => {})
            return true
          },
        })
        cleanups.push(() => {
          if (!rec.started) host.withdrawActivity(rec.resource, token)
        })
      }
    } else if (!rec.submitted) {
      const submitted = await Promise.race([call(), stopped])
      rec.submitted = true
      run.emit(th, 'TaskSubmitted', {
        resourceType: info.resourceType,
        resource: info.resource,
        output: json(submitted ?? null, 'task submission'),
        outputDetails: { truncated: false },
      })
      run.touch(th)
      await run.commit()
    }
    // A callback task rests until its token is answered (an activity's queue lives in memory: it does not).
    const answer = Promise.race([waiter.promise, stopped])
    const outcome: TokenOutcome = info.events === 'activity' ? await answer : await run.rest(th, answer)
    if (outcome.ok) return outcome.output
    throw outcome.timedOut
      ? new TaskTimeout(outcome.failure.cause ?? '', outcome.failure.heartbeat === true)
      : new StatesError(outcome.failure.error ?? 'States.TaskFailed', outcome.failure.cause ?? '')
  } finally {
    hbCancel?.()
    for (const c of cleanups) c()
    if (rec.token && waiter) host.tokens.release(rec.token, waiter)
  }
}
