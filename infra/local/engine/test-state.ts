import { randomUUID } from 'node:crypto'
import { messageOf } from '../../../functions/domain/errors.js'
import type { Clock } from '../clock.js'
import { checkJson, checkString } from './checks.js'
import { applyInputPath, applyResultPath, applyTemplate } from './dataflow.js'
import { ApiError } from './errors.js'
import { runOneState, type TaskHost } from './interpreter.js'
import { evaluateTemplate } from './jsonata.js'
import { Fatal, Interrupt, Run, type RunInit, Scope, ThreadFailure } from './run.js'
import { assignedDetails, bindings, isJsonata } from './state-common.js'
import type { Failure, HistoryEvent, MachineDef, StateDef, ThreadRec } from './types.js'

/**
 * TestState (AWS: "Using TestState API to test a state in Step Functions"): runs one state
 * with an input outside any execution and answers its output, error, next state and status
 * (SUCCEEDED, FAILED, RETRIABLE, CAUGHT_ERROR); at inspection level DEBUG or TRACE also the
 * data-flow steps (`inspectionData`). Retries are not waited for: a matching retrier answers
 * RETRIABLE; a Wait state does not wait. The state runs on the engine's own interpreter.
 * Not supported locally: Map and Parallel, `.sync` and `.waitForTaskToken` tasks and
 * activities (they wait for something that is not part of the test), mocks.
 */

/** Thrown by the test run's clock when a retrier would wait: the state is RETRIABLE. */
class RetryPending extends Interrupt {
  constructor() {
    super('retry pending')
  }
}

/** A run that records its events, never waits, and stops before a retry. */
class TestRun extends Run {
  readonly seen: HistoryEvent[] = []
  thread?: ThreadRec
  override emit(th: ThreadRec | undefined, type: string, details?: Record<string, unknown>): number {
    const id = super.emit(th, type, details)
    this.seen.push({ id, previousEventId: 0, timestamp: 0, type, details })
    return id
  }
  override sleep(scope: Scope, _due: number): Promise<void> {
    if (this.thread?.phase === 'retry') return Promise.reject(new RetryPending())
    return scope.reason ? Promise.reject(scope.reason) : Promise.resolve()
  }
}

/** What TestState needs from the engine. */
export interface TestStateContext {
  clock: Clock
  region: string
  accountId: string
  host: TaskHost
  validate(def: MachineDef): string[]
}

const STATE = 'TestState'

/** Next states a state may go to (stubbed so the one-state machine is valid). */
function nextsOf(def: StateDef): string[] {
  const out = new Set<string>()
  if (typeof def.Next === 'string') out.add(def.Next)
  if (typeof def.Default === 'string') out.add(def.Default)
  for (const c of Array.isArray(def.Choices) ? def.Choices : [])
    if (typeof c?.Next === 'string') out.add(c.Next)
  for (const c of Array.isArray(def.Catch) ? def.Catch : []) if (typeof c?.Next === 'string') out.add(c.Next)
  return [...out]
}

const failureOf = (e: HistoryEvent | undefined): Failure => {
  const d = (e?.details ?? {}) as Record<string, unknown>
  return { error: d.error as string | undefined, cause: d.cause as string | undefined }
}

