import { GetItemCommand } from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TokenClosedEvent } from '../../../infra/local/engine/engine.js'
import type { LambdaContext } from '../../../infra/local/engine/resources.js'
import { ROLE, type TestEngine, testEngine, until } from './support.js'

/**
 * Task resources and timing on the durable engine: in-process Lambdas (plain ARN and
 * lambda:invoke), Retry with counts, Catch, timeouts and heartbeats, task tokens (exactly
 * once, closed on stop and on failure elsewhere), DynamoDB, nested executions, the outbox,
 * and long Waits skipped with the clock.
 */

class NotReady extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'NotReady'
  }
}

const calls: Record<string, number> = {}
const tokens: Record<string, string> = {}
const aborted: string[] = []
const closed: TokenClosedEvent[] = []
let t: TestEngine

const fn = (name: string) => `arn:aws:lambda:eu-central-1:000000000000:function:${name}`
const json = (v: unknown) => JSON.stringify(v)

beforeAll(async () => {
  t = await testEngine({
    onTokenClosed: (e) => closed.push(e),
    lambdas: {
      'ismsflow-test-double': (e) => ({ value: (e as { value: number }).value * 2 }),
      'ismsflow-test-flaky': (e) => {
        const key = (e as { key: string }).key
        calls[key] = (calls[key] ?? 0) + 1
        if (calls[key] < 3) throw new NotReady(`attempt ${calls[key]}`)
        return { attempts: calls[key] }
      },
      'ismsflow-test-broken': () => {
        throw new TypeError('bad thing')
      },
      'ismsflow-test-slow': (_e: unknown, ctx: LambdaContext) =>
        new Promise((resolve) => {
          const timer = setTimeout(() => resolve('late'), 60_000)
          void ctx
          timer.unref()
        }),
      'ismsflow-test-park': (e) => {
        const { key, token } = e as { key: string; token: string }
        tokens[key] = token
        return null
      },
    },
    integrations: {
      'test:hang': (inv) =>
        new Promise((_, reject) => {
          inv.signal.addEventListener('abort', () => {
            aborted.push(inv.stateName)
            reject(new Error('aborted'))
          })
        }),
    },
  })
})

afterAll(async () => {
  await t.close()
})

let n = 0
async function run(definition: unknown, input: unknown = {}) {
  const name = `tasks-${++n}`
  const { stateMachineArn } = await t.engine.createStateMachine({
    name,
    definition: json(definition),
    roleArn: ROLE,
  })
  const { executionArn } = await t.engine.startExecution({ stateMachineArn, input: json(input) })
  return { executionArn, stateMachineArn }
}

/** Advances the clock in steps until the execution closes. */
async function finish(executionArn: string, stepMs = 1000, max = 200) {
  let done = false
  const p = t.engine.awaitExecution(executionArn).then((d) => {
    done = true
    return d
  })
  for (let i = 0; i < max && !done; i++) await t.clock.advance(stepMs)
  return p
}

const types = async (executionArn: string) => (await t.engine.history(executionArn)).map((e) => e.type)

