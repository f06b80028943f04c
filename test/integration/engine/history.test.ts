import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROLE, type TestEngine, testEngine, until } from './support.js'

/**
 * The history events of Parallel and Map, through `@aws-sdk/client-sfn`.
 *
 * Event types: AWS API reference, HistoryEvent
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html):
 * "Valid Values: … MapIterationAborted | MapIterationFailed | MapIterationStarted |
 * MapIterationSucceeded | MapStateAborted | MapStateEntered | MapStateExited | MapStateFailed |
 * MapStateStarted | MapStateSucceeded | ParallelStateAborted | ParallelStateEntered |
 * ParallelStateExited | ParallelStateFailed | ParallelStateStarted | ParallelStateSucceeded |
 * … TaskStateAborted | … WaitStateAborted …".
 *
 * Order and previous-event links follow the executions recorded against AWS (LocalStack's
 * AWS-validated snapshot `test_base_scenarios.snapshot.json`, see test/conformance/):
 * `MapStateSucceeded` follows the last `MapIterationSucceeded` and `MapStateExited` points to
 * the same previous event (the Succeeded event is not a source); `MapStateFailed` points to
 * the failed iteration's last state event and the `MapStateExited` of its Catch to it; the
 * next `MapIterationStarted` points to the previous iteration's last state event; in
 * `test_parallel_state` `ParallelStateExited` (event 19) points to event 17, past event 18,
 * the `ParallelStateSucceeded`.
 */

const tokens: Record<string, string> = {}
let t: TestEngine

beforeAll(async () => {
  t = await testEngine({
    lambdas: {
      'ismsflow-test-history-park': (e) => {
        const { key, token } = e as { key: string; token: string }
        tokens[key] = token
        return null
      },
    },
  })
})

afterAll(async () => {
  await t.close()
})

let n = 0
async function start(definition: unknown, input: unknown = {}) {
  const { stateMachineArn } = await t.sfn.send(
    new CreateStateMachineCommand({
      name: `hist-${++n}`,
      definition: JSON.stringify(definition),
      roleArn: ROLE,
    }),
  )
  const { executionArn } = await t.sfn.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }),
  )
  return executionArn!
}

async function closed(executionArn: string) {
  return until(async () => {
    const d = await t.sfn.send(new DescribeExecutionCommand({ executionArn }))
    return d.status === 'RUNNING' ? undefined : d
  })
}

async function history(executionArn: string): Promise<HistoryEvent[]> {
  return (await t.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? []
}

const one = (events: HistoryEvent[], type: string) => {
  const found = events.filter((e) => e.type === type)
  expect(found, type).toHaveLength(1)
  return found[0]
}

describe('Parallel history', () => {
  it('writes ParallelStateStarted, the branches, ParallelStateSucceeded, ParallelStateExited', async () => {
    const arn = await start({
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          End: true,
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } },
            { StartAt: 'B', States: { B: { Type: 'Pass', End: true } } },
          ],
        },
      },
    })
    await closed(arn)
    const events = await history(arn)
    const types = events.map((e) => e.type)
    expect(types.slice(0, 3)).toEqual(['ExecutionStarted', 'ParallelStateEntered', 'ParallelStateStarted'])
    expect(types.slice(-3)).toEqual(['ParallelStateSucceeded', 'ParallelStateExited', 'ExecutionSucceeded'])
    const succeeded = one(events, 'ParallelStateSucceeded')
    const exited = one(events, 'ParallelStateExited')
    expect(succeeded.previousEventId).toBe(succeeded.id! - 1)
    expect(exited.previousEventId).toBe(succeeded.previousEventId)
  })

  it('a Parallel ending a branch of another writes its own Succeeded and Exited', async () => {
    const inner = {
      Type: 'Parallel',
      End: true,
      Branches: [{ StartAt: 'X', States: { X: { Type: 'Pass', End: true } } }],
    }
    const arn = await start({
      StartAt: 'Outer',
      States: {
        Outer: { Type: 'Parallel', End: true, Branches: [{ StartAt: 'Inner', States: { Inner: inner } }] },
      },
    })
    await closed(arn)
    const types = (await history(arn)).map((e) => e.type)
    expect(types.filter((x) => x === 'ParallelStateSucceeded')).toHaveLength(2)
    expect(types.filter((x) => x === 'ParallelStateExited')).toHaveLength(2)
  })

  it('a failing branch: ParallelStateFailed, and the sibling task is TaskStateAborted', async () => {
    const arn = await start({
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          End: true,
          Branches: [
            {
              StartAt: 'Park',
              States: {
                Park: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
                  Parameters: {
                    FunctionName: 'ismsflow-test-history-park',
                    Payload: { key: 'sibling', 'token.$': '$$.Task.Token' },
                  },
                  End: true,
                },
              },
            },
            {
              StartAt: 'Later',
              States: {
                Later: { Type: 'Wait', Seconds: 5, Next: 'Boom' },
                Boom: { Type: 'Fail', Error: 'Boom' },
              },
            },
          ],
        },
      },
    })
    await until(() => tokens.sibling)
    await t.clock.advance(6000)
    const d = await closed(arn)
    expect(d).toMatchObject({ status: 'FAILED', error: 'Boom' })
    const events = await history(arn)
    const types = events.map((e) => e.type)
    expect(types).toContain('TaskStateAborted')
    expect(types.indexOf('TaskStateAborted')).toBeLessThan(types.indexOf('ParallelStateFailed'))
    expect(types.slice(-2)).toEqual(['ParallelStateFailed', 'ExecutionFailed'])
  })
})

