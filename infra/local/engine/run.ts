import type { Clock } from '../clock.js'
import { StatesError } from './errors.js'
import { detailsKey } from './history.js'
import { MISSING, type PathScope } from './jsonpath.js'
import type { Block, Chunk, Failure, HistoryEvent, MachineDef, ThreadRec } from './types.js'

/**
 * The in-memory side of one execution: its threads and variables, the events and changes
 * not yet written, and the commit that writes them (one write per transition; commits that
 * arrive while a write is in flight are merged into the next one).
 */

/** Unwinds a thread whose execution (or enclosing Map/Parallel) was stopped. Never caught by Retry/Catch. */
export class Interrupt extends Error {
  constructor(message = 'interrupted') {
    super(message)
    this.name = 'Interrupt'
  }
}

/** The engine is shutting down: threads stop in memory and resume on the next start (tokens stay open). */
export class Shutdown extends Interrupt {
  constructor(message = 'engine closed') {
    super(message)
    this.name = 'Shutdown'
  }
}

/**
 * The execution leaves memory while all its threads rest (see `Run.rest`): its threads stop as
 * on a shutdown and it is resumed from the store when a token, a timer or a stop needs it.
 */
export class Unload extends Shutdown {
  constructor() {
    super('execution unloaded')
    this.name = 'Unload'
  }
}

/** A thread ended in failure (a Fail state, an uncaught task error): its parent decides what follows. */
export class ThreadFailure extends Error {
  readonly failure: Failure
  constructor(failure: Failure) {
    super(`${failure.error ?? ''}: ${failure.cause ?? ''}`)
    this.name = 'ThreadFailure'
    this.failure = failure
  }
}

/** The execution fails at once, whatever Catch says (States.Runtime). */
export class Fatal extends Error {
  readonly failure: Failure
  constructor(failure: Failure) {
    super(`${failure.error ?? ''}: ${failure.cause ?? ''}`)
    this.name = 'Fatal'
    this.failure = failure
  }
}

/**
 * A cancellation scope: aborting it runs every registered cancel (timers, tasks, tokens) and
 * aborts its child scopes (Map iterations, Parallel branches).
 */
export class Scope {
  reason?: Error
  private readonly children = new Set<Scope>()
  private readonly cancels = new Set<(err: Error) => void>()
  constructor(private readonly parent?: Scope) {
    parent?.children.add(this)
    if (parent?.reason) this.reason = parent.reason
  }
  /** Registers a cancel; returns its removal. */
  onCancel(fn: (err: Error) => void): () => void {
    if (this.reason) {
      fn(this.reason)
      return () => {}
    }
    this.cancels.add(fn)
    return () => this.cancels.delete(fn)
  }
  abort(err: Error) {
    if (this.reason) return
    this.reason = err
    for (const c of [...this.cancels]) c(err)
    this.cancels.clear()
    for (const ch of [...this.children]) ch.abort(err)
  }
  detach() {
    this.parent?.children.delete(this)
  }
  guard() {
    if (this.reason) throw this.reason
  }
}

/** A write to the store failed: the execution stays as written and resumes on the next start. */
export class StoreError extends Error {
  constructor(cause: unknown) {
    super(`store write failed: ${(cause as Error)?.message ?? cause}`, { cause })
    this.name = 'StoreError'
  }
}

/** Where a run's writes go. Durable runs write chunks; express runs write nothing. */
export interface RunSink {
  append(run: Run, chunk: Chunk): Promise<void>
}

/** Static facts of a run. */
export interface RunInit {
  executionArn: string
  name: string
  stateMachineArn: string
  stateMachineName: string
  roleArn: string
  def: MachineDef
  input: unknown
  inputJson: string
  startMs: number
  revision: number
  durable: boolean
  recording: boolean
  region: string
  /** Started through a version or alias; redriven (RedriveCount, and the timeout counts from the redrive). */
  versionArn?: string
  aliasArn?: string
  redriveCount?: number
  redriveMs?: number
}

