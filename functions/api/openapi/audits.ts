import { effectivenessBody, findingBody, implementationBody } from '../../domain/audits/findings.js'
import { ACTION_STATUSES, AUDIT_AREA_IDS } from '../../domain/audits/index.js'
import { auditBody, auditUpdateBody, programmeBody } from '../../domain/audits/programme.js'
import { errorResponse, json, type OpenApiFragment, protectedErrors } from './types.js'
import { body } from './zod.js'

const id = { name: 'id', in: 'path', required: true, schema: { type: 'string', example: 'IA-2026-01' } }
const findingId = { name: 'findingId', in: 'path', required: true, schema: { type: 'string', example: 'F1' } }
const area = { type: 'string', enum: [...AUDIT_AREA_IDS] }
const date = { type: 'string', format: 'date' }
const object = { type: 'object', additionalProperties: true }
const withConflict = { ...protectedErrors, '409': errorResponse('Changed by someone else since `version`.') }

const correctiveAction = {
  type: 'object',
  required: ['description', 'ownerId', 'dueOn', 'status', 'checks'],
  properties: {
    description: { type: 'string' },
    ownerId: { type: 'string' },
    dueOn: date,
    status: { type: 'string', enum: [...ACTION_STATUSES] },
    implementation: object,
    checks: { type: 'array', items: object },
    closedOn: date,
    overdue: { type: 'boolean' },
  },
}

/** `/api/audits`: the internal audit programme (9.2), findings and corrective actions (10.2). */
export const auditsApi: OpenApiFragment[] = [
  {
    tag: {
      name: 'audits',
      description:
        'Internal audit programme (ISO/IEC 27001:2022 9.2): the cycle with area owners and coverage, planned audits with auditor independence and a checklist from the SoA, findings (nonconformity, observation, opportunity) and corrective actions (10.2) with an effectiveness check. The ISO writes; management and auditors read; members see and record only the corrective actions they own.',
    },
    paths: {
      '/api/audits/programme': {
        get: {
          tags: ['audits'],
          summary:
            'The programme, its coverage of clauses 4–10 and Annex A themes per year, and its audits (iso, management, auditor)',
          responses: {
            '200': json({
              type: 'object',
              required: ['programme', 'coverage', 'audits'],
              properties: {
                programme: { type: ['object', 'null'], additionalProperties: true },
                coverage: {
                  type: ['object', 'null'],
                  properties: {
                    uncovered: { type: 'array', items: area },
                    areas: { type: 'array', items: object },
                  },
                },
                audits: { type: 'array', items: object },
                people: { type: 'array', items: object },
              },
            }),
            ...protectedErrors,
          },
        },
        put: {
          tags: ['audits'],
          summary: 'Set up or change the programme: the cycle and the owner of each area (iso)',
          requestBody: body(programmeBody),
          responses: { '200': json(object), '201': json(object, 'Created'), ...withConflict },
        },
      },
      '/api/audits/actions': {
        get: {
          tags: ['audits'],
          summary:
            'Corrective actions of every audit, open first (iso, management and auditor see all; a member only their own)',
          responses: {
            '200': json({
              type: 'object',
              properties: { items: { type: 'array', items: correctiveAction } },
            }),
            ...protectedErrors,
          },
        },
      },
      '/api/audits': {
        post: {
          tags: ['audits'],
          summary:
            'Plan an audit inside the cycle (iso). The auditor is a member who owns none of the areas, or an outside auditor by name; the same request twice plans one audit.',
          requestBody: body(auditBody),
          responses: {
            '200': json(object, 'Planned already'),
            '201': json(object, 'Planned'),
            ...protectedErrors,
          },
        },
      },
      '/api/audits/{id}': {
        get: {
          tags: ['audits'],
          summary: 'One audit with its findings and its checklist (sub-clauses; SoA controls of the themes)',
          parameters: [id],
          responses: { '200': json(object), ...protectedErrors },
        },
        patch: {
          tags: ['audits'],
          summary: 'Record the audit as held (date, summary) or cancel it (iso)',
          parameters: [id],
          requestBody: body(auditUpdateBody),
          responses: { '200': json(object), ...withConflict },
        },
      },
      '/api/audits/{id}/findings': {
        post: {
          tags: ['audits'],
          summary:
            'Record a finding (iso). A nonconformity needs a severity and a corrective action with owner and due date; observations and opportunities have neither.',
          parameters: [id],
          requestBody: body(findingBody),
          responses: { '201': json(object, 'Recorded'), ...protectedErrors },
        },
      },
      '/api/audits/{id}/findings/{findingId}/implementation': {
        post: {
          tags: ['audits'],
          summary: 'Record what was done and the root cause (the action’s owner, or the iso)',
          parameters: [id, findingId],
          requestBody: body(implementationBody),
          responses: { '200': json(object), ...protectedErrors },
        },
      },
      '/api/audits/{id}/findings/{findingId}/effectiveness': {
        post: {
          tags: ['audits'],
          summary:
            'Check the effectiveness (iso, never the owner or the implementer): effective closes the action, not effective reopens it with a new due date',
          parameters: [id, findingId],
          requestBody: body(effectivenessBody),
          responses: { '200': json(object), ...protectedErrors },
        },
      },
    },
  },
]
