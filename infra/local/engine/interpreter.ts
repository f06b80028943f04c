import { evaluateRule, parseTimestamp } from './choice.js'
import {
  applyInputPath,
  applyOutputPath,
  applyResultPath,
  applyTemplate,
  evaluateAssign,
  readRequired,
} from './dataflow.js'
import { StatesError } from './errors.js'
import { evaluateJsonata, evaluateTemplate, isJsonataString, QueryError } from './jsonata.js'
import { decideRetry, findCatcher } from './retry.js'
import {
  branchBlock,
  Fatal,
  Interrupt,
  MAX_PAYLOAD,
  mapBlock,
  type Run,
  Scope,
  Shutdown,
  ThreadFailure,
} from './run.js'
import type { TokenHub, TokenOutcome } from './tokens.js'
import type { Failure, StateDef, TaskRec, ThreadRec } from './types.js'

/**
 * The interpreter: runs the states of one thread (the machine, a branch, an iteration)
 * with AWS's semantics. It knows nothing of storage: it emits events, marks thread records
 * as changed and calls `run.commit()` after each transition; the run decides where that goes.
 */

/** How a resource is described in Task events, and how it is awaited. */
export interface ResourceInfo {
  resourceType: string
  resource: string
  /** request-response, run to completion (.sync), or wait for a task token. */
  pattern: 'request' | 'sync' | 'token'
}

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
  /** Closes a token in the store with a condition; true when this call closed it. */
  closeToken(
    run: Run,
    token: string,
    status: 'TIMED_OUT' | 'ABORTED',
    failure: Failure,
    stateName: string,
  ): Promise<boolean>
}

const isJsonata = (run: Run, def: StateDef) => (def.QueryLanguage ?? run.init.def.QueryLanguage) === 'JSONata'

const now = (run: Run) => run.clock.nowMs()

function json(v: unknown, what: string): string {
  const s = JSON.stringify(v) ?? 'null'
  if (s.length > MAX_PAYLOAD && Buffer.byteLength(s) > MAX_PAYLOAD) {
    throw new StatesError(
      'States.DataLimitExceeded',
      `The ${what} has exceeded the maximum number of bytes Step Functions allows (${MAX_PAYLOAD}).`,
    )
  }
  return s
}

const prefix = (th: ThreadRec) =>
  `An error occurred while executing the state '${th.state}' (entered at the event id #${th.enteredId}). `

/** Turns what a state threw into a failure its Retry/Catch may handle, or rethrows. */
function toFailure(run: Run, th: ThreadRec, err: unknown): Failure {
  if (err instanceof StatesError) {
    const needsPrefix = err.error === 'States.Runtime' || err.error === 'States.QueryEvaluationError'
    const cause = needsPrefix ? prefix(th) + err.causeText : err.causeText
    if (err instanceof QueryError) {
      run.emit(th, 'EvaluationFailed', { error: err.error, cause, location: err.location, state: th.state })
    }
    if (err.error === 'States.Runtime') throw new Fatal({ error: err.error, cause })
    return { error: err.error, cause }
  }
  if (err instanceof ThreadFailure) return err.failure
  throw err
}

/** JSONata bindings for a thread's state: `$states` plus every visible variable. */
function bindings(
  run: Run,
  th: ThreadRec,
  states: Record<string, unknown>,
  extra?: Parameters<Run['context']>[1],
) {
  return { ...run.visibleVars(th), states: { ...states, context: run.context(th, extra) } }
}

/** Evaluates a numeric field that may be literal, a `…Path`, or (JSONata) an expression. */
async function numberField(
  run: Run,
  th: ThreadRec,
  def: StateDef,
  field: string,
  input: unknown,
  jsonata: boolean,
): Promise<unknown> {
  const v = def[field]
  if (jsonata && isJsonataString(v)) return evaluateJsonata(v, bindings(run, th, { input }), field)
  if (v !== undefined) return v
  const p = def[`${field}Path`]
  if (typeof p === 'string') return readRequired(p, run.scope(th, input), `${field}Path`)
  return undefined
}