const RESOLVED = Promise.resolve()
const SEP = '\u001f'
const BRANCH = '\u001e'

/** Block path of a Map's processor inside `parent`. */
export const mapBlock = (parent: string, state: string) => (parent ? `${parent}${SEP}${state}` : state)
/** Block path of a Parallel branch inside `parent`. */
export const branchBlock = (parent: string, state: string, i: number) =>
  mapBlock(parent, `${state}${BRANCH}${i}`)
/** Parent thread id of a child thread id. */
export const parentId = (id: string) => {
  const i = id.lastIndexOf('/')
  return i < 0 ? undefined : id.slice(0, i)
}

export const MAX_EVENTS = 25_000
export const MAX_PAYLOAD = 262_144

/** What a state adds to the context object: its task token, the Map item, RetryCount. */
export interface ContextExtra {
  token?: string
  item?: { Index: number; Value: unknown }
  task?: boolean
}

/** A JSONPath scope of a thread (a class, not closures: this is on every state's path). */
class ThreadScope implements PathScope {
  constructor(
    private readonly run: Run,
    private readonly th: ThreadRec,
    readonly input: unknown,
    private readonly extra: ContextExtra | undefined,
  ) {}
  context() {
    return this.run.context(this.th, this.extra)
  }
  variable(name: string) {
    return this.run.variable(this.th, name)
  }
}

/** One execution in memory. */
export class Run {
  readonly init: RunInit
  readonly clock: Clock
  readonly threads = new Map<string, ThreadRec>()
  readonly vars = new Map<string, Record<string, unknown>>()
  readonly root = new Scope()
  /** Last event id. */
  eventId = 0
  /** Next chunk number. */
  chunkNo = 0
  closed = false
  /** The final Execution* event is written: threads still unwinding add no more events. */
  sealed = false
  /** Settles when the root thread has returned or unwound. */
  unwound?: Promise<undefined>
  /** Promises that must settle before the execution's final write (token closes). */
  readonly closing: Promise<unknown>[] = []
  /** Threads resting: waiting for a task token or for the clock (Wait, Retry), nothing else. */
  readonly resting = new Set<string>()
  /** Called when a thread starts resting (the engine may unload an execution whose threads all rest). */
  onRest?: (run: Run) => void
  private pendingEvents: HistoryEvent[] = []
  private dirty = new Map<string, ThreadRec | null>()
  private pendingVars: Record<string, Record<string, unknown>> | undefined
  private flushing: Promise<void> | undefined
  private nextFlush: Promise<void> | undefined
  private blocks = new Map<string, Block>()
  private readonly sink: RunSink
  private contextBase: Record<string, unknown> | undefined
  private totalVarBytes = 0
  /** Size of each variable (`<thread id>\u0000<name>`), so a reassignment replaces its size. */
  private readonly varSizes = new Map<string, number>()

  constructor(init: RunInit, clock: Clock, sink: RunSink) {
    this.init = init
    this.clock = clock
    this.sink = sink
    this.blocks.set('', init.def)
  }

  get arn() {
    return this.init.executionArn
  }

  /** The block (machine, branch or Map processor) a thread runs. */
  block(path: string): Block {
    let b = this.blocks.get(path)
    if (b) return b
    let cur: Block = this.init.def
    for (const seg of path.split(SEP)) {
      const bi = seg.lastIndexOf(BRANCH)
      if (bi >= 0) {
        const st = cur.States[seg.slice(0, bi)]
        cur = st.Branches[Number(seg.slice(bi + 1))]
      } else {
        const st = cur.States[seg]
        cur = st.ItemProcessor ?? st.Iterator
      }
      if (!cur) throw new StatesError('States.Runtime', `No block at ${path}`)
    }
    b = cur
    this.blocks.set(path, b)
    return b
  }

