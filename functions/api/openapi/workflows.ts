import { personListSchema, personSchema } from '../../domain/contracts/people.js'
import { campaignBody } from '../routes/awareness/campaigns.js'
import { listQuery as notificationListQuery } from '../routes/notifications.js'
import { startBody } from '../routes/workflows/start.js'
import { listQuery as executionListQuery } from '../routes/workflows.js'
import { errorResponse, json, type OpenApiFragment, protectedErrors, ref } from './types.js'
import { body, componentSchemas, queryParameters } from './zod.js'

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
          parameters: queryParameters(executionListQuery, {
            cursor: "The previous page's `cursor`: the next page",
          }),
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
          requestBody: body(campaignBody),
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
          requestBody: body(startBody),
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
          responses: { '200': json(ref('PersonList')), ...protectedErrors },
        },
      },
    },
    schemas: {
      ...componentSchemas({ Person: personSchema, PersonList: personListSchema }),
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
            description: 'The open tasks it waits for (the first 20 of them)',
            items: {
              type: 'object',
              properties: {
                taskId: { type: 'string' },
                title: localized,
                assignee: { type: 'string', description: 'a name, or `role:<role>`' },
              },
            },
          },
          openTasks: { type: 'integer', description: 'How many tasks it waits for in all' },
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
          summary:
            'The outbox, newest first, one page at a time (iso), with each e-mail’s delivery: a failed one is tried again by the hourly sweep (30 min, doubled each time) and stays failed after maxAttempts',
          parameters: queryParameters(notificationListQuery, {
            cursor: "The previous page's `cursor`: the next page",
          }),
          responses: {
            '200': json({
              type: 'object',
              properties: {
                items: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      id: { type: 'string' },
                      kind: { type: 'string' },
                      status: { type: 'string', enum: ['queued', 'sending', 'sent', 'retrying', 'failed'] },
                      mailed: { type: 'integer' },
                      attempts: { type: 'integer' },
                      maxAttempts: { type: 'integer' },
                      lastError: { type: 'string' },
                      nextAttemptAt: { type: 'string', format: 'date-time' },
                      createdAt: { type: 'string', format: 'date-time' },
                    },
                  },
                },
                total: { type: 'integer', description: 'How many notifications the organisation has' },
                cursor: {
                  type: 'string',
                  description: 'Where the next page begins; absent on the last page',
                },
              },
              required: ['items', 'total'],
            }),
            '401': errorResponse('Not signed in.'),
            '403': errorResponse('Not the ISO.'),
          },
        },
      },
    },
  },
]
