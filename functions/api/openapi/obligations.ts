import { CONCLUSIONS } from '../../domain/assessments/index.js'
import {
  assessmentListSchema,
  decisionOutcomeSchema,
  decisionRowSchema,
} from '../../domain/contracts/obligations.js'
import { companyProfileSchema } from '../../domain/obligations/profile.js'
import {
  diffQuery as assessmentDiffQuery,
  listQuery as assessmentListQuery,
  startBody as assessmentStartBody,
} from '../routes/assessments.js'
import { errorResponse, json, type OpenApiFragment, protectedErrors } from './types.js'
import { body, componentSchemas, jsonSchema, queryParameters } from './zod.js'

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })

/** The company profile (issue 5), as the route validates it: unknown fields are refused by name. */
const profile = jsonSchema(companyProfileSchema, 'input')

const reason = {
  type: 'object',
  required: ['text', 'ref'],
  properties: { text: ref('Localized'), ref: { type: 'string', example: 'BSIG §28(2) Nr 3' } },
}
const withReasons = (props: Record<string, unknown>) => ({
  type: 'object',
  properties: { ...props, reasons: { type: 'array', items: ref('ObligationReason') } },
})

const decision = {
  type: 'object',
  description:
    'The decision of `evaluateObligations` (functions/domain/obligations/decision.ts): every conclusion with its reasons and legal references.',
  required: ['nis2', 'kritis', 'dpo', 'tisax', 'duties', 'judgements', 'missingFacts'],
  properties: {
    basis: { type: 'object', properties: { rulesVersion: { type: 'string' }, law: ref('Localized') } },
    activitiesCounted: { type: 'array', items: { type: 'string' } },
    nis2: withReasons({
      category: {
        type: 'string',
        enum: ['essential', 'important', 'not-covered', 'state-law', 'undetermined'],
        description: '`undetermined` when missing facts could change it (see `possibleCategories`)',
      },
      de: { type: 'string', example: 'wichtige Einrichtung' },
      en: { type: 'string', example: 'important entity' },
      possibleCategories: { type: 'array', items: { type: 'string' } },
      decidedBy: { type: 'string' },
      eu: { type: 'object', description: "The directive's view, with `differs`" },
      carveOuts: { type: 'array', items: { type: 'object' } },
      fines: { type: ['object', 'null'] },
    }),
    kritis: withReasons({
      operator: { type: 'boolean' },
      facilities: { type: 'array', items: { type: 'object' } },
    }),
    dpo: withReasons({
      required: { type: ['boolean', 'null'] },
      conditions: { type: 'array', items: { type: 'object' } },
    }),
    tisax: withReasons({
      relevant: { type: ['boolean', 'null'] },
      assessmentLevel: { type: ['string', 'null'], enum: ['AL2', 'AL3', null] },
      objectives: { type: 'array', items: { type: 'object' } },
    }),
    iso27001: withReasons({ recommended: { type: 'boolean' }, required: { type: 'boolean' } }),
    informationSecurityOfficer: withReasons({
      recommended: { type: 'boolean' },
      required: { type: 'boolean' },
    }),
    size: { type: 'object' },
    duties: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          title: ref('Localized'),
          detail: ref('Localized'),
          ref: { type: 'string' },
          dueWithin: {
            type: 'object',
            properties: { months: { type: 'number' }, hours: { type: 'number' } },
          },
          items: { type: 'array', items: { type: 'object' } },
          provisional: { type: 'boolean' },
        },
      },
    },
    judgements: { type: 'array', items: { type: 'object' } },
    missingFacts: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          field: { type: 'string' },
          kind: { type: 'string', enum: ['missing', 'contradictory'] },
          text: ref('Localized'),
          affects: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
}

const diff = {
  type: 'object',
  properties: {
    changed: { type: 'boolean' },
    conclusions: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', enum: [...CONCLUSIONS] },
          label: ref('Localized'),
          from: ref('Localized'),
          to: ref('Localized'),
          changed: { type: 'boolean' },
        },
      },
    },
    duties: {
      type: 'object',
      properties: {
        added: { type: 'array', items: { type: 'object' } },
        removed: { type: 'array', items: { type: 'object' } },
        kept: { type: 'array', items: { type: 'object' } },
      },
    },
    reasons: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          added: { type: 'array', items: ref('ObligationReason') },
          removed: { type: 'array', items: ref('ObligationReason') },
        },
      },
    },
    facts: {
      type: 'array',
      items: { type: 'object', properties: { field: { type: 'string' }, from: {}, to: {} } },
    },
  },
}

