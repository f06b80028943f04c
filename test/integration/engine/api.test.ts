import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedFetch } from '../../support/signed-fetch.js'
import { ROLE, type TestEngine, testEngine, until } from './support.js'

/**
 * Every action of the Step Functions API through @aws-sdk/client-sfn against the local
 * engine on the embedded store, and the bad inputs with AWS's error codes.
 */

const captured: { token: string; input: unknown }[] = []
let t: TestEngine

const machine = (
  states: Record<string, unknown>,
  startAt = Object.keys(states)[0],
  extra: Record<string, unknown> = {},
) => JSON.stringify({ StartAt: startAt, States: states, ...extra })

const WAITING = machine({ Hold: { Type: 'Wait', Seconds: 3600, End: true } })
const HUMAN = machine({
  Ask: {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
    Parameters: {
      FunctionName: 'ismsflow-test-capture',
      Payload: { 'token.$': '$$.Task.Token', 'input.$': '$' },
    },
    HeartbeatSeconds: 600,
    Catch: [{ ErrorEquals: ['Rejected'], Next: 'Rejected' }],
    End: true,
  },
  Rejected: { Type: 'Pass', Result: 'rejected', End: true },
})

const code = async (p: Promise<unknown>) => {
  try {
    await p
  } catch (err) {
    return (err as { name: string }).name
  }
  return 'no error'
}

beforeAll(async () => {
  t = await testEngine({
    lambdas: {
      'ismsflow-test-capture': (event) => {
        captured.push(event as { token: string; input: unknown })
        return { ok: true }
      },
    },
  })
})

afterAll(async () => {
  await t.close()
})

const create = async (name: string, definition: string, type?: 'STANDARD' | 'EXPRESS') =>
  (await t.sfn.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE, type })))
    .stateMachineArn!

const tokenFor = (marker: string) =>
  until(() => captured.find((c) => (c.input as { marker?: string })?.marker === marker)?.token)

describe('state machines', () => {
  it('creates, describes, lists, updates and deletes', async () => {
    const arn = await create('api-crud', WAITING)
    expect(arn).toBe('arn:aws:states:eu-central-1:000000000000:stateMachine:api-crud')
    const d = await t.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }))
    expect(d).toMatchObject({
      name: 'api-crud',
      type: 'STANDARD',
      status: 'ACTIVE',
      definition: WAITING,
      roleArn: ROLE,
    })
    expect(d.creationDate).toBeInstanceOf(Date)

    // Same name and definition: the same machine (idempotent); another definition: a conflict.
    expect(await create('api-crud', WAITING)).toBe(arn)
    expect(await code(create('api-crud', machine({ P: { Type: 'Pass', End: true } })))).toBe(
      'StateMachineAlreadyExists',
    )

    const updated = machine({ P: { Type: 'Pass', End: true } })
    const u = await t.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: updated }))
    expect(u.updateDate).toBeInstanceOf(Date)
    expect((await t.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }))).definition).toBe(
      updated,
    )

    await create('api-crud-2', WAITING)
    const page1 = await t.sfn.send(new ListStateMachinesCommand({ maxResults: 1 }))
    expect(page1.stateMachines).toHaveLength(1)
    expect(page1.nextToken).toBeTruthy()
    const page2 = await t.sfn.send(
      new ListStateMachinesCommand({ maxResults: 1000, nextToken: page1.nextToken }),
    )
    const names = [...page1.stateMachines!, ...page2.stateMachines!].map((s) => s.name)
    expect(names).toEqual(expect.arrayContaining(['api-crud', 'api-crud-2']))

    await t.sfn.send(new DeleteStateMachineCommand({ stateMachineArn: arn }))
    expect(await code(t.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn })))).toBe(
      'StateMachineDoesNotExist',
    )
  })

  it('refuses invalid definitions, names and ARNs with AWS codes, storing nothing', async () => {
    const bad = machine({ First: { Type: 'Pass', Next: 'Nowhere' } })
    const err = await t.sfn
      .send(new CreateStateMachineCommand({ name: 'api-bad', definition: bad, roleArn: ROLE }))
      .catch((e) => e)
    expect(err.name).toBe('InvalidDefinition')
    expect(err.message).toContain('First')
    expect(await code(create('api-bad', '{not json'))).toBe('InvalidDefinition')
    const unknown = machine({
      T: {
        Type: 'Task',
        Resource: 'arn:aws:lambda:eu-central-1:000000000000:function:no-such-fn',
        End: true,
      },
    })
    expect(await code(create('api-bad', unknown))).toBe('InvalidDefinition')
    expect(await code(create('bad name with spaces', WAITING))).toBe('InvalidName')
    expect(
      await code(
        t.sfn.send(new CreateStateMachineCommand({ name: 'api-bad', definition: WAITING, roleArn: 'nope' })),
      ),
    ).toBe('InvalidArn')
    expect(await code(t.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'arn:nope' })))).toBe(
      'InvalidArn',
    )
    const list = await t.sfn.send(new ListStateMachinesCommand({}))
    expect(list.stateMachines!.map((s) => s.name)).not.toContain('api-bad')
  })
})