function assignedDetails(values: Record<string, unknown>) {
  const out: Record<string, string> = {}
  const sizes: Record<string, number> = {}
  for (const [k, v] of Object.entries(values)) {
    const s = JSON.stringify(v) ?? 'null'
    if (s.length > 262_144)
      throw new StatesError('States.DataLimitExceeded', `The variable '${k}' exceeds the limit of 256 KiB.`)
    out[k] = s
    sizes[k] = s.length
  }
  return { out, sizes }
}

/** Leaves the current state: Exited event, variables, and the thread moves on (or ends). */
function exitState(
  run: Run,
  th: ThreadRec,
  def: StateDef,
  output: unknown,
  assigned: Record<string, unknown> | undefined,
  next: string | undefined,
) {
  const out = json(output, 'state output')
  let details: ReturnType<typeof assignedDetails> | undefined
  if (assigned) details = assignedDetails(assigned)
  // Recorded (LS-16): a Parallel that ends a Parallel branch has no ParallelStateExited event.
  const quiet = def.Type === 'Parallel' && next === undefined && th.id !== 'r' && th.index === undefined
  if (def.Type !== 'Fail' && !quiet) {
    const ev: Record<string, unknown> = { name: th.state, output: out, outputDetails: { truncated: false } }
    if (details) {
      ev.assignedVariables = details.out
      ev.assignedVariablesDetails = { truncated: false }
    }
    run.emit(th, `${def.Type}StateExited`, run.init.recording ? ev : undefined)
  }
  if (assigned && details) run.assign(th, assigned, details.sizes)
  th.retries = undefined
  th.due = undefined
  th.task = undefined
  th.kids = undefined
  if (next !== undefined) {
    th.state = next
    th.input = output
    th.phase = 'enter'
  } else {
    th.phase = 'done'
    th.output = output
  }
  run.touch(th)
}

/** Finds the state to go to; a missing one is States.Runtime. */
function nextOf(run: Run, th: ThreadRec, def: StateDef): string | undefined {
  if (def.End === true || def.Type === 'Succeed') return undefined
  const n = def.Next
  if (typeof n !== 'string' || !run.block(th.blk).States[n]) {
    throw new StatesError('States.Runtime', `The state '${th.state}' has no valid Next or End.`)
  }
  return n
}

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
    if (err instanceof ThreadFailure || err instanceof Fatal || err instanceof Interrupt) throw err
    throw new ThreadFailure(toFailure(run, th, err))
  }
}

async function passState(run: Run, th: ThreadRec, def: StateDef): Promise<boolean> {
  const next = nextOf(run, th, def)
  if (isJsonata(run, def)) {
    const b = bindings(run, th, { input: th.input })
    const output = def.Output !== undefined ? await evaluateTemplate(def.Output, b, 'Output') : th.input
    const assigned =
      def.Assign !== undefined
        ? ((await evaluateTemplate(def.Assign, b, 'Assign')) as Record<string, unknown>)
        : undefined
    exitState(run, th, def, output, assigned, next)
    return next === undefined
  }
  const scope = run.scope(th, th.input)
  const eff = applyInputPath(def, scope)
  const effScope = run.scope(th, eff)
  const result =
    'Result' in def
      ? def.Result
      : def.Parameters !== undefined
        ? applyTemplate(def.Parameters, effScope)
        : eff
  const assigned = def.Assign !== undefined ? evaluateAssign(def.Assign, run.scope(th, result)) : undefined
  const output = applyOutputPath(def, applyResultPath(def, th.input, result), scope)
  exitState(run, th, def, output, assigned, next)
  return next === undefined
}

