import { dirname, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { StepDeps } from '../../functions/steps/deps.js'
import { stepByFunction } from '../../functions/steps/registry.js'
import { isStepHandler, type StepHandler } from '../../functions/steps/step.js'
import type { LambdaHandler } from './engine/resources.js'

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/**
 * The registry's steps as the local engine invokes them: the module Lambda runs
 * (`functions/steps/registry.ts` names its entry), called in-process with the local
 * composition's dependencies instead of the ones a Lambda container builds for itself.
 * Unknown names answer undefined (the engine then reports the function as not found).
 */
export function localSteps(deps: () => StepDeps): (functionName: string) => LambdaHandler | undefined {
  const loaded = new Map<string, Promise<StepHandler<unknown>>>()
  const load = (entry: string) => {
    let p = loaded.get(entry)
    if (!p) {
      p = import(pathToFileURL(resolve(REPO_ROOT, entry)).href).then((m: { handler?: unknown }) => {
        if (!isStepHandler(m.handler))
          throw new Error(`${entry} does not export a step (defineStep) as handler`)
        return m.handler
      })
      loaded.set(entry, p)
    }
    return p
  }
  return (functionName) => {
    const spec = stepByFunction(functionName)
    if (!spec) return undefined
    return async (event) => (await load(spec.entry)).invoke(event, deps())
  }
}
