import { createHash, randomUUID } from 'node:crypto'
import { EventEmitter } from 'node:events'
import type { S3Client } from '@aws-sdk/client-s3'
import type { Clock } from '../clock.js'
import { type Activities, createActivities } from './activities.js'
import { checkArn, checkJson, checkMaxResults, checkName, checkString, pageToken } from './checks.js'
import type { MapRunRec } from './distributed.js'
import { ApiError, StatesError } from './errors.js'
import { toWire } from './history.js'
import { runThread, type TaskHost } from './interpreter.js'
import { memoryPersistence, type Persistence } from './persistence.js'
import { createResources, type ResourceOptions, type Resources } from './resources.js'
import {
  Fatal,
  Interrupt,
  MAX_EVENTS,
  Run,
  type RunInit,
  type RunSink,
  Shutdown,
  StoreError,
  ThreadFailure,
} from './run.js'
import { createTags, type Tags } from './tags.js'
import { testState } from './test-state.js'
import { newToken, TokenHub, type TokenOutcome, tokenExecution } from './tokens.js'
import type {
  Chunk,
  ExecutionMeta,
  ExecutionStatus,
  Failure,
  HistoryEvent,
  MachineDef,
  OutboxEntry,
  StateMachineRec,
  StateMachineType,
  ThreadRec,
} from './types.js'
import { definitionProblems, validateDefinition } from './validate.js'
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
}

type Outcome =
  | { status: 'SUCCEEDED'; output: unknown }
  | { status: 'FAILED' | 'ABORTED' | 'TIMED_OUT'; failure: Failure }

const FINAL_EVENT: Record<Exclude<ExecutionStatus, 'RUNNING' | 'PENDING_REDRIVE'>, string> = {
  SUCCEEDED: 'ExecutionSucceeded',
  FAILED: 'ExecutionFailed',
  ABORTED: 'ExecutionAborted',
  TIMED_OUT: 'ExecutionTimedOut',
}

