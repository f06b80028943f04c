/**
 * Loading a form definition from outside (a file, an upload, a test): its shape is checked
 * with the zod schema, then it is compiled (`compile.ts` checks its meaning). Synchronous,
 * so it imports JSONata itself; the browser, which receives definitions the server checked,
 * uses `prepareFormDefinition` instead and loads neither zod nor, for forms without
 * expressions, JSONata.
 */
import jsonata from 'jsonata'
import { type CompiledForm, compileForm, type FormCheck, FormDefinitionError, formatPath } from './compile.js'
import { useExpressionLanguage } from './expressions.js'
import type { FormDefinition } from './schema.js'
import { formDefinitionSchema } from './schema.js'

useExpressionLanguage(jsonata)

/** The zod schema as a shape check: the parsed definition, or every problem by path. */
function checkShape(input: unknown): FormCheck {
  const parsed = formDefinitionSchema.safeParse(input)
  if (parsed.success) return { ok: true, definition: parsed.data }
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
  }
}

/** Checks a definition (object or JSON text) without throwing. */
export function checkFormDefinition(json: unknown): FormCheck {
  const result = compileForm(json, checkShape)
  return result.ok ? { ok: true, definition: result.form.definition } : result
}

/**
 * Checks and compiles a definition (object or JSON text); returns the checked definition
 * or throws {@link FormDefinitionError} naming every problem by path.
 */
export function parseFormDefinition(json: unknown, formName?: string): FormDefinition {
  return checkedForm(json, formName).definition
}

/** Checks and compiles a definition; the compiled form, or throws {@link FormDefinitionError}. */
export function checkedForm(json: unknown, formName?: string): CompiledForm {
  const result = compileForm(json, checkShape)
  if (!result.ok) throw new FormDefinitionError(result.issues, formName)
  return result.form
}
