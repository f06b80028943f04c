import type { Context } from 'hono'
import type { z } from 'zod'
import { UnsupportedMediaTypeError, validationError } from '../domain/errors.js'
import { unsafeTextFields } from '../domain/text-safety.js'
import { zodFields } from './errors.js'

/**
 * Reads and validates a JSON body: 415 without a JSON content type, 400 for malformed
 * JSON, 400 naming each string with a refused character (`unsafeTextFields`: control and
 * direction characters, lone surrogates) and each failing field (unknown fields included
 * when the schema is strict).
 */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header('content-type') ?? ''
  if (!type.toLowerCase().startsWith('application/json'))
    throw new UnsupportedMediaTypeError('Send the body as application/json.')
  let raw: unknown
  try {
    raw = await c.req.json()
  } catch {
    throw validationError({ '(body)': 'is not valid JSON' }, 'The request body is not valid JSON.')
  }
  const unsafe = unsafeTextFields(raw)
  if (Object.keys(unsafe).length)
    throw validationError(unsafe, 'The request contains characters that are not allowed in text.')
  const parsed = schema.safeParse(raw)
  if (!parsed.success) throw validationError(zodFields(parsed.error))
  return parsed.data
}

/** Validates query parameters the same way. */
export function queryParams<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const unsafe = unsafeTextFields(c.req.query())
  if (Object.keys(unsafe).length)
    throw validationError(unsafe, 'The query contains characters that are not allowed in text.')
  const parsed = schema.safeParse(c.req.query())
  if (!parsed.success) throw validationError(zodFields(parsed.error), 'The query has invalid parameters.')
  return parsed.data
}
