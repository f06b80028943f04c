import type { z } from 'zod'
import { type FieldErrors, validationError } from '../errors.js'
import { zodFields } from '../zod-fields.js'

/**
 * Per-field messages from a zod error, keyed by dotted path (`measures.0.dueDate`), each put
 * under an optional prefix (`matrix` → `matrix.levels.1.minScore`).
 */
export function zodFieldErrors(error: z.ZodError, prefix = ''): FieldErrors {
  const fields = zodFields(error)
  if (!prefix) return fields
  const base = prefix.replace(/\.$/, '')
  return Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [k === '(body)' ? base : `${base}.${k}`, v]),
  )
}

/** Throws a 400 naming every field in `fields`; does nothing when it is empty. */
export function throwIfInvalid(fields: FieldErrors, message?: string): void {
  if (Object.keys(fields).length > 0) throw validationError(fields, message)
}

/** Parses with a zod schema, throwing a 400 that names each failing field (under `prefix`). */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.infer<S> {
  const parsed = schema.safeParse(input)
  if (!parsed.success) throw validationError(zodFieldErrors(parsed.error, prefix))
  return parsed.data
}