async function choiceState(run: Run, th: ThreadRec, def: StateDef): Promise<boolean> {
  const rules: Record<string, unknown>[] = Array.isArray(def.Choices) ? def.Choices : []
  let matched: Record<string, unknown> | undefined
  if (isJsonata(run, def)) {
    const b = bindings(run, th, { input: th.input })
    for (let i = 0; i < rules.length; i++) {
      const c = rules[i].Condition
      const v = isJsonataString(c) ? await evaluateJsonata(c, b, `Choices[${i}].Condition`) : c
      if (typeof v !== 'boolean') {
        throw new QueryError(
          `The Condition of Choices[${i}] returned ${JSON.stringify(v)}, not a boolean.`,
          `Choices[${i}].Condition`,
        )
      }
      if (v) {
        matched = rules[i]
        break
      }
    }
    const next = choose(th, def, matched)
    const outTpl = matched && matched.Output !== undefined ? matched.Output : def.Output
    const output = outTpl !== undefined ? await evaluateTemplate(outTpl, b, 'Output') : th.input
    let assigned: Record<string, unknown> | undefined
    if (def.Assign !== undefined)
      assigned = (await evaluateTemplate(def.Assign, b, 'Assign')) as Record<string, unknown>
    if (matched?.Assign !== undefined)
      assigned = { ...assigned, ...((await evaluateTemplate(matched.Assign, b, 'Assign')) as object) }
    exitState(run, th, def, output, assigned, next)
    return false
  }
  const scope = run.scope(th, th.input)
  const eff = applyInputPath(def, scope)
  const effScope = run.scope(th, eff)
  for (const r of rules) {
    if (evaluateRule(r, effScope)) {
      matched = r
      break
    }
  }
  const next = choose(th, def, matched)
  let assigned: Record<string, unknown> | undefined
  if (def.Assign !== undefined) assigned = evaluateAssign(def.Assign, effScope)
  if (matched?.Assign !== undefined) assigned = { ...assigned, ...evaluateAssign(matched.Assign, effScope) }
  const output = applyOutputPath(def, eff, scope)
  exitState(run, th, def, output, assigned, next)
  return false
}

function choose(th: ThreadRec, def: StateDef, matched: Record<string, unknown> | undefined): string {
  if (matched) return matched.Next as string
  if (typeof def.Default === 'string') return def.Default
  throw new ThreadFailure({
    error: 'States.NoChoiceMatched',
    cause: `No Matches in the choice state '${th.state}'!`,
  })
}

const MAX_WAIT_MS = 24_855 * 86_400_000

async function waitState(run: Run, th: ThreadRec, def: StateDef, scope: Scope): Promise<boolean> {
  const jsonata = isJsonata(run, def)
  const next = nextOf(run, th, def)
  if (th.phase === 'run') {
    const input = jsonata ? th.input : applyInputPath(def, run.scope(th, th.input))
    let due: number
    const pathScope = run.scope(th, input)
    if (def.Seconds !== undefined || def.SecondsPath !== undefined) {
      const s = await numberField(run, th, def, 'Seconds', input, jsonata)
      const where = def.SecondsPath ? `${def.SecondsPath} == ${JSON.stringify(s)}` : JSON.stringify(s)
      if (typeof s !== 'number' || !Number.isInteger(s)) {
        throw new StatesError(
          'States.Runtime',
          `The SecondsPath parameter cannot be parsed as a long value: ${where}`,
        )
      }
      if (s < 0)
        throw new StatesError(
          'States.Runtime',
          `The SecondsPath parameter references a negative value: ${where}`,
        )
      if (s * 1000 > MAX_WAIT_MS)
        throw new StatesError('States.Runtime', `The wait of ${s} seconds exceeds the maximum wait.`)
      due = now(run) + s * 1000
    } else {
      let t: unknown
      if (jsonata && isJsonataString(def.Timestamp))
        t = await evaluateJsonata(def.Timestamp, bindings(run, th, { input }), 'Timestamp')
      else if (def.Timestamp !== undefined) t = def.Timestamp
      else t = readRequired(def.TimestampPath, pathScope, 'TimestampPath')
      const ms = parseTimestamp(t)
      if (ms === undefined) {
        const where = def.TimestampPath
          ? `${def.TimestampPath} == ${typeof t === 'string' ? t : JSON.stringify(t)}`
          : String(t)
        throw new StatesError(
          'States.Runtime',
          `The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${where}`,
        )
      }
      if (ms - now(run) > MAX_WAIT_MS)
        throw new StatesError('States.Runtime', `The timestamp ${t} is too far in the future.`)
      due = ms
    }
    if (due > now(run)) {
      th.phase = 'wait'
      th.due = due
      run.touch(th)
      await run.commit()
    }
  }
  if (th.phase === 'wait' && th.due !== undefined) await run.sleep(scope, th.due)
  let output: unknown
  let assigned: Record<string, unknown> | undefined
  if (jsonata) {
    const b = bindings(run, th, { input: th.input })
    output = def.Output !== undefined ? await evaluateTemplate(def.Output, b, 'Output') : th.input
    if (def.Assign !== undefined)
      assigned = (await evaluateTemplate(def.Assign, b, 'Assign')) as Record<string, unknown>
  } else {
    const scope0 = run.scope(th, th.input)
    const eff = applyInputPath(def, scope0)
    if (def.Assign !== undefined) assigned = evaluateAssign(def.Assign, run.scope(th, eff))
    output = applyOutputPath(def, eff, scope0)
  }
  exitState(run, th, def, output, assigned, next)
  return next === undefined
}

