import { auditsApi } from './audits.js'
import { awarenessApi } from './awareness.js'
import { calendarApi } from './calendar.js'
import { certificationApi } from './certification.js'
import { contextApi } from './context.js'
import { core } from './core.js'
import { dashboardApi } from './dashboard.js'
import { incidentsApi } from './incidents.js'
import { managementApi } from './management.js'
import { obligations } from './obligations.js'
import { peopleApi } from './people.js'
import { registrationApi } from './registration.js'
import { reviewsApi } from './reviews.js'
import { risks } from './risks.js'
import { searchApi } from './search.js'
import type { OpenApiFragment } from './types.js'
import { workflowsApi } from './workflows.js'

/**
 * The fragments of the OpenAPI document, one list per area. To describe a new resource,
 * write `openapi/<area>.ts` exporting `OpenApiFragment[]` and add it here.
 */
export const FRAGMENTS: OpenApiFragment[] = [
  ...core,
  ...workflowsApi,
  ...obligations,
  ...registrationApi,
  ...managementApi,
  ...risks,
  ...certificationApi,
  ...reviewsApi,
  ...calendarApi,
  ...peopleApi,
  ...incidentsApi,
  ...searchApi,
  ...dashboardApi,
  ...auditsApi,
  ...awarenessApi,
  ...contextApi,
]

/** The OpenAPI 3.1 document served at `/api/openapi.json`. */
export function openApiDocument(fragments: OpenApiFragment[] = FRAGMENTS) {
  const paths: Record<string, Record<string, unknown>> = {}
  const schemas: Record<string, unknown> = {
    Error: {
      type: 'object',
      required: ['error'],
      properties: {
        error: {
          type: 'object',
          required: ['code', 'message'],
          properties: {
            code: { type: 'string' },
            message: { type: 'string' },
            fields: { type: 'object', additionalProperties: { type: 'string' } },
            requestId: { type: 'string' },
          },
        },
      },
    },
    Localized: {
      type: 'object',
      required: ['en', 'de'],
      properties: { en: { type: 'string' }, de: { type: 'string' } },
    },
  }
  for (const f of fragments) {
    for (const [path, ops] of Object.entries(f.paths)) {
      if (paths[path])
        for (const m of Object.keys(ops))
          if (m in paths[path]) throw new Error(`OpenAPI: ${m.toUpperCase()} ${path} is described twice`)
      paths[path] = { ...paths[path], ...ops }
    }
    Object.assign(schemas, f.schemas)
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'ismsflow API',
      version: '0.1.0',
      description:
        'Obligations, risks, certification and reviews as workflows. Every record belongs to one organisation; send `x-org-id` to act in one, and `x-csrf-token` with state-changing requests.',
    },
    servers: [{ url: '/' }],
    tags: fragments.map((f) => f.tag),
    paths,
    components: {
      schemas,
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'ismsflow_session' },
        cognito: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      },
    },
    security: [{ session: [] }, { cognito: [] }],
  }
}
