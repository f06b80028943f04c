import { errorResponse, json, type OpenApiFragment, protectedErrors } from './types.js'

const localized = { $ref: '#/components/schemas/Localized' }

/**
 * Workflows (list, start) and the notification outbox. `GET /api/workflows/executions/{id}`
 * is described with the tasks in `core.ts`.
 */
export const workflowsApi: OpenApiFragment[] = [
  {
    tag: {
      name: 'workflows',
      description: 'The organisation’s workflow executions; starting a generic approval or questionnaire.',
    },
    paths: {
      '/api/workflows': {
        get: {
          tags: ['workflows'],
          summary:
            'Executions of the organisation, newest first, with status and the open tasks they wait for (members: only those they have a task in or started)',
          parameters: [
            {
              name: 'status',
              in: 'query',
              schema: { type: 'string', enum: ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] },
            },
            {
              name: 'limit',
              in: 'query',
              schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
            },
            {
              name: 'cursor',
              in: 'query',
              schema: { type: 'string' },
              description: "The previous page's `cursor`: the next page",
            },
          ],
          responses: {
            '200': json({
              type: 'object',
              properties: {
                items: { type: 'array', items: { $ref: '#/components/schemas/ExecutionRow' } },
                cursor: { type: 'string', description: 'Present when there may be a next page' },
              },
            }),
            ...protectedErrors,
          },
        },
      },
      '/api/awareness/campaigns': {
        post: {
          tags: ['workflows'],
          summary:
            'Start an awareness or training campaign (A.6.3; BSIG §38): one acknowledgement task per person of the audience (iso); the same request twice starts one campaign',
          requestBody: json({
            type: 'object',
            required: ['kind', 'title', 'audience', 'dueDate'],
            additionalProperties: false,
            properties: {
              kind: { type: 'string', enum: ['policy', 'training', 'phishing'] },
              title: {
                type: 'object',
                required: ['en'],
                properties: {
                  en: { type: 'string', maxLength: 200 },
                  de: { type: 'string', maxLength: 200 },
                },
              },
              reference: { type: 'string', maxLength: 200, description: 'e.g. the policy version' },
              audience: {
                type: 'object',
                required: ['type'],
                description: '`all` members, a `role`, or a list of `people` (`userIds`); auditors never',
                properties: {
                  type: { type: 'string', enum: ['all', 'role', 'people'] },
                  role: { type: 'string', enum: ['iso', 'management', 'member'] },
                  userIds: { type: 'array', items: { type: 'string' } },
                },
              },
              dueDate: { type: 'string', format: 'date' },
              follows: {
                type: 'string',
                description: 'The campaign this one follows (the previous version)',
              },
            },
          }),
          responses: {
            '201': json({
              type: 'object',
              properties: {
                campaign: {
                  type: 'object',
                  properties: {
                    id: { type: 'string' },
                    execution: { type: 'string' },
                    people: { type: 'integer' },
                  },
                },
              },
            }),
            ...protectedErrors,
          },
        },
      },
      '/api/workflows/start': {
        post: {
          tags: ['workflows'],
          summary:
            'Start a generic approval (decided by management, four-eyes) or a questionnaire for a person or role (iso)',
          requestBody: json({
            type: 'object',
            required: ['type', 'title', 'dueDate'],
            additionalProperties: false,
            properties: {
              type: { type: 'string', enum: ['approval', 'questionnaire'] },
              title: {
                type: 'object',
                required: ['en'],
                properties: {
                  en: { type: 'string', maxLength: 200 },
                  de: { type: 'string', maxLength: 200 },
                },
              },
              formId: {
                type: 'string',
                description: 'questionnaire only; a form without a decision question',
              },
              assignee: {
                type: 'object',
                description:
                  'questionnaire only: a member (`userId`) or a role (`iso`, `management`, `member`)',
                properties: {
                  userId: { type: 'string' },
                  role: { type: 'string', enum: ['iso', 'management', 'member'] },
                },
              },
              dueDate: { type: 'string', format: 'date', description: 'after today, within a year' },
              reference: { type: 'string', maxLength: 200 },
              details: { type: 'string', maxLength: 4000 },
            },
          }),
          responses: {
            '201': json(
              {
                type: 'object',
                properties: {
                  execution: {
                    type: 'object',
                    properties: { id: { type: 'string' }, executionArn: { type: 'string' } },
                  },
                },
              },
              'Started',
            ),
            ...protectedErrors,
          },
        },
      },
      '/api/workflows/forms': {
        get: {
          tags: ['workflows'],
          summary: 'Forms a questionnaire can use (no decision forms) (iso)',
          responses: { '200': json({ type: 'object' }), ...protectedErrors },
        },
      },
      '/api/workflows/people': {
        get: {
          tags: ['workflows'],
          summary: 'Members of the organisation with names and roles (assignees, delegation)',
          responses: { '200': json({ type: 'object' }), ...protectedErrors },
        },
      },
    },
    schemas: {
      ExecutionRow: {
        type: 'object',
        properties: {
          id: { type: 'string', description: '`<state machine name>:<execution name>`' },
          workflow: { type: 'string' },
          title: localized,
          status: { type: 'string' },
          startedAt: { type: 'string', format: 'date-time' },
          stoppedAt: { type: 'string', format: 'date-time' },
          startedByName: { type: 'string' },
          current: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                taskId: { type: 'string' },
                title: localized,
                assignee: { type: 'string', description: 'a name, or `role:<role>`' },
              },
            },
          },
        },
      },
    },
  },
  {
    tag: { name: 'notifications', description: 'The organisation’s outbox: task reminders and escalations.' },
    paths: {
      '/api/notifications': {
        get: {
          tags: ['notifications'],
          summary: 'The outbox, newest first (iso)',
          parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500 } }],
          responses: {
            '200': json({ type: 'object' }),
            '401': errorResponse('Not signed in.'),
            '403': errorResponse('Not the ISO.'),
          },
        },
      },
    },
  },
]
