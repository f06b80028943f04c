import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { definitionProblems, definitionsProblems } from '../../infra/local/engine/validate.js'

/**
 * Every definition recorded against AWS (fixtures/README.md) was accepted by AWS, so the
 * local validation must accept it too: 59 execution cases and 16 intrinsic-function cases.
 */
const load = (file: string): { id: string; title: string; definition: unknown }[] =>
  JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8'))

const cases = [...load('aws-recorded-executions.json'), ...load('aws-recorded-intrinsics.json')]

describe('definitions recorded against AWS pass validation', () => {
  let problems: string[][] = []
  beforeAll(() => {
    problems = definitionsProblems(cases.map((c) => c.definition))
  }, 60_000)

  it('has all 59 execution cases and 16 intrinsic cases', () => {
    expect(cases.filter((c) => c.id.startsWith('LS-'))).toHaveLength(59)
    expect(cases.filter((c) => c.id.startsWith('IF-'))).toHaveLength(16)
  })

  cases.forEach((c, i) => {
    it(`${c.id} ${c.title}`, () => {
      expect(problems[i]).toEqual([])
    })
  })

  it('gives the same answer one by one (LS-42 literal arrays with null, LS-51 JSONata literals)', () => {
    for (const id of ['LS-42', 'LS-51']) {
      const c = cases.find((x) => x.id === id)!
      // a changed Comment defeats the cache, so asl-validator really runs on this one alone
      const copy = { ...(c.definition as object), Comment: `alone ${id}` }
      expect(definitionProblems(copy)).toEqual([])
    }
  }, 30_000)
})
