import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskHeartbeatCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROLE, type TestEngine, testEngine, until } from './support.js'

/**
 * `States.HeartbeatTimeout` in Catch and Retry, through `@aws-sdk/client-sfn`.
 *
 * AWS, "Error handling in Step Functions workflows"
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html):
 * - `States.HeartbeatTimeout`: "A Task state failed to send a heartbeat for a period longer
 *   than the HeartbeatSeconds value. Note: HeartbeatTimeout is only available inside the
 *   Catch and Retry fields."
 * - `States.Timeout`: "A Task state either ran longer than the TimeoutSeconds value, or
 *   failed to send a heartbeat for a period longer than the HeartbeatSeconds value."
 * - `States.TaskFailed`: "A wildcard that matches any known error name except for
 *   States.Timeout."
 * So a missed heartbeat is caught by a `States.HeartbeatTimeout` or a `States.Timeout`
 * catcher (whichever comes first), and reported as `States.Timeout` when nothing catches it.
 */

const tokens: Record<string, string> = {}
let t: TestEngine

beforeAll(async () => {
  t = await testEngine({
    lambdas: {
      'ismsflow-test-hb-park': (e) => {
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

const parked = (key: string, extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Parameters: { FunctionName: 'ismsflow-test-hb-park', Payload: { key, 'token.$': '$$.Task.Token' } },
  End: true,
  ...extra,
})

let n = 0
async function start(states: Record<string, unknown>) {
  const { stateMachineArn } = await t.sfn.send(
    new CreateStateMachineCommand({
      name: `hb-${++n}`,
      definition: JSON.stringify({ StartAt: 'Ask', States: states }),
      roleArn: ROLE,
    }),
  )
  const { executionArn } = await t.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }))
  return executionArn!
}

async function settle(executionArn: string) {
  for (let i = 0; i < 50; i++) {
    const d = await t.sfn.send(new DescribeExecutionCommand({ executionArn }))
    if (d.status !== 'RUNNING') return d
    await t.clock.advance(30_000)
  }
  throw new Error('execution did not close')
}

const events = async (executionArn: string) =>
  (await t.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? []

const done = { Type: 'Pass', End: true }

describe('States.HeartbeatTimeout', () => {
  it('is matched by a catcher naming it when a heartbeat is missed', async () => {
    const arn = await start({
      Ask: parked('catch', {
        HeartbeatSeconds: 60,
        TimeoutSeconds: 3600,
        Catch: [
          { ErrorEquals: ['States.HeartbeatTimeout'], Next: 'Silent' },
          { ErrorEquals: ['States.Timeout'], Next: 'Late' },
        ],
      }),
      Silent: { Type: 'Pass', Result: 'silent worker', End: true },
      Late: { Type: 'Pass', Result: 'overall timeout', End: true },
    })
    await until(() => tokens.catch)
    const d = await settle(arn)
    expect(d.status).toBe('SUCCEEDED')
    expect(JSON.parse(d.output!)).toBe('silent worker')
    const timedOut = (await events(arn)).find((e) => e.type === 'TaskTimedOut')
    // The task's own event still reports States.Timeout.
    expect(timedOut?.taskTimedOutEventDetails?.error).toBe('States.Timeout')
  })

  it('does not match an overall TimeoutSeconds (that is States.Timeout only)', async () => {
    const arn = await start({
      Ask: parked('overall', {
        HeartbeatSeconds: 60,
        TimeoutSeconds: 100,
        Catch: [
          { ErrorEquals: ['States.HeartbeatTimeout'], Next: 'Silent' },
          { ErrorEquals: ['States.Timeout'], Next: 'Late' },
        ],
      }),
      Silent: { Type: 'Pass', Result: 'silent worker', End: true },
      Late: { Type: 'Pass', Result: 'overall timeout', End: true },
    })
    const token = await until(() => tokens.overall)
    // Heartbeats keep the task alive until its TimeoutSeconds.
    for (let i = 0; i < 3; i++) {
      await t.clock.advance(30_000)
      await t.sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }))
    }
    const d = await settle(arn)
    expect(JSON.parse(d.output!)).toBe('overall timeout')
  })

  it('a States.Timeout catcher still catches a missed heartbeat', async () => {
    const arn = await start({
      Ask: parked('timeout', {
        HeartbeatSeconds: 60,
        Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.err', Next: 'Done' }],
      }),
      Done: done,
    })
    await until(() => tokens.timeout)
    const d = await settle(arn)
    expect(JSON.parse(d.output!)).toMatchObject({ err: { Error: 'States.Timeout' } })
  })

  it('States.TaskFailed does not catch a missed heartbeat; uncaught it is reported as States.Timeout', async () => {
    const arn = await start({
      Ask: parked('uncaught', {
        HeartbeatSeconds: 60,
        Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Done' }],
      }),
      Done: done,
    })
    await until(() => tokens.uncaught)
    const d = await settle(arn)
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.Timeout' })
    const failed = (await events(arn)).at(-1)
    expect(failed?.type).toBe('ExecutionFailed')
    expect(failed?.executionFailedEventDetails?.error).toBe('States.Timeout')
  })

  it('a Retry naming States.HeartbeatTimeout retries the task, and the error output says States.Timeout', async () => {
    const arn = await start({
      Ask: parked('retry', {
        HeartbeatSeconds: 60,
        Retry: [{ ErrorEquals: ['States.HeartbeatTimeout'], MaxAttempts: 1, IntervalSeconds: 1 }],
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Done' }],
      }),
      Done: done,
    })
    await until(() => tokens.retry)
    const d = await settle(arn)
    expect(JSON.parse(d.output!)).toEqual({ Error: 'States.Timeout', Cause: expect.any(String) })
    const types = (await events(arn)).map((e) => e.type)
    expect(types.filter((x) => x === 'TaskTimedOut')).toHaveLength(2)
  })
})