async function succeedState(run: Run, th: ThreadRec, def: StateDef): Promise<boolean> {
  let output: unknown
  if (isJsonata(run, def)) {
    output =
      def.Output !== undefined
        ? await evaluateTemplate(def.Output, bindings(run, th, { input: th.input }), 'Output')
        : th.input
  } else {
    const scope = run.scope(th, th.input)
    output = applyOutputPath(def, applyInputPath(def, scope), scope)
  }
  exitState(run, th, def, output, undefined, undefined)
  return true
}

async function failState(run: Run, th: ThreadRec, def: StateDef): Promise<boolean> {
  const failure: Failure = {}
  const read = async (field: 'Error' | 'Cause') => {
    const v = def[field]
    if (isJsonata(run, def) && isJsonataString(v))
      return evaluateJsonata(v, bindings(run, th, { input: th.input }), field)
    if (v !== undefined) return v
    const p = def[`${field}Path`]
    if (typeof p === 'string') return readRequired(p, run.scope(th, th.input), `${field}Path`)
    return undefined
  }
  const error = await read('Error')
  const cause = await read('Cause')
  if (error !== undefined) failure.error = typeof error === 'string' ? error : JSON.stringify(error)
  if (cause !== undefined) failure.cause = typeof cause === 'string' ? cause : JSON.stringify(cause)
  th.phase = 'failed'
  th.failure = failure
  throw new ThreadFailure(failure)
}

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
        await run.sleep(scope, th.due ?? 0)
        th.phase = 'run'
      }
      if (def.Type === 'Task') return await taskBody(run, th, def, host, scope)
      if (def.Type === 'Map') return await mapBody(run, th, def, host, scope)
      return await parallelBody(run, th, def, host, scope)
    } catch (err) {
      if (err instanceof Fatal || err instanceof Interrupt) throw err
      const failure = toFailure(run, th, err)
      const d = decideRetry(def.Retry, failure.error, th.retries ?? [])
      if (d.retry) {
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
      const catcher = findCatcher(def.Catch, failure.error)
      if (!catcher) throw new ThreadFailure(failure)
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
        if (catcher.Assign !== undefined)
          assigned = (await evaluateTemplate(catcher.Assign, b, 'Assign')) as Record<string, unknown>
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

/** After a Task/Map/Parallel produced its result: ResultSelector, Assign, ResultPath, OutputPath (or Output). */
async function finishWithResult(run: Run, th: ThreadRec, def: StateDef, result: unknown): Promise<boolean> {
  const next = nextOf(run, th, def)
  let output: unknown
  let assigned: Record<string, unknown> | undefined
  if (isJsonata(run, def)) {
    const b = bindings(run, th, { input: th.input, result }, def.Type === 'Task' ? { task: true } : undefined)
    output = def.Output !== undefined ? await evaluateTemplate(def.Output, b, 'Output') : result
    if (def.Assign !== undefined)
      assigned = (await evaluateTemplate(def.Assign, b, 'Assign')) as Record<string, unknown>
  } else {
    const selected =
      def.ResultSelector !== undefined ? applyTemplate(def.ResultSelector, run.scope(th, result)) : result
    if (def.Assign !== undefined) assigned = evaluateAssign(def.Assign, run.scope(th, selected))
    output = applyOutputPath(def, applyResultPath(def, th.input, selected), run.scope(th, th.input))
  }
  exitState(run, th, def, output, assigned, next)
  return next === undefined
}

// ---------------------------------------------------------------- Task

class TaskTimeout extends StatesError {
  constructor(cause: string) {
    super('States.Timeout', cause)
  }
}

function errorOf(err: unknown): Failure {
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

async function taskBody(
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
    const sched: Record<string, unknown> = {
      resourceType: info.resourceType,
      resource: info.resource,
      region: run.init.region,
      parameters: json(params, 'task parameters'),
    }
    if (timeout) sched.timeoutInSeconds = timeout
    if (heartbeat) sched.heartbeatInSeconds = heartbeat
    run.emit(th, 'TaskScheduled', sched)
    run.emit(th, 'TaskStarted', { resourceType: info.resourceType, resource: info.resource })
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
    const base = { resourceType: info.resourceType, resource: info.resource }
    run.emit(th, err instanceof TaskTimeout ? 'TaskTimedOut' : 'TaskFailed', { ...base, ...f })
    th.task = undefined
    throw new ThreadFailure(f)
  }
  const out = json(result, 'task result')
  run.emit(th, 'TaskSucceeded', {
    resourceType: info.resourceType,
    resource: info.resource,
    output: out,
    outputDetails: { truncated: false },
  })
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
  stopped.catch(() => {})
  const cleanups: (() => void)[] = []
  const waiter = rec.token ? host.tokens.park(rec.token, run.arn, th.id, th.state) : undefined
  const fail = (err: Error) => {
    ctl.abort(err)
    stop(err)
  }
  const timeOut = (cause: string) => {
    if (scope.reason) return
    const err = new TaskTimeout(cause)
    if (!rec.token) return fail(err)
    // A token task times out only if the timeout closes the token before a caller does.
    host.closeToken(run, rec.token, 'TIMED_OUT', { error: 'States.Timeout', cause }, th.state).then(
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
            .catch(() => false),
        )
      }
      fail(err)
    }),
  )
  if (rec.timeoutAt !== undefined)
    cleanups.push(run.clock.at(rec.timeoutAt, () => timeOut('Task timed out.')))
  const armHeartbeat = (from: number) => {
    hbCancel?.()
    if (rec.heartbeatMs !== undefined)
      hbCancel = run.clock.at(from + rec.heartbeatMs, () => timeOut('Task heartbeat timed out.'))
  }
  if (waiter && rec.heartbeatMs !== undefined) {
    waiter.onHeartbeat = armHeartbeat
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
    if (!rec.submitted) {
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
    const outcome: TokenOutcome = await Promise.race([waiter.promise, stopped])
    if (outcome.ok) return outcome.output
    throw outcome.timedOut
      ? new TaskTimeout(outcome.failure.cause ?? '')
      : new StatesError(outcome.failure.error ?? 'States.TaskFailed', outcome.failure.cause ?? '')
  } finally {
    hbCancel?.()
    for (const c of cleanups) c()
    if (rec.token) host.tokens.release(rec.token)
  }
}

