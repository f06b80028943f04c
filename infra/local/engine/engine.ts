import { randomUUID } from 'node:crypto'
import { EventEmitter } from 'node:events'
import type { S3Client } from '@aws-sdk/client-s3'
import type { Clock } from '../clock.js'
import { type Activities, createActivities } from './activities.js'
import { checkArn, checkJson, checkName, checkString } from './checks.js'
import { ApiError, StatesError } from './errors.js'
import { createExecutionQueries, type ExecutionQueries } from './execution-queries.js'
import {
  applyChunk,
  describeMeta,
  detailsOf,
  FINAL_EVENT,
  type Outcome,
  outcomeOf,
  redrivable,
  type Target,
  targetOfMeta,
  toDiagnostic,
} from './execution-records.js'
import { runThread, type TaskHost } from './interpreter.js'
import { createMachines, type Machines } from './machines.js'
import { createMapRuns, type MapRuns } from './map-runs.js'
import { memoryPersistence, type Persistence } from './persistence.js'
import { createResources, type ResourceOptions, type Resources } from './resources.js'
import {
  Fatal,
  Interrupt,
  Run,
  type RunInit,
  type RunSink,
  Shutdown,
  StoreError,
  ThreadFailure,
  Unload,
} from './run.js'
import { createTags, type Tags } from './tags.js'
import { testState } from './test-state.js'
import { createTokenOperations, type TokenOperations } from './token-operations.js'
import { newToken, TokenHub } from './tokens.js'
import type {
  ExecutionMeta,
  ExecutionStatus,
  Failure,
  HistoryEvent,
  MachineDef,
  OutboxEntry,
  StateMachineRec,
  ThreadRec,
} from './types.js'
import { isIdle, wakeAt } from './unload.js'
import { definitionProblems } from './validate.js'
import { createVersions, isVersionQualifier, splitMachineArn, type Versions } from './versions.js'

/**
 * The Step Functions-compatible engine: state machines, executions and task tokens, with
 * the operations of the Step Functions API (camelCase inputs as on the wire; dates as
 * `Date`). STANDARD executions are durable (every transition is written before the next
 * begins; `createEngine` resumes what was running); EXPRESS executions run in memory.
 */

/** Why a parked token was closed by the engine (not by SendTask*). */
export interface TokenClosedEvent {
  token: string
  executionArn: string
  stateName: string
  reason: 'TIMED_OUT' | 'ABORTED'
}

/**
 * An execution's status change as EventBridge delivers it on AWS (source `aws.states`,
 * detail-type "Step Functions Execution Status Change"; the detail as DescribeExecution
 * tells it, dates in epoch milliseconds). The engine emits one when a durable execution
 * closes; the local stack routes them as an EventBridge rule would.
 */
export interface ExecutionStatusChangeEvent {
  version: '0'
  id: string
  'detail-type': 'Step Functions Execution Status Change'
  source: 'aws.states'
  account: string
  time: string
  region: string
  resources: string[]
  detail: {
    executionArn: string
    stateMachineArn: string
    name: string
    status: ExecutionStatus
    startDate: number
    stopDate: number | null
    input: string | null
    output: string | null
    inputDetails: { included: boolean }
    outputDetails: { included: boolean } | null
    error: string | null
    cause: string | null
  }
}

/** Engine options; everything but the clock has a default. */
export interface EngineOptions extends ResourceOptions {
  clock: Clock
  /** Where executions live; default in memory (lost on exit). */
  persistence?: Persistence
  region?: string
  accountId?: string
  /** Called when the engine closes a waiting token (timeout, stop, failure elsewhere). */
  onTokenClosed?: (e: TokenClosedEvent) => void
  /** Called with the EventBridge-shaped event when a durable execution closes (also emitted as `statusChange`). */
  onStatusChange?: (e: ExecutionStatusChangeEvent) => void
  /** Resume the RUNNING executions in `createEngine` (default true); false: call `resumeAll()` yourself. */
  resume?: boolean
  /** S3 for Distributed Map ItemReader/ResultWriter (the embedded object store's endpoint); without, they fail. */
  s3?: S3Client
  /** Longest wait of GetActivityTask in ms (default 60,000, as AWS). */
  activityPollMs?: number
  /** Logs unexpected internal errors (default console.error). */
  log?: (message: string, err?: unknown) => void
  /**
   * A durable execution whose threads all rest (task tokens, Waits, Retry delays; see
   * `unload.ts`) leaves memory after resting this long (ms, real time; default 2,000) and is
   * resumed from the store when it is needed. `Infinity` keeps every execution in memory.
   */
  unloadAfterMs?: number
}

/** Executions whose next timer is nearer than this stay in memory (unloading them would gain nothing). */
const KEEP_WITHIN_MS = 60_000

/** Unwinds the threads of a closed execution (one instance: creating errors costs a stack trace). */
const CLOSED = new Interrupt('execution closed')

const toDate = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms))