const decisionIdParam = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', example: 'nordlicht-oa-20260314101500-a1b2c3' },
}

/** The public quick check and the obligation assessments. */
export const obligations: OpenApiFragment[] = [
  {
    tag: {
      name: 'obligations',
      description:
        'The public quick check: does NIS2, KRITIS, the DPO duty or TISAX apply? No sign-in, nothing stored, rate-limited per client.',
    },
    paths: {
      '/api/obligations/evaluate': {
        post: {
          tags: ['obligations'],
          summary: 'Evaluate a company profile (public quick check)',
          security: [],
          requestBody: body(companyProfileSchema),
          responses: {
            '200': json(
              ref('ObligationDecision'),
              'The decision with reasons, duties, judgements and missing facts',
            ),
            '400': errorResponse('Invalid profile; `fields` names each bad or unknown field.'),
            '429': errorResponse('Too many quick checks from this client; see `Retry-After`.'),
          },
        },
      },
      '/api/obligations/catalogue': {
        get: {
          tags: ['obligations'],
          summary: 'NIS2 activities and KRITIS facility types with titles, descriptions and thresholds',
          security: [],
          responses: { '200': json({ type: 'object' }) },
        },
      },
      '/api/obligations/questionnaire': {
        get: {
          tags: ['obligations'],
          summary: 'The obligation questionnaire form and the catalogues its activity questions pick from',
          security: [],
          responses: {
            '200': json({
              type: 'object',
              properties: { definition: { type: 'object' }, catalogues: { type: 'object' } },
            }),
          },
        },
      },
    },
    schemas: {
      CompanyProfile: profile,
      ObligationDecision: decision,
      ObligationReason: reason,
    },
  },
  {
    tag: {
      name: 'assessments',
      description:
        'Full obligation assessments as a workflow (questionnaire, evaluation, ISO review, management acknowledgement, recorded decision, follow-ups, yearly re-assessment) and the history of decisions.',
    },
    paths: {
      '/api/assessments': {
        get: {
          tags: ['assessments'],
          summary: 'Recorded decisions (newest first, one page) and assessments in progress',
          parameters: queryParameters(assessmentListQuery),
          responses: {
            '200': json(ref('AssessmentList')),
            ...protectedErrors,
          },
        },
        post: {
          tags: ['assessments'],
          summary: 'Start a full assessment (ISO or member)',
          requestBody: body(assessmentStartBody),
          responses: {
            '202': json(
              {
                type: 'object',
                properties: {
                  assessmentId: { type: 'string' },
                  executionArn: { type: 'string' },
                  previousDecisionId: { type: ['string', 'null'] },
                },
              },
              'Started; the questionnaire opens in the assignee’s inbox',
            ),
            ...protectedErrors,
            '409': errorResponse('Another assessment is in progress.'),
          },
        },
      },
      '/api/assessments/diff': {
        get: {
          tags: ['assessments'],
          summary: 'What changed from decision `a` to decision `b`: conclusions, duties, reasons, facts',
          parameters: queryParameters(assessmentDiffQuery),
          responses: {
            '200': json({
              type: 'object',
              properties: { a: { type: 'object' }, b: { type: 'object' }, diff: ref('ObligationDiff') },
            }),
            ...protectedErrors,
          },
        },
      },
      '/api/assessments/{id}': {
        get: {
          tags: ['assessments'],
          summary:
            'One decision record: inputs, profile, evaluated and final decision, judgements, adjustments, signatures, follow-ups, history',
          parameters: [decisionIdParam],
          responses: { '200': json({ type: 'object' }), ...protectedErrors },
        },
      },
    },
    schemas: {
      ...componentSchemas({
        ObligationOutcome: decisionOutcomeSchema,
        ObligationDecisionRow: decisionRowSchema,
        AssessmentList: assessmentListSchema,
      }),
      ObligationDiff: diff,
    },
  },
]