// ---------------------------------------------------------------- Map and Parallel

async function intField(
  run: Run,
  th: ThreadRec,
  def: StateDef,
  field: string,
  input: unknown,
  jsonata: boolean,
): Promise<number | undefined> {
  const v = await numberField(run, th, def, field, input, jsonata)
  if (v === undefined) return undefined
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    const path = def[`${field}Path`]
    throw new StatesError(
      'States.Runtime',
      `The ${field}Path field refers to value ${JSON.stringify(v)} which is not a valid integer: ${path}`,
    )
  }
  return v
}

async function mapBody(
  run: Run,
  th: ThreadRec,
  def: StateDef,
  host: TaskHost,
  scope: Scope,
): Promise<boolean> {
  const jsonata = isJsonata(run, def)
  if (th.phase === 'run' || !th.kids) {
    const eff = jsonata ? th.input : applyInputPath(def, run.scope(th, th.input))
    let items: unknown
    if (jsonata)
      items =
        def.Items !== undefined
          ? await evaluateTemplate(def.Items, bindings(run, th, { input: th.input }), 'Items')
          : th.input
    else
      items =
        typeof def.ItemsPath === 'string' ? readRequired(def.ItemsPath, run.scope(th, eff), 'ItemsPath') : eff
    if (!Array.isArray(items)) {
      const msg = `Map state input must be an array but was: ${JSON.stringify(items)}`
      if (jsonata) throw new QueryError(msg, 'Items')
      throw new StatesError('States.Runtime', msg)
    }
    const conc = (await intField(run, th, def, 'MaxConcurrency', eff, jsonata)) ?? 0
    if (conc < 0) throw new StatesError('States.Runtime', 'MaxConcurrency cannot be negative.')
    run.emit(th, 'MapStateStarted', { length: items.length })
    const tolCount = await intField(run, th, def, 'ToleratedFailureCount', eff, jsonata)
    if (tolCount !== undefined && tolCount < 0)
      throw new StatesError('States.Runtime', 'ToleratedFailureCount cannot be negative.')
    const tolPct = await numberField(run, th, def, 'ToleratedFailurePercentage', eff, jsonata)
    if (tolPct !== undefined && (typeof tolPct !== 'number' || tolPct < 0 || tolPct > 100)) {
      throw new StatesError('States.Runtime', 'ToleratedFailurePercentage must be between 0 and 100.')
    }
    const attempt = (th.retries ?? []).reduce((a, b) => a + b, 0)
    th.kids = {
      n: items.length,
      attempt,
      items,
      input: eff,
      conc,
      tolCount,
      tolPct: tolPct as number | undefined,
    }
    th.phase = 'kids'
    run.touch(th)
    await run.commit()
  }
  const results = await runKids(run, th, def, host, scope, 'Map')
  run.emit(th, 'MapStateSucceeded')
  return finishWithResult(run, th, def, results)
}

