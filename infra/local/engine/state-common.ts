import { applyOutputPath, applyResultPath, applyTemplate, evaluateAssign, readRequired } from './dataflow.js'
import { StatesError } from './errors.js'
import { evaluateJsonata, evaluateTemplate, isJsonataString, QueryError } from './jsonata.js'
import { Fatal, MAX_PAYLOAD, type Run, ThreadFailure } from './run.js'
import type { Failure, StateDef, ThreadRec } from './types.js'

/**
 * What the states share: query language, payload limits, JSONata bindings, the error
 * conversion, and how a state is left (Exited event, variables, next state).
 */

/** True when the state (or else the machine) uses JSONata. */
export const isJsonata = (run: Run, def: StateDef) =>
  (def.QueryLanguage ?? run.init.def.QueryLanguage) === 'JSONata'

/** The run's clock, in epoch ms. */
export const now = (run: Run) => run.clock.nowMs()

/** JSON text of a payload; over 262,144 bytes is States.DataLimitExceeded. */
export function json(v: unknown, what: string): string {
  const s = JSON.stringify(v) ?? 'null'
  if (s.length > MAX_PAYLOAD && Buffer.byteLength(s) > MAX_PAYLOAD) {
    throw new StatesError(
      'States.DataLimitExceeded',
      `The ${what} has exceeded the maximum number of bytes Step Functions allows (${MAX_PAYLOAD}).`,
    )
  }
  return s
}

/** AWS's lead-in of a States.Runtime cause: the state and the event it entered at. */
export const prefix = (th: ThreadRec) =>
  `An error occurred while executing the state '${th.state}' (entered at the event id #${th.enteredId}). `

/** Turns what a state threw into a failure its Retry/Catch may handle, or rethrows. */
export function toFailure(run: Run, th: ThreadRec, err: unknown): Failure {
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

/**
 * A JSONata `Assign` (of a state, a Choice rule or a catcher) evaluated: the variables it sets
 * by name. Validation keeps `Assign` a JSON object, so its evaluation is one.
 */
export async function evaluateAssignTemplate(
  assign: unknown,
  b: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const value = await evaluateTemplate(assign, b, 'Assign')
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new QueryError("The field 'Assign' must be a JSON object of variable names and values", 'Assign')
  return Object.fromEntries(Object.entries(value))
}

/** JSONata bindings for a thread's state: `$states` plus every visible variable. */
export function bindings(
  run: Run,
  th: ThreadRec,
  states: Record<string, unknown>,
  extra?: Parameters<Run['context']>[1],
) {
  return { ...run.visibleVars(th), states: { ...states, context: run.context(th, extra) } }
}

/** Evaluates a numeric field that may be literal, a `…Path`, or (JSONata) an expression. */
export async function numberField(
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

/** Assigned variables as the Exited event shows them (JSON strings), with their sizes. */
export function assignedDetails(values: Record<string, unknown>) {
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
export function exitState(
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
  if (def.Type !== 'Fail') {
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
export function nextOf(run: Run, th: ThreadRec, def: StateDef): string | undefined {
  if (def.End === true || def.Type === 'Succeed') return undefined
  const n = def.Next
  if (typeof n !== 'string' || !run.block(th.blk).States[n]) {
    throw new StatesError('States.Runtime', `The state '${th.state}' has no valid Next or End.`)
  }
  return n
}

/** After a Task/Map/Parallel produced its result: ResultSelector, Assign, ResultPath, OutputPath (or Output). */
export async function finishWithResult(
  run: Run,
  th: ThreadRec,
  def: StateDef,
  result: unknown,
): Promise<boolean> {
  const next = nextOf(run, th, def)
  let output: unknown
  let assigned: Record<string, unknown> | undefined
  if (isJsonata(run, def)) {
    const b = bindings(run, th, { input: th.input, result }, def.Type === 'Task' ? { task: true } : undefined)
    output = def.Output !== undefined ? await evaluateTemplate(def.Output, b, 'Output') : result
    if (def.Assign !== undefined) assigned = await evaluateAssignTemplate(def.Assign, b)
  } else {
    const selected =
      def.ResultSelector !== undefined ? applyTemplate(def.ResultSelector, run.scope(th, result)) : result
    if (def.Assign !== undefined) assigned = evaluateAssign(def.Assign, run.scope(th, selected))
    output = applyOutputPath(def, applyResultPath(def, th.input, selected), run.scope(th, th.input))
  }
  exitState(run, th, def, output, assigned, next)
  return next === undefined
}
