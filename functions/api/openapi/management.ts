import { trainingBody } from '../../domain/management/duties.js'
import { announceBody } from '../subject-evidence.js'
import { errorResponse, json, type OpenApiFragment, protectedErrors } from './types.js'
import { body } from './zod.js'

const text = { $ref: '#/components/schemas/Localized' }
const training = {
  type: 'object',
  required: ['userId', 'name', 'title', 'lastTrainingOn', 'nextDueOn'],
  properties: {
    userId: { type: 'string' },
    name: { type: 'string' },
    title: { type: 'string' },
    provider: { type: 'string' },
    lastTrainingOn: { type: 'string', format: 'date' },
    nextDueOn: { type: 'string', format: 'date' },
    certificate: {
      type: 'object',
      properties: {
        fileId: { type: 'string' },
        name: { type: 'string' },
        size: { type: 'integer' },
        contentType: { type: 'string' },
        uploadedAt: { type: 'string', format: 'date-time' },
      },
    },
    state: { type: 'string', enum: ['current', 'due-soon', 'overdue', 'missing'] },
    stateText: text,
  },
}
const approval = {
  type: ['object', 'null'],
  properties: {
    id: { type: 'string' },
    state: { type: 'string', enum: ['pending', 'approved', 'rejected', 'ended'] },
    hash: { type: 'string', description: 'SHA-256 of the approved measure set' },
    current: { type: 'boolean', description: 'Whether it is still the current measure set' },
    measures: { type: 'array', items: { type: 'object' } },
    requestedBy: { type: 'string' },
    requestedAt: { type: 'string', format: 'date-time' },
    executionId: { type: 'string' },
    decidedBy: { type: 'string' },
    decidedAt: { type: 'string', format: 'date-time' },
    comment: { type: 'string' },
  },
}
const userId = { name: 'userId', in: 'path', required: true, schema: { type: 'string' } }
const fileId = { name: 'fileId', in: 'path', required: true, schema: { type: 'string' } }
const presigned = json({
  type: 'object',
  required: ['fileId', 'url', 'fields'],
  properties: {
    fileId: { type: 'string' },
    url: { type: 'string' },
    fields: { type: 'object', additionalProperties: { type: 'string' } },
    expiresAt: { type: 'string', format: 'date-time' },
  },
})

/** `/api/management-duties`: § 38 BSIG — approval of the measures, training of the managers. */
export const managementApi: OpenApiFragment[] = [
  {
    tag: {
      name: 'management-duties',
      description:
        'Management duties under § 38 BSIG: approval of the risk-management measures (§ 30 BSIG) by the generic approval workflow (four-eyes), and a training record per manager with its certificate.',
    },
    paths: {
      '/api/management-duties': {
        get: {
          tags: ['management-duties'],
          summary:
            'The current measure set, the latest approval and each manager’s training (ISO, management, auditor)',
          responses: {
            '200': json({
              type: 'object',
              required: ['measures', 'approval', 'trainings'],
              properties: {
                measures: {
                  type: 'object',
                  properties: { count: { type: 'integer' }, hash: { type: 'string' } },
                },
                approval,
                trainings: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      userId: { type: 'string' },
                      name: { type: 'string' },
                      state: { type: 'string', enum: ['current', 'due-soon', 'overdue', 'missing'] },
                      stateText: text,
                      record: { oneOf: [training, { type: 'null' }] },
                    },
                  },
                },
              },
            }),
            ...protectedErrors,
          },
        },
      },
      '/api/management-duties/approvals': {
        post: {
          tags: ['management-duties'],
          summary:
            'The ISO asks management to approve the current measure set (§ 38 Abs. 1 BSIG); 201 started, 200 the same set was asked for already',
          responses: {
            '201': json({ type: 'object', properties: { approval } }),
            '200': json({ type: 'object', properties: { approval } }),
            ...protectedErrors,
            '409': errorResponse('No measures are planned yet.'),
          },
        },
      },
      '/api/management-duties/trainings/{userId}': {
        put: {
          tags: ['management-duties'],
          summary: 'Records a manager’s training (§ 38 Abs. 3 BSIG): the ISO, or the manager themself',
          parameters: [userId],
          requestBody: body(trainingBody),
          responses: {
            '200': json({ type: 'object', properties: { training } }),
            '201': json({ type: 'object', properties: { training } }),
            ...protectedErrors,
          },
        },
      },
      '/api/management-duties/trainings/{userId}/certificate/uploads': {
        post: {
          tags: ['management-duties'],
          summary:
            'Announces the certificate (at most 25 MB; PDF, PNG, JPEG, DOCX, XLSX, ZIP, TXT, CSV): a presigned POST',
          parameters: [userId],
          requestBody: body(announceBody),
          responses: {
            '201': presigned,
            ...protectedErrors,
            '409': errorResponse('No training recorded yet.'),
          },
        },
      },
      '/api/management-duties/trainings/{userId}/certificate/uploads/{fileId}': {
        post: {
          tags: ['management-duties'],
          summary:
            'Confirms the uploaded certificate (size, type by its first bytes, SHA-256) and keeps it with the record',
          parameters: [userId, fileId],
          responses: {
            '201': json({ type: 'object', properties: { training } }),
            '200': json({ type: 'object', properties: { training } }),
            ...protectedErrors,
          },
        },
      },
      '/api/management-duties/trainings/{userId}/certificate': {
        get: {
          tags: ['management-duties'],
          summary: 'Downloads the certificate (a redirect to a presigned GET, valid 5 minutes)',
          parameters: [userId],
          responses: { '302': { description: 'Redirect to the file' }, ...protectedErrors },
        },
      },
      '/api/management-duties/trainings/{userId}/certificate/link': {
        get: {
          tags: ['management-duties'],
          summary:
            'The presigned download of the certificate as JSON ({url, expiresInSeconds}), for pages signed in with a bearer token: fetch it, then navigate to url',
          parameters: [userId],
          responses: {
            '200': json({
              type: 'object',
              required: ['url', 'expiresInSeconds'],
              properties: { url: { type: 'string', format: 'uri' }, expiresInSeconds: { type: 'integer' } },
            }),
            ...protectedErrors,
          },
        },
      },
    },
  },
]