describe('Lambda tasks', () => {
  it('calls a plain Lambda ARN and lambda:invoke in-process', async () => {
    const { executionArn } = await run(
      {
        StartAt: 'Plain',
        States: {
          Plain: {
            Type: 'Task',
            Resource: fn('ismsflow-test-double'),
            ResultPath: '$.plain',
            Next: 'Invoke',
          },
          Invoke: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'ismsflow-test-double', 'Payload.$': '$.plain' },
            ResultSelector: { 'value.$': '$.Payload.value', 'status.$': '$.StatusCode' },
            End: true,
          },
        },
      },
      { value: 5 },
    )
    const d = await finish(executionArn)
    expect(JSON.parse(d.output!)).toEqual({ value: 20, status: 200 })
  })

  it('retries with counts and backoff, then succeeds', async () => {
    const { executionArn } = await run(
      {
        StartAt: 'Flaky',
        States: {
          Flaky: {
            Type: 'Task',
            Resource: fn('ismsflow-test-flaky'),
            Retry: [{ ErrorEquals: ['NotReady'], IntervalSeconds: 60, BackoffRate: 2, MaxAttempts: 5 }],
            End: true,
          },
        },
      },
      { key: 'retry-ok' },
    )
    await until(() => calls['retry-ok'] === 1)
    // Waiting 60 s for the first retry: nothing happens before the clock moves.
    await new Promise((r) => setTimeout(r, 50))
    expect(calls['retry-ok']).toBe(1)
    const d = await finish(executionArn, 30_000)
    expect(d.status).toBe('SUCCEEDED')
    expect(JSON.parse(d.output!)).toEqual({ attempts: 3 })
    // A plain Lambda ARN writes the LambdaFunction* events (AWS HistoryEventType), not Task*.
    const written = await types(executionArn)
    expect(written.filter((x) => x === 'LambdaFunctionFailed')).toHaveLength(2)
    expect(written.filter((x) => x === 'LambdaFunctionSucceeded')).toHaveLength(1)
    expect(written).not.toContain('TaskScheduled')
  })

  it('reports a thrown error by its type; Catch gets Error and Cause', async () => {
    const { executionArn } = await run({
      StartAt: 'Broken',
      States: {
        Broken: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: fn('ismsflow-test-broken') },
          Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.err', Next: 'Handled' }],
          End: true,
        },
        Handled: { Type: 'Pass', End: true },
      },
    })
    const d = await finish(executionArn)
    const err = JSON.parse(d.output!).err
    expect(err.Error).toBe('TypeError')
    expect(JSON.parse(err.Cause)).toMatchObject({ errorType: 'TypeError', errorMessage: 'bad thing' })
  })

  it('times a task out (States.Timeout) and aborts the call', async () => {
    const { executionArn } = await run({
      StartAt: 'Slow',
      States: {
        Slow: { Type: 'Task', Resource: 'arn:aws:states:::test:hang', TimeoutSeconds: 30, End: true },
      },
    })
    const d = await finish(executionArn, 10_000)
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.Timeout' })
    expect(await types(executionArn)).toContain('TaskTimedOut')
    expect(aborted).toContain('Slow')
  })
})

describe('task tokens', () => {
  const parked = (key: string, extra: Record<string, unknown> = {}) => ({
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
    Parameters: { FunctionName: 'ismsflow-test-park', Payload: { key, 'token.$': '$$.Task.Token' } },
    ...extra,
  })

  it('completes exactly once under concurrent calls', async () => {
    const { executionArn } = await run({ StartAt: 'P', States: { P: { ...parked('race'), End: true } } })
    const token = await until(() => tokens.race)
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) =>
        t.engine.sendTaskSuccess({ taskToken: token, output: json({ winner: i }) }),
      ),
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    for (const r of results.filter((x) => x.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason.code).toBe('TaskDoesNotExist')
    const d = await finish(executionArn)
    expect(JSON.parse(d.output!)).toHaveProperty('winner')
    expect((await types(executionArn)).filter((x) => x === 'TaskSucceeded')).toHaveLength(1)
  })

  it('times out on a missed heartbeat, closes the token and tells the app', async () => {
    const { executionArn } = await run({
      StartAt: 'P',
      States: { P: { ...parked('hb', { HeartbeatSeconds: 60 }), End: true } },
    })
    const token = await until(() => tokens.hb)
    await t.clock.advance(50_000)
    await t.engine.sendTaskHeartbeat({ taskToken: token })
    await t.clock.advance(50_000)
    // The heartbeat re-armed the timer: still running 100 s after the start.
    expect((await t.engine.describeExecution({ executionArn })).status).toBe('RUNNING')
    const d = await finish(executionArn, 20_000)
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.Timeout' })
    expect(await types(executionArn)).toContain('TaskTimedOut')
    expect(closed).toContainEqual({ token, executionArn, stateName: 'P', reason: 'TIMED_OUT' })
    await expect(t.engine.sendTaskSuccess({ taskToken: token, output: '{}' })).rejects.toMatchObject({
      code: 'TaskTimedOut',
    })
  })

  it('StopExecution aborts running tasks and closes waiting tokens', async () => {
    const { executionArn } = await run({
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Hang',
              States: { Hang: { Type: 'Task', Resource: 'arn:aws:states:::test:hang', End: true } },
            },
            { StartAt: 'Wait', States: { Wait: { ...parked('stop'), End: true } } },
          ],
          End: true,
        },
      },
    })
    const token = await until(() => tokens.stop)
    await t.engine.stopExecution({ executionArn, error: 'Cancelled', cause: 'by test' })
    expect((await t.engine.describeExecution({ executionArn })).status).toBe('ABORTED')
    expect(aborted).toContain('Hang')
    expect(closed).toContainEqual({ token, executionArn, stateName: 'Wait', reason: 'ABORTED' })
    await expect(t.engine.sendTaskSuccess({ taskToken: token, output: '{}' })).rejects.toMatchObject({
      code: 'TaskDoesNotExist',
    })
    expect((await types(executionArn)).at(-1)).toBe('ExecutionAborted')
  })

  it('a failing branch closes the token of its sibling', async () => {
    const { executionArn } = await run({
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Late',
              States: {
                Late: { Type: 'Wait', Seconds: 10, Next: 'Boom' },
                Boom: { Type: 'Fail', Error: 'Boom' },
              },
            },
            { StartAt: 'Wait', States: { Wait: { ...parked('sibling'), End: true } } },
          ],
          End: true,
        },
      },
    })
    const token = await until(() => tokens.sibling)
    const d = await finish(executionArn, 5000)
    expect(d).toMatchObject({ status: 'FAILED', error: 'Boom' })
    expect(closed.find((c) => c.token === token)?.reason).toBe('ABORTED')
  })
})

