import type { z } from 'zod'
import {
  deadlineViewSchema,
  incidentDetailSchema,
  incidentPageSchema,
  incidentRowSchema,
  incidentSchema,
} from '../../domain/contracts/incidents.js'
import { reportIncidentBody } from '../../domain/incidents/incident.js'
import {
  assigneeBody,
  bsiRequestBody,
  classificationBody,
  closeBody,
  correctionBody,
  noteBody,
  registerQuery,
  riskFromLessonsBody,
} from '../routes/incidents.js'
import { announceBody } from '../subject-evidence.js'
import { errorResponse, json, type OpenApiFragment, protectedErrors } from './types.js'
import { body, componentSchemas, queryParameters } from './zod.js'

const id = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', example: 'INC-2026-1A2B3C4D' },
}
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const registerParameters = queryParameters(registerQuery, {
  open: 'Only open (true) or closed (false) incidents',
  significant: 'Only significant ones (true) or not',
  personalData: 'Only personal data breaches (true) or not',
  year: 'Year of awareness',
  cursor: 'From the previous page',
  lang: 'Language of the CSV export (`de` uses `;`)',
})
const isoOnly = {
  ...protectedErrors,
  '409': errorResponse('Not possible in the incident’s state (not triaged yet, already closed or recorded).'),
}
const action = (summary: string, schema: z.ZodType, status = '200') => ({
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
          requestBody: body(reportIncidentBody),
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
          parameters: registerParameters,
          responses: {
            '200': json(ref('IncidentPage')),
            ...protectedErrors,
          },
        },
      },
      '/api/incidents/export.csv': {
        get: {
          tags: ['incidents'],
          summary: 'The register as CSV (same filters; `lang=de` uses `;`)',
          parameters: registerParameters,
          responses: {
            '200': { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } },
            ...protectedErrors,
          },
        },
      },
      '/api/incidents/export.xlsx': {
        get: {
          tags: ['incidents'],
          summary:
            'The register as an Excel workbook (same filters and columns as the CSV; `lang=de` for German headers)',
          parameters: registerParameters,
          responses: {
            '200': {
              description: 'XLSX',
              content: {
                'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
                  schema: { type: 'string', format: 'binary' },
                },
              },
            },
            ...protectedErrors,
          },
        },
      },
      '/api/incidents/{id}': {
        get: {
          tags: ['incidents'],
          summary: 'One incident with its deadlines, timeline, reports, notes and open tasks',
          parameters: [id],
          responses: { '200': json(ref('IncidentDetail')), ...protectedErrors },
        },
      },
      '/api/incidents/{id}/notes': action('Add a note', noteBody, '201'),
      '/api/incidents/{id}/assignees': action('Assign a member (ISO); they see the incident', assigneeBody),
      '/api/incidents/{id}/classification': action(
        'Reclassify (ISO): significant starts the NIS2 clocks from the original awareness (late ones show late at once); not significant stops them with a reason',
        classificationBody,
      ),
      '/api/incidents/{id}/bsi-request': action(
        'Record the BSI’s request for an intermediate report (§32(1) no. 3 BSIG) and its due date (ISO)',
        bsiRequestBody,
        '201',
      ),
      '/api/incidents/{id}/corrections': action(
        'Add a correction of a sent report: a new entry, the first stays (ISO)',
        correctionBody,
        '201',
      ),
      '/api/incidents/{id}/close': action(
        'Close with lessons learned (ISO); completes the closing task when it is open',
        closeBody,
      ),
      '/api/incidents/{id}/risk': {
        post: {
          tags: ['incidents'],
          summary:
            'A draft risk from a closed incident’s lessons learned (ISO): status identified, linked both ways (the risk’s fromIncident, the incident’s lessonsRiskId); made once, a repeat answers the same risk (200); 409 before closing or while another request makes it',
          parameters: [id],
          requestBody: body(riskFromLessonsBody),
          responses: {
            '201': json({
              type: 'object',
              required: ['riskId', 'incident'],
              properties: { riskId: { type: 'string', example: 'R-007' }, incident: ref('Incident') },
            }),
            '200': json({
              type: 'object',
              properties: { riskId: { type: 'string' }, incident: ref('Incident') },
            }),
            ...isoOnly,
          },
        },
      },
      '/api/incidents/{id}/evidence/uploads': {
        post: {
          tags: ['incidents'],
          summary:
            'Announces an evidence file of the incident (ISO, management, members who see it; at most 25 MB; PDF, PNG, JPEG, DOCX, XLSX, ZIP, TXT, CSV): a presigned POST to the bucket',
          parameters: [id],
          requestBody: body(announceBody),
          responses: { '201': json({ type: 'object' }), ...protectedErrors },
        },
      },
      '/api/incidents/{id}/evidence/uploads/{fileId}': {
        post: {
          tags: ['incidents'],
          summary:
            'Confirms the uploaded file (size, type by its first bytes, SHA-256) and lists it with the incident',
          parameters: [id, { name: 'fileId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '201': json(ref('Incident')), '200': json(ref('Incident')), ...protectedErrors },
        },
      },
      '/api/incidents/{id}/evidence/{fileId}': {
        get: {
          tags: ['incidents'],
          summary:
            'Downloads an evidence file of the incident (a redirect to a presigned GET, valid 5 minutes)',
          parameters: [id, { name: 'fileId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '302': { description: 'Redirect to the file' }, ...protectedErrors },
        },
      },
      '/api/incidents/{id}/evidence/{fileId}/link': {
        get: {
          tags: ['incidents'],
          summary:
            'The presigned download of an evidence file as JSON ({url, expiresInSeconds}), for pages signed in with a bearer token',
          parameters: [id, { name: 'fileId', in: 'path', required: true, schema: { type: 'string' } }],
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
    schemas: componentSchemas({
      Deadline: deadlineViewSchema,
      IncidentRow: incidentRowSchema,
      IncidentPage: incidentPageSchema,
      Incident: incidentSchema,
      IncidentDetail: incidentDetailSchema,
    }),
  },
]
