import { applyInputPath, applyTemplate, readRequired } from './dataflow.js'
import {
  batchItems,
  type ChildResult,
  isDistributed,
  type MapRunRec,
  mapRunArnOf,
  readItems,
  writeResults,
} from './distributed.js'
import { StatesError } from './errors.js'
import { evaluateTemplate, QueryError } from './jsonata.js'
import { branchBlock, Fatal, Interrupt, mapBlock, type Run, Scope, Shutdown, ThreadFailure } from './run.js'
import { bindings, finishWithResult, isJsonata, numberField } from './state-common.js'
import type { TaskHost } from './task.js'
import type { Failure, KidsRec, StateDef, ThreadRec } from './types.js'

/**
 * Map and Parallel: their children are threads of their own, run (or resumed after a
 * restart) with a concurrency limit; the first failure beyond the tolerated ones aborts
 * the others. The interpreter hands in how a child thread runs (`runThread`), so this module
 * and the interpreter do not import each other.
 */

/** Runs a thread until it ends (the interpreter's `runThread`); its output. */
export type ThreadRunner = (run: Run, th: ThreadRec, host: TaskHost, scope: Scope) => Promise<unknown>

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

/** The children's record of a Map or Parallel, written before its `kids` phase begins. */
function kidsOf(th: ThreadRec): KidsRec {
  if (!th.kids)
    throw new Fatal({ error: 'States.Runtime', cause: `The state '${th.state}' lost its children.` })
  return th.kids
}

/** One attempt of a Map: items and settings persisted, then the iterations. */
export async function mapBody(
  run: Run,
  th: ThreadRec,
  def: StateDef,
  host: TaskHost,
  scope: Scope,
  runThread: ThreadRunner,
): Promise<boolean> {
  const jsonata = isJsonata(run, def)
  const dist = isDistributed(def)
  if (th.phase === 'run' || !th.kids) {
    const eff = jsonata ? th.input : applyInputPath(def, run.scope(th, th.input))
    let items: unknown
    if (dist && def.ItemReader !== undefined) items = await readItems(run, th, def, eff, host.s3)
    else if (jsonata)
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
    const list = dist ? await batchItems(run, th, def, eff, items) : items
    const conc = (await intField(run, th, def, 'MaxConcurrency', eff, jsonata)) ?? 0
    if (conc < 0) throw new StatesError('States.Runtime', 'MaxConcurrency cannot be negative.')
    run.emit(th, 'MapStateStarted', { length: list.length })
    const tolCount = await intField(run, th, def, 'ToleratedFailureCount', eff, jsonata)
    if (tolCount !== undefined && tolCount < 0)
      throw new StatesError('States.Runtime', 'ToleratedFailureCount cannot be negative.')
    const tolPct = await numberField(run, th, def, 'ToleratedFailurePercentage', eff, jsonata)
    if (tolPct !== undefined && (typeof tolPct !== 'number' || tolPct < 0 || tolPct > 100)) {
      throw new StatesError('States.Runtime', 'ToleratedFailurePercentage must be between 0 and 100.')
    }
    const attempt = (th.retries ?? []).reduce((a, b) => a + b, 0)
    const kids: KidsRec = {
      n: list.length,
      attempt,
      items: list,
      input: eff,
      conc,
      tolCount,
      tolPct: tolPct as number | undefined,
    }
    th.kids = kids
    if (dist) {
      kids.mapRun = mapRunArnOf(run, th, def)
      kids.runStart = run.clock.nowMs()
      await host.saveMapRun(mapRunRec(run, kids, 'RUNNING'))
      run.emit(th, 'MapRunStarted', { mapRunArn: kids.mapRun })
    }
    th.phase = 'kids'
    run.touch(th)
    await run.commit()
  }
  const k = kidsOf(th)
  if (!k.mapRun) {
    const results = await runKids(run, th, def, host, scope, runThread, 'Map')
    run.emitAside(th, 'MapStateSucceeded')
    return finishWithResult(run, th, def, results)
  }
  // Distributed: the Map Run's record and events around the iterations, then ResultWriter.
  const stats = { succeeded: 0, failed: 0 }
  const children: ChildResult[] = []
  let results: unknown
  try {
    results = await runKids(run, th, def, host, scope, runThread, 'Map', stats, children)
  } catch (err) {
    const rec = { ...mapRunRec(run, k, 'FAILED'), succeeded: stats.succeeded, failed: stats.failed }
    if (err instanceof ThreadFailure) {
      await host.saveMapRun(rec)
      run.emit(th, 'MapRunFailed', { error: err.failure.error, cause: err.failure.cause })
    } else if (err instanceof Interrupt && !(err instanceof Shutdown) && !run.sealed) {
      run.emit(th, 'MapRunAborted')
      // Best effort while the execution unwinds: the map run's record is a report, and the
      // execution's own abort is what is written and awaited.
      host.saveMapRun({ ...rec, status: 'ABORTED' }).catch(() => {})
    }
    throw err
  }
  let written = 0
  if (def.ResultWriter !== undefined) {
    const w = await writeResults(run, th, def, k.input, host.s3, k.mapRun, children, k.runStart ?? 0)
    results = w.output
    written = w.written
  }
  await host.saveMapRun({
    ...mapRunRec(run, k, 'SUCCEEDED'),
    succeeded: stats.succeeded,
    failed: stats.failed,
    resultsWritten: written,
  })
  run.emit(th, 'MapRunSucceeded')
  run.emitAside(th, 'MapStateSucceeded')
  return finishWithResult(run, th, def, results)
}

