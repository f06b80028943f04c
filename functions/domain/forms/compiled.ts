/**
 * The compiled form of a definition for the evaluator: from the compiler's cache, else
 * checked and compiled by the server's loader (`parse.ts`, with zod and JSONata), loaded only
 * on that first need so the browser, whose definitions are prepared before, loads neither.
 * Apart from `compile.ts` so that the loader and the compiler do not import each other.
 */
import { type CompiledForm, cachedForm } from './compile.js'

/** The compiled form for a definition: cached, or checked and compiled. Throws a `FormDefinitionError`. */
export async function compiledForm(definition: unknown): Promise<CompiledForm> {
  const hit = cachedForm(definition)
  if (hit) return hit
  const { checkedForm } = await import('./parse.js')
  return checkedForm(definition)
}
