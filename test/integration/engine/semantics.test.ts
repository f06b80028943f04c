import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Clock, createClock } from '../../../infra/local/clock.js'
import { createEngine, type Engine } from '../../../infra/local/engine/engine.js'
import { errorMatches, retryDelayMs } from '../../../infra/local/engine/retry.js'
import { ROLE } from './support.js'

/**
 * Semantics beyond the recorded cases, on the in-memory engine: JSONata's extra functions,
 * Retry delays, which errors States.ALL/States.TaskFailed match, ResultPath and payload
 * limits, variable scoping with Catch, Choice operators, Wait limits.
 */

let clock: Clock
let engine: Engine
let n = 0

beforeAll(async () => {
  clock = createClock()
  engine = await createEngine({ clock, log: () => {} })
})
afterAll(async () => {
  await engine.close()
  clock.stop()
})

async function run(definition: unknown, input: unknown = {}) {
  const { stateMachineArn } = await engine.createStateMachine({
    name: `sem-${++n}`,
    definition: JSON.stringify(definition),
    roleArn: ROLE,
  })
  const { executionArn } = await engine.startExecution({ stateMachineArn, input: JSON.stringify(input) })
  let done = false
  const p = engine.awaitExecution(executionArn).then((d) => {
    done = true
    return d
  })
  for (let i = 0; i < 100 && !done; i++) await clock.advance(1000)
  const d = await p
  return { ...d, value: d.output === undefined ? undefined : JSON.parse(d.output) }
}

const pass = (Output: unknown) => ({
  QueryLanguage: 'JSONata',
  StartAt: 'P',
  States: { P: { Type: 'Pass', Output, End: true } },
})

describe('JSONata extra functions', () => {
  it('partitions, ranges, hashes, parses, and draws seeded randoms', async () => {
    const d = await run(
      pass({
        parts: '{% $partition([1,2,3,4,5], 2) %}',
        range: '{% $range(0, 10, 5) %}',
        hash: "{% $hash('abc', 'SHA-256') %}",
        parsed: '{% $parse(\'{"a":[1]}\') %}',
        r1: '{% $random(7) %}',
        r2: '{% $random(7) %}',
        uuid: '{% $uuid() %}',
      }),
    )
    expect(d.status).toBe('SUCCEEDED')
    expect(d.value.parts).toEqual([[1, 2], [3, 4], [5]])
    expect(d.value.range).toEqual([0, 5, 10])
    expect(d.value.hash).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    expect(d.value.parsed).toEqual({ a: [1] })
    expect(d.value.r1).toBe(d.value.r2)
    expect(d.value.r1).toBeGreaterThanOrEqual(0)
    expect(d.value.r1).toBeLessThan(1)
    expect(d.value.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('fails with States.QueryEvaluationError on a bad expression', async () => {
    const d = await run(pass("{% $parse('not json') %}"))
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' })
    expect(d.cause).toContain("state 'P'")
  })
})

describe('Retry and Catch rules', () => {
  it('computes delays with backoff, a cap and full jitter', () => {
    expect(retryDelayMs({ IntervalSeconds: 2, BackoffRate: 3 }, 3)).toBe(18_000)
    expect(retryDelayMs({ IntervalSeconds: 2, BackoffRate: 3, MaxDelaySeconds: 5 }, 3)).toBe(5_000)
    expect(retryDelayMs({}, 1)).toBe(1_000)
    expect(retryDelayMs({ IntervalSeconds: 10, JitterStrategy: 'FULL' }, 1, () => 0.25)).toBe(2_500)
  })

  it('States.ALL skips States.Runtime and DataLimitExceeded; TaskFailed skips Timeout', () => {
    expect(errorMatches(['States.ALL'], 'Custom')).toBe(true)
    expect(errorMatches(['States.ALL'], 'States.Runtime')).toBe(false)
    expect(errorMatches(['States.ALL'], 'States.DataLimitExceeded')).toBe(false)
    expect(errorMatches(['States.DataLimitExceeded'], 'States.DataLimitExceeded')).toBe(true)
    expect(errorMatches(['States.Runtime'], 'States.Runtime')).toBe(false)
    expect(errorMatches(['States.TaskFailed'], 'States.Timeout')).toBe(false)
    expect(errorMatches(['States.TaskFailed'], 'Lambda.Unknown')).toBe(true)
  })

  it('catches a ResultPath that cannot be applied', async () => {
    const d = await run(
      {
        StartAt: 'Bad',
        States: {
          Bad: {
            Type: 'Parallel',
            Branches: [{ StartAt: 'X', States: { X: { Type: 'Pass', End: true } } }],
            ResultPath: '$.a.b',
            Catch: [
              { ErrorEquals: ['States.ResultPathMatchFailure'], ResultPath: '$.error', Next: 'Caught' },
            ],
            End: true,
          },
          Caught: { Type: 'Pass', End: true },
        },
      },
      { a: 'not an object' },
    )
    expect(d.status).toBe('SUCCEEDED')
    expect(d.value.error.Error).toBe('States.ResultPathMatchFailure')
  })

  it('fails an execution whose state output exceeds 256 KiB, States.ALL notwithstanding', async () => {
    const d = await run(
      {
        StartAt: 'Big',
        States: {
          Big: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'X', States: { X: { Type: 'Pass', End: true } } },
              { StartAt: 'Y', States: { Y: { Type: 'Pass', End: true } } },
            ],
            Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
            End: true,
          },
          Caught: { Type: 'Pass', End: true },
        },
      },
      { text: 'x'.repeat(140_000) },
    )
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' })
  })

  it("a Map's Catch assigns in the outer scope; Assign sees values from state entry", async () => {
    const d = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { x: 1, y: 2 }, Next: 'Swap' },
        Swap: { Type: 'Pass', Assign: { x: '{% $y %}', y: '{% $x %}' }, Next: 'Each' },
        Each: {
          Type: 'Map',
          Items: '{% [1, 2] %}',
          ItemProcessor: { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Nope' } } },
          Catch: [
            { ErrorEquals: ['Nope'], Assign: { caught: '{% $states.errorOutput.Error %}' }, Next: 'Done' },
          ],
          End: true,
        },
        Done: { Type: 'Pass', Output: { x: '{% $x %}', y: '{% $y %}', caught: '{% $caught %}' }, End: true },
      },
    })
    expect(d.value).toEqual({ x: 2, y: 1, caught: 'Nope' })
  })
})

