import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { EngineOptions } from '../../../infra/local/engine/engine.js'
import { Run } from '../../../infra/local/engine/run.js'
import { ROLE, type TestEngine, testEngine, until } from './support.js'

/**
 * Executions whose threads all rest (task tokens, Waits, Retry delays) leave the engine's
 * memory and come back from the store when a token is answered or heart-beaten, when they
 * are stopped or when their earliest timer is due; their history reads as if they had
 * stayed (no events added, none lost).
 */

const tokens: Record<string, string> = {}
/**
 * The run of each execution whose task passed its ARN, held weakly: taken from the engine's
 * runs in memory while its task is invoked (the run is in memory then), so that the test
 * holds nothing that keeps it alive.
 */
const runRefs = new Map<string, WeakRef<Run>>()
const lambdas: EngineOptions['lambdas'] = {
  'ismsflow-test-park': (e) => {
    const { key, token, arn } = z
      .object({ key: z.string(), token: z.string(), arn: z.string().optional() })
      .parse(e)
    tokens[key] = token
    if (arn) {
      const runs: unknown = Reflect.get(t.engine, 'runs')
      const run = runs instanceof Map ? runs.get(arn) : undefined
      if (run instanceof Run) runRefs.set(arn, new WeakRef(run))
    }
    return null
  },
}

/**
 * A full garbage collection (V8's `gc`, exposed to a fresh context only). Asked for after a
 * macrotask, so that no WeakRef made or read in the current job keeps its target.
 */
async function collectGarbage() {
  setFlagsFromString('--expose-gc')
  const gc: unknown = runInNewContext('gc')
  if (typeof gc !== 'function') throw new Error('gc is not exposed')
  await new Promise((r) => setImmediate(r))
  gc()
}

let t: TestEngine
beforeAll(async () => {
  t = await testEngine({ lambdas, unloadAfterMs: 50 })
})
afterAll(async () => {
  await t.close()
})

const json = (v: unknown) => JSON.stringify(v)
const park = (key: string, extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Parameters: { FunctionName: 'ismsflow-test-park', Payload: { 'key.$': key, 'token.$': '$$.Task.Token' } },
  ...extra,
})

async function start(name: string, definition: unknown, input: unknown = {}) {
  const { stateMachineArn } = await t.engine.createStateMachine({
    name,
    definition: json(definition),
    roleArn: ROLE,
  })
  return (await t.engine.startExecution({ stateMachineArn, input: json(input) })).executionArn
}

/** Resolves once no execution of the engine is held in memory any more. */
const allUnloaded = () => until(() => t.engine.inMemory === 0, 30_000)

async function types(executionArn: string) {
  const events = await t.engine.history(executionArn)
  expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1))
  return events.map((e) => e.type)
}

