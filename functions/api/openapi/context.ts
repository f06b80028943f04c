import { climateBody, issueBody, partyBody } from '../../domain/context/index.js'
import { pageQuery as contextPageQuery, issueUpdate, partyUpdate } from '../routes/context.js'
import { errorResponse, json, type OpenApiFragment, protectedErrors } from './types.js'
import { body, jsonSchema, queryParameters } from './zod.js'

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const id = { name: 'id', in: 'path', required: true, schema: { type: 'string' } }
const cursor = queryParameters(contextPageQuery)
const party = jsonSchema(partyBody, 'input')
const issue = jsonSchema(issueBody, 'input')
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
          parameters: cursor,
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
          requestBody: body(partyBody),
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
          requestBody: body(partyUpdate),
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
          parameters: cursor,
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
          requestBody: body(issueBody),
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
          requestBody: body(issueUpdate),
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
          requestBody: body(climateBody),
          responses: {
            '200': json({ type: 'object', properties: { climate: { type: 'object' } } }),
            ...protectedErrors,
          },
        },
      },
    },
  },
]
