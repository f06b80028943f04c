import type { Clock } from '../clock.js'
import { checkArn, checkMaxResults, pageToken } from './checks.js'
import { ApiError } from './errors.js'
import { describeMeta, revisionIdOf, startedEvent } from './execution-records.js'
import { toWire } from './history.js'
import type { Machines } from './machines.js'
import type { Persistence } from './persistence.js'
import type { ExecutionStatus, HistoryEvent } from './types.js'

/**
 * The read-only execution operations of the API: DescribeExecution, ListExecutions,
 * GetExecutionHistory (and `history`, every stored event), DescribeStateMachineForExecution.
 * They read what the persistence holds; nothing here changes an execution.
 */

const toDate = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms))

/** What the execution queries need from the engine. */
export interface ExecutionQueriesContext {
  persistence: Persistence
  clock: Clock
  stateMachines: Machines
}

/** The execution queries of an engine. */
export type ExecutionQueries = ReturnType<typeof createExecutionQueries>

/** Creates the read-only execution operations. */
export function createExecutionQueries(o: ExecutionQueriesContext) {
  /** DescribeStateMachineForExecution: the definition (revision) an execution runs. */
  async function describeStateMachineForExecution(input: { executionArn?: unknown }) {
    const arn = checkArn(input.executionArn, 'executionArn', ['execution'])
    const meta = await o.persistence.getExecution(arn)
    if (!meta) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`)
    const sm = await o.stateMachines.getMachine(meta.stateMachineArn)
    const definition = (await o.persistence.getRevision(meta.stateMachineArn, meta.revision)) ?? ''
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

  /** DescribeExecution. */
  async function describeExecution(input: { executionArn?: unknown }) {
    const arn = checkArn(input.executionArn, 'executionArn', ['execution', 'express'])
    const meta = await o.persistence.getExecution(arn)
    if (!meta) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`)
    return describeMeta(meta, o.clock.nowMs())
  }

  /** ListExecutions (newest first, optional status filter, paged). */
  async function listExecutions(input: {
    stateMachineArn?: unknown
    statusFilter?: unknown
    maxResults?: unknown
    nextToken?: unknown
  }) {
    const sm = await o.stateMachines.machine(input.stateMachineArn)
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
    const page = await o.persistence.listExecutions(sm.stateMachineArn, {
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
  async function history(executionArn: string): Promise<HistoryEvent[]> {
    const meta = await o.persistence.getExecution(executionArn)
    if (!meta) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`)
    const chunks = await o.persistence.readChunks(executionArn)
    return [startedEvent(meta), ...chunks.flatMap((c) => c.e)]
  }

  /** GetExecutionHistory (paged, optionally newest first). */
  async function getExecutionHistory(input: {
    executionArn?: unknown
    maxResults?: unknown
    nextToken?: unknown
    reverseOrder?: unknown
    includeExecutionData?: unknown
  }) {
    const arn = checkArn(input.executionArn, 'executionArn', ['execution'])
    const limit = checkMaxResults(input.maxResults)
    const events = await history(arn)
    if (input.reverseOrder === true) events.reverse()
    const start = pageToken.decode<number>(input.nextToken) ?? 0
    const page = events.slice(start, start + limit)
    const include = input.includeExecutionData !== false
    return {
      events: page.map((e) => toWire(e, include)),
      nextToken: start + limit < events.length ? pageToken.encode(start + limit) : undefined,
    }
  }

  return { describeExecution, listExecutions, history, getExecutionHistory, describeStateMachineForExecution }
}