describe('service integrations', () => {
  it('reads and writes DynamoDB', async () => {
    const { ensureEngineTable } = await import('../../../infra/local/engine/dynamo-persistence.js')
    await ensureEngineTable(t.dynamo, 'tasks-ddb')
    const { executionArn } = await run(
      {
        StartAt: 'Put',
        States: {
          Put: {
            Type: 'Task',
            Resource: 'arn:aws:states:::dynamodb:putItem',
            Parameters: { TableName: 'tasks-ddb', Item: { pk: { S: 'a' }, sk: { S: 'b' }, 'v.$': '$.v' } },
            ResultPath: null,
            Next: 'Update',
          },
          Update: {
            Type: 'Task',
            Resource: 'arn:aws:states:::dynamodb:updateItem',
            Parameters: {
              TableName: 'tasks-ddb',
              Key: { pk: { S: 'a' }, sk: { S: 'b' } },
              UpdateExpression: 'SET n = :n',
              ExpressionAttributeValues: { ':n': { N: '7' } },
            },
            ResultPath: null,
            Next: 'Get',
          },
          Get: {
            Type: 'Task',
            Resource: 'arn:aws:states:::dynamodb:getItem',
            Parameters: { TableName: 'tasks-ddb', Key: { pk: { S: 'a' }, sk: { S: 'b' } } },
            ResultSelector: { 'item.$': '$.Item' },
            Next: 'Query',
          },
          Query: {
            Type: 'Task',
            Resource: 'arn:aws:states:::dynamodb:query',
            Parameters: {
              TableName: 'tasks-ddb',
              KeyConditionExpression: 'pk = :p',
              ExpressionAttributeValues: { ':p': { S: 'a' } },
            },
            ResultSelector: { 'count.$': '$.Count' },
            ResultPath: '$.query',
            End: true,
          },
        },
      },
      { v: { S: 'hello' } },
    )
    const d = await finish(executionArn)
    expect(JSON.parse(d.output!)).toEqual({
      item: { pk: { S: 'a' }, sk: { S: 'b' }, v: { S: 'hello' }, n: { N: '7' } },
      query: { count: 1 },
    })
    const stored = await t.dynamo.send(
      new GetItemCommand({ TableName: 'tasks-ddb', Key: { pk: { S: 'a' }, sk: { S: 'b' } } }),
    )
    expect(stored.Item?.n).toEqual({ N: '7' })
  })

  it('maps DynamoDB errors to DynamoDB.<name>', async () => {
    const { executionArn } = await run({
      StartAt: 'Put',
      States: {
        Put: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:putItem',
          Parameters: {
            TableName: 'tasks-ddb',
            Item: { pk: { S: 'a' }, sk: { S: 'b' } },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
          End: true,
        },
      },
    })
    const d = await finish(executionArn)
    expect(d).toMatchObject({ status: 'FAILED', error: 'DynamoDB.ConditionalCheckFailedException' })
  })

  it('starts nested executions: .sync:2 waits for the child, plain does not', async () => {
    const child = await t.engine.createStateMachine({
      name: 'tasks-child',
      definition: json({
        StartAt: 'W',
        States: {
          W: { Type: 'Wait', Seconds: 5, Next: 'P' },
          P: { Type: 'Pass', Parameters: { 'doubled.$': 'States.MathAdd($.x, $.x)' }, End: true },
        },
      }),
      roleArn: ROLE,
    })
    const { executionArn } = await run(
      {
        StartAt: 'Sync',
        States: {
          Sync: {
            Type: 'Task',
            Resource: 'arn:aws:states:::states:startExecution.sync:2',
            Parameters: { StateMachineArn: child.stateMachineArn, 'Input.$': '$' },
            ResultSelector: { 'out.$': '$.Output', 'status.$': '$.Status' },
            ResultPath: '$.sync',
            Next: 'Fire',
          },
          Fire: {
            Type: 'Task',
            Resource: 'arn:aws:states:::states:startExecution',
            Parameters: { StateMachineArn: child.stateMachineArn, Input: { x: 1 } },
            ResultSelector: { 'arn.$': '$.ExecutionArn' },
            ResultPath: '$.fired',
            End: true,
          },
        },
      },
      { x: 21 },
    )
    const d = await finish(executionArn)
    const out = JSON.parse(d.output!)
    expect(out.sync).toEqual({ out: { doubled: 42 }, status: 'SUCCEEDED' })
    expect((await t.engine.describeExecution({ executionArn: out.fired.arn })).status).toBe('RUNNING')
  })

  it('publishes events and SNS messages into the outbox, also waiting for a token', async () => {
    const { executionArn } = await run({
      StartAt: 'Event',
      States: {
        Event: {
          Type: 'Task',
          Resource: 'arn:aws:states:::events:putEvents',
          Parameters: { Entries: [{ Source: 'ismsflow', DetailType: 'test', Detail: { a: 1 } }] },
          ResultPath: '$.event',
          Next: 'Notify',
        },
        Notify: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish.waitForTaskToken',
          Parameters: {
            TopicArn: 'arn:aws:sns:eu-central-1:000000000000:t',
            Message: { 'token.$': '$$.Task.Token' },
          },
          End: true,
        },
      },
    })
    const entry = await until(async () =>
      (await t.engine.listOutbox()).find(
        (e) => e.executionArn === executionArn && e.resource.startsWith('sns'),
      ),
    )
    expect(entry.resource).toBe('sns:publish.waitForTaskToken')
    const all = (await t.engine.listOutbox()).filter((e) => e.executionArn === executionArn)
    expect(all.map((e) => e.resource)).toEqual(['events:putEvents', 'sns:publish.waitForTaskToken'])
    const token = (entry.params as { Message: { token: string } }).Message.token
    await t.engine.sendTaskSuccess({ taskToken: token, output: '{"read":true}' })
    const d = await finish(executionArn)
    expect(JSON.parse(d.output!)).toEqual({ read: true })
  })
})

