import { z } from 'zod'

/** Every JSON Schema this module generated, so the document's test can tell them from hand-written ones. */
const generated = new WeakSet<object>()

/**
 * The JSON Schema (2020-12, as OpenAPI 3.1 uses) of a zod schema. `input` describes what a
 * request may send (defaults optional, transforms' input side), `output` what an answer holds.
 * Checks the schema cannot state (refinements) are left to the route's own validation.
 */
export function jsonSchema(
  schema: z.ZodType,
  io: 'input' | 'output' = 'output',
): z.core.JSONSchema.BaseSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', reused: 'inline' })
  generated.add(rest)
  return rest
}

/** Whether a schema of the document was generated from zod (the test of the document asks). */
export const isGenerated = (schema: unknown): boolean =>
  typeof schema === 'object' && schema !== null && generated.has(schema)

/**
 * A JSON request body described by the zod schema the route validates it with
 * (`jsonBody(c, schema)`): one schema, used by the route and by this document.
 */
export function body(schema: z.ZodType, description = 'JSON body') {
  return {
    required: true,
    description,
    content: { 'application/json': { schema: jsonSchema(schema, 'input') } },
  }
}

/**
 * The query parameters of the zod object the route validates its query with (`queryParams(c, schema)`),
 * with optional descriptions by name.
 */
export function queryParameters(schema: z.ZodType, descriptions: Record<string, string> = {}) {
  const object = jsonSchema(schema, 'input')
  const required = new Set(object.required ?? [])
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const generatedProperty = typeof property === 'object' ? { ...property } : {}
    generated.add(generatedProperty)
    return {
      name,
      in: 'query',
      ...(required.has(name) ? { required: true } : {}),
      ...(descriptions[name] ? { description: descriptions[name] } : {}),
      schema: generatedProperty,
    }
  })
}

/** The `components.schemas` of named zod schemas (answers), generated as `output`. */
export function componentSchemas(schemas: Record<string, z.ZodType>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(schemas).map(([name, schema]) => [name, jsonSchema(schema, 'output')]),
  )
}
