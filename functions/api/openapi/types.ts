/** A fragment of the OpenAPI document: the paths of one resource (and its schemas). */
export interface OpenApiFragment {
  tag: { name: string; description: string }
  paths: Record<string, Record<string, unknown>>
  schemas?: Record<string, unknown>
}

/** The JSON error every route answers: `{error: {code, message, fields}}`. */
export const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
})

/** A JSON body or response with an inline or referenced schema. */
export const json = (schema: unknown, description = 'OK') => ({
  description,
  content: { 'application/json': { schema } },
})

/** Standard error answers for a protected route. */
export const protectedErrors = {
  '400': errorResponse('Invalid input; `fields` names each problem.'),
  '401': errorResponse('Not signed in.'),
  '403': errorResponse('Not allowed (role, four-eyes, CSRF).'),
  '404': errorResponse('Not found in your organisation.'),
}

/** A reference to a schema of `components.schemas`. */
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
