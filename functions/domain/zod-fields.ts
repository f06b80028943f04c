import type { ZodError } from 'zod'
import type { FieldErrors } from './errors.js'

/** Turns a zod error into per-field messages keyed by dotted path (unknown keys named one by one). */
export function zodFields(err: ZodError): FieldErrors {
  const fields: FieldErrors = {}
  for (const issue of err.issues) {
    const base = issue.path.map(String).join('.')
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) fields[base ? `${base}.${k}` : k] = 'is not a known field'
    } else {
      fields[base || '(body)'] ??= issue.message
    }
  }
  return fields
}