describe('time', () => {
  it('jumps a 30-day Wait with the clock', async () => {
    const { executionArn } = await run({
      StartAt: 'Month',
      States: { Month: { Type: 'Wait', Seconds: 30 * 86_400, End: true } },
    })
    await new Promise((r) => setTimeout(r, 50))
    expect((await t.engine.describeExecution({ executionArn })).status).toBe('RUNNING')
    await t.clock.advance(30 * 86_400_000)
    const d = await t.engine.awaitExecution(executionArn)
    expect(d.status).toBe('SUCCEEDED')
  })

  it('times out the whole execution after TimeoutSeconds', async () => {
    const { executionArn } = await run({
      TimeoutSeconds: 60,
      StartAt: 'Long',
      States: { Long: { Type: 'Wait', Seconds: 3600, End: true } },
    })
    const d = await finish(executionArn, 30_000)
    expect(d).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' })
    expect((await types(executionArn)).at(-1)).toBe('ExecutionTimedOut')
  })

  it('runs a Map with tolerated failures and bounded concurrency', async () => {
    const { executionArn } = await run(
      {
        StartAt: 'Each',
        States: {
          Each: {
            Type: 'Map',
            ItemsPath: '$.items',
            MaxConcurrency: 5,
            ToleratedFailureCount: 3,
            ItemProcessor: {
              StartAt: 'Check',
              States: {
                Check: {
                  Type: 'Choice',
                  Choices: [{ Variable: '$', NumericGreaterThan: 46, Next: 'Bad' }],
                  Default: 'Ok',
                },
                Ok: { Type: 'Pass', End: true },
                Bad: { Type: 'Fail', Error: 'TooBig' },
              },
            },
            End: true,
          },
        },
      },
      { items: Array.from({ length: 50 }, (_, i) => i) },
    )
    const d = await finish(executionArn)
    expect(d.status).toBe('SUCCEEDED')
    const out = JSON.parse(d.output!)
    expect(out.slice(0, 47)).toEqual(Array.from({ length: 47 }, (_, i) => i))
    expect(out[49]).toMatchObject({ Error: 'TooBig' })
  })
})