/** The engine. Create with `createEngine`. */
export class Engine {
  /**
   * `tokenClosed` (TokenClosedEvent), `executionClosed` (DescribeExecution shape),
   * `statusChange` (ExecutionStatusChangeEvent, as EventBridge delivers it), `outbox` (OutboxEntry).
   */
  readonly events = new EventEmitter()
  readonly tokens = new TokenHub()
  readonly clock: Clock
  readonly region: string
  readonly accountId: string
  readonly persistence: Persistence
  readonly resources: Resources
  private readonly runs = new Map<string, Run>()
  /** RUNNING executions that left memory (see `unload.ts`): the cancel of their wake-up timer. */
  private readonly unloaded = new Map<string, { cancelWake: () => void; unwound: Promise<unknown> }>()
  /** Executions being resumed from the store after an unload. */
  private readonly loading = new Map<string, Promise<void>>()
  /** Pending unload checks of executions in memory. */
  private readonly unloadChecks = new Map<string, NodeJS.Timeout>()
  /** Token answers in flight per execution: it stays in memory until they are delivered. */
  private readonly answering = new Map<string, number>()
  private readonly runTimers = new Map<string, () => void>()
  private readonly closeWaiters = new Map<string, ((d: Record<string, unknown>) => void)[]>()
  /** State machines and their definition revisions (`machines.ts`). */
  readonly stateMachines: Machines
  /** SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat (`token-operations.ts`). */
  private readonly tokenOperations: TokenOperations
  /** ListMapRuns, DescribeMapRun, UpdateMapRun (`map-runs.ts`). */
  private readonly mapRuns: MapRuns
  /** DescribeExecution, ListExecutions, GetExecutionHistory, DescribeStateMachineForExecution (`execution-queries.ts`). */
  private readonly queries: ExecutionQueries
  private readonly host: TaskHost
  readonly versions: Versions
  readonly activities: Activities
  readonly tags: Tags
  private readonly sink: RunSink = {
    append: (r, chunk) => {
      this.transitions++
      return this.persistence.appendChunk(r.arn, chunk)
    },
  }
  private readonly log: (message: string, err?: unknown) => void
  private readonly opts: EngineOptions
  private closedEngine = false
  /** Chunks written so far (about one per transition; a benchmark figure). */
  transitions = 0
  /** Executions resumed by the last `resumeAll`. */
  resumed = 0

  constructor(opts: EngineOptions) {
    this.opts = opts
    this.clock = opts.clock
    this.region = opts.region ?? 'eu-central-1'
    this.accountId = opts.accountId ?? '000000000000'
    this.persistence = opts.persistence ?? memoryPersistence()
    this.log = opts.log ?? ((m, e) => console.error(`[engine] ${m}`, e ?? ''))
    this.events.setMaxListeners(0)
    this.resources = createResources(
      {
        region: this.region,
        account: this.accountId,
        startExecution: async (i) => {
          const out = await this.startExecution({
            stateMachineArn: i.stateMachineArn,
            name: i.name,
            input: i.input,
          })
          return { executionArn: out.executionArn, startDate: out.startDate }
        },
        awaitExecution: (arn) => this.awaitExecution(arn),
        stopExecution: async (arn, error, cause) => {
          await this.stopExecution({ executionArn: arn, error, cause })
        },
        addOutbox: async (entry) => {
          await this.persistence.addOutbox({ ...entry, at: this.clock.nowMs() })
          this.events.emit('outbox', entry)
        },
      },
      opts,
    )
    this.mapRuns = createMapRuns({ persistence: this.persistence })
    this.tokenOperations = createTokenOperations({
      tokens: this.tokens,
      persistence: this.persistence,
      clock: this.clock,
      load: async (arn) => {
        await this.loaded(arn)
      },
      hold: (arn) => this.hold(arn),
    })
    this.stateMachines = createMachines({
      persistence: this.persistence,
      clock: this.clock,
      region: this.region,
      accountId: this.accountId,
      isKnownResource: (arn) => this.resources.isKnownResource(arn),
      versions: () => this.versions,
      tags: () => this.tags,
    })
    this.queries = createExecutionQueries({
      persistence: this.persistence,
      clock: this.clock,
      stateMachines: this.stateMachines,
    })
    const catalog = this.catalog()
    this.tags = catalog.tags
    this.versions = catalog.versions
    this.activities = catalog.activities
    this.host = {
      describe: (r) => this.resources.describe(r),
      invoke: (inv) => this.resources.invoke(inv),
      tokens: this.tokens,
      newToken: (run) => newToken(run.arn),
      s3: opts.s3,
      saveMapRun: async (rec) => {
        await this.persistence.putRecord('maprun', rec.mapRunArn, rec)
        await this.persistence.putRecord(
          'maprunof',
          `${rec.executionArn}#${String(rec.startMs).padStart(15, '0')}#${rec.mapRunArn}`,
          { mapRunArn: rec.mapRunArn, startMs: rec.startMs, stopMs: rec.stopMs },
        )
      },
      offerActivity: (arn, task) => this.activities.offer(arn, task),
      withdrawActivity: (arn, token) => this.activities.withdraw(arn, token),
      closeToken: async (run, token, status, failure, stateName) => {
        if (this.closedEngine) return false
        const won = await this.persistence.closeToken({
          token,
          status,
          executionArn: run.arn,
          error: failure.error,
          cause: failure.cause,
          missedHeartbeat: failure.heartbeat,
        })
        if (won) this.tokenClosed({ token, executionArn: run.arn, stateName, reason: status })
        return won
      },
    }
  }

  /** The parts built on the persistence: versions and aliases, activities, tags. */
  private catalog() {
    const tags = createTags({
      persistence: this.persistence,
      exists: async (arn) => {
        if (/:activity:/.test(arn)) return Boolean(await this.persistence.getRecord('activity', arn))
        const parts = splitMachineArn(arn)
        return Boolean(parts && !parts.qualifier && (await this.stateMachines.getMachine(arn)))
      },
    })
    const versions = createVersions({
      persistence: this.persistence,
      clock: this.clock,
      machine: (arn, field) => this.stateMachines.machine(arn, field),
      saveMachine: (rec) => this.stateMachines.saveMachine(rec),
    })
    const activities = createActivities({
      persistence: this.persistence,
      clock: this.clock,
      region: this.region,
      accountId: this.accountId,
      tag: (arn, t) => tags.put(arn, t),
      untagAll: (arn) => tags.drop(arn),
      pollMs: this.opts.activityPollMs,
    })
    return { tags, versions, activities }
  }

