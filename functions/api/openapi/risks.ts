import { RISK_CATEGORIES, RISK_STATUSES, TREATMENT_OPTIONS } from '../../domain/risk/index.js'
import { RISK_SORTS } from '../routes/risks/query.js'
import { errorResponse, json, type OpenApiFragment, protectedErrors } from './types.js'

const id = { name: 'id', in: 'path', required: true, schema: { type: 'string', example: 'R-001' } }
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const stale = {
  '409': errorResponse(
    'Changed by someone else since `expectedVersion` (reload), or not allowed in this state.',
  ),
}
const listParams = [
  { name: 'q', in: 'query', schema: { type: 'string' }, description: 'Text in id, title or affected assets' },
  { name: 'status', in: 'query', schema: { type: 'string', enum: [...RISK_STATUSES] } },
  { name: 'category', in: 'query', schema: { type: 'string', enum: [...RISK_CATEGORIES] } },
  { name: 'option', in: 'query', schema: { type: 'string', enum: [...TREATMENT_OPTIONS] } },
  { name: 'owner', in: 'query', schema: { type: 'string' }, description: 'User id of the risk owner' },
  {
    name: 'level',
    in: 'query',
    schema: { type: 'string' },
    description: 'Level id (e.g. `high`) of the `view`',
  },
  {
    name: 'view',
    in: 'query',
    schema: { type: 'string', enum: ['inherent', 'residual'], default: 'residual' },
  },
  {
    name: 'closed',
    in: 'query',
    schema: { type: 'string', enum: ['include', 'exclude'], default: 'exclude' },
  },
  { name: 'sort', in: 'query', schema: { type: 'string', enum: [...RISK_SORTS], default: 'residual' } },
  { name: 'order', in: 'query', schema: { type: 'string', enum: ['asc', 'desc'] } },
  {
    name: 'lang',
    in: 'query',
    schema: { type: 'string', enum: ['en', 'de'], default: 'en' },
    description: 'Language of exported names and headers',
  },
]

const riskFields = {
  type: 'object',
  required: ['title', 'category', 'ownerId', 'likelihood', 'impact'],
  additionalProperties: false,
  properties: {
    title: { type: 'string', maxLength: 200 },
    description: { type: 'string', maxLength: 5000 },
    category: { type: 'string', enum: [...RISK_CATEGORIES] },
    assets: { type: 'array', items: { type: 'string' }, maxItems: 100 },
    threat: { type: 'string' },
    vulnerability: { type: 'string' },
    ownerId: { type: 'string', description: 'A member of the organisation' },
    likelihood: { type: 'integer', minimum: 1, description: "On the organisation's scale (default 1–5)" },
    impact: { type: 'integer', minimum: 1 },
    status: {
      type: 'string',
      enum: ['identified', 'assessed', 'closed'],
      description: 'The other statuses are set by the workflow',
    },
    controlIds: { type: 'array', items: { type: 'string', example: 'A.8.7' } },
    obligationRefs: { type: 'array', items: { type: 'string', example: 'nis2.30.2.a' } },
  },
}

const plan = {
  type: 'object',
  required: ['option', 'targetLikelihood', 'targetImpact'],
  additionalProperties: false,
  properties: {
    option: { type: 'string', enum: [...TREATMENT_OPTIONS] },
    measures: {
      type: 'array',
      maxItems: 50,
      items: {
        type: 'object',
        required: ['id', 'description', 'ownerId', 'dueDate'],
        additionalProperties: false,
        properties: {
          id: { type: 'string' },
          description: { type: 'string' },
          ownerId: { type: 'string' },
          dueDate: { type: 'string', format: 'date' },
          costEur: { type: 'number', minimum: 0 },
          controlId: { type: 'string' },
        },
      },
    },
    targetLikelihood: { type: 'integer', minimum: 1 },
    targetImpact: { type: 'integer', minimum: 1 },
    justification: { type: 'string' },
  },
}

