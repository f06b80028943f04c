import { checkArn, checkMaxResults } from './checks.js'
import type { MapRunRec } from './distributed.js'
import { ApiError } from './errors.js'
import type { Persistence } from './persistence.js'

/**
 * The Map Runs of Distributed Map states as the API shows them: ListMapRuns, DescribeMapRun,
 * UpdateMapRun, over the records the Map state keeps (`maprun`, and `maprunof` per execution).
 */

const toDate = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms))

/** The Map Run operations of an engine. */
export type MapRuns = ReturnType<typeof createMapRuns>

/** Creates the Map Run operations over the engine's persistence. */
export function createMapRuns(o: { persistence: Persistence }) {
  /** ListMapRuns: the Map Runs (Distributed Map states) of an execution, oldest first. */
  async function listMapRuns(input: { executionArn?: unknown; maxResults?: unknown; nextToken?: unknown }) {
    const arn = checkArn(input.executionArn, 'executionArn', ['execution'])
    const meta = await o.persistence.getExecution(arn)
    if (!meta) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`)
    const page = await o.persistence.listRecords<{ mapRunArn: string; startMs: number; stopMs?: number }>(
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
  async function describeMapRun(input: { mapRunArn?: unknown }) {
    const arn = checkArn(input.mapRunArn, 'mapRunArn', ['mapRun'])
    const r = await o.persistence.getRecord<MapRunRec>('maprun', arn)
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
  async function updateMapRun(input: {
    mapRunArn?: unknown
    maxConcurrency?: unknown
    toleratedFailurePercentage?: unknown
    toleratedFailureCount?: unknown
  }) {
    const arn = checkArn(input.mapRunArn, 'mapRunArn', ['mapRun'])
    const r = await o.persistence.getRecord<MapRunRec>('maprun', arn)
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
    await o.persistence.putRecord('maprun', arn, next)
    return {}
  }

  return { listMapRuns, describeMapRun, updateMapRun }
}