async function parallelBody(
  run: Run,
  th: ThreadRec,
  def: StateDef,
  host: TaskHost,
  scope: Scope,
): Promise<boolean> {
  const jsonata = isJsonata(run, def)
  if (th.phase === 'run' || !th.kids) {
    let input: unknown
    if (jsonata)
      input =
        def.Arguments !== undefined
          ? await evaluateTemplate(def.Arguments, bindings(run, th, { input: th.input }), 'Arguments')
          : th.input
    else {
      const eff = applyInputPath(def, run.scope(th, th.input))
      input = def.Parameters !== undefined ? applyTemplate(def.Parameters, run.scope(th, eff)) : eff
    }
    run.emit(th, 'ParallelStateStarted')
    const attempt = (th.retries ?? []).reduce((a, b) => a + b, 0)
    th.kids = { n: Array.isArray(def.Branches) ? def.Branches.length : 0, attempt, input, conc: 0 }
    th.phase = 'kids'
    run.touch(th)
    await run.commit()
  }
  const results = await runKids(run, th, def, host, scope, 'Parallel')
  return finishWithResult(run, th, def, results)
}

/** Runs (or resumes) the children of a Map or Parallel; their outputs in order. */
async function runKids(
  run: Run,
  th: ThreadRec,
  def: StateDef,
  host: TaskHost,
  scope: Scope,
  kind: 'Map' | 'Parallel',
): Promise<unknown[]> {
  const k = th.kids!
  const jsonata = isJsonata(run, def)
  const results: unknown[] = new Array(k.n)
  const prefixId = `${th.id}/${th.visit}.${k.attempt}.`
  const kidsScope = new Scope(scope)
  let failures = 0
  let failure: Failure | undefined
  let fatal: unknown
  let nextIndex = 0
  const limit = kind === 'Parallel' ? k.n : Math.min(k.conc > 0 ? k.conc : 40, 40)
  const tolerated = (n: number) => {
    if (k.tolCount === undefined && k.tolPct === undefined) return false
    if (k.tolCount !== undefined && n <= k.tolCount) return true
    if (k.tolPct !== undefined && k.n > 0 && (n / k.n) * 100 <= k.tolPct) return true
    return false
  }
  const selector = def.ItemSelector ?? def.Parameters
  const runKid = async (i: number) => {
    const id = prefixId + i
    let kid = run.threads.get(id)
    if (!kid) {
      let input: unknown
      if (kind === 'Parallel') input = k.input
      else {
        const item = { Index: i, Value: k.items![i] }
        if (selector === undefined) input = k.items![i]
        else if (jsonata)
          input = await evaluateTemplate(
            selector,
            bindings(run, th, { input: k.input }, { item }),
            'ItemSelector',
          )
        else input = applyTemplate(selector, run.scope(th, k.input, { item }))
      }
      const iterationStarted =
        kind === 'Map' ? run.emit(th, 'MapIterationStarted', { name: th.state, index: i }) : th.last
      const blk = kind === 'Map' ? mapBlock(th.blk, th.state) : branchBlock(th.blk, th.state, i)
      kid = {
        id,
        blk,
        state: run.block(blk).StartAt,
        input,
        phase: 'enter',
        visit: 0,
        enteredId: 0,
        enteredAt: 0,
        last: iterationStarted,
        index: kind === 'Map' ? i : undefined,
      }
      run.threads.set(id, kid)
      run.touch(kid)
    }
    if (kid.phase === 'done') {
      results[i] = kid.output
      return
    }
    if (kid.phase === 'failed') {
      // Failed before a restart: it counts again.
      failures++
      if (!tolerated(failures)) failure ??= kid.failure ?? {}
      else results[i] = null
      return
    }
    const kscope = new Scope(kidsScope)
    try {
      results[i] = await runThread(run, kid, host, kscope)
      if (kind === 'Map') run.emit(kid, 'MapIterationSucceeded', { name: th.state, index: i })
      run.touch(kid)
      await run.commit()
    } catch (err) {
      if (err instanceof ThreadFailure) {
        if (kind === 'Map') run.emit(kid, 'MapIterationFailed', { name: th.state, index: i })
        kid.phase = 'failed'
        kid.failure = err.failure
        run.touch(kid)
        failures++
        if (tolerated(failures)) {
          results[i] = { Error: err.failure.error, Cause: err.failure.cause }
          await run.commit()
        } else if (!failure) {
          failure = err.failure
          kidsScope.abort(new Interrupt('a sibling failed'))
        }
      } else if (err instanceof Interrupt && failure && !scope.reason) {
        if (kind === 'Map') run.emit(kid, 'MapIterationAborted', { name: th.state, index: i })
      } else {
        fatal ??= err
        kidsScope.abort(err instanceof Error ? err : new Interrupt())
      }
    } finally {
      kscope.detach()
    }
  }
  const worker = async () => {
    while (nextIndex < k.n && !failure && fatal === undefined) {
      const i = nextIndex++
      try {
        await runKid(i)
      } catch (err) {
        fatal ??= err
        kidsScope.abort(err instanceof Error ? err : new Interrupt())
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, k.n) }, worker))
  kidsScope.detach()
  scope.guard()
  for (let i = 0; i < k.n; i++) if (run.threads.has(prefixId + i)) run.drop(prefixId + i)
  if (fatal !== undefined) throw fatal
  if (failure) {
    if (k.tolCount !== undefined || k.tolPct !== undefined) {
      throw new ThreadFailure({
        error: 'States.ExceedToleratedFailureThreshold',
        cause: 'The specified tolerated failure threshold was exceeded',
      })
    }
    throw new ThreadFailure(failure)
  }
  return results
}
