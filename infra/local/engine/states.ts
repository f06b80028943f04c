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
import { type Run, type Scope, ThreadFailure } from './run.js'
import {
  bindings,
  evaluateAssignTemplate,
  exitState,
  isJsonata,
  nextOf,
  now,
  numberField,
} from './state-common.js'
import type { Failure, StateDef, ThreadRec } from './types.js'

/** The states that run in one step: Pass, Choice, Wait, Succeed, Fail. */

/** Pass: Result or Parameters (JSONPath), Output (JSONata). */
export async function passState(run: Run, th: ThreadRec, def: StateDef): Promise<boolean> {
  const next = nextOf(run, th, def)
  if (isJsonata(run, def)) {
    const b = bindings(run, th, { input: th.input })
    const output = def.Output !== undefined ? await evaluateTemplate(def.Output, b, 'Output') : th.input
    const assigned = def.Assign !== undefined ? await evaluateAssignTemplate(def.Assign, b) : undefined
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

/** Choice: the first matching rule (or Default) names the next state; its Assign/Output apply. */
export async function choiceState(run: Run, th: ThreadRec, def: StateDef): Promise<boolean> {
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
    if (def.Assign !== undefined) assigned = await evaluateAssignTemplate(def.Assign, b)
    if (matched?.Assign !== undefined)
      assigned = { ...assigned, ...(await evaluateAssignTemplate(matched.Assign, b)) }
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

/** Wait: the due time is persisted, so a restart waits until then (or continues at once when late). */
export async function waitState(run: Run, th: ThreadRec, def: StateDef, scope: Scope): Promise<boolean> {
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
  if (th.phase === 'wait' && th.due !== undefined) await run.rest(th, run.sleep(scope, th.due))
  let output: unknown
  let assigned: Record<string, unknown> | undefined
  if (jsonata) {
    const b = bindings(run, th, { input: th.input })
    output = def.Output !== undefined ? await evaluateTemplate(def.Output, b, 'Output') : th.input
    if (def.Assign !== undefined) assigned = await evaluateAssignTemplate(def.Assign, b)
  } else {
    const scope0 = run.scope(th, th.input)
    const eff = applyInputPath(def, scope0)
    if (def.Assign !== undefined) assigned = evaluateAssign(def.Assign, run.scope(th, eff))
    output = applyOutputPath(def, eff, scope0)
  }
  exitState(run, th, def, output, assigned, next)
  return next === undefined
}

/** Succeed: ends the thread with its (filtered) input. */
export async function succeedState(run: Run, th: ThreadRec, def: StateDef): Promise<boolean> {
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

/** Fail: ends the thread with Error/Cause (literal, path, intrinsic or JSONata). */
export async function failState(run: Run, th: ThreadRec, def: StateDef): Promise<boolean> {
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