  private tokenClosed(e: TokenClosedEvent) {
    try {
      this.opts.onTokenClosed?.(e)
      this.events.emit('tokenClosed', e)
    } catch (err) {
      this.log('a tokenClosed listener failed', err)
    }
  }

  // ------------------------------------------------------------------ state machines (machines.ts)

  /** CreateStateMachine: idempotent for the same name, definition, role and type. */
  createStateMachine(input: Parameters<Machines['createStateMachine']>[0]) {
    return this.stateMachines.createStateMachine(input)
  }

  /** UpdateStateMachine: running executions keep the revision they started with. */
  updateStateMachine(input: Parameters<Machines['updateStateMachine']>[0]) {
    return this.stateMachines.updateStateMachine(input)
  }

  /** DescribeStateMachine. */
  describeStateMachine(input: { stateMachineArn?: unknown }) {
    return this.stateMachines.describeStateMachine(input)
  }

  /** ListStateMachines (by name, paged). */
  listStateMachines(input: { maxResults?: unknown; nextToken?: unknown } = {}) {
    return this.stateMachines.listStateMachines(input)
  }

  /** DeleteStateMachine (running executions finish on their revision). */
  deleteStateMachine(input: { stateMachineArn?: unknown }) {
    return this.stateMachines.deleteStateMachine(input)
  }

  // ------------------------------------------------------------------ executions

