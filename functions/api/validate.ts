import type { Context } from 'hono'
import type { z } from 'zod'
import { AppError, validationError } from '../domain/errors.js'
import { zodFields } from './errors.js'

/**
 * Reads and validates a JSON body: 415 without a JSON content type, 400 for malformed
 * JSON, 400 naming each failing field (unknown fields included when the schema is strict).
 */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header('content-type') ?? ''
  if (!type.toLowerCase().startsWith('application/json'))
    throw new AppError('unsupported_media_type', 'Send the body as application/json.')
  let raw: unknown
  try {
    raw = await c.req.json()
  } catch {
    throw validationError({ '(body)': 'is not valid JSON' }, 'The request body is not valid JSON.')
  }
  const parsed = schema.safeParse(raw)
  if (!parsed.success) throw validationError(zodFields(parsed.error))
  return parsed.data
}

/** Validates query parameters the same way. */
export function queryParams<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const parsed = schema.safeParse(c.req.query())
  if (!parsed.success) throw validationError(zodFields(parsed.error), 'The query has invalid parameters.')
  return parsed.data
}
