/**
 * Forms and questionnaires: the definition format, its loader and the one evaluator used by
 * the browser renderer and the server alike. Pure: no I/O (the server's file loader is
 * `functions/forms/load.ts`). The browser imports `evaluation.ts`, the part without zod.
 */
export * from './evaluation.js'
export { checkFormDefinition, parseFormDefinition } from './parse.js'
export type { FormRegistry } from './registry.js'
export { createFormRegistry } from './registry.js'
export { formDefinitionSchema } from './schema.js'
