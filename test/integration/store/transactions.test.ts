import {
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb'
import { GetCommand, QueryCommand, TransactGetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { embeddedStore } from '../../support/store.js'

// The same transactions over the signed HTTP endpoint and in-process (the local stack's own clients).
describe.each(['http', 'in-process'] as const)('embedded store transactions (%s)', (transport) => {
  let store: Awaited<ReturnType<typeof embeddedStore>>
  beforeAll(async () => {
    store = await embeddedStore({ transport })
  })
  afterAll(async () => store.close())

  it('cancels the whole transaction when one condition fails, naming the reasons', async () => {
    const T = store.tableName
    await store.client.send(
      new PutItemCommand({ TableName: T, Item: { pk: { S: 'tx' }, sk: { S: 'exists' } } }),
    )
    const err = await store.client
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: T, Item: { pk: { S: 'tx' }, sk: { S: 'new' } } } },
            {
              Put: {
                TableName: T,
                Item: { pk: { S: 'tx' }, sk: { S: 'exists' } },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      )
      .catch((e) => e)
    expect(err.name).toBe('TransactionCanceledException')
    expect(err.CancellationReasons.map((r: { Code: string }) => r.Code)).toEqual([
      'None',
      'ConditionalCheckFailed',
    ])
    const written = await store.doc.send(new GetCommand({ TableName: T, Key: { pk: 'tx', sk: 'new' } }))
    expect(written.Item).toBeUndefined()
  })

  it('answers the stored item of a failed condition that asked for ALL_OLD', async () => {
    const T = store.tableName
    await store.client.send(
      new PutItemCommand({ TableName: T, Item: { pk: { S: 'tx-old' }, sk: { S: 'a' }, n: { N: '7' } } }),
    )
    const put = (sk: string, returnOld: boolean) => ({
      Put: {
        TableName: T,
        Item: { pk: { S: 'tx-old' }, sk: { S: sk } },
        ConditionExpression: 'attribute_not_exists(pk)',
        ...(returnOld ? { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } : {}),
      },
    })
    const asked = await store.client
      .send(new TransactWriteItemsCommand({ TransactItems: [put('a', true)] }))
      .catch((e) => e)
    expect(asked).toBeInstanceOf(TransactionCanceledException)
    expect(asked.CancellationReasons[0]).toMatchObject({
      Code: 'ConditionalCheckFailed',
      Item: { pk: { S: 'tx-old' }, sk: { S: 'a' }, n: { N: '7' } },
    })
    const notAsked = await store.client
      .send(new TransactWriteItemsCommand({ TransactItems: [put('a', false)] }))
      .catch((e) => e)
    expect(notAsked.CancellationReasons[0].Item).toBeUndefined()
  })

  it('applies every write when all conditions hold, and reads them back transactionally', async () => {
    const T = store.tableName
    await store.client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: T, Item: { pk: { S: 'tx2' }, sk: { S: 'a' }, n: { N: '1' } } } },
          {
            Update: {
              TableName: T,
              Key: { pk: { S: 'tx2' }, sk: { S: 'b' } },
              UpdateExpression: 'SET n = :n',
              ExpressionAttributeValues: { ':n': { N: '2' } },
            },
          },
        ],
      }),
    )
    const out = await store.doc.send(
      new TransactGetCommand({
        TransactItems: [
          { Get: { TableName: T, Key: { pk: 'tx2', sk: 'a' } } },
          { Get: { TableName: T, Key: { pk: 'tx2', sk: 'b' } } },
        ],
      }),
    )
    expect(out.Responses?.map((r) => r.Item?.n)).toEqual([1, 2])
  })

  it('refuses two operations on one item', async () => {
    const T = store.tableName
    const item = { pk: { S: 'tx3' }, sk: { S: 'a' } }
    const err = await store.client
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [{ Put: { TableName: T, Item: item } }, { Delete: { TableName: T, Key: item } }],
        }),
      )
      .catch((e) => e)
    expect(err.name).toBe('ValidationException')
  })

  it('lets exactly one of many concurrent versioned updates win', async () => {
    const org = store.records.forOrg('race')
    await org.create('task', 't1', { state: 'open' }, { actor: { userId: 'u' } })
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        org.update('task', 't1', { state: `done-${i}` }, { actor: { userId: `u${i}` }, expectedVersion: 1 }),
      ),
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect((await org.history('task', 't1')).length).toBe(2)
  })

  it('writes nothing when a later item of the transaction fails as it is applied', async () => {
    const T = store.tableName
    await store.client.send(
      new PutItemCommand({ TableName: T, Item: { pk: { S: 'tx-half' }, sk: { S: 'b' }, n: { S: 'text' } } }),
    )
    const err = await store.client
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: T,
                Item: {
                  pk: { S: 'tx-half' },
                  sk: { S: 'a' },
                  gsi1pk: { S: 'tx-half-ix' },
                  gsi1sk: { S: 'a' },
                },
              },
            },
            // No condition fails, but the update cannot be applied (a number added to a string).
            {
              Update: {
                TableName: T,
                Key: { pk: { S: 'tx-half' }, sk: { S: 'b' } },
                UpdateExpression: 'SET n = n + :one',
                ExpressionAttributeValues: { ':one': { N: '1' } },
              },
            },
          ],
        }),
      )
      .catch((e) => e)
    expect(err.name).toBe('ValidationException')
    const first = await store.doc.send(new GetCommand({ TableName: T, Key: { pk: 'tx-half', sk: 'a' } }))
    expect(first.Item).toBeUndefined()
    const indexed = await store.doc.send(
      new QueryCommand({
        TableName: T,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :k',
        ExpressionAttributeValues: { ':k': 'tx-half-ix' },
      }),
    )
    expect(indexed.Items).toEqual([])
  })

  it('writes the items of a transaction and their index entries together', async () => {
    const T = store.tableName
    await store.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: T, Item: { pk: 'tx-ix', sk: 'a', gsi1pk: 'tx-ix-1', gsi1sk: '1' } } },
          { Put: { TableName: T, Item: { pk: 'tx-ix', sk: 'b', gsi1pk: 'tx-ix-1', gsi1sk: '2' } } },
        ],
      }),
    )
    // Moving an item to another index key removes its old entry in the same transaction.
    await store.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: T,
              Key: { pk: 'tx-ix', sk: 'a' },
              UpdateExpression: 'SET gsi1pk = :k',
              ExpressionAttributeValues: { ':k': 'tx-ix-2' },
            },
          },
          { Delete: { TableName: T, Key: { pk: 'tx-ix', sk: 'b' } } },
        ],
      }),
    )
    const byIndex = async (k: string) =>
      (
        await store.doc.send(
          new QueryCommand({
            TableName: T,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :k',
            ExpressionAttributeValues: { ':k': k },
          }),
        )
      ).Items?.map((i) => i.sk)
    expect(await byIndex('tx-ix-1')).toEqual([])
    expect(await byIndex('tx-ix-2')).toEqual(['a'])
    const table = await store.doc.send(
      new QueryCommand({
        TableName: T,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': 'tx-ix' },
        ConsistentRead: true,
      }),
    )
    expect(table.Items?.map((i) => i.sk)).toEqual(['a'])
  })

  it('never shows a read a transaction half applied, while many are written at once', async () => {
    const T = store.tableName
    const pair = (n: number) =>
      new TransactWriteCommand({
        TransactItems: ['a', 'b', 'c'].map((sk) => ({
          Put: { TableName: T, Item: { pk: 'tx-whole', sk, n, gsi1pk: 'tx-whole-ix', gsi1sk: sk } },
        })),
      })
    await store.doc.send(pair(0))
    let writing = true
    const writes = (async () => {
      for (let n = 1; n <= 60; n += 3)
        await Promise.all([n, n + 1, n + 2].map((i) => store.doc.send(pair(i))))
      writing = false
    })()
    const seen: number[][] = []
    const read = async (query: QueryCommand) => {
      while (writing) {
        const out = await store.doc.send(query)
        seen.push((out.Items ?? []).map((i) => i.n))
      }
    }
    await Promise.all([
      read(
        new QueryCommand({
          TableName: T,
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': 'tx-whole' },
          ConsistentRead: true,
        }),
      ),
      read(
        new QueryCommand({
          TableName: T,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :k',
          ExpressionAttributeValues: { ':k': 'tx-whole-ix' },
        }),
      ),
      writes,
    ])
    expect(seen.length).toBeGreaterThan(2)
    // Every read saw three items of one transaction.
    for (const ns of seen) {
      expect(ns).toHaveLength(3)
      expect(new Set(ns).size).toBe(1)
    }
  })
})
