/**
 * Review templates (`workflows/reviews/templates.json`): the kinds of periodic review an
 * organisation's programme is built from. Pure: the caller reads the file and passes the
 * parsed JSON to `parseReviewTemplates`.
 */
import { z } from 'zod'
import { AppError, validationError } from '../errors.js'
import { parseScheduleExpression } from './expression.js'
import { CADENCES, cadenceExpression, detectCadence } from './presets.js'

const localized = z.object({ en: z.string().trim().min(1), de: z.string().trim().min(1) }).strict()

/** Roles that may perform a review. */
export const REVIEW_PERFORMER_ROLES = ['iso', 'management', 'member'] as const

/** Schema of one template. */
export const reviewTemplateSchema = z
  .object({
    kind: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'must be lower-case letters, digits and dashes'),
    title: localized,
    description: localized,
    /** Form definition id: `workflows/forms/<formId>.json`. */
    formId: z.string().regex(/^[a-z][a-z0-9-]{1,60}$/, 'must be lower-case letters, digits and dashes'),
    cadence: z.enum(CADENCES),
    /** Default schedule expression (EventBridge syntax); must match `cadence`. */
    expression: z.string(),
    performerRole: z.enum(REVIEW_PERFORMER_ROLES),
    managementSignOff: z.boolean(),
    /** Days from the occurrence to the review's due date. */
    dueAfterDays: z.number().int().min(1).max(365),
    /** Reminders, in days before the due date. */
    reminderDaysBefore: z.array(z.number().int().min(0).max(365)).max(5),
    /** Days after the due date before the miss escalates to management. */
    escalationGraceDays: z.number().int().min(0).max(90),
    references: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .superRefine((t, ctx) => {
    try {
      parseScheduleExpression(t.expression)
    } catch (err) {
      ctx.addIssue({
        code: 'custom',
        path: ['expression'],
        message: (err instanceof AppError && err.fields?.expression) || 'is invalid',
      })
      return
    }
    const preset = detectCadence(t.expression)
    if (preset?.cadence !== t.cadence)
      ctx.addIssue({
        code: 'custom',
        path: ['expression'],
        message: `is not a ${t.cadence} cadence, e.g. ${cadenceExpression(t.cadence)}`,
      })
    t.reminderDaysBefore.forEach((d, i) => {
      if (d >= t.dueAfterDays)
        ctx.addIssue({
          code: 'custom',
          path: ['reminderDaysBefore', i],
          message: `must be less than dueAfterDays (${t.dueAfterDays})`,
        })
    })
    if (new Set(t.reminderDaysBefore).size !== t.reminderDaysBefore.length)
      ctx.addIssue({ code: 'custom', path: ['reminderDaysBefore'], message: 'has duplicates' })
  })

/** One review template. */
export type ReviewTemplate = z.infer<typeof reviewTemplateSchema>

/** Schema of the templates file. */
export const reviewTemplatesFileSchema = z
  .object({ version: z.literal(1), templates: z.array(reviewTemplateSchema).min(1) })
  .strict()
  .superRefine((f, ctx) => {
    const seen = new Map<string, number>()
    f.templates.forEach((t, i) => {
      if (seen.has(t.kind))
        ctx.addIssue({
          code: 'custom',
          path: ['templates', i, 'kind'],
          message: `duplicates templates[${seen.get(t.kind)}]`,
        })
      seen.set(t.kind, i)
    })
  })

const pathName = (path: PropertyKey[]) =>
  path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
    '',
  ) || '(root)'

/**
 * Validates the parsed templates file. Throws a validation error whose fields are paths,
 * e.g. `{ "templates[2].title.de": "Too small: …" }`. Returns the templates in file order.
 */
export function parseReviewTemplates(data: unknown): ReviewTemplate[] {
  const result = reviewTemplatesFileSchema.safeParse(data)
  if (!result.success) {
    const fields: Record<string, string> = {}
    for (const issue of result.error.issues) fields[pathName(issue.path)] ??= issue.message
    throw validationError(fields, 'The review templates are invalid.')
  }
  return result.data.templates
}

/** The template of one kind, or a validation error naming `field` (default `kind`). */
export function reviewTemplate(templates: ReviewTemplate[], kind: string, field = 'kind'): ReviewTemplate {
  const t = templates.find((x) => x.kind === kind)
  if (!t)
    throw validationError({
      [field]: `unknown review kind ${kind}; known: ${templates.map((x) => x.kind).join(', ')}`,
    })
  return t
}
