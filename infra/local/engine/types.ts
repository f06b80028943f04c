/**
 * Shapes shared by the engine's modules: Amazon States Language definitions (loosely
 * typed — they are validated on create), history events, and the durable records of an
 * execution (its threads, variables and metadata).
 */

/** Any JSON value. */
export type Json = unknown

/** One state of a definition, as written in ASL. */
export type StateDef = { Type: string; QueryLanguage?: QueryLanguage; [field: string]: any }

export type QueryLanguage = 'JSONPath' | 'JSONata'

/** A block of states: the machine itself, a Parallel branch, a Map's ItemProcessor. */
export interface Block {
  StartAt: string
  States: Record<string, StateDef>
  QueryLanguage?: QueryLanguage
}

/** A whole state machine definition. */
export interface MachineDef extends Block {
  Comment?: string
  Version?: string
  TimeoutSeconds?: number
}

/** A history event as stored: `type` plus the AWS details object under its AWS key. */
export interface HistoryEvent {
  id: number
  previousEventId: number
  /** Epoch milliseconds. */
  timestamp: number
  type: string
  [detailsKey: string]: unknown
}

/** Where a thread is inside its current state; only the mid-state phases are ever persisted mid-state. */
export type Phase = 'enter' | 'run' | 'retry' | 'wait' | 'task' | 'kids' | 'done' | 'failed'

/** A running Task's durable part: enough to re-invoke it or to re-park its token after a restart. */
export interface TaskRec {
  params: Json
  resource: string
  start: number
  token?: string
  submitted?: boolean
  timeoutAt?: number
  heartbeatMs?: number
  /** Last heartbeat (epoch ms), restored from the token record after a restart. */
  heartbeatAt?: number
  /** An activity task a worker has taken (ActivityStarted written): not queued again. */
  started?: boolean
}

/** A Map's or Parallel's durable part: its children are threads `<id>/<visit>.<attempt>.<i>`. */
export interface KidsRec {
  n: number
  attempt: number
  /** Map: the items and the effective input (for ItemSelector); Parallel: the branch input. */
  items?: Json[]
  input?: Json
  conc: number
  tolCount?: number
  tolPct?: number
  /** Distributed Map: its Map Run and when it started. */
  mapRun?: string
  runStart?: number
}

/**
 * One path of execution: the root of an execution, a Parallel branch or a Map iteration.
 * This record is what a restart resumes from.
 */
export interface ThreadRec {
  id: string
  /** Block path: '' for the machine, else `State` (Map) or `State#i` (Parallel branch) segments joined by '/'. */
  blk: string
  state: string
  /** The current state's raw input. */
  input: Json
  phase: Phase
  /** Counts state entries in this thread (unique ids for children and tokens). */
  visit: number
  enteredId: number
  enteredAt: number
  /** Last event id this thread emitted (for previousEventId). */
  last: number
  /** Map iteration index. */
  index?: number
  retries?: number[]
  due?: number
  task?: TaskRec
  kids?: KidsRec
  output?: Json
  failure?: Failure
  /** A Distributed Map's iteration (or inside one): its events are not in the parent's history. */
  quiet?: boolean
}

/** How a thread or execution failed: both parts are optional (a bare Fail state has neither). */
export interface Failure {
  error?: string
  cause?: string
  /** A missed heartbeat (`States.Timeout` that a `States.HeartbeatTimeout` catcher also matches). Never reported. */
  heartbeat?: boolean
}

/** One durable write of an execution: the events and thread/variable changes of one transition. */
export interface Chunk {
  /** Sequence number within the execution (0 = start). */
  n: number
  e: HistoryEvent[]
  /** Thread records written (null = removed). */
  t?: Record<string, ThreadRec | null>
  /** Variables assigned, per thread scope. */
  v?: Record<string, Record<string, Json>>
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE'

/** The metadata of one execution (what DescribeExecution answers). */
export interface ExecutionMeta {
  executionArn: string
  stateMachineArn: string
  name: string
  status: ExecutionStatus
  input: string
  startMs: number
  stopMs?: number
  output?: string
  error?: string
  cause?: string
  /** State machine revision the execution runs. */
  revision: number
  roleArn: string
  /** Started through a version or an alias (DescribeExecution shows them). */
  versionArn?: string
  aliasArn?: string
  /** RedriveExecution: how often, and when last. */
  redriveCount?: number
  redriveMs?: number
  /** The clientToken of the last RedriveExecution (a retried call answers the same redrive). */
  redriveToken?: string
  /** Events written when it closed (the history limit makes an execution not redrivable). */
  events?: number
}

export type StateMachineType = 'STANDARD' | 'EXPRESS'

/** A registered state machine. */
export interface StateMachineRec {
  stateMachineArn: string
  name: string
  type: StateMachineType
  definition: string
  roleArn: string
  createdMs: number
  updatedMs?: number
  revision: number
  /** Revision id (uuid) per AWS's DescribeStateMachine. */
  revisionId: string
  /** Highest version number published so far (numbers are never reused). */
  latestVersion?: number
}

/** A published version of a state machine: an immutable revision. */
export interface VersionRec {
  stateMachineVersionArn: string
  stateMachineArn: string
  version: number
  revision: number
  revisionId: string
  roleArn: string
  description?: string
  createdMs: number
}

/** An alias: a name routing executions to one or two versions by weight. */
export interface AliasRec {
  stateMachineAliasArn: string
  stateMachineArn: string
  name: string
  description?: string
  routingConfiguration: { stateMachineVersionArn: string; weight: number }[]
  createdMs: number
  updatedMs?: number
}

/** An activity (a Task resource that workers poll with GetActivityTask). */
export interface ActivityRec {
  activityArn: string
  name: string
  createdMs: number
}

/** How a token was closed (the token record's status). */
export type TokenStatus = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED'

/** A closed task token (written once, conditionally). */
export interface TokenRec {
  token: string
  status?: TokenStatus
  output?: string
  error?: string
  cause?: string
  executionArn: string
  /** Epoch ms of the last heartbeat. */
  heartbeat?: number
  /** Closed because a heartbeat was missed (TIMED_OUT). */
  missedHeartbeat?: boolean
}

/** A message a workflow sent through `events:putEvents` or `sns:publish`. */
export interface OutboxEntry {
  id: string
  at: number
  /** `events:putEvents` or `sns:publish` (with `.waitForTaskToken` when it waits). */
  resource: string
  params: Json
  executionArn: string
  stateName: string
}
