import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { embeddedStore } from '../../support/store.js'

/** The embedded store keeps table descriptions between requests (infra/local/dynamo.ts); a change of a table is seen at once. */
describe('embedded store table descriptions', () => {
  let store: Awaited<ReturnType<typeof embeddedStore>>
  beforeAll(async () => {
    store = await embeddedStore()
  })
  afterAll(async () => store.close())

  const until = async (ok: () => Promise<boolean>) => {
    for (let i = 0; i < 200 && !(await ok()); i++) await new Promise((r) => setTimeout(r, 25))
  }

  /** Waits until the table is ACTIVE, as DynamoDB's callers must (a table still CREATING answers ResourceNotFound). */
  const active = (T: string) =>
    until(async () =>
      store.client.send(new DescribeTableCommand({ TableName: T })).then(
        (d) => d.Table?.TableStatus === 'ACTIVE',
        () => false,
      ),
    )

  it('a table deleted and created again with another key is used with its new key', async () => {
    const T = 'descriptions-recreated'
    await store.client.send(
      new CreateTableCommand({
        TableName: T,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }],
      }),
    )
    await active(T)
    await store.client.send(new PutItemCommand({ TableName: T, Item: { a: { S: '1' } } }))
    await store.client.send(new DeleteTableCommand({ TableName: T }))
    await until(async () =>
      store.client.send(new DescribeTableCommand({ TableName: T })).then(
        () => false,
        () => true,
      ),
    )
    // Prepare: the same name, another key.
    await store.client.send(
      new CreateTableCommand({
        TableName: T,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'b', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'b', KeyType: 'HASH' }],
      }),
    )
    await active(T)
    // Act
    await store.client.send(new PutItemCommand({ TableName: T, Item: { b: { S: '2' } } }))
    const old = await store.client
      .send(new PutItemCommand({ TableName: T, Item: { a: { S: '3' } } }))
      .catch((e: Error) => e)
    // Assess
    const got = await store.client.send(new GetItemCommand({ TableName: T, Key: { b: { S: '2' } } }))
    expect(got.Item).toEqual({ b: { S: '2' } })
    expect(old).toBeInstanceOf(Error)
  })
})
