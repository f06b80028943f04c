import { readFileSync } from 'node:fs'
import { JSONPath } from 'jsonpath-plus'
import { describe, expect, it } from 'vitest'
import { StatesError } from '../../infra/local/engine/errors.js'
import { evaluateIntrinsic } from '../../infra/local/engine/intrinsics.js'

/**
 * The 112 intrinsic-function rows recorded against AWS (see fixtures/README.md). Each case is a
 * one-state Pass machine whose Parameters hold `"FunctionResult.$": "States.X(...)"`; each row
 * gives the execution input and the recorded outcome. Here the expression is evaluated directly
 * against the row's input and compared with the recorded `FunctionResult` (or error).
 */
interface Row {
  key: string
  input: unknown
  final_type: 'ExecutionSucceeded' | 'ExecutionFailed'
  final: { output?: Record<string, unknown>; error?: string; cause?: string }
}
interface Case {
  id: string
  title: string
  definition: { StartAt: string; States: Record<string, { Parameters?: Record<string, string> }> }
  rows: Row[]
}

const cases: Case[] = JSON.parse(
  readFileSync(new URL('./fixtures/aws-recorded-intrinsics.json', import.meta.url), 'utf8'),
)

/** Resolves a plain JSONPath against the execution input (all fixture paths are `$` or `$.x.y`). */
function resolver(input: unknown) {
  return (path: string): unknown => {
    if (path === '$') return input
    const found = JSONPath({ path, json: input as object, wrap: false })
    if (found === undefined)
      throw new StatesError('States.Runtime', `The JSONPath '${path}' could not be found`)
    return found
  }
}

/** Evaluates every `.$` Parameter of the start state, as the Pass state would. */
function run(definition: Case['definition'], input: unknown): Record<string, unknown> {
  const parameters = definition.States[definition.StartAt].Parameters ?? {}
  const output: Record<string, unknown> = {}
  for (const [key, expr] of Object.entries(parameters)) {
    if (key.endsWith('.$')) output[key.slice(0, -2)] = evaluateIntrinsic(expr, resolver(input))
    else output[key] = expr
  }
  return output
}

describe('intrinsic functions recorded against AWS', () => {
  it('has all 112 rows', () => {
    expect(cases.reduce((n, c) => n + c.rows.length, 0)).toBe(112)
  })

  for (const c of cases) {
    describe(`${c.id} ${c.title}`, () => {
      for (const row of c.rows) {
        it(`${row.key}: ${JSON.stringify(row.input)}`, () => {
          if (row.final_type === 'ExecutionSucceeded') {
            expect(run(c.definition, row.input)).toStrictEqual(row.final.output)
          } else {
            let caught: unknown
            try {
              run(c.definition, row.input)
            } catch (error) {
              caught = error
            }
            expect(caught).toBeInstanceOf(StatesError)
            expect((caught as StatesError).error).toBe(row.final.error)
          }
        })
      }
    })
  }
})
