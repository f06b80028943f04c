import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createApp } from '../../../functions/api/app.js'
import { createDeps } from '../../../functions/api/deps.js'
import { openApiDocument } from '../../../functions/api/openapi/index.js'
import { isGenerated } from '../../../functions/api/openapi/zod.js'
import { readConfig } from '../../../functions/config.js'

/** Hono's `/:id` → OpenAPI's `/{id}`. */
const toOpenApi = (path: string) => path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}')

describe('the OpenAPI document', () => {
  const doc = openApiDocument()

  it('is OpenAPI 3.1 with an error schema and answers for every operation', () => {
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.components.schemas).toHaveProperty('Error')
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops)) {
        expect(op, `${method} ${path}`).toHaveProperty('responses')
        expect(op, `${method} ${path}`).toHaveProperty('summary')
      }
  })

  it('describes every API route the app serves', () => {
    // No request is sent: the deps only need to exist.
    const app = createApp(
      createDeps({
        ...readConfig(),
        dynamodbEndpoint: 'http://127.0.0.1:9',
        sfnEndpoint: 'http://127.0.0.1:9',
      }),
    )
    const served = new Set(
      app.routes
        .filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL' && !r.path.includes('*'))
        .map((r) => `${r.method.toLowerCase()} ${toOpenApi(r.path)}`),
    )
    const described = new Set(
      Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`)),
    )
    expect([...served].filter((r) => !described.has(r)).sort()).toEqual([])
  })

  it('describes every JSON request body by the zod schema its route validates with', () => {
    const schemas = doc.components.schemas
    /** A schema is generated, or a reference to a generated component. */
    const fromZod = (schema: unknown): boolean => {
      const ref = reference.safeParse(schema)
      if (ref.success) return fromZod(schemas[ref.data.$ref.replace('#/components/schemas/', '')])
      return isGenerated(schema)
    }
    const handWritten: string[] = []
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops))
        for (const [type, media] of Object.entries(operation.parse(op).requestBody?.content ?? {}))
          if (type === 'application/json' && !fromZod(media.schema)) handWritten.push(`${method} ${path}`)
    expect(handWritten).toEqual([])
  })
})

/** What this test reads of an operation: its request body's media types. */
const operation = z.object({
  requestBody: z.object({ content: z.record(z.string(), z.object({ schema: z.unknown() })) }).optional(),
})
/** A reference to a component. */
const reference = z.object({ $ref: z.string() })
