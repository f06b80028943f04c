import { PARTICIPANT_STATUSES } from '../../domain/awareness/index.js'
import { reportingLineBody } from '../routes/awareness/reporting-lines.js'
import { pageQuery as awarenessPageQuery } from '../routes/awareness.js'
import { json, type OpenApiFragment, protectedErrors } from './types.js'
import { body, queryParameters } from './zod.js'

const localized = { $ref: '#/components/schemas/Localized' }
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const campaignId = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', example: 'awareness-3f2a9c0d1e4b5a6978c0d1e2' },
}
const userId = { name: 'userId', in: 'path', required: true, schema: { type: 'string' } }
const row = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    kind: { type: 'string', enum: ['policy', 'training', 'phishing'] },
    title: localized,
    reference: { type: 'string' },
    dueDate: { type: 'string', format: 'date' },
    startedAt: { type: 'string', format: 'date-time' },
    status: { type: 'string', enum: ['running', 'closed'] },
    closedAt: { type: 'string', format: 'date-time' },
    total: { type: 'integer' },
    acknowledged: { type: 'integer' },
    overdue: { type: 'integer', description: 'Not acknowledged in time (escalated)' },
    completionRate: { type: 'number', minimum: 0, maximum: 1 },
  },
}
const line = {
  type: 'object',
  properties: {
    userId: { type: 'string' },
    name: { type: 'string' },
    managerUserId: { type: 'string' },
    managerName: { type: 'string' },
  },
}

/** Awareness and training campaigns (A.6.3, A.5.1, BSIG §38(3)) and the reporting lines for escalation. */
export const awarenessApi: OpenApiFragment[] = [
  {
    tag: {
      name: 'awareness',
      description:
        'Awareness and training campaigns: the register (ISO, management, auditors read it as evidence for A.6.3 and A.5.1), one campaign with who has and has not acknowledged (a person of the campaign reads only their own line), and the reporting lines an overdue acknowledgement is escalated along. Starting one: `POST /api/awareness/campaigns`; acknowledging is a task completed through `/api/tasks/{id}/complete`.',
    },
    schemas: {
      AwarenessCampaignRow: row,
    },
    paths: {
      '/api/awareness/campaigns': {
        get: {
          tags: ['awareness'],
          summary: 'The campaign register, newest first, one page (iso, management, auditor)',
          parameters: queryParameters(awarenessPageQuery),
          responses: {
            '200': json({
              type: 'object',
              properties: {
                items: { type: 'array', items: ref('AwarenessCampaignRow') },
                cursor: { type: 'string' },
              },
            }),
            ...protectedErrors,
          },
        },
      },
      '/api/awareness/campaigns/{id}': {
        get: {
          tags: ['awareness'],
          summary:
            'One campaign with each person’s status (ISO, management and auditors: everyone; a person of the campaign: their own line; anyone else 404)',
          parameters: [campaignId],
          responses: {
            '200': json({
              allOf: [
                ref('AwarenessCampaignRow'),
                {
                  type: 'object',
                  properties: {
                    audience: { type: 'object' },
                    startedBy: { type: 'string' },
                    follows: {
                      type: 'string',
                      description: 'The campaign this one follows (earlier version)',
                    },
                    execution: {
                      type: 'string',
                      description: 'The workflow execution (`/api/workflows/{id}`)',
                    },
                    allPeople: { type: 'boolean' },
                    people: {
                      type: 'array',
                      items: {
                        type: 'object',
                        properties: {
                          userId: { type: 'string' },
                          name: { type: 'string' },
                          managerName: { type: 'string' },
                          status: { type: 'string', enum: [...PARTICIPANT_STATUSES] },
                          acknowledgedAt: { type: 'string', format: 'date-time' },
                          score: {
                            type: 'object',
                            properties: { correct: { type: 'integer' }, of: { type: 'integer' } },
                          },
                          escalatedAt: { type: 'string', format: 'date-time' },
                          followUp: { type: 'object' },
                        },
                      },
                    },
                  },
                },
              ],
            }),
            ...protectedErrors,
          },
        },
      },
      '/api/awareness/reporting-lines': {
        get: {
          tags: ['awareness'],
          summary: 'Everyone who takes part in campaigns with their manager (iso)',
          responses: {
            '200': json({ type: 'object', properties: { items: { type: 'array', items: line } } }),
            ...protectedErrors,
          },
        },
      },
      '/api/awareness/reporting-lines/{userId}': {
        put: {
          tags: ['awareness'],
          summary:
            'Set (or clear with null) the manager an overdue acknowledgement of this person is escalated to (iso)',
          parameters: [userId],
          requestBody: body(reportingLineBody),
          responses: { '200': json(line), ...protectedErrors },
        },
      },
    },
  },
]