/** The Map Run record of a Distributed Map's children. */
function mapRunRec(run: Run, k: KidsRec, status: MapRunRec['status']): MapRunRec {
  const rec: MapRunRec = {
    mapRunArn: k.mapRun!,
    executionArn: run.arn,
    stateMachineArn: run.init.stateMachineArn,
    status,
    startMs: k.runStart ?? run.clock.nowMs(),
    maxConcurrency: k.conc,
    toleratedFailurePercentage: k.tolPct ?? 0,
    toleratedFailureCount: k.tolCount ?? 0,
    total: k.n,
    succeeded: 0,
    failed: 0,
    resultsWritten: 0,
  }
  if (status !== 'RUNNING') rec.stopMs = run.clock.nowMs()
  return rec
}

/** One attempt of a Parallel: the branch input persisted, then the branches. */
export async function parallelBody(
  run: Run,
  th: ThreadRec,
  def: StateDef,
  host: TaskHost,
  scope: Scope,
  runThread: ThreadRunner,
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
  const results = await runKids(run, th, def, host, scope, runThread, 'Parallel')
  run.emitAside(th, 'ParallelStateSucceeded')
  return finishWithResult(run, th, def, results)
}

/** Runs (or resumes) the children of a Map or Parallel; their outputs in order. */
async function runKids(
  run: Run,
  th: ThreadRec,
  def: StateDef,
  host: TaskHost,
  scope: Scope,
  runThread: ThreadRunner,
  kind: 'Map' | 'Parallel',
  stats?: { succeeded: number; failed: number },
  children?: ChildResult[],
): Promise<unknown[]> {
  const k = kidsOf(th)
  /** A Distributed Map's iterations write no events in the parent's history. */
  const quiet = th.quiet === true || k.mapRun !== undefined
  const jsonata = isJsonata(run, def)
  const results: unknown[] = new Array(k.n)
  const prefixId = `${th.id}/${th.visit}.${k.attempt}.`
  const kidsScope = new Scope(scope)
  let failures = 0
  let failure: Failure | undefined
  let fatal: unknown
  let nextIndex = 0
  /** The last event of the first failed child (AWS: the previous event of …StateFailed). */
  let failedFrom: number | undefined
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
        const item = { Index: i, Value: k.items?.[i] }
        if (selector === undefined) input = k.items?.[i]
        else if (jsonata)
          input = await evaluateTemplate(
            selector,
            bindings(run, th, { input: k.input }, { item }),
            'ItemSelector',
          )
        else input = applyTemplate(selector, run.scope(th, k.input, { item }))
      }
      const iterationStarted =
        kind === 'Map' && !quiet ? run.emit(th, 'MapIterationStarted', { name: th.state, index: i }) : th.last
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
      if (quiet) kid.quiet = true
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
      // AWS: the next MapIterationStarted (and the state's own events) follow the iteration's
      // last state event, not its MapIterationSucceeded.
      th.last = Math.max(th.last, kid.last)
      if (kind === 'Map') run.emitAside(kid, 'MapIterationSucceeded', { name: th.state, index: i })
      if (stats) stats.succeeded++
      children?.push({ index: i, input: k.items?.[i], output: results[i] })
      run.touch(kid)
      await run.commit()
    } catch (err) {
      if (err instanceof ThreadFailure) {
        const from = kid.last
        if (kind === 'Map') run.emit(kid, 'MapIterationFailed', { name: th.state, index: i })
        if (stats) stats.failed++
        children?.push({ index: i, input: k.items?.[i], error: err.failure.error, cause: err.failure.cause })
        kid.phase = 'failed'
        kid.failure = err.failure
        run.touch(kid)
        failures++
        if (tolerated(failures)) {
          results[i] = { Error: err.failure.error, Cause: err.failure.cause }
          await run.commit()
        } else if (!failure) {
          failedFrom = from
          failure = err.failure
          kidsScope.abort(new Interrupt('a sibling failed'))
        }
      } else if (err instanceof Interrupt && !(err instanceof Shutdown)) {
        // Aborted by a failing sibling, or by a stop or timeout of the execution.
        if (kind === 'Map' && !run.sealed) run.emit(kid, 'MapIterationAborted', { name: th.state, index: i })
        if (!failure) fatal ??= err
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
  if (fatal !== undefined) throw fatal
  // A failed state keeps its children until Retry or Catch handles it: if the execution fails,
  // RedriveExecution re-runs only the failed and aborted ones.
  if (!failure)
    for (let i = 0; i < k.n; i++) {
      const kid = run.threads.get(prefixId + i)
      if (!kid) continue
      // A tolerated failure may have kept its own children (for redrive): they go too.
      if (kid.phase === 'failed') run.dropDescendants(kid.id)
      run.drop(kid.id)
    }
  if (failedFrom !== undefined) th.last = failedFrom
  else th.last = Math.max(th.last, run.eventId)
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