  /** StartExecution: the same name and input while running returns the same execution. */
  async startExecution(input: { stateMachineArn?: unknown; name?: unknown; input?: unknown }) {
    const { sm, t } = await this.target(input.stateMachineArn)
    const name =
      input.name === undefined || input.name === null ? randomUUID() : checkName(input.name, 'name')
    const payload = checkJson(input.input, 'input', 'InvalidExecutionInput')
    const def = await this.stateMachines.definitionOf(sm.stateMachineArn, t.revision)
    const startMs = this.clock.nowMs()
    if (sm.type === 'EXPRESS') {
      const arn = `arn:aws:states:${this.region}:${this.accountId}:express:${sm.name}:${name}:${randomUUID()}`
      const run = this.newRun(t, def, arn, name, payload, startMs, false)
      this.launch(run, undefined)
      return { executionArn: arn, startDate: new Date(startMs) }
    }
    const arn = `arn:aws:states:${this.region}:${this.accountId}:execution:${sm.name}:${name}`
    const meta: ExecutionMeta = {
      executionArn: arn,
      stateMachineArn: sm.stateMachineArn,
      name,
      status: 'RUNNING',
      input: payload.text,
      startMs,
      revision: t.revision,
      roleArn: t.roleArn,
    }
    if (t.versionArn) meta.versionArn = t.versionArn
    if (t.aliasArn) meta.aliasArn = t.aliasArn
    if (!(await this.persistence.createExecution(meta))) {
      const existing = await this.persistence.getExecution(arn)
      if (existing && existing.status === 'RUNNING' && existing.input === payload.text) {
        return { executionArn: arn, startDate: new Date(existing.startMs) }
      }
      throw new ApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`)
    }
    const run = this.newRun(t, def, arn, name, payload, startMs, true)
    this.launch(run, undefined)
    return { executionArn: arn, startDate: new Date(startMs) }
  }

  /** StartSyncExecution (EXPRESS only): runs in memory and answers with the result. */
  async startSyncExecution(input: { stateMachineArn?: unknown; name?: unknown; input?: unknown }) {
    const { sm, t } = await this.target(input.stateMachineArn)
    if (sm.type !== 'EXPRESS') {
      throw new ApiError(
        'StateMachineTypeNotSupported',
        'This operation is only supported by EXPRESS state machines',
      )
    }
    const name =
      input.name === undefined || input.name === null ? randomUUID() : checkName(input.name, 'name')
    const payload = checkJson(input.input, 'input', 'InvalidExecutionInput')
    const def = await this.stateMachines.definitionOf(sm.stateMachineArn, t.revision)
    const startMs = this.clock.nowMs()
    const arn = `arn:aws:states:${this.region}:${this.accountId}:express:${sm.name}:${name}:${randomUUID()}`
    const run = this.newRun(t, def, arn, name, payload, startMs, false)
    const meta = await this.launch(run, undefined)
    return {
      executionArn: arn,
      stateMachineArn: sm.stateMachineArn,
      name,
      startDate: new Date(startMs),
      stopDate: new Date(meta.stopMs ?? startMs),
      status: meta.status,
      input: meta.input,
      inputDetails: { included: true },
      output: meta.output,
      outputDetails: meta.output === undefined ? undefined : { included: true },
      error: meta.error,
      cause: meta.cause,
      billingDetails: {
        billedMemoryUsedInMB: 64,
        billedDurationInMilliseconds: Math.max(100, (meta.stopMs ?? startMs) - startMs),
      },
    }
  }

  /**
   * What StartExecution runs for a state machine, version or alias ARN: the machine, the
   * revision and role (a version's own; an alias routes to one of its versions by weight).
   */
  private async target(value: unknown): Promise<{ sm: StateMachineRec; t: Target }> {
    const asked = checkArn(value, 'stateMachineArn', ['stateMachine'])
    const parts = splitMachineArn(asked)
    if (!parts?.qualifier) {
      const sm = await this.stateMachines.machine(asked)
      return {
        sm,
        t: { stateMachineArn: sm.stateMachineArn, name: sm.name, roleArn: sm.roleArn, revision: sm.revision },
      }
    }
    let versionArn = asked
    let aliasArn: string | undefined
    if (!isVersionQualifier(parts.qualifier)) {
      const alias = await this.versions.alias(asked)
      if (!alias) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${asked}'`)
      aliasArn = asked
      versionArn = this.versions.route(alias)
    }
    const v = await this.versions.version(versionArn)
    if (!v) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${versionArn}'`)
    const sm = await this.stateMachines.machine(v.stateMachineArn)
    return {
      sm,
      t: {
        stateMachineArn: sm.stateMachineArn,
        name: sm.name,
        roleArn: v.roleArn,
        revision: v.revision,
        versionArn,
        aliasArn,
      },
    }
  }

  private newRun(
    t: Target,
    def: MachineDef,
    arn: string,
    name: string,
    payload: { text: string; value: unknown },
    startMs: number,
    durable: boolean,
  ): Run {
    const init: RunInit = {
      executionArn: arn,
      name,
      stateMachineArn: t.stateMachineArn,
      stateMachineName: t.name,
      roleArn: t.roleArn,
      def,
      input: payload.value,
      inputJson: payload.text,
      startMs,
      revision: t.revision,
      durable,
      recording: durable,
      region: this.region,
      versionArn: t.versionArn,
      aliasArn: t.aliasArn,
      redriveCount: t.redriveCount,
      redriveMs: t.redriveMs,
    }
    const run = new Run(init, this.clock, this.sink)
    // Event 1 (ExecutionStarted) and the first thread follow from the metadata: not written again.
    run.eventId = 1
    run.chunkNo = 1
    const root: ThreadRec = {
      id: 'r',
      blk: '',
      state: def.StartAt,
      input: payload.value,
      phase: 'enter',
      visit: 0,
      enteredId: 0,
      enteredAt: 0,
      last: 1,
    }
    run.threads.set('r', root)
    return run
  }

  /** Runs (or resumes) an execution until it closes; resolves with its final metadata. */
  private launch(run: Run, restored: Outcome | undefined): Promise<ExecutionMeta> {
    const durable = run.init.durable
    if (durable) {
      this.runs.set(run.arn, run)
      if (Number.isFinite(this.unloadAfterMs)) run.onRest = (r) => this.checkUnload(r)
    }
    return new Promise((resolve) => {
      const done = (outcome: Outcome) => {
        this.finish(run, outcome).then(resolve, (err) => {
          this.log(`closing ${run.arn} failed`, err)
          resolve(this.metaOf(run, outcome))
        })
      }
      if (restored) return done(restored)
      const limit = run.init.def.TimeoutSeconds
      if (typeof limit === 'number' && limit > 0) {
        const cancel = this.clock.at((run.init.redriveMs ?? run.init.startMs) + limit * 1000, () =>
          done({
            status: 'TIMED_OUT',
            failure: {
              error: 'States.Timeout',
              cause: `The execution exceeded its TimeoutSeconds of ${limit}.`,
            },
          }),
        )
        this.runTimers.set(run.arn, cancel)
      }
      const root = runThread(run, run.threads.get('r')!, this.host, run.root)
      run.unwound = root.then(
        () => undefined,
        () => undefined,
      )
      root.then(
        (output) => done({ status: 'SUCCEEDED', output }),
        (err) => {
          if (err instanceof ThreadFailure || err instanceof Fatal)
            return done({ status: 'FAILED', failure: err.failure })
          if (err instanceof Interrupt) return // closed by stop or timeout
          if (run.closed) return
          if (err instanceof StatesError)
            return done({ status: 'FAILED', failure: { error: err.error, cause: err.causeText } })
          if (err instanceof StoreError) {
            // The execution stays RUNNING in the store and resumes on the next start.
            this.log(`execution ${run.arn} stopped in memory`, err)
            this.runs.delete(run.arn)
            return
          }
          this.log(`execution ${run.arn} failed on an internal error`, err)
          const cause = `Internal error of the local engine: ${(err as Error)?.message ?? err}`
          done({ status: 'FAILED', failure: { error: 'States.Runtime', cause } })
        },
      )
    })
  }

  private metaOf(run: Run, outcome: Outcome, outputJson?: string): ExecutionMeta {
    const meta: ExecutionMeta = {
      executionArn: run.arn,
      stateMachineArn: run.init.stateMachineArn,
      name: run.init.name,
      status: outcome.status,
      input: run.init.inputJson,
      startMs: run.init.startMs,
      stopMs: this.clock.nowMs(),
      revision: run.init.revision,
      roleArn: run.init.roleArn,
    }
    if (run.init.versionArn) meta.versionArn = run.init.versionArn
    if (run.init.aliasArn) meta.aliasArn = run.init.aliasArn
    if (run.init.redriveCount) meta.redriveCount = run.init.redriveCount
    if (run.init.redriveMs) meta.redriveMs = run.init.redriveMs
    if (run.init.recording) meta.events = run.eventId
    if (outcome.status === 'SUCCEEDED') meta.output = outputJson ?? JSON.stringify(outcome.output)
    else {
      if (outcome.failure.error !== undefined) meta.error = outcome.failure.error
      if (outcome.failure.cause !== undefined) meta.cause = outcome.failure.cause
    }
    return meta
  }

  /** Closes an execution once: stops its threads, closes its tokens, writes the final event. */
  private async finish(run: Run, outcome: Outcome): Promise<ExecutionMeta> {
    if (run.closed) return this.metaOf(run, outcome)
    run.closed = true
    this.runTimers.get(run.arn)?.()
    this.runTimers.delete(run.arn)
    run.root.abort(CLOSED)
    // Stopped or timed out: let the interrupted threads unwind (their …StateAborted events) first;
    // a thread waits at most for the store write it is in.
    if ((outcome.status === 'ABORTED' || outcome.status === 'TIMED_OUT') && run.unwound) {
      let timer: NodeJS.Timeout | undefined
      await Promise.race([run.unwound, new Promise((r) => (timer = setTimeout(r, 2000)))])
      clearTimeout(timer)
    }
    await Promise.all(run.closing)
    if (run.init.durable) await run.drain()
    let final = outcome
    let outputJson: string | undefined
    if (final.status === 'SUCCEEDED') {
      outputJson = JSON.stringify(final.output) ?? 'null'
      if (Buffer.byteLength(outputJson) > 262_144) {
        final = {
          status: 'FAILED',
          failure: { error: 'States.DataLimitExceeded', cause: 'The execution output exceeds 262144 bytes.' },
        }
        outputJson = undefined
      }
    }
    const details: Record<string, unknown> =
      final.status === 'SUCCEEDED'
        ? { output: outputJson, outputDetails: { truncated: false } }
        : { error: final.failure.error, cause: final.failure.cause }
    run.sealed = true
    if (run.init.recording) run.emit(undefined, FINAL_EVENT[final.status], details)
    const meta = this.metaOf(run, final, outputJson)
    if (run.init.durable) {
      await this.persistence.closeExecution(meta, run.takeChunk())
      this.runs.delete(run.arn)
    }
    const described = describeMeta(meta, this.clock.nowMs())
    for (const w of this.closeWaiters.get(run.arn) ?? []) w(described)
    this.closeWaiters.delete(run.arn)
    if (run.init.durable) {
      this.events.emit('executionClosed', described)
      this.statusChange(meta)
    }
    return meta
  }

  /** Emits the EventBridge-shaped status change of an execution (listeners' errors are logged). */
  private statusChange(m: ExecutionMeta) {
    const e: ExecutionStatusChangeEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      account: this.accountId,
      time: new Date(m.stopMs ?? this.clock.nowMs()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.region,
      resources: [m.executionArn],
      detail: {
        executionArn: m.executionArn,
        stateMachineArn: m.stateMachineArn,
        name: m.name,
        status: m.status,
        startDate: m.startMs,
        stopDate: m.stopMs ?? null,
        input: m.input ?? null,
        output: m.output ?? null,
        inputDetails: { included: true },
        outputDetails: m.output === undefined ? null : { included: true },
        error: m.error ?? null,
        cause: m.cause ?? null,
      },
    }
    try {
      this.opts.onStatusChange?.(e)
      this.events.emit('statusChange', e)
    } catch (err) {
      this.log('a statusChange listener failed', err)
    }
  }

  /**
   * RedriveExecution: a FAILED, TIMED_OUT or ABORTED Standard execution closed less than 14
   * days ago continues from where it stopped, with the same input and ARN: the states that
   * did not succeed run again (in a Map or Parallel only the failed and aborted iterations
   * and branches), after an `ExecutionRedriven` event. `clientToken` makes a retried call
   * answer the same redrive.
   */
  async redriveExecution(input: { executionArn?: unknown; clientToken?: unknown }) {
    const arn = checkArn(input.executionArn, 'executionArn', ['execution', 'express'])
    if (arn.includes(':express:'))
      throw new ApiError(
        'ExecutionNotRedrivable',
        `Execution is not redrivable: '${arn}' (EXPRESS executions cannot be redriven)`,
      )
    const clientToken =
      input.clientToken === undefined || input.clientToken === null
        ? undefined
        : checkString(input.clientToken, 'clientToken', 64)
    const meta = await this.persistence.getExecution(arn)
    if (!meta) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`)
    if (clientToken !== undefined && meta.redriveToken === clientToken && meta.redriveMs !== undefined)
      return { redriveDate: new Date(meta.redriveMs) }
    const verdict = redrivable(meta, this.clock.nowMs())
    if (verdict.redriveStatus !== 'REDRIVABLE')
      throw new ApiError(
        'ExecutionNotRedrivable',
        `Execution is not redrivable: ${verdict.redriveStatusReason}: '${arn}'`,
      )
    const { run } = await this.fold(meta)
    const now = this.clock.nowMs()
    const count = (meta.redriveCount ?? 0) + 1
    run.init.redriveCount = count
    run.init.redriveMs = now
    // Every thread that did not succeed runs its current state again; a Map or Parallel
    // resumes its children (those that succeeded keep their output).
    for (const th of run.threads.values()) {
      if (th.phase === 'done') continue
      th.phase = th.kids ? 'kids' : 'enter'
      th.task = undefined
      th.retries = undefined
      th.due = undefined
      th.failure = undefined
      run.touch(th)
    }
    run.emit(undefined, 'ExecutionRedriven', { redriveCount: count })
    for (const th of run.threads.values()) th.last = Math.max(th.last, run.eventId)
    const reopened: ExecutionMeta = {
      executionArn: meta.executionArn,
      stateMachineArn: meta.stateMachineArn,
      name: meta.name,
      status: 'RUNNING',
      input: meta.input,
      startMs: meta.startMs,
      revision: meta.revision,
      roleArn: meta.roleArn,
      versionArn: meta.versionArn,
      aliasArn: meta.aliasArn,
      redriveCount: count,
      redriveMs: now,
      redriveToken: clientToken,
    }
    if (!(await this.persistence.reopenExecution(reopened, run.takeChunk()!, meta.status))) {
      const again = await this.persistence.getExecution(arn)
      if (clientToken !== undefined && again?.redriveToken === clientToken && again.redriveMs !== undefined)
        return { redriveDate: new Date(again.redriveMs) }
      throw new ApiError(
        'ExecutionNotRedrivable',
        `Execution is not redrivable: it is being redriven: '${arn}'`,
      )
    }
    this.launch(run, undefined)
    return { redriveDate: new Date(now) }
  }

  /**
   * ValidateStateMachineDefinition: the engine's own definition rules (the same that refuse
   * CreateStateMachine) as diagnostics; `result` is FAIL when one has severity ERROR.
   */
  async validateStateMachineDefinition(input: {
    definition?: unknown
    type?: unknown
    severity?: unknown
    maxResults?: unknown
  }) {
    const definition = checkString(input.definition, 'definition', 1_048_576)
    if (
      input.type !== undefined &&
      input.type !== null &&
      input.type !== 'STANDARD' &&
      input.type !== 'EXPRESS'
    )
      throw new ApiError('ValidationException', `Invalid type '${String(input.type)}' (STANDARD or EXPRESS)`)
    if (
      input.severity !== undefined &&
      input.severity !== null &&
      input.severity !== 'ERROR' &&
      input.severity !== 'WARNING'
    )
      throw new ApiError(
        'ValidationException',
        `Invalid severity '${String(input.severity)}' (ERROR or WARNING)`,
      )
    const max =
      input.maxResults === undefined || input.maxResults === null || input.maxResults === 0
        ? 100
        : input.maxResults
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 0 || max > 100)
      throw new ApiError(
        'ValidationException',
        "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must be between 0 and 100",
      )
    const diagnostics = definitionProblems(definition, {
      isKnownResource: (a) => this.resources.isKnownResource(a),
    }).map(toDiagnostic)
    return {
      result: diagnostics.some((d) => d.severity === 'ERROR') ? 'FAIL' : 'OK',
      diagnostics: diagnostics.slice(0, max),
      truncated: diagnostics.length > max,
    }
  }

  /** TestState: one state with an input, outside any execution (test-state.ts). */
  async testState(input: Record<string, unknown>) {
    return testState(input, {
      clock: this.clock,
      region: this.region,
      accountId: this.accountId,
      host: this.host,
      validate: (def) =>
        definitionProblems(def, { isKnownResource: (a) => this.resources.isKnownResource(a) }),
    })
  }

  // ------------------------------------------------------------------ catalogue operations

  /** ListMapRuns: the Map Runs (Distributed Map states) of an execution, oldest first (`map-runs.ts`). */
  listMapRuns(input: { executionArn?: unknown; maxResults?: unknown; nextToken?: unknown }) {
    return this.mapRuns.listMapRuns(input)
  }

  /** DescribeMapRun: status, settings and item/execution counts of a Map Run. */
  describeMapRun(input: { mapRunArn?: unknown }) {
    return this.mapRuns.describeMapRun(input)
  }

  /** UpdateMapRun: kept on the record (the local iterations keep the settings they started with). */
  updateMapRun(input: Parameters<MapRuns['updateMapRun']>[0]) {
    return this.mapRuns.updateMapRun(input)
  }

  publishStateMachineVersion(input: Record<string, unknown>) {
    return this.versions.publish(input)
  }
  listStateMachineVersions(input: Record<string, unknown>) {
    return this.versions.listVersions(input)
  }
  deleteStateMachineVersion(input: Record<string, unknown>) {
    return this.versions.deleteVersion(input)
  }
  createStateMachineAlias(input: Record<string, unknown>) {
    return this.versions.createAlias(input)
  }
  describeStateMachineAlias(input: Record<string, unknown>) {
    return this.versions.describeAlias(input)
  }
  updateStateMachineAlias(input: Record<string, unknown>) {
    return this.versions.updateAlias(input)
  }
  deleteStateMachineAlias(input: Record<string, unknown>) {
    return this.versions.deleteAlias(input)
  }
  listStateMachineAliases(input: Record<string, unknown>) {
    return this.versions.listAliases(input)
  }
  tagResource(input: Record<string, unknown>) {
    return this.tags.tagResource(input)
  }
  untagResource(input: Record<string, unknown>) {
    return this.tags.untagResource(input)
  }
  listTagsForResource(input: Record<string, unknown>) {
    return this.tags.listTagsForResource(input)
  }
  createActivity(input: Record<string, unknown>) {
    return this.activities.createActivity(input)
  }
  describeActivity(input: Record<string, unknown>) {
    return this.activities.describeActivity(input)
  }
  listActivities(input: Record<string, unknown>) {
    return this.activities.listActivities(input)
  }
  deleteActivity(input: Record<string, unknown>) {
    return this.activities.deleteActivity(input)
  }
  /** GetActivityTask: long poll (up to 60 s); `signal` ends it when the caller goes away. */
  getActivityTask(input: Record<string, unknown>, signal?: AbortSignal) {
    return this.activities.getActivityTask(input, signal)
  }

  /** Resolves when an execution closes (at once when it is closed), with DescribeExecution's answer. */
  async awaitExecution(executionArn: string): Promise<ReturnType<typeof describeMeta>> {
    if (!this.runs.has(executionArn) && !this.unloaded.has(executionArn) && !this.loading.has(executionArn))
      return this.describeExecution({ executionArn })
    return new Promise((resolve) => {
      const list = this.closeWaiters.get(executionArn) ?? []
      list.push(resolve as (d: Record<string, unknown>) => void)
      this.closeWaiters.set(executionArn, list)
    })
  }

  /** StopExecution: aborts running tasks and closes waiting tokens. */
  async stopExecution(input: { executionArn?: unknown; error?: unknown; cause?: unknown }) {
    const arn = checkArn(input.executionArn, 'executionArn', ['execution'])
    if (input.error !== undefined && input.error !== null) checkString(input.error, 'error', 256)
    if (input.cause !== undefined && input.cause !== null) checkString(input.cause, 'cause', 32_768)
    const run = await this.loaded(arn)
    if (!run) {
      const meta = await this.persistence.getExecution(arn)
      if (!meta) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`)
      return { stopDate: toDate(meta.stopMs) ?? this.clock.now() }
    }
    const failure: Failure = {}
    if (typeof input.error === 'string') failure.error = input.error
    if (typeof input.cause === 'string') failure.cause = input.cause
    const meta = await this.finish(run, { status: 'ABORTED', failure })
    return { stopDate: toDate(meta.stopMs) ?? this.clock.now() }
  }

  // ------------------------------------------------------------------ execution queries (execution-queries.ts)

  /** DescribeExecution. */
  describeExecution(input: { executionArn?: unknown }) {
    return this.queries.describeExecution(input)
  }

  /** ListExecutions (newest first, optional status filter, paged). */
  listExecutions(input: Parameters<ExecutionQueries['listExecutions']>[0]) {
    return this.queries.listExecutions(input)
  }

  /** All stored events of an execution in order (event 1 follows from the metadata). */
  history(executionArn: string): Promise<HistoryEvent[]> {
    return this.queries.history(executionArn)
  }

  /** GetExecutionHistory (paged, optionally newest first). */
  getExecutionHistory(input: Parameters<ExecutionQueries['getExecutionHistory']>[0]) {
    return this.queries.getExecutionHistory(input)
  }

  /** DescribeStateMachineForExecution: the definition (revision) an execution runs. */
  describeStateMachineForExecution(input: { executionArn?: unknown }) {
    return this.queries.describeStateMachineForExecution(input)
  }

  // ------------------------------------------------------------------ task tokens (token-operations.ts)

  /** SendTaskSuccess: exactly one caller wins (conditional write); the output must be JSON. */
  sendTaskSuccess(input: { taskToken?: unknown; output?: unknown }) {
    return this.tokenOperations.sendTaskSuccess(input)
  }

  /** SendTaskFailure: its error and cause reach Catch unchanged. */
  sendTaskFailure(input: { taskToken?: unknown; error?: unknown; cause?: unknown }) {
    return this.tokenOperations.sendTaskFailure(input)
  }

  /** SendTaskHeartbeat: re-arms the task's HeartbeatSeconds. */
  sendTaskHeartbeat(input: { taskToken?: unknown }) {
    return this.tokenOperations.sendTaskHeartbeat(input)
  }

  /** Messages sent with events:putEvents and sns:publish, oldest first. */
  listOutbox(): Promise<OutboxEntry[]> {
    return this.persistence.listOutbox()
  }

  /** Number of executions running in this process (in memory or unloaded until needed). */
  get running(): number {
    return this.runs.size + this.unloaded.size + this.loading.size
  }

  /** Number of running executions held in memory (the others rest in the store, see `unload.ts`). */
  get inMemory(): number {
    return this.runs.size
  }

  // ------------------------------------------------------------------ unloading

  private get unloadAfterMs(): number {
    return this.opts.unloadAfterMs ?? 2000
  }

  /** A thread of `run` started resting: check in a while whether the whole execution rests. */
  private checkUnload(run: Run) {
    if (this.closedEngine || this.unloadChecks.has(run.arn)) return
    const timer = setTimeout(() => {
      this.unloadChecks.delete(run.arn)
      this.unload(run)
    }, this.unloadAfterMs)
    timer.unref()
    this.unloadChecks.set(run.arn, timer)
  }

  /**
   * Drops a resting execution from memory (its threads stop as on a shutdown: nothing is
   * written, tokens stay open) and arms its wake-up at its earliest timer.
   */
  private unload(run: Run) {
    if (this.closedEngine || this.runs.get(run.arn) !== run) return
    const wake = wakeAt(run)
    if (
      this.answering.has(run.arn) ||
      !isIdle(run, this.tokens) ||
      (wake !== undefined && wake - this.clock.nowMs() < KEEP_WITHIN_MS)
    ) {
      // Something still moves (an answer being delivered, a thread at work or a write, a timer
      // near): look again in a while, as long as a thread rests.
      if (run.resting.size > 0) this.checkUnload(run)
      return
    }
    run.closed = true
    this.runs.delete(run.arn)
    this.runTimers.get(run.arn)?.()
    this.runTimers.delete(run.arn)
    run.root.abort(new Unload())
    const cancelWake = wake === undefined ? () => {} : this.wakeUp(run.arn, wake)
    this.unloaded.set(run.arn, { cancelWake, unwound: run.unwound ?? Promise.resolve() })
  }

  /**
   * Arms the wake-up of an unloaded execution. Its callback holds the ARN only: a callback that
   * closed over the run kept every unloaded execution's threads, input and definition in memory
   * through the clock's queue (an approval's escalation timer), which was what unloading saved.
   */
  private wakeUp(arn: string, wake: number): () => void {
    return this.clock.at(wake, () => {
      this.load(arn).catch((err) => this.log(`could not resume ${arn}`, err))
    })
  }

  /** Resumes an unloaded execution from the store (once, however many callers need it). */
  private load(arn: string): Promise<void> {
    const pending = this.loading.get(arn)
    if (pending) return pending
    const entry = this.unloaded.get(arn)
    if (!entry) return Promise.resolve()
    this.unloaded.delete(arn)
    entry.cancelWake()
    const p = (async () => {
      // The unloaded threads release their tokens as they unwind (at once: they only rested).
      let timer: NodeJS.Timeout | undefined
      await Promise.race([entry.unwound, new Promise((r) => (timer = setTimeout(r, 2000)))])
      clearTimeout(timer)
      if (!this.closedEngine) await this.resume(arn)
    })().finally(() => this.loading.delete(arn))
    this.loading.set(arn, p)
    return p
  }

  /** Keeps an execution in memory while a token answer is delivered (an unload would lose it); answers the release. */
  private hold(arn: string): () => void {
    this.answering.set(arn, (this.answering.get(arn) ?? 0) + 1)
    let held = true
    return () => {
      if (!held) return
      held = false
      const n = (this.answering.get(arn) ?? 1) - 1
      if (n > 0) this.answering.set(arn, n)
      else this.answering.delete(arn)
    }
  }

  /** The execution in memory, resumed from the store first if it was unloaded; undefined when it is not running here. */
  private async loaded(arn: string): Promise<Run | undefined> {
    if (!this.runs.has(arn) && (this.unloaded.has(arn) || this.loading.has(arn))) await this.load(arn)
    return this.runs.get(arn)
  }

  // ------------------------------------------------------------------ restart

  /** Resumes every RUNNING execution from its last written transition. */
  async resumeAll(): Promise<number> {
    const arns = await this.persistence.listRunning()
    let n = 0
    for (const arn of arns) {
      if (this.runs.has(arn) || this.unloaded.has(arn) || this.loading.has(arn)) continue
      try {
        await this.resume(arn)
        n++
      } catch (err) {
        this.log(`could not resume ${arn}`, err)
      }
    }
    this.resumed = n
    return n
  }

  /** An execution as its chunks left it: a run with its threads and variables. */
  private async fold(meta: ExecutionMeta) {
    const def = await this.stateMachines.definitionOf(meta.stateMachineArn, meta.revision)
    const run = this.newRun(
      targetOfMeta(meta),
      def,
      meta.executionArn,
      meta.name,
      { text: meta.input, value: JSON.parse(meta.input) },
      meta.startMs,
      true,
    )
    const chunks = await this.persistence.readChunks(meta.executionArn)
    for (const c of chunks) applyChunk(run, c)
    return { run, chunks }
  }

  private async resume(arn: string) {
    const meta = await this.persistence.getExecution(arn)
    if (meta?.status !== 'RUNNING') return
    const { run, chunks } = await this.fold(meta)
    const last = chunks.at(-1)?.e.at(-1)
    if (last && /^Execution(Succeeded|Failed|Aborted|TimedOut)$/.test(last.type)) {
      // The final event was written but not the metadata: finish closing.
      const outcome = outcomeOf(last)
      const closed = this.metaOf(
        run,
        outcome,
        outcome.status === 'SUCCEEDED' ? String(detailsOf(last).output) : undefined,
      )
      closed.stopMs = last.timestamp
      await this.persistence.closeExecution(closed, undefined)
      return
    }
    for (const th of run.threads.values()) {
      if (th.phase === 'run') th.phase = 'enter'
      const token = th.task?.token
      if (th.phase !== 'task' || !token) continue
      const w = this.tokens.park(token, arn, th.id, th.state)
      const rec = await this.persistence.getToken(token)
      if (rec?.heartbeat && th.task) th.task.heartbeatAt = rec.heartbeat
      if (rec?.status === 'SUCCEEDED') w.settle({ ok: true, output: JSON.parse(rec.output ?? 'null') })
      else if (rec?.status === 'FAILED')
        w.settle({ ok: false, failure: { error: rec.error, cause: rec.cause } })
      else if (rec?.status === 'TIMED_OUT')
        w.settle({
          ok: false,
          timedOut: true,
          failure: { error: 'States.Timeout', cause: rec.cause, heartbeat: rec.missedHeartbeat },
        })
    }
    this.launch(run, undefined)
  }

  /** Stops timers and forgets running executions (they resume on the next start). */
  async close(): Promise<void> {
    if (this.closedEngine) return
    this.closedEngine = true
    for (const cancel of this.runTimers.values()) cancel()
    for (const timer of this.unloadChecks.values()) clearTimeout(timer)
    this.unloadChecks.clear()
    for (const { cancelWake } of this.unloaded.values()) cancelWake()
    this.unloaded.clear()
    await Promise.allSettled(this.loading.values())
    for (const run of this.runs.values()) {
      run.closed = true
      run.root.abort(new Shutdown())
    }
    this.runs.clear()
  }
}

/** Creates an engine and resumes the executions that were running. */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  const engine = new Engine(options)
  if (options.resume !== false) await engine.resumeAll()
  return engine
}
