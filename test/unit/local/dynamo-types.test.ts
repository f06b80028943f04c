import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { checkTypes } from '../../../infra/local/dynamo-types.js'
import { seededRandom } from '../../support/random.js'

/**
 * infra/local/dynamo-types.ts runs dynalite's type checks of a request without their garbage:
 * for every operation's rules and requests of every shape (right and wrong types at every
 * level), it must answer what dynalite's `checkTypes` answers (the checked copy, in the same
 * order; the request left as dynalite leaves it) or fail with the same error.
 */
const require = createRequire(import.meta.url)
type Fields = Parameters<typeof checkTypes>[1]
const dynalite: { checkTypes(data: unknown, types: Fields): unknown } = require('dynalite/validations')

const OPERATIONS = [
  'batchGetItem',
  'batchWriteItem',
  'createTable',
  'deleteItem',
  'deleteTable',
  'describeTable',
  'describeTimeToLive',
  'getItem',
  'listTables',
  'putItem',
  'query',
  'scan',
  'tagResource',
  'untagResource',
  'listTagsOfResource',
  'updateItem',
  'updateTable',
]
const rules = OPERATIONS.map((op): [string, Fields] => [op, require(`dynalite/validations/${op}`).types])

/** A property of a value (a rule object, an error) read by name. */
const field = (v: unknown, name: string): unknown =>
  typeof v === 'object' && v !== null ? Reflect.get(v, name) : undefined

/** Anything JSON holds, of any type: what a wrong value looks like. */
function wrong(r: () => number, depth: number): unknown {
  const pick = Math.floor(r() * 9)
  if (pick === 0) return r() < 0.5
  if (pick === 1) return Math.floor(r() * 100) - 50
  if (pick === 2) return 1.5
  if (pick === 3) return ['x', 'y', 'aGk=', 'true', 'NO', '1', ''][Math.floor(r() * 7)]
  if (pick === 4) return null
  if (pick === 5 && depth < 4) return [wrong(r, depth + 1), 'a']
  if (pick === 6 && depth < 4) return { S: 'x', extra: wrong(r, depth + 1) }
  if (pick === 7) return 'YES'
  return {}
}

/** A value for a type as dynalite's rules give it: mostly right, sometimes wrong, at every level. */
function valueFor(spec: unknown, r: () => number, depth: number): unknown {
  if (r() < 0.08 || depth > 6) return wrong(r, depth)
  const type = typeof spec === 'string' ? spec : String(field(spec, 'type'))
  const children = typeof spec === 'string' ? undefined : field(spec, 'children')
  const name = type.replace(/<.*$/, '')
  switch (name) {
    case 'String':
      return r() < 0.9 ? `s${Math.floor(r() * 100)}` : 7
    case 'Boolean':
      return [true, false, 'true', 'no', '1', 'maybe', 3, 2.5][Math.floor(r() * 8)]
    case 'Integer':
    case 'Long':
    case 'Short':
    case 'Double':
      return [1, 2.7, -3.2, 'x', true, 10][Math.floor(r() * 6)]
    case 'Blob':
      return ['aGk=', 'aGk', 'aGl=', '', 'YWJj', 5][Math.floor(r() * 6)]
    case 'List':
    case 'ParameterizedList':
      return Array.from({ length: Math.floor(r() * 3) }, () => valueFor(children, r, depth + 1))
    case 'Map':
    case 'ParameterizedMap': {
      const out: Record<string, unknown> = {}
      for (let i = Math.floor(r() * 3); i > 0; i--) out[`k${i}`] = valueFor(children, r, depth + 1)
      return out
    }
    case 'AttrStruct':
      return attributeValue(r, depth)
    default: {
      // ValueStruct and FieldStruct: each field, and now and then one dynalite does not know.
      const out: Record<string, unknown> = {}
      const fields: object = typeof children === 'string' ? { type: children } : Object(children)
      for (const [key, child] of Object.entries(fields))
        if (r() < 0.7) out[key] = valueFor(child, r, depth + 1)
      if (r() < 0.2) out.Unknown = 'x'
      if (r() < 0.1) out.Nulled = null
      return out
    }
  }
}

function attributeValue(r: () => number, depth: number): unknown {
  const pick = Math.floor(r() * 12)
  if (pick === 0) return { S: 'x' }
  if (pick === 1) return { N: '12.5' }
  if (pick === 2) return { B: ['aGk=', 'aGk', 5][Math.floor(r() * 3)] }
  if (pick === 3) return { BOOL: ['true', true, 1][Math.floor(r() * 3)] }
  if (pick === 4) return { NULL: true }
  if (pick === 5) return { SS: ['a', 'b'], NS: ['1'] }
  if (pick === 6) return { BS: ['aGk=', 3] }
  if (pick === 7 && depth < 5) return { L: [attributeValue(r, depth + 1), attributeValue(r, depth + 1)] }
  if (pick === 8 && depth < 5) return { M: { a: attributeValue(r, depth + 1), b: { S: 'y' } } }
  if (pick === 9) return { S: 'x', Unknown: 1, N: null }
  if (pick === 10) return [{ S: 'x' }]
  return wrong(r, depth)
}

