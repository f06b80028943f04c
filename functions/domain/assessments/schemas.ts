import { z } from 'zod'
import { type Adjustment, CONCLUSIONS, type JudgementResolution } from './types.js'

const text = z.object({ en: z.string(), de: z.string() })

/** A judgement as the ISO resolved it (`applyReview`), as the workflow passes it on. */
export const judgementResolutionSchema: z.ZodType<JudgementResolution> = z.object({
  id: z.enum(['negligible-activity', 'it-independence', 'tisax-very-high-availability']),
  subject: z.string(),
  question: text,
  ref: z.string(),
  resolution: z.enum(['confirmed', 'rejected']),
  level: z.enum(['AL2', 'AL3']).optional(),
})

/** A conclusion the ISO adjusted (`applyReview`), as the workflow passes it on. */
export const adjustmentSchema: z.ZodType<Adjustment> = z.object({
  conclusion: z.enum(CONCLUSIONS),
  from: z.string(),
  to: z.string(),
  source: z.enum(['iso', 'judgement']),
  justification: z.string(),
})
