import { dashboardSchema } from '../../domain/dashboard.js'
import { json, type OpenApiFragment, protectedErrors } from './types.js'
import { componentSchemas } from './zod.js'

/** `/api/dashboard`: the home page's cards (the response schema is generated from the zod schema the route validates with). */
export const dashboardApi: OpenApiFragment[] = [
  {
    tag: {
      name: 'dashboard',
      description: 'The home page: what waits, what is due, readiness, incidents and risks, by role.',
    },
    paths: {
      '/api/dashboard': {
        get: {
          tags: ['dashboard'],
          summary:
            'The cards of the current organisation for the signed-in roles (the union of their cards, each once): waiting decisions and tasks, what is overdue or due within 7 days, certification readiness and audit dates, open incidents with their next legal clock, risks above the appetite, recent activity, what an auditor may read. Figures are read through indexes; `atLeast` marks a figure that reached the read limit',
          responses: {
            '200': json({ $ref: '#/components/schemas/Dashboard' }),
            ...protectedErrors,
          },
        },
      },
    },
    schemas: componentSchemas({ Dashboard: dashboardSchema }),
  },
]
