import type { StepDeps } from '../../functions/steps/deps.js'
import { createDynamoClient } from '../../functions/store/client.js'
import { createRecords } from '../../functions/store/records.js'

/** What a record store read: calls made and items the store answered. */
export interface ReadCount {
  calls: number
  items: number
}

/**
 * A record store on the stack's table whose SDK client counts what the store answers (items of
 * queries, gets and batch gets; writes answer none), so a test shows a read stays the same size
 * however many records the organisation holds. `count(fn)` answers what `fn` read.
 */
export function countingRecords(deps: Pick<StepDeps, 'config' | 'now'>) {
  const { doc } = createDynamoClient(deps.config)
  const seen: ReadCount = { calls: 0, items: 0 }
  doc.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args)
      const o: Record<string, unknown> = { ...out.output }
      const length = (v: unknown) => (Array.isArray(v) ? v.length : 0)
      const batched =
        typeof o.Responses === 'object' && o.Responses !== null && !Array.isArray(o.Responses)
          ? Object.values(o.Responses).reduce((n: number, r) => n + length(r), 0)
          : 0
      seen.calls++
      seen.items += length(o.Items) + (o.Item ? 1 : 0) + batched
      return out
    },
    { step: 'initialize', name: 'countReads' },
  )
  const records = createRecords({ doc, tableName: deps.config.tableName, now: deps.now })
  async function count<T>(fn: () => Promise<T>): Promise<{ value: T; reads: ReadCount }> {
    const before = { ...seen }
    const value = await fn()
    return { value, reads: { calls: seen.calls - before.calls, items: seen.items - before.items } }
  }
  return { records, count }
}
