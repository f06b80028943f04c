import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { cachedSchema } from '../../../infra/local/engine/asl-validator.js'

/**
 * asl-validator's schema loaded from Ajv's generated code on disk answers as the schema Ajv has
 * just compiled: the same verdict and the same errors, for valid definitions and for one broken
 * in each of the schema's custom formats (paths, payload templates, JSONata, ARNs, dates).
 */
const dir = mkdtempSync(join(tmpdir(), 'ismsflow-asl-cache-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const pass = { Type: 'Pass', End: true }
/** A machine of one state; the state names its query language, as `aslValidate` fills it in. */
const machine = (state: Record<string, unknown>, top: { QueryLanguage?: string } = {}) => ({
  ...top,
  StartAt: 'S',
  States: { S: { QueryLanguage: top.QueryLanguage ?? 'JSONPath', ...state } },
})

const DEFINITIONS: Record<string, unknown> = {
  valid: machine({ ...pass, InputPath: '$.a', ResultPath: '$.b', Parameters: { 'x.$': '$.c' } }),
  validJsonata: machine({ ...pass, Output: '{% $states.input.a %}' }, { QueryLanguage: 'JSONata' }),
  validTask: machine({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true }),
  validWait: machine({ Type: 'Wait', Timestamp: '2030-01-01T00:00:00Z', End: true }),
  noStartAt: { States: { S: { ...pass, QueryLanguage: 'JSONPath' } } },
  unknownType: machine({ Type: 'Nap', End: true }),
  badPath: machine({ ...pass, InputPath: '$..[' }),
  badResultPath: machine({ ...pass, ResultPath: '$.a[*]' }),
  badTemplate: machine({ ...pass, Parameters: { 'x.$': 'not a path' } }),
  badJsonata: machine({ ...pass, Output: '{% $states.input.( %}' }, { QueryLanguage: 'JSONata' }),
  badArn: machine({ Type: 'Task', Resource: 'not-an-arn', End: true }),
  badTimestamp: machine({ Type: 'Wait', Timestamp: 'tomorrow', End: true }),
}

/** Each definition's verdict and errors under `validate`. */
const verdicts = (validate: ReturnType<typeof cachedSchema>['validate']) =>
  Object.fromEntries(
    Object.entries(DEFINITIONS).map(([name, d]) => {
      const ok = validate(structuredClone(d))
      return [name, { ok, errors: validate.errors ?? null }]
    }),
  )

describe("asl-validator's schema from the code cache", () => {
  it('compiles once, stores the code, and the stored code answers as the compiled schema', () => {
    const compiled = cachedSchema(dir)
    expect(compiled.source).toBe('compiled')
    expect(readdirSync(dir).filter((f) => f.endsWith('.cjs'))).toHaveLength(1)
    const loaded = cachedSchema(dir)
    expect(loaded.source).toBe('cache')

    const expected = verdicts(compiled.validate)
    expect(
      Object.entries(expected)
        .filter(([, v]) => v.ok)
        .map(([name]) => name),
    ).toEqual(['valid', 'validJsonata', 'validTask', 'validWait'])
    for (const [name, v] of Object.entries(expected)) if (!v.ok) expect(v.errors, name).not.toEqual([])
    expect(verdicts(loaded.validate)).toEqual(expected)
  })

  it('compiles where the folder cannot be written', () => {
    const file = join(dir, 'a-file')
    writeFileSync(file, '')
    const schema = cachedSchema(join(file, 'cache'))
    expect(schema.source).toBe('compiled')
    expect(schema.validate(DEFINITIONS.valid)).toBe(true)
    expect(schema.validate(DEFINITIONS.badArn)).toBe(false)
  })
})