  /** Appends an event (ids are global, previousEventId follows the thread). Returns its id. */
  emit(th: ThreadRec | undefined, type: string, details?: Record<string, unknown>): number {
    if (th?.quiet) return th.last
    const id = ++this.eventId
    if (this.init.recording) {
      const ev: HistoryEvent = {
        id,
        previousEventId: th ? th.last : id - 1,
        timestamp: this.clock.nowMs(),
        type,
      }
      if (details) ev[detailsKey(type)] = details
      this.pendingEvents.push(ev)
      if (id > MAX_EVENTS) {
        throw new Fatal({
          error: 'States.Runtime',
          cause: `The execution reached the maximum number of history events (${MAX_EVENTS}).`,
        })
      }
    }
    if (th) th.last = id
    return id
  }

  /**
   * Appends an event that does not become its thread's source: the next event of the thread
   * points to the same previous event (AWS: `MapStateSucceeded`, `ParallelStateSucceeded`,
   * `MapIterationSucceeded` are not the previous event of what follows them).
   */
  emitAside(th: ThreadRec, type: string, details?: Record<string, unknown>): number {
    const last = th.last
    const id = this.emit(th, type, details)
    th.last = last
    return id
  }

  /** Marks a thread record as changed (written with the next commit); null removes it. */
  touch(th: ThreadRec) {
    this.dirty.set(th.id, th)
  }
  drop(id: string) {
    this.threads.delete(id)
    for (const name of Object.keys(this.vars.get(id) ?? {})) {
      const key = `${id}\u0000${name}`
      this.totalVarBytes -= this.varSizes.get(key) ?? 0
      this.varSizes.delete(key)
    }
    this.vars.delete(id)
    this.dirty.set(id, null)
  }

  /** Removes every descendant thread of a thread (its Map iterations, Parallel branches and theirs). */
  dropDescendants(id: string) {
    const prefix = `${id}/`
    for (const key of [...this.threads.keys()]) if (key.startsWith(prefix)) this.drop(key)
  }

  /** Assigns variables in a thread's scope (after the state's own evaluation). */
  assign(th: ThreadRec, values: Record<string, unknown>, sizes: Record<string, number>) {
    let scope = this.vars.get(th.id)
    if (!scope) {
      scope = {}
      this.vars.set(th.id, scope)
    }
    for (const [k, v] of Object.entries(values)) {
      const key = `${th.id}\u0000${k}`
      const size = sizes[k] ?? 0
      this.totalVarBytes += size - (this.varSizes.get(key) ?? 0)
      this.varSizes.set(key, size)
      scope[k] = v
    }
    if (this.totalVarBytes > 10 * 1024 * 1024) {
      throw new StatesError(
        'States.DataLimitExceeded',
        'The total size of the variables exceeds the limit of 10 MiB.',
      )
    }
    if (this.init.durable) {
      this.pendingVars ??= {}
      this.pendingVars[th.id] = { ...(this.pendingVars[th.id] ?? {}), ...values }
    }
  }

  /** A variable visible from a thread (its own scope, then the enclosing ones), or MISSING. */
  variable(th: ThreadRec, name: string): unknown {
    let id: string | undefined = th.id
    while (id !== undefined) {
      const scope = this.vars.get(id)
      if (scope && Object.hasOwn(scope, name)) return scope[name]
      id = parentId(id)
    }
    return MISSING
  }

  /** All variables visible from a thread, for JSONata bindings. */
  visibleVars(th: ThreadRec): Record<string, unknown> {
    const chain: Record<string, unknown>[] = []
    let id: string | undefined = th.id
    while (id !== undefined) {
      const scope = this.vars.get(id)
      if (scope) chain.push(scope)
      id = parentId(id)
    }
    return Object.assign({}, ...chain.reverse())
  }