/** The risk register, treatment plans, submission and decisions, settings. */
export const risks: OpenApiFragment[] = [
  {
    tag: {
      name: 'risks',
      description:
        'The risk register and the management approval of risk treatments (workflow `risk-treatment`). The ISO edits and submits, management decides (four-eyes), members see the risks and measures they own, auditors read.',
    },
    paths: {
      '/api/risks': {
        get: {
          tags: ['risks'],
          summary: 'The register: filtered and sorted rows with inherent, residual and target scores',
          parameters: listParams,
          responses: {
            '200': json({
              type: 'object',
              properties: { items: { type: 'array', items: ref('RiskRow') }, total: { type: 'integer' } },
            }),
            ...protectedErrors,
          },
        },
        post: {
          tags: ['risks'],
          summary: 'Create a risk (ISO); the id (R-001, …) is assigned',
          requestBody: json(ref('RiskFields')),
          responses: { '201': json(ref('RiskDetail'), 'Created'), ...protectedErrors },
        },
      },
      '/api/risks/heatmap': {
        get: {
          tags: ['risks'],
          summary: 'Heat maps, inherent and residual, over the organisation’s matrix (closed risks left out)',
          responses: { '200': json({ type: 'object' }), ...protectedErrors },
        },
      },
      '/api/risks/people': {
        get: {
          tags: ['risks'],
          summary: 'Members of the organisation (owners of risks and measures)',
          responses: { '200': json({ type: 'object' }), ...protectedErrors },
        },
      },
      '/api/risks/export.csv': {
        get: {
          tags: ['risks'],
          summary: 'The register as CSV (same filters; `lang=de` uses `;`)',
          parameters: listParams,
          responses: {
            '200': { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } },
            ...protectedErrors,
          },
        },
      },
      '/api/risks/export.xlsx': {
        get: {
          tags: ['risks'],
          summary: 'The register as an Excel workbook (same filters)',
          parameters: listParams,
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
      '/api/risks/settings': {
        get: {
          tags: ['risks'],
          summary: 'The risk matrix, the appetite and who may accept above it',
          responses: { '200': json({ type: 'object' }), ...protectedErrors },
        },
        put: {
          tags: ['risks'],
          summary:
            'Change the matrix and appetite (ISO); `acceptAboveAppetite` lists management members with that right',
          requestBody: json({
            type: 'object',
            required: ['expectedVersion', 'matrix', 'appetite'],
            properties: {
              expectedVersion: { type: 'integer', minimum: 0, description: '0 while the defaults apply' },
              matrix: { type: 'object' },
              appetite: {
                type: 'object',
                properties: {
                  maxAcceptableLevel: { type: 'string' },
                  acceptanceMonths: { type: 'integer' },
                  reapprovalLeadDays: { type: 'integer' },
                },
              },
              acceptAboveAppetite: { type: 'array', items: { type: 'string' } },
            },
          }),
          responses: { '200': json({ type: 'object' }), ...protectedErrors, ...stale },
        },
      },
      '/api/risks/{id}': {
        get: {
          tags: ['risks'],
          summary:
            'One risk: scores, plan, measures with progress, rounds, decisions, approval, acceptance, history, open tasks',
          parameters: [id],
          responses: { '200': json(ref('RiskDetail')), ...protectedErrors },
        },
        put: {
          tags: ['risks'],
          summary:
            'Update a risk (ISO). A material change (likelihood, impact, scope) after approval marks the approval outdated and offers a new round',
          parameters: [id],
          requestBody: json({
            allOf: [
              ref('RiskFields'),
              {
                type: 'object',
                required: ['expectedVersion'],
                properties: { expectedVersion: { type: 'integer' } },
              },
            ],
          }),
          responses: { '200': json(ref('RiskDetail')), ...protectedErrors, ...stale },
        },
      },
      '/api/risks/{id}/plan': {
        put: {
          tags: ['risks'],
          summary:
            'Set the treatment plan (ISO); mitigate, transfer and avoid need measures, accept a justification',
          parameters: [id],
          requestBody: json({
            allOf: [
              ref('TreatmentPlan'),
              {
                type: 'object',
                required: ['expectedVersion'],
                properties: { expectedVersion: { type: 'integer' } },
              },
            ],
          }),
          responses: { '200': json(ref('RiskDetail')), ...protectedErrors, ...stale },
        },
      },
      '/api/risks/{id}/submit': {
        post: {
          tags: ['risks'],
          summary:
            'Submit the plan for management approval (ISO): starts `risk-treatment`, or resubmits a plan sent back (new round)',
          parameters: [id],
          requestBody: json({
            type: 'object',
            required: ['expectedVersion'],
            additionalProperties: false,
            properties: { expectedVersion: { type: 'integer' }, note: { type: 'string' } },
          }),
          responses: {
            '202': json(
              {
                type: 'object',
                properties: { executionArn: { type: 'string' }, resubmitted: { type: 'boolean' } },
              },
              'Started',
            ),
            ...protectedErrors,
            ...stale,
          },
        },
      },
      '/api/risks/{id}/decision': {
        post: {
          tags: ['risks'],
          summary:
            'Decide on the open approval task (management). Refused: the submitter (four-eyes, 403), an outdated snapshot (409), an acceptance above the appetite without the right (403)',
          parameters: [id],
          requestBody: json({
            type: 'object',
            required: ['taskId', 'outcome'],
            additionalProperties: false,
            properties: {
              taskId: { type: 'string' },
              outcome: { type: 'string', enum: ['approve', 'reject', 'request-changes'] },
              comment: { type: 'string' },
            },
          }),
          responses: { '200': json({ type: 'object' }), ...protectedErrors, ...stale },
        },
      },
    },
    schemas: {
      RiskFields: riskFields,
      TreatmentPlan: plan,
      Score: {
        type: 'object',
        properties: {
          likelihood: { type: 'integer' },
          impact: { type: 'integer' },
          score: { type: 'integer' },
          level: { type: 'string' },
          name: ref('Localized'),
          color: { type: 'string' },
          textColor: { type: 'string' },
        },
      },
      RiskRow: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          version: { type: 'integer' },
          title: { type: 'string' },
          status: { type: 'string', enum: [...RISK_STATUSES] },
          inherent: ref('Score'),
          residual: ref('Score'),
          target: ref('Score'),
          option: { type: ['string', 'null'] },
          approvalOutdated: { type: 'boolean' },
          pendingRound: { type: ['integer', 'null'] },
        },
      },
      RiskDetail: {
        type: 'object',
        properties: {
          risk: { type: 'object' },
          plan: { oneOf: [ref('TreatmentPlan'), { type: 'null' }] },
          measures: { type: 'array', items: { type: 'object' } },
          rounds: { type: 'array', items: { type: 'object' } },
          decisions: { type: 'array', items: { type: 'object' } },
          approval: { type: ['object', 'null'] },
          acceptance: { type: ['object', 'null'] },
          currentHash: {
            type: 'string',
            description: 'SHA-256 of the canonical snapshot of the risk and plan now',
          },
          history: { type: 'array', items: { type: 'object' } },
        },
      },
    },
  },
]