describe('executions', () => {
  it('starts with name idempotency, describes, lists with filter and paging, stops', async () => {
    const arn = await create('api-exec', WAITING)
    const a = await t.sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn, name: 'one', input: '{"n":1}' }),
    )
    // Same name and input while running: the same execution.
    const again = await t.sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn, name: 'one', input: '{"n":1}' }),
    )
    expect(again.executionArn).toBe(a.executionArn)
    expect(
      await code(
        t.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'one', input: '{"n":2}' })),
      ),
    ).toBe('ExecutionAlreadyExists')
    const b = await t.sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn, name: 'two', input: '{"n":2}' }),
    )
    await t.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'three' }))

    const d = await t.sfn.send(new DescribeExecutionCommand({ executionArn: a.executionArn }))
    expect(d).toMatchObject({ status: 'RUNNING', name: 'one', input: '{"n":1}', stateMachineArn: arn })

    const stop = await t.sfn.send(
      new StopExecutionCommand({ executionArn: b.executionArn, error: 'Manual', cause: 'test' }),
    )
    expect(stop.stopDate).toBeInstanceOf(Date)
    const stopped = await t.sfn.send(new DescribeExecutionCommand({ executionArn: b.executionArn }))
    expect(stopped).toMatchObject({ status: 'ABORTED', error: 'Manual', cause: 'test' })
    // A closed execution's name cannot be reused, whatever the input.
    expect(
      await code(
        t.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'two', input: '{"n":2}' })),
      ),
    ).toBe('ExecutionAlreadyExists')

    const running = await t.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'RUNNING' }),
    )
    expect(running.executions!.map((e) => e.name).sort()).toEqual(['one', 'three'])
    const aborted = await t.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'ABORTED' }),
    )
    expect(aborted.executions!.map((e) => e.name)).toEqual(['two'])
    const p1 = await t.sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 2 }))
    expect(p1.executions).toHaveLength(2)
    const p2 = await t.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 2, nextToken: p1.nextToken }),
    )
    expect([...p1.executions!, ...p2.executions!].map((e) => e.name).sort()).toEqual(['one', 'three', 'two'])

    const h = await t.sfn.send(new GetExecutionHistoryCommand({ executionArn: b.executionArn }))
    // The Wait that was running is aborted before the execution (HistoryEventType WaitStateAborted).
    expect(h.events!.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'WaitStateEntered',
      'WaitStateAborted',
      'ExecutionAborted',
    ])
    expect(h.events![3].executionAbortedEventDetails).toEqual({ error: 'Manual', cause: 'test' })
    expect(h.events!.map((e) => [e.id, e.previousEventId])).toEqual([
      [1, 0],
      [2, 1],
      [3, 2],
      [4, 3],
    ])
  })

  it('refuses bad input with AWS codes and persists nothing', async () => {
    const arn = await create('api-exec-bad', WAITING)
    expect(await code(t.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{oops' })))).toBe(
      'InvalidExecutionInput',
    )
    const big = JSON.stringify({ x: 'y'.repeat(262_145) })
    expect(await code(t.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: big })))).toBe(
      'ValidationException',
    )
    expect(await code(t.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'a/b' })))).toBe(
      'InvalidName',
    )
    const missing = arn.replace('api-exec-bad', 'no-such-machine')
    expect(await code(t.sfn.send(new StartExecutionCommand({ stateMachineArn: missing })))).toBe(
      'StateMachineDoesNotExist',
    )
    expect(await code(t.sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:x' })))).toBe(
      'InvalidArn',
    )
    const none = await t.sfn.send(new ListExecutionsCommand({ stateMachineArn: arn }))
    expect(none.executions).toEqual([])
    const unknownExec = arn.replace(':stateMachine:', ':execution:').concat(':nope')
    expect(await code(t.sfn.send(new DescribeExecutionCommand({ executionArn: unknownExec })))).toBe(
      'ExecutionDoesNotExist',
    )
    expect(await code(t.sfn.send(new StopExecutionCommand({ executionArn: unknownExec })))).toBe(
      'ExecutionDoesNotExist',
    )
    expect(await code(t.sfn.send(new GetExecutionHistoryCommand({ executionArn: unknownExec })))).toBe(
      'ExecutionDoesNotExist',
    )
    expect(
      await code(t.sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, nextToken: 'not a token!' }))),
    ).toBe('InvalidToken')
    expect(await code(t.sfn.send(new ListStateMachinesCommand({ nextToken: '%%%' })))).toBe('InvalidToken')
    expect(
      await code(t.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, roleArn: 'nope' }))),
    ).toBe('InvalidArn')
  })

  it('pages history and reverses it', async () => {
    const arn = await create(
      'api-history',
      machine({
        A: { Type: 'Pass', Next: 'B' },
        B: { Type: 'Pass', Next: 'C' },
        C: { Type: 'Pass', End: true },
      }),
    )
    const { executionArn } = await t.sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn, input: '{"k":"v"}' }),
    )
    await t.engine.awaitExecution(executionArn!)
    const all = await t.sfn.send(new GetExecutionHistoryCommand({ executionArn }))
    expect(all.events).toHaveLength(8)
    const p1 = await t.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 5 }))
    const p2 = await t.sfn.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 5, nextToken: p1.nextToken }),
    )
    expect([...p1.events!, ...p2.events!].map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(p2.nextToken).toBeUndefined()
    const rev = await t.sfn.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 2 }),
    )
    expect(rev.events!.map((e) => e.type)).toEqual(['ExecutionSucceeded', 'PassStateExited'])
    expect(rev.events![0].executionSucceededEventDetails?.output).toBe('{"k":"v"}')
    expect(all.events![0].timestamp).toBeInstanceOf(Date)
  })

  it('runs EXPRESS machines synchronously in memory', async () => {
    const arn = await create(
      'api-express',
      machine({ Add: { Type: 'Pass', Parameters: { 'sum.$': 'States.MathAdd($.a, $.b)' }, End: true } }),
      'EXPRESS',
    )
    const out = await t.sfn.send(
      new StartSyncExecutionCommand({ stateMachineArn: arn, input: '{"a":2,"b":3}' }),
    )
    expect(out).toMatchObject({ status: 'SUCCEEDED', output: '{"sum":5}' })
    const failing = await create(
      'api-express-fail',
      machine({ F: { Type: 'Fail', Error: 'Nope', Cause: 'because' } }),
      'EXPRESS',
    )
    const f = await t.sfn.send(new StartSyncExecutionCommand({ stateMachineArn: failing }))
    expect(f).toMatchObject({ status: 'FAILED', error: 'Nope', cause: 'because' })
    const standard = await create('api-not-express', WAITING)
    expect(await code(t.sfn.send(new StartSyncExecutionCommand({ stateMachineArn: standard })))).toBe(
      'StateMachineTypeNotSupported',
    )
    expect(await code(t.sfn.send(new ListExecutionsCommand({ stateMachineArn: arn })))).toBe(
      'StateMachineTypeNotSupported',
    )
  })
})

