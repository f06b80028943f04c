import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { STEP_HANDLERS } from '../../../functions/steps/handlers.js'
import { functionName, STEP_FUNCTIONS } from '../../../functions/steps/registry.js'
import { isStepHandler } from '../../../functions/steps/step.js'
import { localSteps } from '../../../infra/local/steps.js'

const ROOT = resolve(import.meta.dirname, '../../..')

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return tsFiles(path)
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : []
  })
}

describe('the steps handed to the local engine', () => {
  it('are the registry: one handler per entry, the very one its Lambda entry exports', async () => {
    expect(Object.keys(STEP_HANDLERS).sort()).toEqual(STEP_FUNCTIONS.map((s) => s.name).sort())
    for (const spec of STEP_FUNCTIONS) {
      const module: Record<string, unknown> = await import(pathToFileURL(resolve(ROOT, spec.entry)).href)
      const handler = module.handler
      expect(isStepHandler(handler), spec.entry).toBe(true)
      expect(handler, spec.name).toBe(STEP_HANDLERS[spec.name])
    }
  })

  it('are found by Lambda name or ARN; an unknown function is not found', () => {
    const steps = localSteps(() => {
      throw new Error('deps are made only when a step runs')
    })
    for (const spec of STEP_FUNCTIONS) expect(steps(functionName(spec)), spec.name).toBeTypeOf('function')
    expect(
      steps(`arn:aws:lambda:eu-central-1:000000000000:function:${functionName(STEP_FUNCTIONS[0])}`),
    ).toBeTypeOf('function')
    expect(steps('ismsflow-no-such-step')).toBeUndefined()
  })

  it('are imported statically: the local stack loads no module by a computed path (so it can be bundled)', () => {
    const computed = tsFiles(join(ROOT, 'infra/local'))
      .filter((file) => /\bimport\(\s*(?!['"])/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file))
    expect(computed).toEqual([])
  })
})