/** A call's outcome: the checked copy and the request as left (as JSON: order counts), or the error's status, body and message. */
function outcome(check: (data: unknown, types: Fields) => unknown, request: unknown, types: Fields) {
  const data = structuredClone(request)
  try {
    const out = check(data, types)
    return { out: JSON.stringify(out), left: JSON.stringify(data) }
  } catch (err) {
    if (!(err instanceof Error)) return { threw: String(err) }
    return {
      threw: err.message,
      statusCode: field(err, 'statusCode'),
      body: JSON.stringify(field(err, 'body')),
    }
  }
}

describe('the embedded store checks request types as dynalite does', () => {
  it('answers every operation’s generated requests as dynalite’s checkTypes does', () => {
    const r = seededRandom(15)
    let failures = 0
    let checked = 0
    for (let i = 0; i < 400; i++)
      for (const [op, types] of rules) {
        const request = valueFor({ type: 'FieldStruct<Request>', children: types }, r, 0)
        const ours = outcome(checkTypes, request, types)
        const theirs = outcome(dynalite.checkTypes, request, types)
        expect(ours, `${op} ${JSON.stringify(request)}`).toEqual(theirs)
        if ('threw' in theirs) failures++
        else checked++
      }
    // Both outcomes came up often: the requests reached both the checks' errors and their copies.
    expect(failures).toBeGreaterThan(500)
    expect(checked).toBeGreaterThan(500)
  })

  it('answers requests that are no object as dynalite does', () => {
    const types = rules.find(([op]) => op === 'getItem')?.[1] ?? {}
    for (const request of [5, 'text', true, [], [{ TableName: 'x' }], null])
      expect(outcome(checkTypes, request, types), JSON.stringify(request)).toEqual(
        outcome(dynalite.checkTypes, request, types),
      )
  })

  it('answers a list, map or structure given a scalar or the other shape as dynalite does', () => {
    // Each kind of collection (List, ParameterizedList, Map, ParameterizedMap, ValueStruct,
    // FieldStruct) given a scalar, an array where an object belongs and the other way round.
    const cases: [string, unknown][] = [
      ['batchGetItem', { RequestItems: [] }],
      ['batchGetItem', { RequestItems: { t: [] } }],
      ['batchGetItem', { RequestItems: { t: { Keys: [[]] } } }],
      ['batchGetItem', { RequestItems: 5 }],
      ['batchWriteItem', { RequestItems: { t: {} } }],
      ['batchWriteItem', { RequestItems: { t: 'x' } }],
      ['putItem', { Item: [] }],
      ['putItem', { Item: { a: [] } }],
      ['putItem', { Item: { a: { L: {} } } }],
      ['putItem', { Item: { a: { M: 1 } } }],
      ['putItem', { Item: { a: { M: [] } } }],
      ['putItem', { Item: { a: true } }],
      ['query', { ExpressionAttributeValues: [] }],
      ['query', { ExpressionAttributeNames: [] }],
      ['query', { KeyConditions: { a: [] } }],
      ['query', { AttributesToGet: {} }],
      ['query', { AttributesToGet: 'a' }],
    ]
    for (const [op, request] of cases) {
      const types = rules.find(([name]) => name === op)?.[1]
      if (!types) throw new Error(`no rules for ${op}`)
      expect(outcome(checkTypes, request, types), `${op} ${JSON.stringify(request)}`).toEqual(
        outcome(dynalite.checkTypes, request, types),
      )
    }
  })

  it('keeps the attribute value types of an inbox page’s Query', () => {
    const types = rules.find(([op]) => op === 'query')?.[1] ?? {}
    const request = {
      TableName: 'ismsflow',
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': { S: 'ORG#a' },
        ':from': { S: 'TIX#' },
        ':to': { S: 'TIX#\uffff' },
      },
      ExpressionAttributeNames: { '#f0': 'sk' },
      ProjectionExpression: '#f0',
      ExclusiveStartKey: { pk: { S: 'ORG#a' }, sk: { S: 'TIX#1' } },
      Limit: 51,
    }
    // Act
    const ours = outcome(checkTypes, request, types)
    // Assess
    expect(ours).toEqual(outcome(dynalite.checkTypes, request, types))
    expect(JSON.parse(ours.out ?? '{}').ExpressionAttributeValues).toEqual(request.ExpressionAttributeValues)
  })
})