describe('task tokens', () => {
  it('SendTaskSuccess completes the task; TaskScheduled carries the resolved parameters', async () => {
    const arn = await create('api-token-ok', HUMAN)
    const { executionArn } = await t.sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn, input: '{"marker":"ok"}' }),
    )
    const token = await tokenFor('ok')
    await t.sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }))
    await t.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }))
    const d = await t.engine.awaitExecution(executionArn!)
    expect(d).toMatchObject({ status: 'SUCCEEDED', output: '{"approved":true}' })
    const h = await t.sfn.send(new GetExecutionHistoryCommand({ executionArn }))
    expect(h.events!.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ])
    const sched = h.events![2].taskScheduledEventDetails!
    expect(sched).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      heartbeatInSeconds: 600,
    })
    expect(JSON.parse(sched.parameters!)).toEqual({
      FunctionName: 'ismsflow-test-capture',
      Payload: { token, input: { marker: 'ok' } },
    })
    // The task is closed: a second call is TaskDoesNotExist.
    expect(await code(t.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })))).toBe(
      'TaskDoesNotExist',
    )
    expect(await code(t.sfn.send(new SendTaskHeartbeatCommand({ taskToken: token })))).toBe(
      'TaskDoesNotExist',
    )
  })

  it('SendTaskFailure reaches Catch with its error', async () => {
    const arn = await create('api-token-fail', HUMAN)
    const { executionArn } = await t.sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn, input: '{"marker":"fail"}' }),
    )
    const token = await tokenFor('fail')
    await t.sfn.send(
      new SendTaskFailureCommand({ taskToken: token, error: 'Rejected', cause: 'not good enough' }),
    )
    const d = await t.engine.awaitExecution(executionArn!)
    expect(d).toMatchObject({ status: 'SUCCEEDED', output: '"rejected"' })
  })

  it('refuses malformed, unknown and bad-output calls', async () => {
    expect(
      await code(t.sfn.send(new SendTaskSuccessCommand({ taskToken: 'not-a-token', output: '{}' }))),
    ).toBe('InvalidToken')
    const forged = Buffer.from('isfl1:abc|arn:aws:states:eu-central-1:000000000000:execution:x:y').toString(
      'base64',
    )
    expect(await code(t.sfn.send(new SendTaskSuccessCommand({ taskToken: forged, output: '{}' })))).toBe(
      'InvalidToken',
    )
    expect(
      await code(t.sfn.send(new SendTaskSuccessCommand({ taskToken: 'x'.repeat(1025), output: '{}' }))),
    ).toBe('ValidationException')
    const arn = await create('api-token-bad', HUMAN)
    await t.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"marker":"bad"}' }))
    const token = await tokenFor('bad')
    expect(await code(t.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: 'not json' })))).toBe(
      'InvalidOutput',
    )
    const big = JSON.stringify({ x: 'y'.repeat(262_145) })
    expect(await code(t.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: big })))).toBe(
      'InvalidOutput',
    )
    // Still waiting: the bad calls changed nothing.
    await t.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))
  })
})

describe('wire protocol', () => {
  it('answers errors with x-amzn-errortype and __type, unknown operations too', async () => {
    const post = (target: string, body: string) =>
      signedFetch(t.endpoint, {
        service: 'states',
        headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': target },
        body,
      })
    const r = await post(
      'AWSStepFunctions.DescribeStateMachine',
      JSON.stringify({ stateMachineArn: 'arn:aws:states:eu-central-1:000000000000:stateMachine:none' }),
    )
    expect(r.status).toBe(400)
    expect(r.headers.get('x-amzn-errortype')).toBe('StateMachineDoesNotExist')
    expect((await r.json()).__type).toBe('StateMachineDoesNotExist')
    const u = await post('AWSStepFunctions.DoSomething', '{}')
    expect(u.headers.get('x-amzn-errortype')).toBe('UnknownOperationException')
    const s = await post('AWSStepFunctions.ListStateMachines', '[broken')
    expect(s.headers.get('x-amzn-errortype')).toBe('SerializationException')
    const ok = await post('AWSStepFunctions.ListStateMachines', '{}')
    const body = await ok.json()
    expect(typeof body.stateMachines[0].creationDate).toBe('number')
  })
})