/** A role ARN (the engine does not assume it, but refuses what AWS would). */
function checkRole(value: unknown): string {
  const roleArn = checkString(value, 'roleArn', 256)
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(roleArn))
    throw new ApiError('InvalidArn', `Invalid Arn: '${roleArn}' (roleArn)`)
  return roleArn
}

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
  private readonly runTimers = new Map<string, () => void>()
  private readonly closeWaiters = new Map<string, ((d: Record<string, unknown>) => void)[]>()
  private readonly defs = new Map<string, MachineDef>()
  /** State machines read or written by this process (the engine owns its table). */
  private readonly machines = new Map<string, StateMachineRec>()
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
        return Boolean(parts && !parts.qualifier && (await this.getMachine(arn)))
      },
    })
    const versions = createVersions({
      persistence: this.persistence,
      clock: this.clock,
      machine: (arn, field) => this.machine(arn, field),
      saveMachine: async (rec) => {
        await this.persistence.putStateMachine(rec)
        this.machines.set(rec.stateMachineArn, rec)
      },
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

  // ------------------------------------------------------------------ state machines

  private arnOfMachine(name: string) {
    return `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${name}`
  }

  private parseDefinition(text: unknown): MachineDef {
    const s = checkString(text, 'definition', 1_048_576)
    if (s.length > 350_000)
      throw new ApiError(
        'InvalidDefinition',
        'The definition is larger than the local engine stores (350,000 characters).',
      )
    let def: unknown
    try {
      def = JSON.parse(s)
    } catch (err) {
      throw new ApiError(
        'InvalidDefinition',
        `Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: not valid JSON (${(err as Error).message})'`,
      )
    }
    validateDefinition(def, { isKnownResource: (arn) => this.resources.isKnownResource(arn) })
    return def as MachineDef
  }

  private async machine(arn: unknown, field = 'stateMachineArn'): Promise<StateMachineRec> {
    const a = checkArn(arn, field, ['stateMachine'])
    if (splitMachineArn(a)?.qualifier !== undefined)
      throw new ApiError(
        'ValidationException',
        `Expected a state machine ARN without a version or alias: '${a}' (${field})`,
      )
    const rec = await this.getMachine(a)
    if (!rec) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${a}'`)
    return rec
  }

  private async getMachine(arn: string): Promise<StateMachineRec | undefined> {
    const cached = this.machines.get(arn)
    if (cached) return cached
    const rec = await this.persistence.getStateMachine(arn)
    if (rec) this.machines.set(arn, rec)
    return rec
  }

  private async definitionOf(arn: string, revision: number): Promise<MachineDef> {
    const key = `${arn}#${revision}`
    let def = this.defs.get(key)
    if (!def) {
      const text = await this.persistence.getRevision(arn, revision)
      if (!text) throw new Error(`definition revision ${revision} of ${arn} is missing`)
      def = JSON.parse(text) as MachineDef
      this.defs.set(key, def)
    }
    return def
  }

  /** CreateStateMachine: idempotent for the same name, definition, role and type. */
  async createStateMachine(input: {
    name?: unknown
    definition?: unknown
    roleArn?: unknown
    type?: unknown
    tags?: unknown
    publish?: unknown
    versionDescription?: unknown
  }) {
    const name = checkName(input.name, 'name')
    const type = (input.type ?? 'STANDARD') as StateMachineType
    if (type !== 'STANDARD' && type !== 'EXPRESS')
      throw new ApiError('ValidationException', `Invalid type '${String(input.type)}' (STANDARD or EXPRESS)`)
    const roleArn = checkRole(input.roleArn)
    const definition = checkString(input.definition, 'definition', 1_048_576)
    this.parseDefinition(definition)
    const arn = this.arnOfMachine(name)
    const existing = await this.getMachine(arn)
    if (existing) {
      if (existing.definition === definition && existing.roleArn === roleArn && existing.type === type) {
        const published =
          input.publish === true ? await this.versions.publish({ stateMachineArn: arn }) : undefined
        return {
          stateMachineArn: arn,
          creationDate: new Date(existing.createdMs),
          stateMachineVersionArn: published?.stateMachineVersionArn,
        }
      }
      throw new ApiError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`)
    }
    const rec: StateMachineRec = {
      stateMachineArn: arn,
      name,
      type,
      definition,
      roleArn,
      createdMs: this.clock.nowMs(),
      revision: 1,
      revisionId: randomUUID(),
    }
    await this.persistence.putRevision(arn, 1, definition)
    await this.persistence.putStateMachine(rec)
    this.machines.set(arn, rec)
    if (input.tags !== undefined && input.tags !== null) await this.tags.put(arn, input.tags)
    const published =
      input.publish === true
        ? await this.versions.publish({ stateMachineArn: arn, description: input.versionDescription })
        : undefined
    return {
      stateMachineArn: arn,
      creationDate: new Date(rec.createdMs),
      stateMachineVersionArn: published?.stateMachineVersionArn,
    }
  }

  /** UpdateStateMachine: running executions keep the revision they started with. */
  async updateStateMachine(input: {
    stateMachineArn?: unknown
    definition?: unknown
    roleArn?: unknown
    publish?: unknown
    versionDescription?: unknown
  }) {
    const rec = await this.machine(input.stateMachineArn)
    if (input.definition === undefined && input.roleArn === undefined) {
      throw new ApiError('MissingRequiredParameter', 'Either the definition or the roleArn must be specified')
    }
    const next = { ...rec }
    if (input.definition !== undefined) {
      next.definition = checkString(input.definition, 'definition', 1_048_576)
      this.parseDefinition(next.definition)
    }
    if (input.roleArn !== undefined) next.roleArn = checkRole(input.roleArn)
    next.revision = rec.revision + 1
    next.revisionId = randomUUID()
    next.updatedMs = this.clock.nowMs()
    await this.persistence.putRevision(rec.stateMachineArn, next.revision, next.definition)
    await this.persistence.putStateMachine(next)
    this.machines.set(next.stateMachineArn, next)
    const published =
      input.publish === true
        ? await this.versions.publish({
            stateMachineArn: next.stateMachineArn,
            description: input.versionDescription,
          })
        : undefined
    return {
      updateDate: new Date(next.updatedMs),
      revisionId: next.revisionId,
      stateMachineVersionArn: published?.stateMachineVersionArn,
    }
  }

  /** DescribeStateMachine. */
  async describeStateMachine(input: { stateMachineArn?: unknown }) {
    const asked = checkArn(input.stateMachineArn, 'stateMachineArn', ['stateMachine'])
    const qualifier = splitMachineArn(asked)?.qualifier
    if (qualifier !== undefined) {
      // A version ARN describes that version (an alias ARN is DescribeStateMachineAlias's).
      const v = isVersionQualifier(qualifier) ? await this.versions.version(asked) : undefined
      if (!v) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${asked}'`)
      const sm = await this.machine(v.stateMachineArn)
      return {
        stateMachineArn: v.stateMachineVersionArn,
        name: sm.name,
        status: 'ACTIVE',
        definition: await this.persistence.getRevision(sm.stateMachineArn, v.revision),
        roleArn: v.roleArn,
        type: sm.type,
        creationDate: new Date(v.createdMs),
        revisionId: v.revisionId,
        description: v.description,
        loggingConfiguration: { level: 'OFF', includeExecutionData: false },
        tracingConfiguration: { enabled: false },
      }
    }
    const rec = await this.machine(asked)
    return {
      stateMachineArn: rec.stateMachineArn,
      name: rec.name,
      status: 'ACTIVE',
      definition: rec.definition,
      roleArn: rec.roleArn,
      type: rec.type,
      creationDate: new Date(rec.createdMs),
      revisionId: rec.revisionId,
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    }
  }

  /** ListStateMachines (by name, paged). */
  async listStateMachines(input: { maxResults?: unknown; nextToken?: unknown } = {}) {
    const limit = checkMaxResults(input.maxResults)
    const start = pageToken.decode<number>(input.nextToken) ?? 0
    const all = (await this.persistence.listStateMachines()).sort((a, b) => (a.name < b.name ? -1 : 1))
    const page = all.slice(start, start + limit)
    return {
      stateMachines: page.map((r) => ({
        stateMachineArn: r.stateMachineArn,
        name: r.name,
        type: r.type,
        creationDate: new Date(r.createdMs),
      })),
      nextToken: start + limit < all.length ? pageToken.encode(start + limit) : undefined,
    }
  }

  /** DeleteStateMachine (running executions finish on their revision). */
  async deleteStateMachine(input: { stateMachineArn?: unknown }) {
    const arn = checkArn(input.stateMachineArn, 'stateMachineArn', ['stateMachine'])
    const qualifier = splitMachineArn(arn)?.qualifier
    if (qualifier !== undefined) {
      throw new ApiError(
        'ValidationException',
        `Use DeleteStateMachineVersion or DeleteStateMachineAlias for '${arn}'`,
      )
    }
    await this.persistence.deleteStateMachine(arn)
    this.machines.delete(arn)
    await this.versions.dropAll(arn)
    await this.tags.drop(arn)
    return {}
  }

  // ------------------------------------------------------------------ executions

  /** StartExecution: the same name and input while running returns the same execution. */
  async startExecution(input: { stateMachineArn?: unknown; name?: unknown; input?: unknown }) {
    const { sm, t } = await this.target(input.stateMachineArn)
    const name =
      input.name === undefined || input.name === null ? randomUUID() : checkName(input.name, 'name')
    const payload = checkJson(input.input, 'input', 'InvalidExecutionInput')
    const def = await this.definitionOf(sm.stateMachineArn, t.revision)
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
    const def = await this.definitionOf(sm.stateMachineArn, t.revision)
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
      const sm = await this.machine(asked)
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
    const sm = await this.machine(v.stateMachineArn)
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
    if (durable) this.runs.set(run.arn, run)
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
    const described = this.describeMeta(meta)
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

  private describeMeta(m: ExecutionMeta) {
    return {
      executionArn: m.executionArn,
      stateMachineArn: m.stateMachineArn,
      name: m.name,
      status: m.status,
      startDate: new Date(m.startMs),
      stopDate: toDate(m.stopMs),
      input: m.input,
      inputDetails: { included: true },
      output: m.output,
      outputDetails: m.output === undefined ? undefined : { included: true },
      error: m.error,
      cause: m.cause,
      stateMachineVersionArn: m.versionArn,
      stateMachineAliasArn: m.aliasArn,
      redriveCount: m.redriveCount ?? 0,
      redriveDate: toDate(m.redriveMs),
      ...this.redrivable(m),
    }
  }

  /** Whether RedriveExecution would accept an execution, as DescribeExecution tells it. */
  private redrivable(m: ExecutionMeta): { redriveStatus: string; redriveStatusReason?: string } {
    const no = (reason: string) => ({ redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: reason })
    if (m.status === 'RUNNING') return no('Execution is RUNNING and cannot be redriven')
    if (m.status === 'SUCCEEDED') return no('Execution is SUCCEEDED and cannot be redriven')
    if (this.clock.nowMs() - (m.stopMs ?? m.startMs) > REDRIVE_PERIOD_MS)
      return no('Execution redrivable period exceeded')
    if ((m.events ?? 0) >= MAX_EVENTS) return no('Execution history event limit exceeded')
    return { redriveStatus: 'REDRIVABLE' }
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
    const verdict = this.redrivable(meta)
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

  /** DescribeStateMachineForExecution: the definition (revision) an execution runs. */
  async describeStateMachineForExecution(input: { executionArn?: unknown }) {
    const arn = checkArn(input.executionArn, 'executionArn', ['execution'])
    const meta = await this.persistence.getExecution(arn)
    if (!meta) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`)
    const sm = await this.getMachine(meta.stateMachineArn)
    const definition = (await this.persistence.getRevision(meta.stateMachineArn, meta.revision)) ?? ''
    return {
      stateMachineArn: meta.stateMachineArn,
      name: meta.stateMachineArn.split(':').pop(),
      definition,
      roleArn: meta.roleArn,
      updateDate: new Date(sm?.updatedMs ?? sm?.createdMs ?? meta.startMs),
      revisionId:
        sm && sm.revision === meta.revision
          ? sm.revisionId
          : revisionIdOf(meta.stateMachineArn, meta.revision),
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    }
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

  /** ListMapRuns: the Map Runs (Distributed Map states) of an execution, oldest first. */
  async listMapRuns(input: { executionArn?: unknown; maxResults?: unknown; nextToken?: unknown }) {
    const arn = checkArn(input.executionArn, 'executionArn', ['execution'])
    const meta = await this.persistence.getExecution(arn)
    if (!meta) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`)
    const page = await this.persistence.listRecords<{ mapRunArn: string; startMs: number; stopMs?: number }>(
      'maprunof',
      {
        prefix: `${arn}#`,
        limit: checkMaxResults(input.maxResults),
        cursor: typeof input.nextToken === 'string' ? input.nextToken : undefined,
      },
    )
    return {
      mapRuns: page.items.map((r) => ({
        executionArn: arn,
        mapRunArn: r.mapRunArn,
        stateMachineArn: meta.stateMachineArn,
        startDate: new Date(r.startMs),
        stopDate: toDate(r.stopMs),
      })),
      nextToken: page.cursor,
    }
  }

  /** DescribeMapRun: status, settings and item/execution counts of a Map Run. */
  async describeMapRun(input: { mapRunArn?: unknown }) {
    const arn = checkArn(input.mapRunArn, 'mapRunArn', ['mapRun'])
    const r = await this.persistence.getRecord<MapRunRec>('maprun', arn)
    if (!r) throw new ApiError('ResourceNotFound', `Resource not found: Map Run '${arn}'`)
    const running = r.status === 'RUNNING' ? r.total - r.succeeded - r.failed : 0
    const counts = {
      pending: 0,
      running,
      succeeded: r.succeeded,
      failed: r.failed,
      timedOut: 0,
      aborted: r.status === 'ABORTED' ? r.total - r.succeeded - r.failed : 0,
      total: r.total,
      resultsWritten: r.resultsWritten,
      failuresNotRedrivable: 0,
      pendingRedrive: 0,
    }
    return {
      mapRunArn: r.mapRunArn,
      executionArn: r.executionArn,
      status: r.status,
      startDate: new Date(r.startMs),
      stopDate: toDate(r.stopMs),
      maxConcurrency: r.maxConcurrency,
      toleratedFailurePercentage: r.toleratedFailurePercentage,
      toleratedFailureCount: r.toleratedFailureCount,
      itemCounts: counts,
      executionCounts: counts,
      redriveCount: 0,
    }
  }

  /** UpdateMapRun: kept on the record (the local iterations keep the settings they started with). */
  async updateMapRun(input: {
    mapRunArn?: unknown
    maxConcurrency?: unknown
    toleratedFailurePercentage?: unknown
    toleratedFailureCount?: unknown
  }) {
    const arn = checkArn(input.mapRunArn, 'mapRunArn', ['mapRun'])
    const r = await this.persistence.getRecord<MapRunRec>('maprun', arn)
    if (!r) throw new ApiError('ResourceNotFound', `Resource not found: Map Run '${arn}'`)
    if (
      input.maxConcurrency === undefined &&
      input.toleratedFailurePercentage === undefined &&
      input.toleratedFailureCount === undefined
    )
      throw new ApiError('ValidationException', 'Nothing to update')
    const next = { ...r }
    if (typeof input.maxConcurrency === 'number') next.maxConcurrency = input.maxConcurrency
    if (typeof input.toleratedFailurePercentage === 'number')
      next.toleratedFailurePercentage = input.toleratedFailurePercentage
    if (typeof input.toleratedFailureCount === 'number')
      next.toleratedFailureCount = input.toleratedFailureCount
    await this.persistence.putRecord('maprun', arn, next)
    return {}
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

  /** DescribeExecution. */
  async describeExecution(input: { executionArn?: unknown }) {
    const arn = checkArn(input.executionArn, 'executionArn', ['execution', 'express'])
    const meta = await this.persistence.getExecution(arn)
    if (!meta) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`)
    return this.describeMeta(meta)
  }

  /** Resolves when an execution closes (at once when it is closed), with DescribeExecution's answer. */
  async awaitExecution(executionArn: string): Promise<ReturnType<Engine['describeMeta']>> {
    if (!this.runs.has(executionArn)) return this.describeExecution({ executionArn })
    return new Promise((resolve) => {
      const list = this.closeWaiters.get(executionArn) ?? []
      list.push(resolve as (d: Record<string, unknown>) => void)
      this.closeWaiters.set(executionArn, list)
    })
  }

  /** ListExecutions (newest first, optional status filter, paged). */
  async listExecutions(input: {
    stateMachineArn?: unknown
    statusFilter?: unknown
    maxResults?: unknown
    nextToken?: unknown
  }) {
    const sm = await this.machine(input.stateMachineArn)
    if (sm.type === 'EXPRESS')
      throw new ApiError(
        'StateMachineTypeNotSupported',
        'ListExecutions is not supported by EXPRESS state machines',
      )
    const statuses = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']
    if (
      input.statusFilter !== undefined &&
      input.statusFilter !== null &&
      !statuses.includes(String(input.statusFilter))
    ) {
      throw new ApiError('ValidationException', `Invalid statusFilter '${String(input.statusFilter)}'`)
    }
    const limit = checkMaxResults(input.maxResults)
    const cursor =
      input.nextToken === undefined || input.nextToken === null ? undefined : String(input.nextToken)
    if (cursor !== undefined) pageToken.decode(cursor)
    const page = await this.persistence.listExecutions(sm.stateMachineArn, {
      status: (input.statusFilter ?? undefined) as ExecutionStatus | undefined,
      limit,
      cursor,
    })
    return {
      executions: page.items.map((m) => ({
        executionArn: m.executionArn,
        stateMachineArn: m.stateMachineArn,
        name: m.name,
        status: m.status,
        startDate: new Date(m.startMs),
        stopDate: toDate(m.stopMs),
      })),
      nextToken: page.cursor,
    }
  }

  /** All stored events of an execution in order (event 1 follows from the metadata). */
  async history(executionArn: string): Promise<HistoryEvent[]> {
    const meta = await this.persistence.getExecution(executionArn)
    if (!meta) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`)
    const chunks = await this.persistence.readChunks(executionArn)
    return [startedEvent(meta), ...chunks.flatMap((c) => c.e)]
  }

  /** GetExecutionHistory (paged, optionally newest first). */
  async getExecutionHistory(input: {
    executionArn?: unknown
    maxResults?: unknown
    nextToken?: unknown
    reverseOrder?: unknown
    includeExecutionData?: unknown
  }) {
    const arn = checkArn(input.executionArn, 'executionArn', ['execution'])
    const limit = checkMaxResults(input.maxResults)
    const events = await this.history(arn)
    if (input.reverseOrder === true) events.reverse()
    const start = pageToken.decode<number>(input.nextToken) ?? 0
    const page = events.slice(start, start + limit)
    const include = input.includeExecutionData !== false
    return {
      events: page.map((e) => toWire(e, include)),
      nextToken: start + limit < events.length ? pageToken.encode(start + limit) : undefined,
    }
  }

  /** StopExecution: aborts running tasks and closes waiting tokens. */
  async stopExecution(input: { executionArn?: unknown; error?: unknown; cause?: unknown }) {
    const arn = checkArn(input.executionArn, 'executionArn', ['execution'])
    if (input.error !== undefined && input.error !== null) checkString(input.error, 'error', 256)
    if (input.cause !== undefined && input.cause !== null) checkString(input.cause, 'cause', 32_768)
    const run = this.runs.get(arn)
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

  // ------------------------------------------------------------------ task tokens

  private async tokenWaiter(token: unknown) {
    if (typeof token !== 'string' || token.length === 0 || token.length > 1024) {
      throw new ApiError(
        'ValidationException',
        `1 validation error detected: Value at 'taskToken' failed to satisfy constraint: Member must have length between 1 and 1024`,
      )
    }
    const execArn = tokenExecution(token)
    if (!execArn) throw new ApiError('InvalidToken', 'Invalid Token: the task token is malformed')
    const waiter = this.tokens.get(token)
    if (waiter) return waiter
    throw await this.closedTokenError(token, execArn)
  }

  private async closedTokenError(token: string, execArn: string): Promise<ApiError> {
    const rec = await this.persistence.getToken(token)
    if (rec?.status === 'TIMED_OUT')
      return new ApiError('TaskTimedOut', 'Task Timed Out: the task of this token timed out')
    if (rec?.status)
      return new ApiError('TaskDoesNotExist', 'Task Does Not Exist: the task of this token is closed')
    const exec = await this.persistence.getExecution(execArn)
    if (exec && exec.status !== 'RUNNING')
      return new ApiError('TaskDoesNotExist', 'Task Does Not Exist: the execution of this token is closed')
    return new ApiError('InvalidToken', 'Invalid Token: the task token is unknown')
  }

  private async complete(
    token: unknown,
    status: 'SUCCEEDED' | 'FAILED',
    outcome: TokenOutcome,
    extra: { output?: string; error?: string; cause?: string },
  ) {
    const w = await this.tokenWaiter(token)
    const won = await this.persistence.closeToken({
      token: w.token,
      status,
      executionArn: w.executionArn,
      ...extra,
    })
    if (!won) throw await this.closedTokenError(w.token, w.executionArn)
    w.settle(outcome)
    return {}
  }

  /** SendTaskSuccess: exactly one caller wins (conditional write); the output must be JSON. */
  async sendTaskSuccess(input: { taskToken?: unknown; output?: unknown }) {
    if (typeof input.output !== 'string') throw new ApiError('InvalidOutput', 'output must be a JSON string')
    const out = checkJson(input.output, 'output', 'InvalidOutput')
    return this.complete(input.taskToken, 'SUCCEEDED', { ok: true, output: out.value }, { output: out.text })
  }

  /** SendTaskFailure: its error and cause reach Catch unchanged. */
  async sendTaskFailure(input: { taskToken?: unknown; error?: unknown; cause?: unknown }) {
    const failure: Failure = {}
    if (input.error !== undefined && input.error !== null)
      failure.error = checkString(input.error, 'error', 256)
    if (input.cause !== undefined && input.cause !== null)
      failure.cause = checkString(input.cause, 'cause', 32_768)
    return this.complete(input.taskToken, 'FAILED', { ok: false, failure }, failure)
  }

  /** SendTaskHeartbeat: re-arms the task's HeartbeatSeconds. */
  async sendTaskHeartbeat(input: { taskToken?: unknown }) {
    const w = await this.tokenWaiter(input.taskToken)
    const at = this.clock.nowMs()
    if (!(await this.persistence.heartbeatToken(w.token, w.executionArn, at)))
      throw await this.closedTokenError(w.token, w.executionArn)
    w.onHeartbeat?.(at)
    return {}
  }

  /** Messages sent with events:putEvents and sns:publish, oldest first. */
  listOutbox(): Promise<OutboxEntry[]> {
    return this.persistence.listOutbox()
  }

  /** Number of executions running in this process. */
  get running(): number {
    return this.runs.size
  }

  // ------------------------------------------------------------------ restart

  /** Resumes every RUNNING execution from its last written transition. */
  async resumeAll(): Promise<number> {
    const arns = await this.persistence.listRunning()
    let n = 0
    for (const arn of arns) {
      if (this.runs.has(arn)) continue
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
    const def = await this.definitionOf(meta.stateMachineArn, meta.revision)
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
    for (const run of this.runs.values()) {
      run.closed = true
      run.root.abort(new Shutdown())
    }
    this.runs.clear()
  }
}

/** AWS: executions are redrivable for 14 days after they closed. */
const REDRIVE_PERIOD_MS = 14 * 24 * 3600 * 1000

/** A stable revision id for an older revision (its own id is kept only while it is current). */
function revisionIdOf(arn: string, revision: number): string {
  const h = createHash('sha256').update(`${arn}#${revision}`).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}

/** `CODE: message at /pointer` as a ValidateStateMachineDefinition diagnostic. */
function toDiagnostic(problem: string) {
  const m = /^([A-Z_]+): ([\s\S]*?)(?: at (\/[^,]*))?$/.exec(problem)
  return {
    severity: 'ERROR' as const,
    code: m?.[1] ?? 'SCHEMA_VALIDATION_FAILED',
    message: m?.[2] ?? problem,
    location: m?.[3] ?? '/',
  }
}

function startedEvent(meta: ExecutionMeta): HistoryEvent {
  return {
    id: 1,
    previousEventId: 0,
    timestamp: meta.startMs,
    type: 'ExecutionStarted',
    executionStartedEventDetails: {
      input: meta.input,
      inputDetails: { truncated: false },
      roleArn: meta.roleArn,
    },
  }
}

function applyChunk(run: Run, c: Chunk) {
  for (const e of c.e) if (e.id > run.eventId) run.eventId = e.id
  run.chunkNo = Math.max(run.chunkNo, c.n + 1)
  for (const [id, rec] of Object.entries(c.t ?? {})) {
    if (rec === null) {
      run.threads.delete(id)
      run.vars.delete(id)
    } else run.threads.set(id, rec)
  }
  for (const [id, values] of Object.entries(c.v ?? {}))
    run.vars.set(id, { ...(run.vars.get(id) ?? {}), ...values })
}

const detailsOf = (e: HistoryEvent) =>
  (Object.entries(e).find(([k]) => k.endsWith('EventDetails'))?.[1] ?? {}) as Record<string, unknown>

function outcomeOf(e: HistoryEvent): Outcome {
  const d = detailsOf(e)
  if (e.type === 'ExecutionSucceeded')
    return { status: 'SUCCEEDED', output: JSON.parse(String(d.output ?? 'null')) }
  const status =
    e.type === 'ExecutionFailed' ? 'FAILED' : e.type === 'ExecutionAborted' ? 'ABORTED' : 'TIMED_OUT'
  return { status, failure: { error: d.error as string | undefined, cause: d.cause as string | undefined } }
}

/** What an execution runs: its machine, revision and role, and how it was started or redriven. */
interface Target {
  stateMachineArn: string
  /** The state machine's name. */
  name: string
  roleArn: string
  revision: number
  versionArn?: string
  aliasArn?: string
  redriveCount?: number
  redriveMs?: number
}

/** The target of a stored execution. */
const targetOfMeta = (meta: ExecutionMeta): Target => ({
  stateMachineArn: meta.stateMachineArn,
  name: meta.stateMachineArn.split(':').pop()!,
  roleArn: meta.roleArn,
  revision: meta.revision,
  versionArn: meta.versionArn,
  aliasArn: meta.aliasArn,
  redriveCount: meta.redriveCount,
  redriveMs: meta.redriveMs,
})

/** Creates an engine and resumes the executions that were running. */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  const engine = new Engine(options)
  if (options.resume !== false) await engine.resumeAll()
  return engine
}