describe('Map history', () => {
  it('writes MapStateStarted (length), iterations (name, index), MapStateSucceeded, MapStateExited', async () => {
    const arn = await start(
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            MaxConcurrency: 1,
            ItemProcessor: { StartAt: 'Item', States: { Item: { Type: 'Pass', End: true } } },
            End: true,
          },
        },
      },
      [1, 2],
    )
    await closed(arn)
    const events = await history(arn)
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'MapStateEntered',
      'MapStateStarted',
      'MapIterationStarted',
      'PassStateEntered',
      'PassStateExited',
      'MapIterationSucceeded',
      'MapIterationStarted',
      'PassStateEntered',
      'PassStateExited',
      'MapIterationSucceeded',
      'MapStateSucceeded',
      'MapStateExited',
      'ExecutionSucceeded',
    ])
    expect(one(events, 'MapStateStarted').mapStateStartedEventDetails).toEqual({ length: 2 })
    const starts = events.filter((e) => e.type === 'MapIterationStarted')
    expect(starts.map((e) => e.mapIterationStartedEventDetails)).toEqual([
      { name: 'M', index: 0 },
      { name: 'M', index: 1 },
    ])
    // The second iteration follows the first one's last state event (6), not its MapIterationSucceeded (7).
    expect(starts[1].previousEventId).toBe(6)
    const succeeded = one(events, 'MapStateSucceeded')
    expect(succeeded.previousEventId).toBe(11)
    expect(one(events, 'MapStateExited').previousEventId).toBe(11)
  })

  it('a failed iteration: MapIterationFailed, MapStateFailed after the failed state, Catch exits from it', async () => {
    const arn = await start(
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            MaxConcurrency: 1,
            ItemProcessor: { StartAt: 'Fail', States: { Fail: { Type: 'Fail', Error: 'E', Cause: 'C' } } },
            Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
            End: true,
          },
          Caught: { Type: 'Pass', End: true },
        },
      },
      [1],
    )
    await closed(arn)
    const events = await history(arn)
    expect(events.map((e) => e.type).slice(0, 8)).toEqual([
      'ExecutionStarted',
      'MapStateEntered',
      'MapStateStarted',
      'MapIterationStarted',
      'FailStateEntered',
      'MapIterationFailed',
      'MapStateFailed',
      'MapStateExited',
    ])
    const failState = one(events, 'FailStateEntered')
    const mapFailed = one(events, 'MapStateFailed')
    expect(mapFailed.previousEventId).toBe(failState.id)
    expect(one(events, 'MapStateExited').previousEventId).toBe(mapFailed.id)
  })

  it('StopExecution aborts the running states inside out, before ExecutionAborted', async () => {
    const arn = await start(
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemProcessor: { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } },
            End: true,
          },
        },
      },
      [1, 2],
    )
    await until(async () =>
      (await history(arn)).filter((e) => e.type === 'WaitStateEntered').length === 2 ? true : undefined,
    )
    await t.sfn.send(new StopExecutionCommand({ executionArn: arn, error: 'Stop', cause: 'test' }))
    const events = await history(arn)
    const types = events.map((e) => e.type)
    expect(
      types.filter((x) => x === 'WaitStateAborted'),
      types.join(' '),
    ).toHaveLength(2)
    expect(types.filter((x) => x === 'MapIterationAborted')).toHaveLength(2)
    expect(types.slice(-2)).toEqual(['MapStateAborted', 'ExecutionAborted'])
    expect(types.lastIndexOf('WaitStateAborted')).toBeLessThan(types.indexOf('MapStateAborted'))
    expect(one(events, 'ExecutionAborted').executionAbortedEventDetails).toEqual({
      error: 'Stop',
      cause: 'test',
    })
  })

  it('StopExecution during a Parallel writes ParallelStateAborted', async () => {
    const arn = await start({
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          End: true,
          Branches: [{ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } }],
        },
      },
    })
    await until(async () =>
      (await history(arn)).some((e) => e.type === 'WaitStateEntered') ? true : undefined,
    )
    await t.sfn.send(new StopExecutionCommand({ executionArn: arn }))
    const types = (await history(arn)).map((e) => e.type)
    expect(types.slice(-3)).toEqual(['WaitStateAborted', 'ParallelStateAborted', 'ExecutionAborted'])
  })
})
