import {
  heatMapsSchema,
  riskListSchema,
  riskRowSchema,
  riskSettingsSchema,
  scoreViewSchema,
} from '../../domain/contracts/risks.js'
import { appetiteSchema } from '../../domain/risk/decisions.js'
import { riskMatrixSchema } from '../../domain/risk/matrix.js'
import { treatmentPlanSchema } from '../../domain/risk/plan.js'
import { riskFieldsSchema } from '../../domain/risk/risk.js'
import { riskListQuery } from '../routes/risks/query.js'
import { settingsBody } from '../routes/risks/settings.js'
import { decisionBody, submitBody, versionSchema } from '../routes/risks.js'
import { errorResponse, json, type OpenApiFragment, protectedErrors } from './types.js'
import { body, componentSchemas, jsonSchema, queryParameters } from './zod.js'

const id = { name: 'id', in: 'path', required: true, schema: { type: 'string', example: 'R-001' } }
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const stale = {
  '409': errorResponse(
    'Changed by someone else since `expectedVersion` (reload), or not allowed in this state.',
  ),
}
const listParams = queryParameters(riskListQuery, {
  q: 'The list: words (their beginnings) of the id, title, threat, vulnerability or description, at most 200 risks; the exports: text in id, title or affected assets',
  cursor: "The previous page's `cursor`: the next page (the exports list every risk)",
  limit: 'Risks on a page of the list (the exports list every risk)',
  owner: 'User id of the risk owner',
  level: 'Level id (e.g. `high`) of the `view`',
  lang: 'Language of exported names and headers',
})

/** The fields of a risk (create; update adds `expectedVersion`), as the routes validate them. */
const riskFields = jsonSchema(riskFieldsSchema, 'input')
/** A treatment plan, as `PUT /api/risks/{id}/plan` validates it (with `expectedVersion`). */
const plan = jsonSchema(treatmentPlanSchema, 'input')

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
          summary:
            'The register, one page at a time (cursor): filtered and sorted rows with inherent, residual and target scores, and how many there are (total)',
          parameters: listParams,
          responses: {
            '200': json(ref('RiskList')),
            ...protectedErrors,
          },
        },
        post: {
          tags: ['risks'],
          summary: 'Create a risk (ISO); the id (R-001, …) is assigned',
          requestBody: body(riskFieldsSchema),
          responses: { '201': json(ref('RiskDetail'), 'Created'), ...protectedErrors },
        },
      },
      '/api/risks/heatmap': {
        get: {
          tags: ['risks'],
          summary:
            'Heat maps, inherent and residual, over the organisation’s matrix (closed risks left out): counts kept on write, each cell’s first 20 risk ids',
          responses: { '200': json(ref('RiskHeatMaps')), ...protectedErrors },
        },
      },
      '/api/risks/people': {
        get: {
          tags: ['risks'],
          summary: 'Members of the organisation (owners of risks and measures)',
          responses: { '200': json(ref('PersonList')), ...protectedErrors },
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
          responses: { '200': json(ref('RiskSettings')), ...protectedErrors },
        },
        put: {
          tags: ['risks'],
          summary:
            'Change the matrix and appetite (ISO); `acceptAboveAppetite` lists management members with that right',
          requestBody: body(settingsBody.extend({ matrix: riskMatrixSchema, appetite: appetiteSchema })),
          responses: { '200': json(ref('RiskSettings')), ...protectedErrors, ...stale },
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
          requestBody: body(riskFieldsSchema.extend({ expectedVersion: versionSchema })),
          responses: { '200': json(ref('RiskDetail')), ...protectedErrors, ...stale },
        },
      },
      '/api/risks/{id}/plan': {
        put: {
          tags: ['risks'],
          summary:
            'Set the treatment plan (ISO); mitigate, transfer and avoid need measures, accept a justification',
          parameters: [id],
          requestBody: body(treatmentPlanSchema.extend({ expectedVersion: versionSchema })),
          responses: { '200': json(ref('RiskDetail')), ...protectedErrors, ...stale },
        },
      },
      '/api/risks/{id}/submit': {
        post: {
          tags: ['risks'],
          summary:
            'Submit the plan for management approval (ISO): starts `risk-treatment`, or resubmits a plan sent back (new round)',
          parameters: [id],
          requestBody: body(submitBody),
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
          requestBody: body(decisionBody),
          responses: { '200': json({ type: 'object' }), ...protectedErrors, ...stale },
        },
      },
    },
    schemas: {
      RiskFields: riskFields,
      TreatmentPlan: plan,
      ...componentSchemas({
        Score: scoreViewSchema,
        RiskRow: riskRowSchema,
        RiskList: riskListSchema,
        RiskHeatMaps: heatMapsSchema,
        RiskSettings: riskSettingsSchema,
      }),
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
