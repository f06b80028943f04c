import { ART34_EXCEPTIONS, CLOCK_KINDS } from '../../domain/incidents/index.js'
import { errorResponse, json, type OpenApiFragment, protectedErrors } from './types.js'

const id = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', example: 'INC-2026-1A2B3C4D' },
}
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const localized = { $ref: '#/components/schemas/Localized' }
const body = (schema: unknown) => ({ required: true, content: { 'application/json': { schema } } })
const dateTime = { type: 'string', format: 'date-time' }
const flag = (name: string, description: string) => ({
  name,
  in: 'query',
  description,
  schema: { type: 'string', enum: ['true', 'false'] },
})
const isoOnly = {
  ...protectedErrors,
  '409': errorResponse('Not possible in the incident’s state (not triaged yet, already closed or recorded).'),
}
const action = (summary: string, schema: unknown, status = '200') => ({
  post: {
    tags: ['incidents'],
    summary,
    parameters: [id],
    requestBody: body(schema),
    responses: { [status]: json(ref('Incident')), ...isoOnly },
  },
})

/** Security incidents on the legal clocks (BSIG §32, GDPR Art. 33/34, DORA Art. 19). */
export const incidentsApi: OpenApiFragment[] = [
  {
    tag: {
      name: 'incidents',
      description:
        'Security incidents: report (starts the `incident` workflow), the register, one incident with its reporting deadlines (NIS2/BSIG §32, GDPR Art. 33/34, DORA Art. 19), and the ISO’s actions. Triage and sending a report are tasks of the workflow, completed through `/api/tasks/{id}/complete`. A report marked sent is never changed; a correction is a new entry.',
    },
    paths: {
      '/api/incidents': {
        post: {
          tags: ['incidents'],
          summary: 'Report an incident (any member); starts the incident workflow',
          requestBody: body({
            type: 'object',
            required: ['title', 'awareAt'],
            additionalProperties: false,
            properties: {
              title: { type: 'string', minLength: 3, maxLength: 200 },
              awareAt: {
                ...dateTime,
                description:
                  'When we became aware, with a time zone; not in the future. The clocks start here.',
              },
              description: { type: 'string', maxLength: 10000 },
              detectedBy: { type: 'string', maxLength: 200 },
              affected: { type: 'string', maxLength: 2000, description: 'Affected services, systems, sites' },
              significant: {
                type: 'boolean',
                description: 'The reporter’s first view; the ISO decides in triage',
              },
              personalDataBreach: { type: 'boolean' },
            },
          }),
          responses: {
            '201': json(
              { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
              'Reported',
            ),
            '200': json(
              { type: 'object', properties: { id: { type: 'string' } } },
              'The same request again: the same incident',
            ),
            ...protectedErrors,
          },
        },
        get: {
          tags: ['incidents'],
          summary: 'The register: one page of the index, newest awareness first',
          parameters: [
            flag('open', 'Only open (true) or closed (false) incidents'),
            flag('significant', 'Only significant ones (true) or not'),
            flag('personalData', 'Only personal data breaches (true) or not'),
            { name: 'year', in: 'query', schema: { type: 'integer' }, description: 'Year of awareness' },
            {
              name: 'cursor',
              in: 'query',
              schema: { type: 'string' },
              description: 'From the previous page',
            },
          ],
          responses: {
            '200': json({
              type: 'object',
              properties: { items: { type: 'array', items: ref('IncidentRow') }, cursor: { type: 'string' } },
            }),
            ...protectedErrors,
          },
        },
      },
      '/api/incidents/export.csv': {
        get: {
          tags: ['incidents'],
          summary: 'The register as CSV (same filters; `lang=de` uses `;`)',
          parameters: [{ name: 'lang', in: 'query', schema: { type: 'string', enum: ['en', 'de'] } }],
          responses: {
            '200': { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } },
            ...protectedErrors,
          },
        },
      },
      '/api/incidents/{id}': {
        get: {
          tags: ['incidents'],
          summary: 'One incident with its deadlines, timeline, reports, notes and open tasks',
          parameters: [id],
          responses: { '200': json(ref('Incident')), ...protectedErrors },
        },
      },
      '/api/incidents/{id}/notes': action(
        'Add a note',
        { type: 'object', required: ['text'], properties: { text: { type: 'string', maxLength: 4000 } } },
        '201',
      ),
      '/api/incidents/{id}/assignees': action('Assign a member (ISO); they see the incident', {
        type: 'object',
        required: ['userId'],
        properties: { userId: { type: 'string' } },
      }),
      '/api/incidents/{id}/classification': action(
        'Reclassify (ISO): significant starts the NIS2 clocks from the original awareness (late ones show late at once); not significant stops them with a reason',
        {
          type: 'object',
          required: ['significant'],
          properties: { significant: { type: 'boolean' }, reason: { type: 'string' } },
        },
      ),
      '/api/incidents/{id}/bsi-request': action(
        'Record the BSI’s request for an intermediate report (§32(1) no. 3 BSIG) and its due date (ISO)',
        { type: 'object', required: ['dueAt'], properties: { dueAt: dateTime, requestedAt: dateTime } },
        '201',
      ),
      '/api/incidents/{id}/corrections': action(
        'Add a correction of a sent report: a new entry, the first stays (ISO)',
        {
          type: 'object',
          required: ['correctionOf', 'sentAt', 'channel', 'note'],
          properties: {
            correctionOf: { type: 'string' },
            sentAt: dateTime,
            channel: { type: 'string', enum: ['bsi-portal', 'authority-portal', 'email', 'letter', 'other'] },
            reference: { type: 'string' },
            note: { type: 'string' },
          },
        },
        '201',
      ),
      '/api/incidents/{id}/close': action(
        'Close with lessons learned (ISO); completes the closing task when it is open',
        {
          type: 'object',
          required: ['lessonsLearned'],
          properties: { lessonsLearned: { type: 'string', minLength: 10 }, newRisk: { type: 'boolean' } },
        },
      ),
    },
    schemas: {
      Deadline: {
        type: 'object',
        required: ['kind', 'dueAt', 'status'],
        properties: {
          kind: { type: 'string', enum: [...CLOCK_KINDS] },
          dueAt: dateTime,
          status: { type: 'string', enum: ['open', 'done', 'overdue', 'stopped'] },
          doneAt: dateTime,
          startAt: dateTime,
          slot: { type: 'string' },
          provisional: { type: 'boolean', description: 'Before triage: runs from awareness, may stop' },
          stoppedReason: { type: 'string' },
          stoppedRule: localized,
          title: { ...localized, description: 'Names the paragraph the clock comes from' },
          words: { ...localized, description: '"due in 5 h 12 min", "sent 3 h early", "2 h late"' },
        },
      },
      IncidentRow: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          title: { type: 'string' },
          awareAt: dateTime,
          status: { type: 'string', enum: ['reported', 'triaged', 'closed'] },
          significant: { type: ['boolean', 'null'] },
          personalDataBreach: { type: ['boolean', 'null'] },
          overdue: { type: 'integer' },
          nextDeadline: { type: ['object', 'null'] },
          closedAt: { type: ['string', 'null'], format: 'date-time' },
        },
      },
      Incident: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          title: { type: 'string' },
          awareAt: dateTime,
          status: { type: 'string', enum: ['reported', 'triaged', 'closed'] },
          classification: {
            type: 'object',
            properties: {
              significant: { type: ['boolean', 'null'] },
              personalDataBreach: { type: ['boolean', 'null'] },
              gdprRisk: { type: ['string', 'null'], enum: ['unlikely', 'risk', 'high', null] },
              art34Exception: { type: 'string', enum: [...ART34_EXCEPTIONS] },
            },
          },
          deadlines: { type: 'array', items: ref('Deadline') },
          reports: { type: 'array', items: { type: 'object' } },
          notes: { type: 'array', items: { type: 'object' } },
          timeline: { type: 'array', items: { type: 'object' } },
          openTasks: { type: 'array', items: { type: 'object' } },
          closedAt: { type: ['string', 'null'], format: 'date-time' },
          lessonsLearned: { type: ['string', 'null'] },
        },
      },
    },
  },
]
