import {
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb'
import { GetCommand, TransactGetCommand } from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { embeddedStore } from '../../support/store.js'

describe('embedded store transactions', () => {
  let store: Awaited<ReturnType<typeof embeddedStore>>
  beforeAll(async () => {
    store = await embeddedStore()
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
})
