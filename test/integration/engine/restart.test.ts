import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EngineOptions } from '../../../infra/local/engine/engine.js'
import { ROLE, type TestEngine, testEngine, until } from './support.js'

/**
 * Restarts on the same store (the engine stops, a new one starts and resumes): timers at
 * their persisted due time, parked tokens still valid, Map iterations where they were,
 * retries with their counts. The crash test (crash.test.ts) does the same with SIGKILL.
 */

const tokens: Record<string, string> = {}
const calls: Record<string, number> = {}
const lambdas: EngineOptions['lambdas'] = {
  'ismsflow-test-park': (e) => {
    const { key, token } = e as { key: string; token: string }
    tokens[key] = token
    return null
  },
  'ismsflow-test-fail': (e) => {
    const key = (e as { key: string }).key
    calls[key] = (calls[key] ?? 0) + 1
    throw new Error(`failure ${calls[key]}`)
  },
}

let t: TestEngine
beforeAll(async () => {
  t = await testEngine({ lambdas })
})
afterAll(async () => {
  await t.close()
})

const json = (v: unknown) => JSON.stringify(v)
const park = (key: string) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Parameters: { FunctionName: 'ismsflow-test-park', Payload: { 'key.$': key, 'token.$': '$$.Task.Token' } },
})

async function start(name: string, definition: unknown, input: unknown = {}) {
  const { stateMachineArn } = await t.engine.createStateMachine({
    name,
    definition: json(definition),
    roleArn: ROLE,
  })
  return (await t.engine.startExecution({ stateMachineArn, input: json(input) })).executionArn
}

const restart = async () => {
  await t.stopEngine()
  await t.restart({ lambdas })
}

async function contiguous(executionArn: string) {
  const ids = (await t.engine.history(executionArn)).map((e) => e.id)
  expect(ids).toEqual(ids.map((_, i) => i + 1))
}

describe('restart', () => {
  it('resumes Waits, parked tokens, Map iterations and retries', async () => {
    const waitArn = await start('restart-wait', {
      StartAt: 'Month',
      States: {
        Month: { Type: 'Wait', Seconds: 30 * 86_400, Next: 'Done' },
        Done: { Type: 'Pass', End: true },
      },
    })
    const tokenArn = await start(
      'restart-token',
      { StartAt: 'Ask', States: { Ask: { ...park('$.key'), End: true } } },
      { key: 'single' },
    )
    const mapArn = await start(
      'restart-map',
      {
        StartAt: 'Each',
        States: {
          Each: {
            Type: 'Map',
            MaxConcurrency: 2,
            ItemSelector: { 'key.$': "States.Format('map-{}', $$.Map.Item.Value)" },
            ItemProcessor: {
              StartAt: 'Ask',
              States: { Ask: { ...park('$.key'), ResultSelector: { 'got.$': '$.n' }, End: true } },
            },
            End: true,
          },
        },
      },
      [0, 1, 2, 3],
    )
    const retryArn = await start(
      'restart-retry',
      {
        StartAt: 'Try',
        States: {
          Try: {
            Type: 'Task',
            Resource: 'arn:aws:lambda:eu-central-1:000000000000:function:ismsflow-test-fail',
            Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 3600, MaxAttempts: 2 }],
            End: true,
          },
        },
      },
      { key: 'retry' },
    )
    const single = await until(() => tokens.single)
    await until(() => tokens['map-0'] && tokens['map-1'])
    await t.engine.sendTaskSuccess({ taskToken: tokens['map-0'], output: json({ n: 0 }) })
    await until(() => tokens['map-2'])
    await until(() => calls.retry === 1)

    await restart()
    expect(t.engine.running).toBe(4)

    // Tokens from before the restart still work; the Map continues where it was.
    await t.engine.sendTaskSuccess({ taskToken: single, output: json({ ok: true }) })
    expect((await t.engine.awaitExecution(tokenArn)).output).toBe('{"ok":true}')
    await t.engine.sendTaskSuccess({ taskToken: tokens['map-1'], output: json({ n: 1 }) })
    await t.engine.sendTaskSuccess({ taskToken: tokens['map-2'], output: json({ n: 2 }) })
    await until(() => tokens['map-3'])
    await restart()
    await t.engine.sendTaskSuccess({ taskToken: tokens['map-3'], output: json({ n: 3 }) })
    const map = await t.engine.awaitExecution(mapArn)
    expect(JSON.parse(map.output!)).toEqual([{ got: 0 }, { got: 1 }, { got: 2 }, { got: 3 }])
    const mapTypes = (await t.engine.history(mapArn)).map((e) => e.type)
    expect(mapTypes.filter((x) => x === 'MapIterationStarted')).toHaveLength(4)
    expect(mapTypes.filter((x) => x === 'MapIterationSucceeded')).toHaveLength(4)

    // The retry waits its persisted hour, and keeps counting: 1 call + 2 retries, then failure.
    expect(calls.retry).toBe(1)
    await t.clock.advance(3_600_000)
    await until(() => calls.retry === 2)
    await restart()
    await t.clock.advance(2 * 3_600_000)
    const retry = await t.engine.awaitExecution(retryArn)
    expect(retry).toMatchObject({ status: 'FAILED', error: 'Error' })
    expect(calls.retry).toBe(3)

    // The 30-day Wait fires at its persisted due time.
    expect((await t.engine.describeExecution({ executionArn: waitArn })).status).toBe('RUNNING')
    await t.clock.advance(30 * 86_400_000)
    expect((await t.engine.awaitExecution(waitArn)).status).toBe('SUCCEEDED')

    for (const arn of [waitArn, tokenArn, mapArn, retryArn]) await contiguous(arn)
  })

  it('closes a token whose heartbeat expired while the process was down, once listeners are attached', async () => {
    const arn = await start(
      'restart-heartbeat',
      { StartAt: 'Ask', States: { Ask: { ...park('$.key'), HeartbeatSeconds: 60, End: true } } },
      { key: 'expires' },
    )
    const token = await until(() => tokens.expires)
    await t.stopEngine()
    await t.clock.advance(120_000)
    const engine = await t.restart({ lambdas, resume: false })
    const closed: unknown[] = []
    engine.events.on('tokenClosed', (e) => closed.push(e))
    await engine.resumeAll()
    const d = await engine.awaitExecution(arn)
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.Timeout' })
    expect(closed).toEqual([{ token, executionArn: arn, stateName: 'Ask', reason: 'TIMED_OUT' }])
  })
})
