import {
  controlViewSchema,
  evidenceIndexSchema,
  projectListSchema,
  soaViewSchema,
} from '../../domain/contracts/certification.js'
import { MAX_EVIDENCE_FILE_BYTES } from '../../store/evidence-files.js'
import { confirmBody, linkBody, uploadBody } from '../routes/certification/evidence.js'
import {
  createBody as ncCreateBody,
  patchBody as ncPatchBody,
} from '../routes/certification/nonconformities.js'
import {
  doneBody,
  moveBody,
  createBody as projectCreateBody,
  patchBody as projectPatchBody,
} from '../routes/certification/projects.js'
import { decisionBody as soaDecisionBody, statusBody as soaStatusBody } from '../routes/certification/soa.js'
import { errorResponse, json, type OpenApiFragment, protectedErrors, ref } from './types.js'
import { body, componentSchemas, jsonSchema } from './zod.js'

const P = '/api/certification/projects/{id}'
const param = (name: string, example?: string) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string', ...(example ? { example } : {}) },
})
const id = param('id', 'cp-1a2b3c4d')
const controlId = param('controlId', 'A.5.15')
const obj = (description = 'OK') => json({ type: 'object' }, description)
const stale = {
  '409': errorResponse('Changed by someone else since `version` (reload), or not possible in this state.'),
}
const lang = {
  name: 'lang',
  in: 'query',
  schema: { type: 'string', enum: ['en', 'de'] },
  description:
    'Language of headers and names (default from Accept-Language); `de` also uses `;` as the CSV separator.',
}
const tag = ['certification']

