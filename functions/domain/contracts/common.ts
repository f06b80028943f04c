/**
 * Pieces the answers of the API share. The contracts in this folder are zod schemas of what
 * the API answers: the OpenAPI document is generated from them (`functions/api/openapi`), and
 * the web imports their types (`import type`, so no zod reaches the browser's bundle).
 */
import { z } from 'zod'

/** A text in English and German. */
export const localizedSchema = z.object({ en: z.string(), de: z.string() })

/** The roles of DESIGN.md. */
export const roleSchema = z.enum(['iso', 'management', 'member', 'auditor'])

/** A date-time as the API writes it (ISO 8601). */
export const dateTimeSchema = z.string()

/** A calendar date, `YYYY-MM-DD`. */
export const dateSchema = z.string()

/** A person named by id and display name. */
export const namedPersonSchema = z.object({ userId: z.string(), name: z.string() })
