/** What the API answers about obligation assessments: the decisions and the assessments under way. */
import { z } from 'zod'
import { dateTimeSchema, localizedSchema } from './common.js'

/** Who did something and when. */
export const signatureSchema = z.object({ userId: z.string(), name: z.string(), at: dateTimeSchema })

/** What a decision concluded: NIS2 category, KRITIS, data protection officer, TISAX. */
export const decisionOutcomeSchema = z.object({
  nis2: z.object({
    category: z.enum(['essential', 'important', 'not-covered', 'state-law', 'undetermined']),
    en: z.string(),
    de: z.string(),
  }),
  kritis: z.boolean(),
  dpo: z.boolean().nullable(),
  tisax: z.object({ relevant: z.boolean().nullable(), level: z.enum(['AL2', 'AL3']).nullable() }),
})

/** One decision in `GET /api/assessments`. */
export const decisionRowSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  sequence: z.number().int(),
  title: z.string(),
  summary: z.string(),
  decidedAt: dateTimeSchema,
  rulesVersion: z.string(),
  outcome: decisionOutcomeSchema,
  /** The latest decision. */
  current: z.boolean(),
  previousDecisionId: z.string().nullable(),
  supersededBy: z.string().nullable(),
  reviewedBy: signatureSchema,
  reviewOutcome: z.enum(['confirm', 'adjust']),
  acknowledgedBy: signatureSchema.extend({ typedName: z.string() }),
  adjustments: z.number().int(),
  followUps: z.object({ total: z.number().int(), open: z.number().int(), done: z.number().int() }),
  reassessAt: z.string(),
})

/** One decision of the list. */
export type DecisionRow = z.infer<typeof decisionRowSchema>

/** An assessment under way: its open task. */
export const inProgressRowSchema = z.object({
  assessmentId: z.string(),
  executionArn: z.string(),
  stage: z.string(),
  taskId: z.string(),
  title: localizedSchema,
  status: z.string(),
  dueAt: dateTimeSchema.nullable(),
  assigneeUserId: z.string().nullable(),
  candidateRole: z.string().nullable(),
  createdAt: dateTimeSchema,
})

/** An assessment under way. */
export type InProgressRow = z.infer<typeof inProgressRowSchema>

/** `GET /api/assessments`: the decisions, newest first, and the assessments under way. */
export const assessmentListSchema = z.object({
  items: z.array(decisionRowSchema),
  /** Where the next page of decisions begins (absent on the last page). */
  cursor: z.string().optional(),
  /** How many decisions there are. */
  total: z.number().int(),
  inProgress: z.array(inProgressRowSchema),
})

/** `GET /api/assessments`. */
export type AssessmentList = z.infer<typeof assessmentListSchema>
