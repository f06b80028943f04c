import { createRequire } from 'node:module'
import type { HttpRequest } from '@smithy/types'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { localCredentials } from '../../../infra/local/credentials.js'
import { type EmbeddedDynamo, startDynamo } from '../../../infra/local/dynamo.js'
import { cacheExpressions, expressionTemplateHits } from '../../../infra/local/dynamo-expressions.js'

/** Whether a value is an object with named members (a request, its attribute values). */
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * The embedded store keeps dynalite's parsed expressions as templates and fills in each
 * request's values (infra/local/dynamo-expressions.ts) instead of parsing every expression of
 * every request. Every request here, sent with dynalite's own parsers and then twice with the
 * kept templates (the second time each shape is answered from a template, with other values
 * than the ones it was kept from), must be answered the same, byte for byte: items, pages,
 * conditions and DynamoDB's error messages.
 */
describe('embedded store expression templates', () => {
  const T = 'expression-cache'
  let store: EmbeddedDynamo

  const request = (op: string, body: unknown): HttpRequest => ({
    method: 'POST',
    protocol: 'http:',
    hostname: 'localhost',
    path: '/',
    query: {},
    headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `DynamoDB_20120810.${op}` },
    body: JSON.stringify(body),
  })

  /** An answer as the SDK gets it, without its random request id. */
  async function answer(op: string, body: unknown) {
    const { response } = await store.inProcess.requestHandler.handle(request(op, body))
    const { 'x-amzn-requestid': _, ...headers } = response.headers
    return { status: response.statusCode, headers, body: Buffer.from(response.body).toString('utf8') }
  }

  beforeAll(async () => {
    store = await startDynamo({ port: 0, credentials: localCredentials() })
    await answer('CreateTable', {
      TableName: T,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    })
    for (let i = 0; i < 400; i++) {
      const { body } = await answer('DescribeTable', { TableName: T })
      if (body.includes('"TableStatus":"ACTIVE"')) break
      await new Promise((r) => setTimeout(r, 10))
    }
    for (const pk of ['a', 'b'])
      for (let i = 0; i < 20; i++)
        await answer('PutItem', {
          TableName: T,
          Item: {
            pk: { S: pk },
            sk: { S: `s${String(i).padStart(3, '0')}` },
            n: { N: String((i * 7) % 20) },
            tags: { SS: [`t${i % 4}`, 'all'] },
            flag: { BOOL: i % 3 === 0 },
            m: { M: { d: { N: String(i) }, l: { L: [{ S: 'x' }, { N: '1.5' }] } } },
          },
        })
  })
  afterAll(async () => {
    cacheExpressions(true)
    await store.close()
  })

  const key = (pk: string, sk: string) => ({ pk: { S: pk }, sk: { S: sk } })
  const S = (s: string) => ({ S: s })
  const N = (n: string) => ({ N: n })
  const between = (p: string, lo: unknown, hi: unknown, more: object = {}) => ({
    TableName: T,
    KeyConditionExpression: 'pk = :p AND sk BETWEEN :lo AND :hi',
    ExpressionAttributeValues: { ':p': S(p), ':lo': lo, ':hi': hi },
    ...more,
  })
  const filtered = (p: string, n: string, tag: string) => ({
    TableName: T,
    KeyConditionExpression: 'pk = :p',
    FilterExpression: 'n > :n AND contains(tags, :t) AND size(tags) >= :two',
    ProjectionExpression: '#m.#d, sk, #m.l[1]',
    ExpressionAttributeNames: { '#m': 'm', '#d': 'd' },
    ExpressionAttributeValues: { ':p': S(p), ':n': N(n), ':t': S(tag), ':two': N('2') },
    Limit: 7,
  })
  const updated = (sk: string, c: string, t: string) => ({
    TableName: T,
    Key: key('b', sk),
    UpdateExpression: 'SET c = :c, #t = :t, l = list_append(:l1, :l2) ADD s :s REMOVE gone DELETE tags :old',
    ConditionExpression: 'attribute_exists(pk) AND sk = :sk',
    ExpressionAttributeNames: { '#t': 'text' },
    ExpressionAttributeValues: {
      ':c': N(c),
      ':t': S(t),
      ':l1': { L: [S(t)] },
      ':l2': { L: [N(c)] },
      ':s': { SS: [t] },
      ':old': { SS: ['t9'] },
      ':sk': S(sk),
    },
    ReturnValues: 'ALL_NEW',
  })

  /** Requests of each shape with several values: the first keeps a template, the others are answered from it. */
  const cases: [op: string, body: unknown][] = [
    ['Query', between('a', S('s003'), S('s010'))],
    ['Query', between('a', S('s005'), S('s019'), { Limit: 4, ScanIndexForward: false })],
    ['Query', between('b', S('s000'), S('s000'))],
    // BETWEEN's bounds the wrong way round: its parser's own error, on a shape with a template
    ['Query', between('a', S('s015'), S('s005'))],
    // bounds of two types: another shape, the parser's error
    ['Query', between('a', S('s001'), N('5'))],
    ['Query', filtered('a', '3', 't1')],
    ['Query', filtered('b', '10', 'all')],
    [
      'Query',
      {
        TableName: T,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
        FilterExpression: 'n IN (:x, :y, :z) OR begins_with(#m.l[0], :p)',
        ExpressionAttributeNames: { '#m': 'm' },
        ExpressionAttributeValues: {
          ':p': S('a'),
          ':s': S('s01'),
          ':x': N('1'),
          ':y': N('8'),
          ':z': N('15'),
        },
      },
    ],
    [
      'Query',
      {
        TableName: T,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
        FilterExpression: 'n IN (:x, :y, :z) OR begins_with(#m.l[0], :p)',
        ExpressionAttributeNames: { '#m': 'm' },
        ExpressionAttributeValues: {
          ':p': S('b'),
          ':s': S('s00'),
          ':x': N('0'),
          ':y': N('7'),
          ':z': N('14'),
        },
      },
    ],
    // begins_with of a number: the parser's type error
    [
      'Query',
      {
        TableName: T,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
        ExpressionAttributeValues: { ':p': S('a'), ':s': N('1') },
      },
    ],
    // a value no expression uses
    [
      'Query',
      {
        TableName: T,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': S('a'), ':unused': S('x') },
      },
    ],
    // a name no expression uses
    [
      'Query',
      {
        TableName: T,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeNames: { '#unused': 'x' },
        ExpressionAttributeValues: { ':p': S('a') },
      },
    ],
    // an undefined name, a reserved word, a syntax error, an undefined value
    [
      'Query',
      { TableName: T, KeyConditionExpression: '#k = :p', ExpressionAttributeValues: { ':p': S('a') } },
    ],
    [
      'Query',
      {
        TableName: T,
        KeyConditionExpression: 'pk = :p',
        FilterExpression: 'size > :p',
        ExpressionAttributeValues: { ':p': S('a') },
      },
    ],
    [
      'Query',
      { TableName: T, KeyConditionExpression: 'pk = = :p', ExpressionAttributeValues: { ':p': S('a') } },
    ],
    [
      'Query',
      { TableName: T, KeyConditionExpression: 'pk = :q', ExpressionAttributeValues: { ':p': S('a') } },
    ],
    // attribute_type reads its value's text: always the parser's
    [
      'Scan',
      {
        TableName: T,
        FilterExpression: 'attribute_type(m, :ty) AND flag = :f',
        ExpressionAttributeValues: { ':ty': S('M'), ':f': { BOOL: true } },
      },
    ],
    [
      'Scan',
      {
        TableName: T,
        FilterExpression: 'attribute_type(m, :ty) AND flag = :f',
        ExpressionAttributeValues: { ':ty': S('X'), ':f': { BOOL: true } },
      },
    ],
    [
      'Scan',
      {
        TableName: T,
        FilterExpression: 'n < :n OR NOT flag = :f',
        ExpressionAttributeValues: { ':n': N('4'), ':f': { BOOL: false } },
      },
    ],
    [
      'Scan',
      {
        TableName: T,
        FilterExpression: 'n < :n OR NOT flag = :f',
        ExpressionAttributeValues: { ':n': N('9'), ':f': { BOOL: true } },
      },
    ],
    ['UpdateItem', updated('s001', '1', 'one')],
    ['UpdateItem', updated('s002', '2', 'two')],
    // the condition fails (another sort key in the condition than in the key)
    [
      'UpdateItem',
      {
        ...updated('s003', '3', 'three'),
        ExpressionAttributeValues: {
          ...updated('s003', '3', 'three').ExpressionAttributeValues,
          ':sk': S('s004'),
        },
      },
    ],
    // an operand of the wrong type, overlapping paths
    [
      'UpdateItem',
      {
        TableName: T,
        Key: key('b', 's005'),
        UpdateExpression: 'SET c = :c + :d',
        ExpressionAttributeValues: { ':c': N('1'), ':d': S('x') },
      },
    ],
    [
      'UpdateItem',
      {
        TableName: T,
        Key: key('b', 's005'),
        UpdateExpression: 'SET m = :c, m.d = :d',
        ExpressionAttributeValues: { ':c': N('1'), ':d': N('2') },
      },
    ],
    [
      'PutItem',
      {
        TableName: T,
        Item: { ...key('a', 's001'), v: N('1') },
        ConditionExpression: 'attribute_not_exists(pk) OR #v < :v',
        ExpressionAttributeNames: { '#v': 'n' },
        ExpressionAttributeValues: { ':v': N('0') },
      },
    ],
    [
      'PutItem',
      {
        TableName: T,
        Item: { ...key('a', 's002'), v: N('1') },
        ConditionExpression: 'attribute_not_exists(pk) OR #v < :v',
        ExpressionAttributeNames: { '#v': 'n' },
        ExpressionAttributeValues: { ':v': N('100') },
      },
    ],
    ['DeleteItem', { TableName: T, Key: key('a', 's003'), ConditionExpression: 'attribute_exists(nope)' }],
    [
      'GetItem',
      {
        TableName: T,
        Key: key('a', 's004'),
        ProjectionExpression: '#m.l[0], n, tags',
        ExpressionAttributeNames: { '#m': 'm' },
      },
    ],
    [
      'GetItem',
      {
        TableName: T,
        Key: key('b', 's006'),
        ProjectionExpression: '#m.l[0], n, tags',
        ExpressionAttributeNames: { '#m': 'm' },
      },
    ],
    // one key a request: dynalite answers a batch's items in the order its reads end
    ...[key('a', 's007'), key('b', 's008')].map((k): [string, unknown] => [
      'BatchGetItem',
      {
        RequestItems: {
          [T]: {
            Keys: [k],
            ProjectionExpression: 'sk, #m.#d',
            ExpressionAttributeNames: { '#m': 'm', '#d': 'd' },
          },
        },
      },
    ]),
  ]

  it('answers every request as dynalite does with its own parsers', async () => {
    // Prepare: the writes done once (they write the same again after), then dynalite's answers
    cacheExpressions(false)
    for (const [op, body] of cases) await answer(op, body)
    const own = []
    for (const [op, body] of cases) own.push(await answer(op, body))
    cacheExpressions(true)
    const hitsBefore = expressionTemplateHits()
    // Act: three times with templates (a shape's template is kept from its second parse; the
    // third pass answers every shape that parses from one)
    const first = []
    for (const [op, body] of cases) first.push(await answer(op, body))
    const second = []
    for (const [op, body] of cases) second.push(await answer(op, body))
    const hitsBeforeThird = expressionTemplateHits()
    const third = []
    for (const [op, body] of cases) third.push(await answer(op, body))
    // Assess
    expect(first).toEqual(own)
    expect(second).toEqual(own)
    expect(third).toEqual(own)
    expect(own.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(16)
    expect(own.filter((a) => a.status === 400).length).toBeGreaterThanOrEqual(14)
    // every answered request parsed at least one expression from a template in the third pass
    expect(expressionTemplateHits() - hitsBeforeThird).toBeGreaterThanOrEqual(
      own.filter((a) => a.status === 200).length,
    )
    expect(hitsBeforeThird).toBeGreaterThan(hitsBefore)
  })

  it("builds the same tree as dynalite's parsers, with the request's own value objects in it", () => {
    const require = createRequire(import.meta.url)
    const validations: { validateExpressions(data: Record<string, unknown>): string | undefined } =
      require('dynalite/validations')
    const values = (data: Record<string, unknown>) =>
      isRecord(data.ExpressionAttributeValues) ? Object.values(data.ExpressionAttributeValues) : []
    /** Every object of a tree that is one of the request's values, by identity. */
    const valuesIn = (node: unknown, found = new Set<unknown>(), seen = new Set<unknown>()) => {
      if (node === null || typeof node !== 'object' || seen.has(node)) return found
      seen.add(node)
      found.add(node)
      for (const v of Object.values(node)) valuesIn(v, found, seen)
      return found
    }
    for (const [, body] of cases) {
      const requests = isRecord(body) && !('RequestItems' in body) ? [body] : []
      for (const req of requests) {
        // Prepare
        const mine = structuredClone(req)
        const theirs = structuredClone(req)
        // Act
        cacheExpressions(false)
        const theirError = validations.validateExpressions(theirs)
        cacheExpressions(true)
        validations.validateExpressions(structuredClone(req)) // a shape seen
        validations.validateExpressions(structuredClone(req)) // keeps a template
        const myError = validations.validateExpressions(mine)
        // Assess: the same error or the same trees (prototypes included), holding this request's values
        expect(myError).toBe(theirError)
        expect(mine).toStrictEqual(theirs)
        const trees = valuesIn([
          mine._keyCondition,
          mine._filter,
          mine._condition,
          mine._updates,
          mine._projection,
        ])
        const expected = valuesIn([
          theirs._keyCondition,
          theirs._filter,
          theirs._condition,
          theirs._updates,
          theirs._projection,
        ])
        const used = values(mine).map((v) => trees.has(v))
        expect(used).toEqual(values(theirs).map((v) => expected.has(v)))
      }
    }
  })
})
