import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { batchGetAll, UnprocessedKeysError } from '../../../functions/store/batch-get.js'
import type { Item } from '../../../functions/store/pages.js'
import { embeddedStore } from '../../support/store.js'

/**
 * Batch reads (functions/store/batch-get.ts) against the embedded store: groups of 100 keys,
 * the keys DynamoDB leaves unprocessed asked again after a growing pause, and a read that fails
 * instead of answering fewer items when keys stay unprocessed. The embedded store processes
 * every key, so DynamoDB's throttling is played by a middleware on the real client that moves
 * part of each answer's items back into `UnprocessedKeys`, as DynamoDB does.
 */
describe('batch reads by key', () => {
  let store: Awaited<ReturnType<typeof embeddedStore>>
  const pk = 'BATCHGET#test'
  const key = (n: number) => ({ pk, sk: `ITEM#${String(n).padStart(3, '0')}` })
  const ITEMS = 250
  /** BatchGetItem requests sent, and the keys of each, since the last reset. */
  let requests: number[] = []
  /** How many keys of an answer to hand back unprocessed (`undefined`: none). */
  let leaveUnprocessed: ((answer: number) => number) | undefined

  beforeAll(async () => {
    store = await embeddedStore({ transport: 'in-process' })
    for (let i = 0; i < ITEMS; i += 25)
      await store.doc.send(
        new BatchWriteCommand({
          RequestItems: {
            [store.tableName]: Array.from({ length: Math.min(25, ITEMS - i) }, (_, j) => ({
              PutRequest: { Item: { ...key(i + j), n: i + j, title: `item ${i + j}` } },
            })),
          },
        }),
      )
    store.doc.middlewareStack.add(
      (next) => async (args) => {
        const asked = batchKeys(args.input, store.tableName)
        if (!asked) return next(args)
        requests.push(asked)
        const result = await next(args)
        const keep = leaveUnprocessed?.(requests.length) ?? 0
        const output: unknown = result.output
        if (keep > 0 && isBatchOutput(output)) {
          const items = output.Responses?.[store.tableName] ?? []
          const back = items.splice(0, keep)
          output.UnprocessedKeys = { [store.tableName]: { Keys: back.map((i) => ({ pk: i.pk, sk: i.sk })) } }
        }
        return result
      },
      {
        step: 'initialize',
        name: 'testThrottling',
        priority: 'high',
      },
    )
  })
  afterEach(() => {
    requests = []
    leaveUnprocessed = undefined
  })
  afterAll(async () => {
    store?.doc.middlewareStack.remove('testThrottling')
    await store?.close()
  })

  const read = async (
    keys: Item[],
    opts: { ProjectionExpression?: string; names?: Record<string, string> } = {},
  ) => {
    const found: Item[] = []
    const pauses: number[] = []
    await batchGetAll(
      store.doc,
      {
        TableName: store.tableName,
        keys,
        ...(opts.ProjectionExpression
          ? { ProjectionExpression: opts.ProjectionExpression, ExpressionAttributeNames: opts.names }
          : {}),
      },
      (item) => found.push(item),
      async (ms) => {
        pauses.push(ms)
      },
    )
    return { found, pauses }
  }

  it('reads every existing item in groups of 100 keys and leaves out the keys without one', async () => {
    const keys = [...Array.from({ length: ITEMS }, (_, n) => key(n)), key(900), key(901)]
    const { found, pauses } = await read(keys)
    expect(found).toHaveLength(ITEMS)
    expect(new Set(found.map((i) => i.n))).toEqual(new Set(Array.from({ length: ITEMS }, (_, n) => n)))
    expect(found.find((i) => i.n === 7)).toEqual({ ...key(7), n: 7, title: 'item 7' })
    expect(requests).toEqual([100, 100, 52])
    expect(pauses).toEqual([])
  })

  it('asks again for the keys left unprocessed, after a growing pause, until every item is read', async () => {
    // Each group's first two answers hand back 30 of their items unprocessed.
    leaveUnprocessed = (answer) => ([1, 2, 4, 5].includes(answer) ? 30 : 0)
    const keys = Array.from({ length: 150 }, (_, n) => key(n))
    const { found, pauses } = await read(keys)
    expect(found).toHaveLength(150)
    expect(new Set(found.map((i) => i.n)).size).toBe(150)
    // Group one: 100 keys, then the 30 left, then 30 again; group two: 50, 30, 30.
    expect(requests).toEqual([100, 30, 30, 50, 30, 30])
    expect(pauses).toEqual([25, 50, 25, 50])
  })

  it('fails, naming how many keys stayed unprocessed, instead of answering fewer items', async () => {
    leaveUnprocessed = () => 2
    const keys = Array.from({ length: 10 }, (_, n) => key(n))
    const failed = read(keys)
    await expect(failed).rejects.toBeInstanceOf(UnprocessedKeysError)
    await expect(failed).rejects.toThrow('left 2 key(s) unprocessed after 5 attempts')
    expect(requests).toEqual([10, 2, 2, 2, 2])
  })

  it('reads only the attributes asked for', async () => {
    const { found } = await read([key(3), key(4)], {
      ProjectionExpression: '#s, #t',
      names: { '#s': 'sk', '#t': 'title' },
    })
    expect(found.sort((a, b) => String(a.sk).localeCompare(String(b.sk)))).toEqual([
      { sk: key(3).sk, title: 'item 3' },
      { sk: key(4).sk, title: 'item 4' },
    ])
  })
})

/** The number of keys a BatchGetItem input asks of `table`, or `undefined` for any other command. */
function batchKeys(input: unknown, table: string): number | undefined {
  if (typeof input !== 'object' || input === null || !('RequestItems' in input)) return undefined
  const items: unknown = input.RequestItems
  if (typeof items !== 'object' || items === null || !(table in items)) return undefined
  const request: unknown = Reflect.get(items, table)
  if (typeof request !== 'object' || request === null || !('Keys' in request) || !Array.isArray(request.Keys))
    return undefined
  return request.Keys.length
}

/** A BatchGetItem answer as the document client gives it. */
interface BatchOutput {
  Responses?: Record<string, Item[]>
  UnprocessedKeys?: Record<string, { Keys: Item[] }>
}
const isBatchOutput = (o: unknown): o is BatchOutput =>
  typeof o === 'object' && o !== null && 'Responses' in o
