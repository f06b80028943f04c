import {
  type AttributeValue,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
  ScanCommand,
  type ScanCommandInput,
  type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readPagesDirectly } from '../../../infra/local/dynamo-query.js'
import { embeddedStore } from '../../support/store.js'

/**
 * The embedded store reads Query and Scan pages straight from its level iterator
 * (infra/local/dynamo-query.ts) instead of dynalite's stream chain: every page of every
 * request here, followed to its last page, must equal the one dynalite's own path answers.
 */
/** A page's key (`LastEvaluatedKey`, `ExclusiveStartKey`). */
type Key = Record<string, AttributeValue>
/** A Query's or Scan's answer: what the test compares (`Count`, `Items`, `LastEvaluatedKey`, …). */
type Page = Omit<QueryCommandOutput, 'ConsumedCapacity'> & Pick<ScanCommandOutput, 'ConsumedCapacity'>

describe('embedded store Query and Scan pages', () => {
  const T = 'query-pages'
  let store: Awaited<ReturnType<typeof embeddedStore>>
  let client: DynamoDBClient

  beforeAll(async () => {
    store = await embeddedStore({ transport: 'in-process' })
    client = store.client
    await client.send(
      new CreateTableCommand({
        TableName: T,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'n', AttributeType: 'N' },
          { AttributeName: 'g', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byG',
            KeySchema: [
              { AttributeName: 'g', KeyType: 'HASH' },
              { AttributeName: 'n', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: 'byN',
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'n', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['label'] },
          },
        ],
      }),
    )
    // A table is usable once ACTIVE (dynalite turns it so on a timer): wait as DynamoDB's callers must.
    for (let i = 0; i < 400; i++) {
      const d = await client.send(new DescribeTableCommand({ TableName: T }))
      if (d.Table?.TableStatus === 'ACTIVE') break
      await new Promise((r) => setTimeout(r, 10))
    }
    // Prepare: three partitions of small items (one with a missing index key), one of ~100 KB items (pages cut at 1 MB).
    for (const pk of ['a', 'b', 'c'])
      for (let i = 0; i < 23; i++)
        await client.send(
          new PutItemCommand({
            TableName: T,
            Item: {
              pk: { S: pk },
              sk: { S: `s${String(i).padStart(3, '0')}` },
              n: { N: String((i * 7) % 23) },
              ...(i % 5 === 4 ? {} : { g: { S: i % 2 ? 'odd' : 'even' } }),
              label: { S: `${pk}-${i}` },
              flag: { BOOL: i % 3 === 0 },
              tags: { SS: [`t${i % 4}`, 'all'] },
              nested: { M: { depth: { N: String(i) }, list: { L: [{ S: 'x' }, { N: '1.5' }] } } },
              // Names an object orders before the others (integer-like) and one its prototype has.
              ...(i % 4 === 1 ? { '10': { S: `ten-${i}` }, '2': { N: String(i) } } : {}),
              ...(i % 6 === 2 ? { constructor: { S: 'c' } } : {}),
            },
          }),
        )
    // ~1 KB items: a page of 50 is more than one native read of classic-level's default 16 KB
    for (let i = 0; i < 60; i++)
      await client.send(
        new PutItemCommand({
          TableName: T,
          Item: {
            pk: { S: 'kb' },
            sk: { S: `k${String(i).padStart(3, '0')}` },
            body: { S: 'y'.repeat(1000) },
          },
        }),
      )
    for (let i = 0; i < 25; i++)
      await client.send(
        new PutItemCommand({
          TableName: T,
          Item: {
            pk: { S: 'big' },
            sk: { S: `b${String(i).padStart(3, '0')}` },
            body: { S: 'x'.repeat(100_000) },
          },
        }),
      )
  })
  afterAll(async () => {
    readPagesDirectly(true)
    await store.close()
  })

  /** Every page of a request, its last evaluated key fed back, as the SDK answers them (without metadata). */
  async function pages(send: (start?: Key) => Promise<Page>) {
    const out: Omit<Page, '$metadata'>[] = []
    let start: Key | undefined
    do {
      const { $metadata: _, ...page } = await send(start)
      out.push(page)
      start = page.LastEvaluatedKey
    } while (start && out.length < 100)
    return out
  }

  /** The pages of the direct path and of dynalite's own path. */
  async function both(send: (start?: Key) => Promise<Page>) {
    readPagesDirectly(false)
    const streamed = await pages(send)
    readPagesDirectly(true)
    const direct = await pages(send)
    return { direct, streamed }
  }

  const query = (input: Omit<QueryCommandInput, 'TableName'>) => (start?: Key) =>
    client
      .send(new QueryCommand({ TableName: T, ...input, ...(start ? { ExclusiveStartKey: start } : {}) }))
      .then((out): Page => ({ ...out }))
  const scan = (input: Omit<ScanCommandInput, 'TableName'>) => (start?: Key) =>
    client
      .send(new ScanCommand({ TableName: T, ...input, ...(start ? { ExclusiveStartKey: start } : {}) }))
      .then((out): Page => ({ ...out }))

  const a = { ':p': { S: 'a' } }
  const queries: [string, Omit<QueryCommandInput, 'TableName'>][] = [
    ['a partition', { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: a }],
    [
      'a partition backwards',
      { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: a, ScanIndexForward: false },
    ],
    ...[1, 3, 7, 23, 24].map((Limit): [string, Omit<QueryCommandInput, 'TableName'>] => [
      `pages of ${Limit}`,
      { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: a, Limit },
    ]),
    [
      'pages of 4 backwards',
      { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: a, Limit: 4, ScanIndexForward: false },
    ],
    ...(
      [
        ['sk = :s', { ':s': { S: 's007' } }],
        ['sk < :s', { ':s': { S: 's007' } }],
        ['sk <= :s', { ':s': { S: 's007' } }],
        ['sk > :s', { ':s': { S: 's007' } }],
        ['sk >= :s', { ':s': { S: 's007' } }],
        ['sk BETWEEN :s AND :t', { ':s': { S: 's003' }, ':t': { S: 's017' } }],
        ['begins_with(sk, :s)', { ':s': { S: 's01' } }],
      ] as const
    ).flatMap(([cond, values]): [string, Omit<QueryCommandInput, 'TableName'>][] =>
      [undefined, 2].flatMap((Limit) =>
        [true, false].map((ScanIndexForward): [string, Omit<QueryCommandInput, 'TableName'>] => [
          `${cond} limit ${Limit} forward ${ScanIndexForward}`,
          {
            KeyConditionExpression: `pk = :p AND ${cond}`,
            ExpressionAttributeValues: { ...a, ...values },
            Limit,
            ScanIndexForward,
          },
        ]),
      ),
    ),
    [
      'a filter, pages of 5',
      {
        KeyConditionExpression: 'pk = :p',
        FilterExpression: 'flag = :t AND contains(tags, :tag)',
        ExpressionAttributeValues: { ...a, ':t': { BOOL: true }, ':tag': { S: 't1' } },
        Limit: 5,
      },
    ],
    [
      'a legacy QueryFilter',
      {
        KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'b' }] } },
        QueryFilter: { label: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ S: 'b-1' }] } },
        Limit: 6,
      },
    ],
    [
      'a projection',
      {
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: a,
        ProjectionExpression: 'label, nested.#l[1], #t',
        ExpressionAttributeNames: { '#t': 'tags', '#l': 'list' },
        Limit: 9,
      },
    ],
    [
      'a count',
      { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: a, Select: 'COUNT', Limit: 10 },
    ],
    [
      'consumed capacity by index',
      {
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: a,
        ReturnConsumedCapacity: 'INDEXES',
        Limit: 8,
      },
    ],
    [
      'consumed capacity in total',
      { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: a, ReturnConsumedCapacity: 'TOTAL' },
    ],
    [
      'a global index, pages of 6',
      {
        IndexName: 'byG',
        KeyConditionExpression: 'g = :g AND n > :n',
        ExpressionAttributeValues: { ':g': { S: 'odd' }, ':n': { N: '3' } },
        Limit: 6,
        ReturnConsumedCapacity: 'INDEXES',
      },
    ],
    [
      'a global index backwards',
      {
        IndexName: 'byG',
        KeyConditionExpression: 'g = :g',
        ExpressionAttributeValues: { ':g': { S: 'even' } },
        ScanIndexForward: false,
        Limit: 10,
      },
    ],
    [
      'a local index, pages of 4',
      { IndexName: 'byN', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: a, Limit: 4 },
    ],
    [
      "a local index with the table's attributes",
      {
        IndexName: 'byN',
        KeyConditionExpression: 'pk = :p AND n BETWEEN :lo AND :hi',
        ExpressionAttributeValues: { ...a, ':lo': { N: '2' }, ':hi': { N: '15' } },
        Select: 'ALL_ATTRIBUTES',
        Limit: 3,
      },
    ],
    [
      'items of ~100 KB (pages cut at 1 MB)',
      { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'big' } } },
    ],
    [
      'items of ~100 KB backwards with a limit',
      {
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: 'big' } },
        Limit: 12,
        ScanIndexForward: false,
      },
    ],
    [
      'items of ~1 KB, pages of 50',
      { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'kb' } }, Limit: 50 },
    ],
    [
      'items of ~1 KB backwards, pages of 25 with a filter',
      {
        KeyConditionExpression: 'pk = :p AND sk > :s',
        FilterExpression: 'begins_with(body, :y)',
        ExpressionAttributeValues: { ':p': { S: 'kb' }, ':s': { S: 'k004' }, ':y': { S: 'yy' } },
        Limit: 25,
        ScanIndexForward: false,
      },
    ],
    [
      'an empty partition',
      { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'none' } }, Limit: 3 },
    ],
  ]

  it.each(queries)('Query: %s', async (_name, input) => {
    // Act
    const { direct, streamed } = await both(query(input))
    // Assess
    expect(direct).toEqual(streamed)
    expect(direct.length).toBeGreaterThan(0)
  })

  const scans: [string, Omit<ScanCommandInput, 'TableName'>][] = [
    ['the table (pages cut at 1 MB)', {}],
    ['pages of 10', { Limit: 10 }],
    ['pages of 7 with a filter', { Limit: 7, FilterExpression: 'attribute_exists(g)' }],
    ['a segment of three', { Segment: 1, TotalSegments: 3, Limit: 5 }],
    ['the last segment', { Segment: 2, TotalSegments: 3 }],
    ['a global index', { IndexName: 'byG', Limit: 9, ReturnConsumedCapacity: 'INDEXES' }],
    ['a count', { Select: 'COUNT', Limit: 30 }],
  ]

  it.each(scans)('Scan: %s', async (_name, input) => {
    // Act
    const { direct, streamed } = await both(scan(input))
    // Assess
    expect(direct).toEqual(streamed)
    expect(direct.length).toBeGreaterThan(0)
  })

  /** One request's answer as the store sends it: status, headers but the request id, the body's bytes as text. */
  async function raw(input: Omit<QueryCommandInput, 'TableName'>) {
    const { response } = await store.inProcess.requestHandler.handle({
      method: 'POST',
      protocol: 'http:',
      hostname: 'localhost',
      path: '/',
      query: {},
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.Query' },
      body: JSON.stringify({ TableName: T, ...input }),
    })
    const { 'x-amzn-requestid': _, ...headers } = response.headers
    // `HttpResponse.body` is typed `any`: the store answers bytes.
    return { status: response.statusCode, headers, body: Buffer.from(response.body).toString('utf8') }
  }

  const projections: [string, Omit<QueryCommandInput, 'TableName'>][] = [
    [
      'top-level names (an inbox page)',
      {
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: a,
        ProjectionExpression: '#f0, #f1, #f2, #f3',
        ExpressionAttributeNames: { '#f0': 'sk', '#f1': 'label', '#f2': 'flag', '#f3': 'n' },
        Limit: 9,
      },
    ],
    [
      'top-level names in another order, integer-like, absent and on the prototype',
      {
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: a,
        ProjectionExpression: '#t, label, #ten, g, #two, #c, absent, sk',
        ExpressionAttributeNames: { '#t': 'tags', '#ten': '10', '#two': '2', '#c': 'constructor' },
      },
    ],
    [
      'nested paths (dynalite projects them)',
      {
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: a,
        ProjectionExpression: 'label, nested.#l[1], #t',
        ExpressionAttributeNames: { '#t': 'tags', '#l': 'list' },
        Limit: 9,
      },
    ],
    [
      'legacy AttributesToGet',
      {
        KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] } },
        AttributesToGet: ['label', 'sk', '10', 'nested'],
        Limit: 11,
      },
    ],
  ]

  it.each(projections)('answers the same bytes for a projection: %s', async (_name, input) => {
    // Act
    readPagesDirectly(false)
    const streamed = await raw(input)
    readPagesDirectly(true)
    const direct = await raw(input)
    // Assess
    expect(direct.status, direct.body).toBe(200)
    expect(direct.body).toContain('"Items":[{')
    expect(direct).toEqual(streamed)
  })

  it('answers errors as before (an unknown index, a start key outside the range)', async () => {
    const bad = [
      query({ IndexName: 'nope', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: a }),
      query({
        KeyConditionExpression: 'pk = :p AND sk > :s',
        ExpressionAttributeValues: { ...a, ':s': { S: 's010' } },
        ExclusiveStartKey: { pk: { S: 'a' }, sk: { S: 's002' } },
      }),
    ]
    for (const send of bad) {
      // Act
      readPagesDirectly(false)
      const streamed = await send().catch((e: Error) => `${e.name}: ${e.message}`)
      readPagesDirectly(true)
      const direct = await send().catch((e: Error) => `${e.name}: ${e.message}`)
      // Assess
      expect(typeof direct).toBe('string')
      expect(direct).toEqual(streamed)
    }
  })

  it('reads every page of a partition once, in key order', async () => {
    // Act
    const got = await pages(
      query({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: a, Limit: 5 }),
    )
    // Assess: 23 items over 5 pages, the last page ends the partition
    const keys = got.flatMap((p) => (p.Items ?? []).map((i) => i.sk?.S))
    expect(keys).toEqual(Array.from({ length: 23 }, (_, i) => `s${String(i).padStart(3, '0')}`))
    expect(got.map((p) => p.Count)).toEqual([5, 5, 5, 5, 3])
    expect(got.at(-1)?.LastEvaluatedKey).toBeUndefined()
  })
})
