import { detailsBody } from '../routes/bsi-registration.js'
import { errorResponse, json, type OpenApiFragment, protectedErrors } from './types.js'
import { body, jsonSchema } from './zod.js'

const text = { $ref: '#/components/schemas/Localized' }
/** The registration data, as `PUT /api/bsi-registration/details` validates it. */
const details = jsonSchema(detailsBody)
const registration = {
  type: ['object', 'null'],
  required: [
    'status',
    'statusText',
    'firstCoveredAt',
    'dueAt',
    'category',
    'details',
    'round',
    'submissions',
  ],
  properties: {
    status: { type: 'string', enum: ['open', 'registered', 'update-due', 'closed'] },
    statusText: text,
    firstCoveredAt: { type: 'string', format: 'date-time' },
    dueAt: {
      type: 'string',
      format: 'date-time',
      description: 'Three months after falling under the law (§ 33 BSIG), or after the change',
    },
    overdue: { type: 'boolean' },
    category: { type: 'string', enum: ['essential', 'important'] },
    categoryTerm: text,
    activities: { type: 'array', items: { type: 'object' } },
    section34: { type: 'boolean' },
    decisionId: { type: 'string' },
    details,
    round: { type: 'integer' },
    updateReason: text,
    closedAt: { type: 'string', format: 'date-time' },
    closedReason: text,
    submissions: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          kind: { type: 'string', enum: ['registration', 'update'] },
          round: { type: 'integer' },
          submittedOn: { type: 'string', format: 'date' },
          channel: { type: 'string' },
          reference: { type: 'string' },
          evidence: { type: 'array', items: { type: 'object' } },
          by: { type: 'string' },
          byName: { type: 'string' },
          at: { type: 'string', format: 'date-time' },
        },
      },
    },
    taskId: { type: 'string', description: 'The open task of the current round' },
  },
}

/** `/api/bsi-registration`: registration with the BSI (§ 33, § 34 BSIG). */
export const registrationApi: OpenApiFragment[] = [
  {
    tag: {
      name: 'bsi-registration',
      description:
        'Registration with the BSI (§ 33 BSIG; § 34 BSIG for certain digital entity types), opened by the obligation decision and run by the bsi-registration workflow.',
    },
    paths: {
      '/api/bsi-registration': {
        get: {
          tags: ['bsi-registration'],
          summary:
            'The organisation’s registration with the BSI (ISO, management, auditor); null when none was ever due',
          responses: {
            '200': json({ type: 'object', required: ['registration'], properties: { registration } }),
            ...protectedErrors,
          },
        },
      },
      '/api/bsi-registration/details': {
        put: {
          tags: ['bsi-registration'],
          summary:
            'The ISO changes the data kept for the BSI; after the registration a change opens an update task, while a task waits it is opened again with the new data',
          requestBody: body(detailsBody),
          responses: {
            '200': json({
              type: 'object',
              required: ['action', 'registration'],
              properties: {
                action: { type: 'string', enum: ['none', 'save', 'refresh', 'update'] },
                registration,
              },
            }),
            ...protectedErrors,
            '409': errorResponse('No registration is due (the organisation is not essential or important).'),
          },
        },
      },
    },
  },
]