describe('variables', () => {
  it('counts a reassigned variable once toward the 10 MiB total', async () => {
    const d = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { i: 0 }, Next: 'Fill' },
        Fill: {
          Type: 'Pass',
          Assign: { big: "{% $pad('', 200000, 'x') %}", i: '{% $i + 1 %}' },
          Next: 'Loop',
        },
        Loop: { Type: 'Choice', Choices: [{ Condition: '{% $i < 60 %}', Next: 'Fill' }], Default: 'Done' },
        Done: { Type: 'Pass', Output: { i: '{% $i %}', length: '{% $length($big) %}' }, End: true },
      },
    })
    expect(d.value).toEqual({ i: 60, length: 200_000 })
  })
})

describe('Choice and Wait', () => {
  it('matches wildcards with escapes, timestamps and presence', async () => {
    const rule = (r: Record<string, unknown>, next: string) => ({ ...r, Next: next })
    const d = await run(
      {
        StartAt: 'C',
        States: {
          C: {
            Type: 'Choice',
            Choices: [
              rule({ Variable: '$.missing', IsPresent: true }, 'Wrong'),
              rule({ Variable: '$.name', StringMatches: 'log-\\*-*' }, 'Star'),
              rule({ Variable: '$.when', TimestampGreaterThan: '2024-01-01T00:00:00Z' }, 'Wrong'),
            ],
            Default: 'Wrong',
          },
          Star: {
            Type: 'Choice',
            Choices: [rule({ Variable: '$.when', TimestampLessThanPath: '$.later' }, 'Right')],
            Default: 'Wrong',
          },
          Right: { Type: 'Pass', Result: 'right', End: true },
          Wrong: { Type: 'Pass', Result: 'wrong', End: true },
        },
      },
      { name: 'log-*-2024', when: '2023-06-01T10:00:00.123456Z', later: '2023-06-01T10:00:01+00:00' },
    )
    expect(d.value).toBe('right')
  })

  it('fails on no match without Default (States.NoChoiceMatched)', async () => {
    const d = await run(
      {
        StartAt: 'C',
        States: {
          C: { Type: 'Choice', Choices: [{ Variable: '$.a', NumericEquals: 1, Next: 'E' }] },
          E: { Type: 'Succeed' },
        },
      },
      { a: 2 },
    )
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.NoChoiceMatched' })
  })

  it('continues at once for a past timestamp and refuses a delay of 24,856 days', async () => {
    const past = await run(
      { StartAt: 'W', States: { W: { Type: 'Wait', TimestampPath: '$.t', End: true } } },
      { t: '2001-01-01T00:00:00Z' },
    )
    expect(past.status).toBe('SUCCEEDED')
    const far = await run(
      { StartAt: 'W', States: { W: { Type: 'Wait', SecondsPath: '$.s', End: true } } },
      { s: 24_856 * 86_400 },
    )
    expect(far).toMatchObject({ status: 'FAILED', error: 'States.Runtime' })
  })
})
