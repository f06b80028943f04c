import type { z } from 'zod'
import { type FieldErrors, validationError } from '../errors.js'

/**
 * Per-field messages from a zod error, keyed by dotted path (`measures.0.dueDate`), with an
 * optional prefix (`plan.`). The first message per field wins. Mirrors the API's mapper so
 * that the domain can name fields without importing server code.
 */
export function zodFieldErrors(error: z.ZodError, prefix = ''): FieldErrors {
  const fields: FieldErrors = {}
  for (const issue of error.issues) {
    const base = [prefix.replace(/\.$/, ''), ...issue.path.map(String)].filter(Boolean).join('.')
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) fields[base ? `${base}.${k}` : k] = 'is not a known field'
    } else {
      fields[base || '(body)'] ??= issue.message
    }
  }
  return fields
}

/** Throws a 400 naming every field in `fields`; does nothing when it is empty. */
export function throwIfInvalid(fields: FieldErrors, message?: string): void {
  if (Object.keys(fields).length > 0) throw validationError(fields, message)
}

/** Parses with a zod schema, throwing a 400 that names each failing field (with `prefix`). */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.infer<S> {
  const parsed = schema.safeParse(input)
  if (!parsed.success) throw validationError(zodFieldErrors(parsed.error, prefix))
  return parsed.data
}