/** TestState. */
export async function testState(input: Record<string, unknown>, ctx: TestStateContext) {
  const text = checkString(input.definition, 'definition', 1_048_576)
  let parsed: Record<string, any>
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    throw new ApiError('InvalidDefinition', `Invalid State Definition: not valid JSON (${messageOf(err)})`)
  }
  const level = input.inspectionLevel ?? 'INFO'
  if (level !== 'INFO' && level !== 'DEBUG' && level !== 'TRACE')
    throw new ApiError(
      'ValidationException',
      `Invalid inspectionLevel '${String(level)}' (INFO, DEBUG or TRACE)`,
    )
  let name = STATE
  let state: StateDef
  let queryLanguage = parsed?.QueryLanguage
  if (parsed && typeof parsed === 'object' && parsed.States && typeof parsed.States === 'object') {
    name = typeof input.stateName === 'string' ? input.stateName : parsed.StartAt
    state = parsed.States[name]
    if (!state)
      throw new ApiError('ValidationException', `The state '${String(name)}' is not in the definition`)
    queryLanguage = parsed.QueryLanguage
  } else state = parsed as StateDef
  if (!state || typeof state !== 'object' || typeof state.Type !== 'string')
    throw new ApiError('InvalidDefinition', 'Invalid State Definition: a state needs a Type')
  if (state.Type === 'Map' || state.Type === 'Parallel')
    throw new ApiError(
      'ValidationException',
      `TestState of a ${state.Type} state is not supported by the local engine`,
    )
  const resource = String(state.Resource ?? '')
  if (state.Type === 'Task') {
    const info = ctx.host.describe(resource)
    if (info.pattern !== 'request')
      throw new ApiError(
        'ValidationException',
        'TestState of a .sync or .waitForTaskToken task or an activity is not supported by the local engine',
      )
  }
  const States: Record<string, StateDef> = { [name]: state }
  for (const n of nextsOf(state)) if (n !== name) States[n] = { Type: 'Succeed' }
  const def: MachineDef = { StartAt: name, States }
  if (queryLanguage) def.QueryLanguage = queryLanguage
  const problems = ctx.validate(def)
  if (problems.length)
    throw new ApiError('InvalidDefinition', `Invalid State Machine Definition: '${problems.join(', ')}'`)

  const payload = checkJson(input.input, 'input', 'InvalidExecutionInput')
  const startMs = ctx.clock.nowMs()
  const init: RunInit = {
    executionArn: `arn:aws:states:${ctx.region}:${ctx.accountId}:execution:TestState:${randomUUID()}`,
    name: 'TestState',
    stateMachineArn: `arn:aws:states:${ctx.region}:${ctx.accountId}:stateMachine:TestState`,
    stateMachineName: 'TestState',
    roleArn:
      typeof input.roleArn === 'string' ? input.roleArn : `arn:aws:iam::${ctx.accountId}:role/TestState`,
    def,
    input: payload.value,
    inputJson: payload.text,
    startMs,
    revision: 1,
    durable: false,
    recording: true,
    region: ctx.region,
  }
  const run = new TestRun(init, ctx.clock, { append: async () => {} })
  const th: ThreadRec = {
    id: 'r',
    blk: '',
    state: name,
    input: payload.value,
    phase: 'enter',
    visit: 0,
    enteredId: 0,
    enteredAt: 0,
    last: 0,
  }
  run.threads.set('r', th)
  run.thread = th
  if (input.variables !== undefined && input.variables !== null) {
    const vars = checkJson(input.variables, 'variables', 'InvalidExecutionInput').value
    if (!vars || typeof vars !== 'object' || Array.isArray(vars))
      throw new ApiError('ValidationException', 'variables must be a JSON object')
    const values = vars as Record<string, unknown>
    run.assign(th, values, assignedDetails(values).sizes)
  }

  const scope = new Scope()
  const out: Record<string, unknown> = {}
  let ended = false
  try {
    ended = await runOneState(run, th, ctx.host, scope)
    const failed = run.seen.find((e) => /(Failed|TimedOut)$/.test(e.type) && e.type !== 'ExecutionFailed')
    if (failed) {
      const f = failureOf(failed)
      out.status = 'CAUGHT_ERROR'
      out.error = f.error
      out.cause = f.cause
    } else out.status = 'SUCCEEDED'
    out.output = JSON.stringify(ended ? th.output : th.input)
    if (!ended) out.nextState = th.state
  } catch (err) {
    if (err instanceof RetryPending) {
      const f = failureOf(run.seen.filter((e) => /(Failed|TimedOut)$/.test(e.type)).at(-1))
      out.status = 'RETRIABLE'
      out.error = f.error
      out.cause = f.cause
    } else if (err instanceof ThreadFailure || err instanceof Fatal) {
      out.status = 'FAILED'
      out.error = err.failure.error
      out.cause = err.failure.cause
    } else throw err
  } finally {
    scope.abort(new Interrupt('test done'))
  }
  if (level !== 'INFO') out.inspectionData = await inspect(run, th, state, payload.value)
  return out
}

/** The data-flow steps of the tested state (DEBUG and TRACE), recomputed from its input. */
async function inspect(run: TestRun, th: ThreadRec, def: StateDef, input: unknown) {
  const data: Record<string, unknown> = { input: JSON.stringify(input) }
  const succeeded = run.seen.find((e) => /^(Task|LambdaFunction)Succeeded$/.test(e.type))
  const result =
    succeeded !== undefined
      ? JSON.parse(String((succeeded.details as Record<string, unknown>).output ?? 'null'))
      : def.Type === 'Pass' && 'Result' in def
        ? def.Result
        : undefined
  const scopeTh = { ...th, phase: 'run' as const }
  try {
    if (isJsonata(run, def)) {
      if (def.Arguments !== undefined)
        data.afterArguments = JSON.stringify(
          await evaluateTemplate(def.Arguments, bindings(run, scopeTh, { input }), 'Arguments'),
        )
    } else {
      const afterInput = applyInputPath(def, run.scope(scopeTh, input))
      data.afterInputPath = JSON.stringify(afterInput)
      const params =
        def.Parameters !== undefined
          ? applyTemplate(def.Parameters, run.scope(scopeTh, afterInput))
          : afterInput
      data.afterParameters = JSON.stringify(params)
      if (result !== undefined) {
        const selected =
          def.ResultSelector !== undefined
            ? applyTemplate(def.ResultSelector, run.scope(scopeTh, result))
            : result
        data.afterResultSelector = JSON.stringify(selected)
        data.afterResultPath = JSON.stringify(applyResultPath(def, input, selected))
      }
    }
  } catch {
    // A step that failed is reported by the status and error; the later steps have no data.
  }
  if (result !== undefined) data.result = JSON.stringify(result)
  const vars = run.visibleVars(th)
  if (Object.keys(vars).length) data.variables = JSON.stringify(vars)
  return data
}