  /** The context object (`$$`, `$states.context`) for a thread in its current state. */
  context(
    th: ThreadRec,
    extra?: { token?: string; item?: { Index: number; Value: unknown }; task?: boolean },
  ): Record<string, unknown> {
    this.contextBase ??= {
      Execution: {
        Id: this.init.executionArn,
        Input: this.init.input,
        StartTime: new Date(this.init.startMs).toISOString(),
        Name: this.init.name,
        RoleArn: this.init.roleArn,
        RedriveCount: this.init.redriveCount ?? 0,
      },
      StateMachine: { Id: this.init.stateMachineArn, Name: this.init.stateMachineName },
    }
    const state: Record<string, unknown> = {
      Name: th.state,
      EnteredTime: new Date(th.enteredAt).toISOString(),
    }
    if (extra?.task) state.RetryCount = (th.retries ?? []).reduce((a, b) => a + b, 0)
    const ctx: Record<string, unknown> = { ...this.contextBase, State: state }
    if (extra?.token) ctx.Task = { Token: extra.token }
    if (extra?.item) ctx.Map = { Item: extra.item }
    return ctx
  }

  /** A JSONPath scope for a thread: `$` is `input`, `$$` the context, `$x` a variable. */
  scope(th: ThreadRec, input: unknown, extra?: ContextExtra): PathScope {
    return new ThreadScope(this, th, input, extra)
  }

  /** Sleeps until `due` on the clock; aborted scopes reject. */
  sleep(scope: Scope, due: number): Promise<void> {
    if (due <= this.clock.nowMs()) return scope.reason ? Promise.reject(scope.reason) : RESOLVED
    return new Promise((resolve, reject) => {
      let cancelTimer: () => void = () => {}
      const off = scope.onCancel((err) => {
        cancelTimer()
        reject(err)
      })
      cancelTimer = this.clock.at(due, () => {
        off()
        resolve()
      })
    })
  }

  /**
   * Awaits `p` with the thread counted as resting: it waits for a task token or for the clock,
   * and all it needs to go on is written (its thread record, its token, its due time).
   */
  async rest<T>(th: ThreadRec, p: Promise<T>): Promise<T> {
    this.resting.add(th.id)
    this.onRest?.(this)
    try {
      return await p
    } finally {
      this.resting.delete(th.id)
    }
  }

  /** Nothing is waiting to be written and no write is in flight. */
  get written(): boolean {
    return (
      !this.flushing &&
      !this.nextFlush &&
      this.pendingEvents.length === 0 &&
      this.dirty.size === 0 &&
      !this.pendingVars
    )
  }

  /** Takes what is pending as a chunk (undefined when nothing is). */
  takeChunk(): Chunk | undefined {
    if (!this.pendingEvents.length && !this.dirty.size && !this.pendingVars) return undefined
    const chunk: Chunk = { n: this.chunkNo++, e: this.pendingEvents }
    if (this.dirty.size) chunk.t = Object.fromEntries(this.dirty)
    if (this.pendingVars) chunk.v = this.pendingVars
    this.pendingEvents = []
    this.dirty = new Map()
    this.pendingVars = undefined
    return chunk
  }

  /** Resolves once everything emitted so far is written (no-op for express runs). */
  commit(): Promise<void> {
    if (!this.init.durable) {
      this.pendingEvents.length = 0
      this.dirty.clear()
      return RESOLVED
    }
    if (this.closed) return Promise.reject(new Interrupt('execution closed'))
    if (this.flushing) {
      this.nextFlush ??= this.flushing.then(() => {
        this.nextFlush = undefined
        return this.flushNow()
      })
      return this.nextFlush
    }
    return this.flushNow()
  }

  private flushNow(): Promise<void> {
    const chunk = this.takeChunk()
    if (!chunk) return RESOLVED
    const p = this.sink
      .append(this, chunk)
      .catch((err) => {
        throw new StoreError(err)
      })
      .finally(() => {
        if (this.flushing === p) this.flushing = undefined
      })
    this.flushing = p
    return p
  }

  /** Waits for the write in flight (before the final write of the execution). */
  async drain(): Promise<void> {
    // Only the waiting is done here: a failed write rejects the commit that made it, which
    // its thread awaits and reports (`StoreError`).
    while (this.flushing || this.nextFlush) await (this.nextFlush ?? this.flushing)?.catch(() => {})
  }
}
