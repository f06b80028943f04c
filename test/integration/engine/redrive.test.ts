import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROLE, type TestEngine, testEngine, until } from './support.js'

/**
 * RedriveExecution through `@aws-sdk/client-sfn`, following the API reference
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html):
 * "Restarts unsuccessful executions of Standard workflows that didn't complete successfully
 * in the last 14 days. These include failed, aborted, or timed out executions. When you
 * redrive an execution, it continues the failed execution from the unsuccessful step and
 * uses the same input. Step Functions preserves the results and execution history of the
 * successful steps, and doesn't rerun these steps … For workflows that include an Inline Map
 * or Parallel state, RedriveExecution API action reschedules and redrives only the
 * iterations and branches that failed or aborted." Errors: ExecutionDoesNotExist,
 * ExecutionNotRedrivable. The `ExecutionRedriven` event carries `redriveCount`.
 */

let t: TestEngine
let healthy = false
const calls: Record<string, number> = {}

beforeAll(async () => {
  t = await testEngine({
    lambdas: {
      'ismsflow-test-redrive-step': (e) => {
        const key = (e as { key: string }).key
        calls[key] = (calls[key] ?? 0) + 1
        if (key.startsWith('flaky') && !healthy) {
          const err = new Error('not yet')
          err.name = 'NotYet'
          throw err
        }
        return { key }
      },
    },
  })
})

afterAll(async () => {
  await t.close()
})

const step = (key: string, next?: string) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: 'ismsflow-test-redrive-step', Payload: { key } },
  ResultSelector: { 'key.$': '$.Payload.key' },
  ...(next ? { Next: next } : { End: true }),
})

let n = 0
async function start(definition: unknown) {
  const { stateMachineArn } = await t.sfn.send(
    new CreateStateMachineCommand({
      name: `redrive-${++n}`,
      definition: JSON.stringify(definition),
      roleArn: ROLE,
    }),
  )
  const { executionArn } = await t.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"in":1}' }))
  return executionArn!
}

const closed = (executionArn: string) =>
  until(async () => {
    const d = await t.sfn.send(new DescribeExecutionCommand({ executionArn }))
    return d.status === 'RUNNING' ? undefined : d
  })

const code = async (p: Promise<unknown>) => {
  try {
    await p
    return 'OK'
  } catch (err) {
    return (err as { name: string }).name
  }
}

describe('RedriveExecution', () => {
  it('continues a failed execution from the failed state; succeeded steps do not run again', async () => {
    healthy = false
    const arn = await start({
      StartAt: 'First',
      States: { First: step('first-a', 'Second'), Second: step('flaky-a') },
    })
    const failed = await closed(arn)
    expect(failed).toMatchObject({
      status: 'FAILED',
      error: 'NotYet',
      redriveStatus: 'REDRIVABLE',
      redriveCount: 0,
    })
    healthy = true
    const { redriveDate } = await t.sfn.send(new RedriveExecutionCommand({ executionArn: arn }))
    expect(redriveDate).toBeInstanceOf(Date)
    const d = await closed(arn)
    expect(d.status).toBe('SUCCEEDED')
    expect(JSON.parse(d.output!)).toEqual({ key: 'flaky-a' })
    expect(d.redriveCount).toBe(1)
    expect(d.redriveDate).toBeInstanceOf(Date)
    expect(d.redriveStatus).toBe('NOT_REDRIVABLE')
    expect(calls['first-a']).toBe(1)
    const events = (await t.sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 1000 })))
      .events!
    const types = events.map((e) => e.type)
    const redriven = events.find((e) => e.type === 'ExecutionRedriven')!
    expect(redriven.executionRedrivenEventDetails).toEqual({ redriveCount: 1 })
    expect(types.indexOf('ExecutionFailed')).toBeLessThan(types.indexOf('ExecutionRedriven'))
    expect(
      types.slice(types.indexOf('ExecutionRedriven') + 1, types.indexOf('ExecutionRedriven') + 2),
    ).toEqual(['TaskStateEntered'])
    expect(types.at(-1)).toBe('ExecutionSucceeded')
    // Event ids stay one sequence.
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1))
  })

  it('re-runs only the failed iterations of an inline Map', async () => {
    healthy = false
    const { stateMachineArn } = await t.sfn.send(
      new CreateStateMachineCommand({
        name: `redrive-map-${n}`,
        roleArn: ROLE,
        definition: JSON.stringify({
          StartAt: 'M',
          States: {
            M: {
              Type: 'Map',
              MaxConcurrency: 1,
              ItemProcessor: {
                StartAt: 'Item',
                States: {
                  Item: {
                    Type: 'Task',
                    Resource: 'arn:aws:states:::lambda:invoke',
                    Parameters: { FunctionName: 'ismsflow-test-redrive-step', Payload: { 'key.$': '$' } },
                    ResultSelector: { 'key.$': '$.Payload.key' },
                    End: true,
                  },
                },
              },
              End: true,
            },
          },
        }),
      }),
    )
    const { executionArn } = await t.sfn.send(
      new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(['ok-1', 'flaky-m', 'ok-2']) }),
    )
    const failed = await closed(executionArn!)
    expect(failed.status).toBe('FAILED')
    expect(calls['ok-1']).toBe(1)
    healthy = true
    await t.sfn.send(new RedriveExecutionCommand({ executionArn }))
    const d = await closed(executionArn!)
    expect(d.status).toBe('SUCCEEDED')
    expect(JSON.parse(d.output!)).toEqual([{ key: 'ok-1' }, { key: 'flaky-m' }, { key: 'ok-2' }])
    expect(calls['ok-1']).toBe(1)
    expect(calls['flaky-m']).toBe(2)
  })

  it('redrives an aborted execution; refuses running, succeeded, unknown and expired ones', async () => {
    const arn = await start({
      StartAt: 'W',
      States: { W: { Type: 'Wait', Seconds: 60, Next: 'Done' }, Done: { Type: 'Pass', End: true } },
    })
    expect(await code(t.sfn.send(new RedriveExecutionCommand({ executionArn: arn })))).toBe(
      'ExecutionNotRedrivable',
    )
    await t.sfn.send(new StopExecutionCommand({ executionArn: arn }))
    expect((await closed(arn)).status).toBe('ABORTED')
    await t.sfn.send(new RedriveExecutionCommand({ executionArn: arn, clientToken: 'once' }))
    // The same clientToken again answers the same redrive.
    await t.sfn.send(new RedriveExecutionCommand({ executionArn: arn, clientToken: 'once' }))
    await t.clock.advance(61_000)
    const d = await closed(arn)
    expect(d).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 })
    expect(await code(t.sfn.send(new RedriveExecutionCommand({ executionArn: arn })))).toBe(
      'ExecutionNotRedrivable',
    )
    expect(await code(t.sfn.send(new RedriveExecutionCommand({ executionArn: `${arn}-nope` })))).toBe(
      'ExecutionDoesNotExist',
    )

    healthy = false
    const old = await start({ StartAt: 'S', States: { S: step('flaky-old') } })
    await closed(old)
    await t.clock.advance(15 * 24 * 3600 * 1000)
    const described = await t.sfn.send(new DescribeExecutionCommand({ executionArn: old }))
    expect(described).toMatchObject({ redriveStatus: 'NOT_REDRIVABLE' })
    expect(described.redriveStatusReason).toMatch(/period exceeded/)
    expect(await code(t.sfn.send(new RedriveExecutionCommand({ executionArn: old })))).toBe(
      'ExecutionNotRedrivable',
    )
  })
})
