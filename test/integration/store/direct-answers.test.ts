import type { HttpRequest } from '@smithy/types'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { localCredentials } from '../../../infra/local/credentials.js'
import { type EmbeddedDynamo, startDynamo } from '../../../infra/local/dynamo.js'

/**
 * This process's own requests to the embedded store are answered by a call
 * (infra/local/dynamo-direct.ts) instead of dynalite's HTTP request listener. Two stores get the
 * same requests, one answered directly and one through the listener only: every answer must be
 * the same, byte for byte (status, headers, body), but for the random request id.
 */
describe('embedded store direct answers', () => {
  let direct: EmbeddedDynamo
  let listener: EmbeddedDynamo
  beforeAll(async () => {
    direct = await startDynamo({ port: 0, credentials: localCredentials() })
    listener = await startDynamo({ port: 0, credentials: localCredentials(), direct: false })
  })
  afterAll(async () => {
    await direct.close()
    await listener.close()
  })

  const T = 'direct-answers'
  const request = (
    op: string,
    body: unknown,
    over: { method?: string; contentType?: string; target?: string } = {},
  ): HttpRequest => ({
    method: over.method ?? 'POST',
    protocol: 'http:',
    hostname: 'localhost',
    path: '/',
    query: {},
    headers: {
      'Content-Type': over.contentType ?? 'application/x-amz-json-1.0',
      'X-Amz-Target': over.target ?? `DynamoDB_20120810.${op}`,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })

  /** An answer as the SDK gets it, the request id replaced by its shape; a table's timestamps and id blanked where `times`. */
  async function answer(store: EmbeddedDynamo, req: HttpRequest, times: boolean) {
    const { response } = await store.inProcess.requestHandler.handle(req)
    const { 'x-amzn-requestid': id, ...headers } = response.headers
    // The body as the store answered it: bytes (`HttpResponse.body` is typed `any`).
    let body = Buffer.from(response.body).toString('utf8')
    if (times) {
      body = body
        .replace(
          /"(CreationDateTime|LastIncreaseDateTime|LastDecreaseDateTime|LastUpdateToPayPerRequestDateTime)":[0-9.]+/g,
          '"$1":0',
        )
        .replace(/"TableId":"[^"]*"/g, '"TableId":""')
      delete headers['x-amz-crc32']
      delete headers['content-length']
    }
    const idShape = /^[A-Z0-9]{52}$/.test(id) ? 'dynalite' : /^[0-9a-f-]{36}$/.test(id) ? 'uuid' : id
    return { status: response.statusCode, headers, body, idShape }
  }

  /** Sends one request to both stores; their answers must be equal. */
  async function same(
    op: string,
    body: unknown,
    over: Parameters<typeof request>[2] & { times?: boolean } = {},
  ) {
    const a = await answer(direct, request(op, body, over), over.times ?? false)
    const b = await answer(listener, request(op, body, over), over.times ?? false)
    expect(a).toEqual(b)
    return a
  }

  /**
   * Waits until a store says the table is ACTIVE: dynalite turns a created table ACTIVE on a
   * timer of its own, so on a busy machine one store may still say CREATING when the other does not.
   */
  async function whenActive(store: EmbeddedDynamo) {
    for (let i = 0; i < 400; i++) {
      const { body } = await answer(store, request('DescribeTable', { TableName: T }), false)
      if (body.includes('"TableStatus":"ACTIVE"') && !body.includes('"IndexStatus":"CREATING"')) return
      await new Promise((r) => setTimeout(r, 10))
    }
    throw new Error(`table ${T} did not become ACTIVE`)
  }

  const key = (pk: string, sk: string) => ({ pk: { S: pk }, sk: { S: sk } })

  it('answers table, item, batch, query, scan and transaction requests as the listener does', async () => {
    // Prepare
    const created = await same(
      'CreateTable',
      {
        TableName: T,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'g', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byG',
            KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      },
      { times: true },
    )
    expect(created.status).toBe(200)
    await whenActive(direct)
    await whenActive(listener)
    // Act and assess: each request answered alike by both stores
    await same('DescribeTable', { TableName: T }, { times: true })
    await same('ListTables', {})
    const put = await same('PutItem', {
      TableName: T,
      Item: { ...key('a', '1'), g: { S: 'x' }, n: { N: '1.50' }, m: { M: { l: { L: [{ S: 'é✓' }] } } } },
    })
    expect(put.idShape).toBe('dynalite')
    await same('PutItem', {
      TableName: T,
      Item: { ...key('a', '2'), g: { S: 'x' } },
      ReturnValues: 'ALL_OLD',
    })
    const failed = await same('PutItem', {
      TableName: T,
      Item: key('a', '1'),
      ConditionExpression: 'attribute_not_exists(pk)',
    })
    expect(failed.status).toBe(400)
    expect(failed.body).toContain('ConditionalCheckFailedException')
    await same('UpdateItem', {
      TableName: T,
      Key: key('a', '1'),
      UpdateExpression: 'SET t = :t ADD c :one',
      ExpressionAttributeValues: { ':t': { S: 'text' }, ':one': { N: '1' } },
      ReturnValues: 'ALL_NEW',
    })
    await same('GetItem', { TableName: T, Key: key('a', '1'), ConsistentRead: true })
    await same('GetItem', { TableName: T, Key: key('a', 'missing') })
    await same('GetItem', {
      TableName: T,
      Key: key('a', '1'),
      ProjectionExpression: '#m.l[0], n',
      ExpressionAttributeNames: { '#m': 'm' },
    })
    await same('BatchWriteItem', {
      RequestItems: {
        [T]: Array.from({ length: 5 }, (_, i) => ({
          PutRequest: { Item: { ...key('b', String(i)), g: { S: 'y' } } },
        })),
      },
    })
    await same('BatchGetItem', { RequestItems: { [T]: { Keys: [key('b', '3')], ConsistentRead: true } } })
    await same('Query', {
      TableName: T,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'b' } },
      Limit: 3,
    })
    await same('Query', {
      TableName: T,
      IndexName: 'byG',
      KeyConditionExpression: 'g = :g',
      ExpressionAttributeValues: { ':g': { S: 'x' } },
    })
    await same('Scan', { TableName: T, Limit: 4, ReturnConsumedCapacity: 'TOTAL' })
    await same('DeleteItem', { TableName: T, Key: key('a', '2'), ReturnValues: 'ALL_OLD' })
    const written = await same('TransactWriteItems', {
      TransactItems: [
        { Put: { TableName: T, Item: key('c', '1') } },
        {
          Update: {
            TableName: T,
            Key: key('a', '1'),
            UpdateExpression: 'SET t = :t',
            ExpressionAttributeValues: { ':t': { S: 'moved' } },
          },
        },
      ],
    })
    expect(written.idShape).toBe('uuid')
    const cancelled = await same('TransactWriteItems', {
      TransactItems: [
        { Put: { TableName: T, Item: key('c', '2') } },
        {
          ConditionCheck: {
            TableName: T,
            Key: key('c', '1'),
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
      ],
    })
    expect(cancelled.body).toContain('TransactionCanceledException')
    await same('TransactGetItems', {
      TransactItems: [
        { Get: { TableName: T, Key: key('c', '1') } },
        { Get: { TableName: T, Key: key('c', '2') } },
      ],
    })
    await same('Scan', { TableName: T })
  })

  it('answers bad requests as the listener does', async () => {
    const cases: [string, unknown, Parameters<typeof request>[2]?][] = [
      ['GetItem', { Key: key('a', '1') }],
      ['GetItem', { TableName: 'no-such-table', Key: key('a', '1') }],
      ['GetItem', { TableName: T, Key: { pk: { N: '1' }, sk: { S: '1' } } }],
      ['GetItem', { TableName: T, Key: { pk: { S: 1 } } }],
      ['PutItem', { TableName: T, Item: { pk: { S: 'a' } } }],
      [
        'UpdateItem',
        {
          TableName: T,
          Key: key('a', '1'),
          UpdateExpression: 'SET pk = :v',
          ExpressionAttributeValues: { ':v': { S: 'z' } },
        },
      ],
      ['Query', { TableName: T, KeyConditionExpression: 'pk = :p' }],
      [
        'Query',
        {
          TableName: T,
          KeyConditionExpression: 'pk = :p AND',
          ExpressionAttributeValues: { ':p': { S: 'a' } },
        },
      ],
      // Type checks (`dynamo-types.ts` on the direct path, dynalite's own on the listener's).
      [
        'Query',
        { TableName: T, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 5 } } },
      ],
      ['Query', { TableName: T, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': [] } }],
      ['Query', { TableName: T, KeyConditionExpression: 'pk = :p', Limit: 'ten' }],
      ['Query', { TableName: T, KeyConditionExpression: 'pk = :p', ConsistentRead: 'maybe' }],
      ['GetItem', { TableName: T, Key: { pk: { B: 'aGk' }, sk: { S: '1' } } }],
      ['GetItem', { TableName: T, Key: { pk: { L: { S: 'a' } } } }],
      ['BatchGetItem', { RequestItems: [{ Keys: [] }] }],
      ['BatchGetItem', { RequestItems: { [T]: { Keys: { pk: { S: 'a' } } } } }],
      ['PutItem', { TableName: T, Item: { pk: { S: 'a' }, sk: { S: '1' }, n: { NS: ['1', 2] } } }],
      ['GetItem', '5'],
      ['GetItem', '"text"'],
      ['GetItem', '{"TableName":'],
      ['GetItem', ''],
      ['Frobnicate', { TableName: T }],
      ['GetItem', { TableName: T, Key: key('a', '1') }, { target: 'DynamoDB_20120810' }],
      ['GetItem', { TableName: T, Key: key('a', '1') }, { contentType: 'text/plain' }],
      ['TransactWriteItems', '{not json'],
      ['TransactWriteItems', { TransactItems: [] }],
      ['TransactGetItems', { TransactItems: [{ Put: {} }] }],
    ]
    for (const [op, body, over] of cases) {
      // Act and assess
      const a = await same(op, body, over)
      expect(a.status, `${op} ${JSON.stringify(body)}`).not.toBe(200)
    }
  })

  it('answers requests the listener takes (another content type, a health check) as the listener does', async () => {
    // Act
    const json = await same(
      'GetItem',
      { TableName: T, Key: key('a', '1') },
      { contentType: 'application/json' },
    )
    const health = await same('GetItem', {}, { method: 'GET' })
    // Assess
    expect(json.headers['content-type']).toBe('application/json')
    expect(health.body).toContain('healthy')
  })

  it('reads what was written before, under concurrent writes of one item', async () => {
    // Prepare: both stores' reads of single items run on the calling thread (dynamo.ts, syncPointReads)
    for (const store of [direct, listener]) {
      const send = (op: string, body: unknown) => answer(store, request(op, body), false)
      // Act: 40 increments of one counter and 20 creations of one item at once
      const adds = await Promise.all(
        Array.from({ length: 40 }, () =>
          send('UpdateItem', {
            TableName: T,
            Key: key('counter', '1'),
            UpdateExpression: 'ADD c :one',
            ExpressionAttributeValues: { ':one': { N: '1' } },
          }),
        ),
      )
      const creations = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          send('PutItem', {
            TableName: T,
            Item: { ...key('once', '1'), by: { N: String(i) } },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      )
      const counter = await send('GetItem', { TableName: T, Key: key('counter', '1'), ConsistentRead: true })
      // Assess
      expect(adds.every((a) => a.status === 200)).toBe(true)
      expect(JSON.parse(counter.body).Item.c).toEqual({ N: '40' })
      expect(creations.filter((c) => c.status === 200)).toHaveLength(1)
      expect(creations.filter((c) => c.body.includes('ConditionalCheckFailedException'))).toHaveLength(19)
    }
  })
})
