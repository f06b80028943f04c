import type { StepDeps } from '../../functions/steps/deps.js'
import { STEP_HANDLERS } from '../../functions/steps/handlers.js'
import { stepByFunction } from '../../functions/steps/registry.js'
import type { StepHandler } from '../../functions/steps/step.js'
import type { LambdaHandler } from './engine/resources.js'

/**
 * The registry's steps as the local engine invokes them: the same handlers Lambda runs
 * (imported statically, `functions/steps/handlers.ts`), called in-process with the local
 * composition's dependencies instead of the ones a Lambda container builds for itself.
 * Unknown names answer undefined (the engine then reports the function as not found).
 */
export function localSteps(
  deps: () => StepDeps,
  handlers: Readonly<Record<string, StepHandler<unknown>>> = STEP_HANDLERS,
): (functionName: string) => LambdaHandler | undefined {
  return (functionName) => {
    const spec = stepByFunction(functionName)
    const step = spec && handlers[spec.name]
    if (!step) return undefined
    return (event) => step.invoke(event, deps())
  }
}
