import { createHash } from 'node:crypto'
import { MAX_EVENTS, type Run } from './run.js'
import type { Chunk, ExecutionMeta, ExecutionStatus, Failure, HistoryEvent } from './types.js'

/**
 * How an execution is recorded and read back: its outcome and final event, event 1 from its
 * metadata, the fold of its stored chunks on restart, its target (machine, revision, role,
 * version or alias), the redrive period and the ids and diagnostics the API answers with.
 */

/** How an execution ended. */
export type Outcome =
  | { status: 'SUCCEEDED'; output: unknown }
  | { status: 'FAILED' | 'ABORTED' | 'TIMED_OUT'; failure: Failure }

/** The final event of each closed status. */
export const FINAL_EVENT: Record<Exclude<ExecutionStatus, 'RUNNING' | 'PENDING_REDRIVE'>, string> = {
  SUCCEEDED: 'ExecutionSucceeded',
  FAILED: 'ExecutionFailed',
  ABORTED: 'ExecutionAborted',
  TIMED_OUT: 'ExecutionTimedOut',
}

/** AWS: executions are redrivable for 14 days after they closed. */
export const REDRIVE_PERIOD_MS = 14 * 24 * 3600 * 1000

/** A stable revision id for an older revision (its own id is kept only while it is current). */
export function revisionIdOf(arn: string, revision: number): string {
  const h = createHash('sha256').update(`${arn}#${revision}`).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}

/** `CODE: message at /pointer` as a ValidateStateMachineDefinition diagnostic. */
export function toDiagnostic(problem: string) {
  const m = /^([A-Z_]+): ([\s\S]*?)(?: at (\/[^,]*))?$/.exec(problem)
  return {
    severity: 'ERROR' as const,
    code: m?.[1] ?? 'SCHEMA_VALIDATION_FAILED',
    message: m?.[2] ?? problem,
    location: m?.[3] ?? '/',
  }
}

/** Event 1 of an execution, which follows from its metadata (it is not stored as a chunk). */
export function startedEvent(meta: ExecutionMeta): HistoryEvent {
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

/** Folds one stored chunk (events, changed threads, assigned variables) into a run being restored. */
export function applyChunk(run: Run, c: Chunk) {
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

/** The details of an event (its one `…EventDetails` member). */
export const detailsOf = (e: HistoryEvent) =>
  (Object.entries(e).find(([k]) => k.endsWith('EventDetails'))?.[1] ?? {}) as Record<string, unknown>

/** How an execution ended, read back from its final event. */
export function outcomeOf(e: HistoryEvent): Outcome {
  const d = detailsOf(e)
  if (e.type === 'ExecutionSucceeded')
    return { status: 'SUCCEEDED', output: JSON.parse(String(d.output ?? 'null')) }
  const status =
    e.type === 'ExecutionFailed' ? 'FAILED' : e.type === 'ExecutionAborted' ? 'ABORTED' : 'TIMED_OUT'
  return { status, failure: { error: d.error as string | undefined, cause: d.cause as string | undefined } }
}

/** What an execution runs: its machine, revision and role, and how it was started or redriven. */
export interface Target {
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
export const targetOfMeta = (meta: ExecutionMeta): Target => ({
  stateMachineArn: meta.stateMachineArn,
  name: meta.stateMachineArn.split(':').pop()!,
  roleArn: meta.roleArn,
  revision: meta.revision,
  versionArn: meta.versionArn,
  aliasArn: meta.aliasArn,
  redriveCount: meta.redriveCount,
  redriveMs: meta.redriveMs,
})

const toDate = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms))

/** DescribeExecution's answer for a stored execution (`nowMs` decides whether it is still redrivable). */
export function describeMeta(m: ExecutionMeta, nowMs: number) {
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
    ...redrivable(m, nowMs),
  }
}

/** Whether RedriveExecution would accept an execution, as DescribeExecution tells it. */
/** Whether a closed execution may be redriven now, and why not. */
export function redrivable(
  m: ExecutionMeta,
  nowMs: number,
): { redriveStatus: string; redriveStatusReason?: string } {
  const no = (reason: string) => ({ redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: reason })
  if (m.status === 'RUNNING') return no('Execution is RUNNING and cannot be redriven')
  if (m.status === 'SUCCEEDED') return no('Execution is SUCCEEDED and cannot be redriven')
  if (nowMs - (m.stopMs ?? m.startMs) > REDRIVE_PERIOD_MS) return no('Execution redrivable period exceeded')
  if ((m.events ?? 0) >= MAX_EVENTS) return no('Execution history event limit exceeded')
  return { redriveStatus: 'REDRIVABLE' }
}