/** Certification projects: plan, Statement of Applicability, evidence, nonconformities, readiness, exports. */
export const certificationApi: OpenApiFragment[] = [
  {
    tag: {
      name: 'certification',
      description:
        'ISO/IEC 27001 and TISAX projects: milestones planned back from the audit date, the Statement of Applicability with evidence, nonconformities, readiness and exports. The ISO manages; control owners (members) see their controls and add evidence; management reads; the auditor reads the SoA, evidence and milestones only (403 for everything else).',
    },
    paths: {
      '/api/certification/catalogue/{standard}': {
        get: {
          tags: tag,
          summary: 'Control catalogue (Annex A themes and controls, or TISAX chapters and controls)',
          parameters: [param('standard', 'iso27001')],
          responses: { '200': obj(), ...protectedErrors },
        },
      },
      '/api/certification/people': {
        get: {
          tags: tag,
          summary: 'Members with names and roles, to choose control owners (ISO)',
          responses: { '200': obj(), ...protectedErrors },
        },
      },
      '/api/certification/projects': {
        get: {
          tags: tag,
          summary: 'Projects with progress and the next milestone',
          responses: { '200': json(ref('ProjectList')), ...protectedErrors },
        },
        post: {
          tags: tag,
          summary: 'Create a project and start its workflow (ISO)',
          description:
            'The TISAX level defaults to the latest obligation decision; without one it must be chosen. An audit date in the past, or a template with a dependency loop, is a 400 naming the field; nothing is written.',
          requestBody: body(projectCreateBody),
          responses: {
            '201': obj('Created, with the plan'),
            ...protectedErrors,
            '500': errorResponse('The workflow could not be started; nothing was saved.'),
          },
        },
      },
      [P]: {
        get: {
          tags: tag,
          summary: 'A project with its planned milestones (done, at risk, critical, late)',
          parameters: [id],
          responses: { '200': obj(), ...protectedErrors },
        },
        patch: {
          tags: tag,
          summary: 'Change the title or the Stage 1 readiness threshold (ISO)',
          parameters: [id],
          requestBody: body(projectPatchBody),
          responses: { '200': obj(), ...protectedErrors, ...stale },
        },
      },
      [`${P}/audit-date`]: {
        put: {
          tags: tag,
          summary:
            'Move the audit date: milestones not done are planned again, open milestone tasks get new due dates (ISO)',
          parameters: [id],
          requestBody: body(moveBody),
          responses: { '200': obj(), ...protectedErrors, ...stale },
        },
      },
      [`${P}/milestones/{milestoneId}/done`]: {
        post: {
          tags: tag,
          summary: 'Record a milestone done outside its task (ISO)',
          parameters: [id, param('milestoneId', 'scope-context')],
          requestBody: body(doneBody),
          responses: { '200': obj(), ...protectedErrors, ...stale },
        },
      },
      [`${P}/soa`]: {
        get: {
          tags: tag,
          summary: 'The Statement of Applicability by theme in task-list form (members: their controls)',
          parameters: [id],
          responses: { '200': json(ref('SoaView')), ...protectedErrors },
        },
      },
      [`${P}/soa/{controlId}`]: {
        get: {
          tags: tag,
          summary: 'One control: decision, evidence with freshness, linked risks',
          parameters: [id, controlId],
          responses: { '200': json(ref('ControlView')), ...protectedErrors },
        },
        put: {
          tags: tag,
          summary:
            'Decide a control (ISO): included or excluded, with a justification; included needs a reason and an owner',
          parameters: [id, controlId],
          requestBody: body(soaDecisionBody),
          responses: { '200': json(ref('ControlView')), ...protectedErrors, ...stale },
        },
      },
      [`${P}/soa/{controlId}/status`]: {
        patch: {
          tags: tag,
          summary: 'Set the implementation status (ISO or the control owner)',
          parameters: [id, controlId],
          requestBody: body(soaStatusBody),
          responses: { '200': obj(), ...protectedErrors, ...stale },
        },
      },
      [`${P}/soa/{controlId}/evidence`]: {
        post: {
          tags: tag,
          summary:
            'Add a link as evidence (ISO or the control owner); another organisation’s control is a 404',
          parameters: [id, controlId],
          requestBody: body(linkBody),
          responses: {
            '201': json(ref('ControlView'), 'Added; the control view'),
            ...protectedErrors,
            ...stale,
          },
        },
      },
      [`${P}/soa/{controlId}/evidence/uploads`]: {
        post: {
          tags: tag,
          summary: `Announce an evidence file (ISO or the control owner): at most ${MAX_EVIDENCE_FILE_BYTES / 1024 / 1024} MB, PDF, PNG, JPEG, DOCX, XLSX, ZIP, TXT or CSV; answers a presigned POST to the bucket (the file never passes through the API)`,
          parameters: [id, controlId],
          requestBody: body(uploadBody),
          responses: {
            '201': obj(
              'Where to upload: `url` and the form `fields` (the file goes last), `fileId`, `expiresAt`',
            ),
            ...protectedErrors,
            '413': errorResponse(`The file is larger than ${MAX_EVIDENCE_FILE_BYTES / 1024 / 1024} MB.`),
          },
        },
      },
      [`${P}/soa/{controlId}/evidence/uploads/{fileId}`]: {
        post: {
          tags: tag,
          summary:
            'Confirm an uploaded file: its size, type (by its first bytes) and SHA-256 are checked, then it is added as evidence (a repeat adds nothing); 404 when nothing was uploaded or for another organisation',
          parameters: [id, controlId, param('fileId')],
          requestBody: body(confirmBody),
          responses: {
            '201': json(ref('ControlView'), 'Added; the control view'),
            '200': json(ref('ControlView'), 'Added before; the control view'),
            ...protectedErrors,
            ...stale,
            '413': errorResponse(`The file is larger than ${MAX_EVIDENCE_FILE_BYTES / 1024 / 1024} MB.`),
          },
        },
      },
      [`${P}/soa/{controlId}/evidence/{evidenceId}`]: {
        delete: {
          tags: tag,
          summary: 'Remove evidence (and its stored file)',
          parameters: [id, controlId, param('evidenceId')],
          responses: { '200': obj(), ...protectedErrors, ...stale },
        },
      },
      [`${P}/files/{fileId}`]: {
        get: {
          tags: tag,
          summary:
            'Download a stored evidence file: a redirect to a presigned GET of the bucket (a few minutes valid; always an attachment, nosniff)',
          parameters: [id, param('fileId')],
          responses: {
            '302': { description: 'Redirect to the presigned download (Location header)' },
            ...protectedErrors,
          },
        },
      },
      [`${P}/files/{fileId}/link`]: {
        get: {
          tags: tag,
          summary:
            'The presigned download of a stored evidence file as JSON ({url, expiresInSeconds}), for pages signed in with a bearer token: fetch it, then navigate to url',
          parameters: [id, param('fileId')],
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
      [`${P}/readiness`]: {
        get: {
          tags: tag,
          summary: 'Readiness: score, parts, per theme, blockers of Stage 1, timeline data (ISO, management)',
          parameters: [id],
          responses: { '200': obj(), ...protectedErrors },
        },
      },
      [`${P}/nonconformities`]: {
        get: {
          tags: tag,
          summary: 'Nonconformities with their corrective actions (ISO, management)',
          parameters: [id],
          responses: { '200': obj(), ...protectedErrors },
        },
        post: {
          tags: tag,
          summary: 'Record a nonconformity (ISO); the workflow gives it a corrective-action task',
          parameters: [id],
          requestBody: body(ncCreateBody),
          responses: { '201': obj('Created'), ...protectedErrors },
        },
      },
      [`${P}/nonconformities/{ncId}`]: {
        patch: {
          tags: tag,
          summary: 'Change status, owner, due date or corrective action; closing needs `actionTaken` (ISO)',
          parameters: [id, param('ncId', 'nc-001')],
          requestBody: body(ncPatchBody),
          responses: { '200': obj(), ...protectedErrors, ...stale },
        },
      },
      [`${P}/exports/soa.csv`]: {
        get: {
          tags: tag,
          summary: 'The SoA as CSV (UTF-8 with BOM)',
          parameters: [id, lang],
          responses: {
            '200': { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } },
            ...protectedErrors,
          },
        },
      },
      [`${P}/exports/soa.xlsx`]: {
        get: {
          tags: tag,
          summary: 'The SoA as an Excel workbook',
          parameters: [id, lang],
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
      [`${P}/evidence-index`]: {
        get: {
          tags: tag,
          summary: 'The evidence index for the auditor: JSON, or CSV with `format=csv`',
          parameters: [
            id,
            lang,
            { name: 'format', in: 'query', schema: { type: 'string', enum: ['json', 'csv'] } },
          ],
          responses: { '200': json(ref('EvidenceIndex')), ...protectedErrors },
        },
      },
    },
    schemas: {
      CertificationProjectCreate: jsonSchema(projectCreateBody, 'input'),
      SoaDecision: jsonSchema(soaDecisionBody, 'input'),
      NonconformityCreate: jsonSchema(ncCreateBody, 'input'),
      ...componentSchemas({
        ProjectList: projectListSchema,
        SoaView: soaViewSchema,
        ControlView: controlViewSchema,
        EvidenceIndex: evidenceIndexSchema,
      }),
    },
  },
]
