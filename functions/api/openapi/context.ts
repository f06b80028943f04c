import { ADDRESSED, ISSUE_KINDS, PARTY_CATEGORIES } from '../../domain/context/index.js'
import { errorResponse, json, type OpenApiFragment, protectedErrors } from './types.js'

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const id = { name: 'id', in: 'path', required: true, schema: { type: 'string' } }
const cursor = { name: 'cursor', in: 'query', schema: { type: 'string' } }
const body = (schema: unknown) => ({ required: true, content: { 'application/json': { schema } } })
const date = { type: 'string', format: 'date' }
const party = {
  type: 'object',
  required: ['name', 'category', 'requirements', 'addressed', 'how', 'ownerUserId', 'nextReviewOn'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', maxLength: 120 },
    category: { type: 'string', enum: [...PARTY_CATEGORIES] },
    requirements: { type: 'string', maxLength: 4000 },
    addressed: {
      type: 'string',
      enum: [...ADDRESSED],
      description: 'Whether the ISMS addresses the requirements',
    },
    how: { type: 'string', maxLength: 4000, description: 'How the ISMS addresses them, or why not' },
    feedback: { type: 'string', maxLength: 4000, description: 'Latest feedback (9.3.2 e)' },
    feedbackOn: date,
    ownerUserId: { type: 'string' },
    nextReviewOn: date,
  },
}
const issue = {
  type: 'object',
  required: ['kind', 'title', 'effect'],
  additionalProperties: false,
  properties: {
    kind: { type: 'string', enum: [...ISSUE_KINDS] },
    title: { type: 'string', maxLength: 200 },
    effect: { type: 'string', maxLength: 4000 },
  },
}
const withVersion = (schema: typeof party | typeof issue) => ({
  ...schema,
  required: [...schema.required, 'version'],
  properties: { ...schema.properties, version: { type: 'integer', description: 'The version you read' } },
})
const stored = (name: string) => ({
  allOf: [
    ref(name),
    {
      type: 'object',
      properties: { id: { type: 'string' }, version: { type: 'integer' }, updatedAt: { type: 'string' } },
    },
  ],
})
const isoWrite = { ...protectedErrors, '409': errorResponse('Changed by someone else meanwhile (version).') }

/** The context of the organisation (ISO/IEC 27001:2022 4.1, 4.2; Amd 1:2024). */
export const contextApi: OpenApiFragment[] = [
  {
    tag: {
      name: 'context',
      description:
        'The context of the organisation: interested parties with their requirements and whether the ISMS addresses them (4.2), internal and external issues (4.1) and whether climate change is a relevant issue (Amd 1:2024). The ISO writes; management and auditors read; a member reads the parties they own. The management review package takes its inputs b), c) and e) from here.',
    },
    schemas: { InterestedParty: party, ContextIssue: issue },
    paths: {
      '/api/context/parties': {
        get: {
          tags: ['context'],
          summary: 'Interested parties by name, one page (a member: the ones they own)',
          parameters: [cursor],
          responses: {
            '200': json({
              type: 'object',
              properties: {
                items: { type: 'array', items: stored('InterestedParty') },
                cursor: { type: 'string' },
              },
            }),
            ...protectedErrors,
          },
        },
        post: {
          tags: ['context'],
          summary: 'Add an interested party (iso); the same name twice is refused at `name`',
          requestBody: body(ref('InterestedParty')),
          responses: { '201': json(stored('InterestedParty')), ...protectedErrors },
        },
      },
      '/api/context/parties/{id}': {
        get: {
          tags: ['context'],
          summary: 'One interested party',
          parameters: [id],
          responses: { '200': json(stored('InterestedParty')), ...protectedErrors },
        },
        put: {
          tags: ['context'],
          summary: 'Change an interested party (iso), with the version read',
          parameters: [id],
          requestBody: body(withVersion(party)),
          responses: { '200': json(stored('InterestedParty')), ...isoWrite },
        },
        delete: {
          tags: ['context'],
          summary: 'Remove an interested party (iso)',
          parameters: [id],
          responses: { '204': { description: 'Removed' }, ...protectedErrors },
        },
      },
      '/api/context/issues': {
        get: {
          tags: ['context'],
          summary: 'Internal and external issues, one page (iso, management, auditor)',
          parameters: [cursor],
          responses: {
            '200': json({
              type: 'object',
              properties: {
                items: { type: 'array', items: stored('ContextIssue') },
                cursor: { type: 'string' },
              },
            }),
            ...protectedErrors,
          },
        },
        post: {
          tags: ['context'],
          summary: 'Add an issue (iso); the same kind and title twice is refused at `title`',
          requestBody: body(ref('ContextIssue')),
          responses: { '201': json(stored('ContextIssue')), ...protectedErrors },
        },
      },
      '/api/context/issues/{id}': {
        get: {
          tags: ['context'],
          summary: 'One issue (iso, management, auditor)',
          parameters: [id],
          responses: { '200': json(stored('ContextIssue')), ...protectedErrors },
        },
        put: {
          tags: ['context'],
          summary: 'Change an issue (iso), with the version read',
          parameters: [id],
          requestBody: body(withVersion(issue)),
          responses: { '200': json(stored('ContextIssue')), ...isoWrite },
        },
        delete: {
          tags: ['context'],
          summary: 'Remove an issue (iso)',
          parameters: [id],
          responses: { '204': { description: 'Removed' }, ...protectedErrors },
        },
      },
      '/api/context/climate': {
        get: {
          tags: ['context'],
          summary: 'Whether climate change is a relevant issue (null when not decided)',
          responses: {
            '200': json({ type: 'object', properties: { climate: { type: ['object', 'null'] } } }),
            ...protectedErrors,
          },
        },
        put: {
          tags: ['context'],
          summary: 'Decide whether climate change is a relevant issue, with the reasoning (iso)',
          requestBody: body({
            type: 'object',
            required: ['relevant', 'reasoning'],
            additionalProperties: false,
            properties: {
              relevant: { type: 'string', enum: ['yes', 'no'] },
              reasoning: { type: 'string', maxLength: 4000 },
            },
          }),
          responses: {
            '200': json({ type: 'object', properties: { climate: { type: 'object' } } }),
            ...protectedErrors,
          },
        },
      },
    },
  },
]