describe('unloading resting executions', () => {
  it('answers a token of an unloaded execution, which goes on as if it had stayed', async () => {
    const arn = await start(
      'unload-token',
      {
        StartAt: 'Ask',
        States: { Ask: { ...park('$.key'), Next: 'Done' }, Done: { Type: 'Pass', End: true } },
      },
      { key: 'single' },
    )
    await until(() => tokens.single)
    await allUnloaded()
    expect(t.engine.running).toBe(1)
    expect((await t.engine.describeExecution({ executionArn: arn })).status).toBe('RUNNING')
    const closed = t.engine.awaitExecution(arn)
    await t.engine.sendTaskSuccess({ taskToken: tokens.single, output: json({ ok: true }) })
    expect((await closed).output).toBe('{"ok":true}')
    expect(await types(arn)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ])
    // The token is spent, wherever its execution is.
    await expect(t.engine.sendTaskSuccess({ taskToken: tokens.single, output: '{}' })).rejects.toMatchObject({
      code: 'TaskDoesNotExist',
    })
    expect(t.engine.running).toBe(0)
  })

  it('answers the tokens of a Parallel one at a time and together, unloading in between', async () => {
    const arn = await start('unload-parallel', {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [0, 1, 2].map((i) => ({
            StartAt: `Ask${i}`,
            States: { [`Ask${i}`]: { ...park(`States.Format('par-{}', ${i})`), End: true } },
          })),
          End: true,
        },
      },
    })
    await until(() => tokens['par-0'] && tokens['par-1'] && tokens['par-2'])
    await allUnloaded()
    await t.engine.sendTaskSuccess({ taskToken: tokens['par-0'], output: json(0) })
    await allUnloaded()
    // Two answers at once: the execution is resumed once and both are delivered.
    await Promise.all([
      t.engine.sendTaskSuccess({ taskToken: tokens['par-1'], output: json(1) }),
      t.engine.sendTaskSuccess({ taskToken: tokens['par-2'], output: json(2) }),
    ])
    const done = await t.engine.awaitExecution(arn)
    expect(done.status).toBe('SUCCEEDED')
    expect(done.output).toBe('[0,1,2]')
    await types(arn)
  })

  it('comes back for its Wait when the clock gets there', async () => {
    const arn = await start('unload-wait', {
      StartAt: 'Month',
      States: {
        Month: { Type: 'Wait', Seconds: 30 * 86_400, Next: 'Done' },
        Done: { Type: 'Pass', End: true },
      },
    })
    await until(async () => (await types(arn)).includes('WaitStateEntered'))
    await allUnloaded()
    await t.clock.advance(29 * 86_400_000)
    expect((await t.engine.describeExecution({ executionArn: arn })).status).toBe('RUNNING')
    await t.clock.advance(86_400_000)
    expect((await t.engine.awaitExecution(arn)).status).toBe('SUCCEEDED')
    expect(await types(arn)).toEqual([
      'ExecutionStarted',
      'WaitStateEntered',
      'WaitStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ])
  })

  it('comes back for a task timeout and a missed heartbeat; a heartbeat reaches an unloaded task', async () => {
    const timeoutArn = await start(
      'unload-timeout',
      {
        StartAt: 'Ask',
        States: {
          Ask: {
            ...park('$.key', { TimeoutSeconds: 3600 }),
            Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Late' }],
            End: true,
          },
          Late: { Type: 'Pass', Result: 'late', End: true },
        },
      },
      { key: 'timeout' },
    )
    const heartbeatArn = await start(
      'unload-heartbeat',
      { StartAt: 'Ask', States: { Ask: { ...park('$.key', { HeartbeatSeconds: 600 }), End: true } } },
      { key: 'heartbeat' },
    )
    await until(() => tokens.timeout && tokens.heartbeat)
    await allUnloaded()
    await t.clock.advance(500_000)
    await t.engine.sendTaskHeartbeat({ taskToken: tokens.heartbeat })
    await allUnloaded()
    // 1,000 s after the start: the heartbeat at 500 s keeps the task alive until 1,100 s.
    await t.clock.advance(500_000)
    expect((await t.engine.describeExecution({ executionArn: heartbeatArn })).status).toBe('RUNNING')
    await t.clock.advance(3_000_000)
    const late = await t.engine.awaitExecution(timeoutArn)
    expect(late.output).toBe('"late"')
    const missed = await t.engine.awaitExecution(heartbeatArn)
    expect(missed.status).toBe('FAILED')
    expect(missed.error).toBe('States.Timeout')
    await expect(t.engine.sendTaskSuccess({ taskToken: tokens.timeout, output: '{}' })).rejects.toMatchObject(
      { code: 'TaskTimedOut' },
    )
  })

  it('stops an unloaded execution: its task is aborted and its token closed', async () => {
    const arn = await start(
      'unload-stop',
      { StartAt: 'Ask', States: { Ask: { ...park('$.key'), End: true } } },
      { key: 'stop' },
    )
    await until(() => tokens.stop)
    await allUnloaded()
    await t.engine.stopExecution({ executionArn: arn, error: 'Bench', cause: 'no longer needed' })
    const stopped = await t.engine.describeExecution({ executionArn: arn })
    expect(stopped.status).toBe('ABORTED')
    expect(await types(arn)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskStateAborted',
      'ExecutionAborted',
    ])
    await expect(t.engine.sendTaskSuccess({ taskToken: tokens.stop, output: '{}' })).rejects.toMatchObject({
      code: 'TaskDoesNotExist',
    })
  })

  it('keeps nothing of an unloaded execution in memory, also while its timer waits', async () => {
    // An approval's escalation: a task with TimeoutSeconds, so each unloaded execution keeps a
    // wake-up in the clock's queue. That wake-up once closed over the whole run.
    const definition = {
      StartAt: 'Ask',
      States: {
        Ask: {
          ...park('$.key', { TimeoutSeconds: 7 * 86_400 }),
          Parameters: {
            FunctionName: 'ismsflow-test-park',
            Payload: { 'key.$': '$.key', 'token.$': '$$.Task.Token', 'arn.$': '$$.Execution.Id' },
          },
          End: true,
        },
      },
    }
    const { stateMachineArn } = await t.engine.createStateMachine({
      name: 'unload-memory',
      definition: json(definition),
      roleArn: ROLE,
    })
    await allUnloaded()
    const keys = Array.from({ length: 20 }, (_, i) => `memory-${i}`)
    const arns = await Promise.all(
      keys.map(
        async (key) =>
          (await t.engine.startExecution({ stateMachineArn, input: json({ key }) })).executionArn,
      ),
    )
    await until(() => keys.every((k) => tokens[k]))
    await allUnloaded()
    expect(t.engine.running).toBe(20)
    // Each execution's run was seen in memory; after a collection none of them is reachable.
    // (Counting every reachable Run with v8.queryObjects walked the whole heap of the worker,
    // seconds in a full run; a collection and twenty WeakRefs prove the same of these runs.)
    expect([...runRefs.keys()].sort()).toEqual([...arns].sort())
    await collectGarbage()
    expect(arns.filter((arn) => runRefs.get(arn)?.deref() !== undefined)).toEqual([])
    // And each still goes on when answered.
    await Promise.all(keys.map((k) => t.engine.sendTaskSuccess({ taskToken: tokens[k], output: json(k) })))
    for (const [i, arn] of arns.entries())
      expect((await t.engine.awaitExecution(arn)).output).toBe(json(keys[i]))
  })

  it('resumes unloaded executions after a restart like any other', async () => {
    const arn = await start(
      'unload-restart',
      { StartAt: 'Ask', States: { Ask: { ...park('$.key'), End: true } } },
      { key: 'restart' },
    )
    await until(() => tokens.restart)
    await allUnloaded()
    await t.stopEngine()
    await t.restart({ lambdas, unloadAfterMs: 50 })
    expect(t.engine.running).toBe(1)
    await allUnloaded()
    await t.engine.sendTaskSuccess({ taskToken: tokens.restart, output: json('after') })
    expect((await t.engine.awaitExecution(arn)).output).toBe('"after"')
  })
})
