/**
 * The form definition format, as one zod schema. A definition is data (JSON in
 * `workflows/forms/`); this schema checks its shape, `compile.ts` checks its meaning
 * (unique ids, expressions that parse and refer to known answers, min ≤ max).
 * See `workflows/forms/README.md` for the format in prose.
 */
import { z } from 'zod'
import { DECISION_OUTCOMES, type DecisionOutcome, LANGS, type Lang } from './vocabulary.js'

export { DECISION_OUTCOMES, type DecisionOutcome, LANGS, type Lang }

/** A user-facing text in both languages. */
export const localText = z.strictObject({
  en: z.string().trim().min(1, 'English text is required'),
  de: z.string().trim().min(1, 'German text is required'),
})
/** A user-facing text in English and German. */
export type LocalText = z.infer<typeof localText>

/** A JSONata expression (checked for syntax and references when the definition loads). */
const expression = z.string().trim().min(1, 'expression must not be empty').max(2000)

/** Question and computed-value ids are JSONata names, so expressions can use them without backticks. */
const RESERVED = new Set(Object.getOwnPropertyNames(Object.prototype))
const answerId = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'must start with a letter and hold only letters, digits and _')
  .refine((id) => !RESERVED.has(id), 'is a reserved name')

/** Page and section ids appear in URLs. */
const slugId = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'must be lower-case letters, digits and -')

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date yyyy-mm-dd')
const dateBound = z.union([isoDate, z.literal('today')])

const option = z.strictObject({
  value: z.string().min(1).max(100),
  label: localText,
  hint: localText.optional(),
})

const validator = z.strictObject({
  /** Must not evaluate to `false`; `$value` is the question's answer. */
  rule: expression,
  message: localText,
})

const conditions = {
  visibleIf: expression.optional(),
  enableIf: expression.optional(),
  requiredIf: expression.optional(),
}

const questionBase = {
  id: answerId,
  label: localText,
  /** Short hint under the label. */
  hint: localText.optional(),
  /** Longer help, shown behind "Help with this question". */
  help: localText.optional(),
  /** Legal reference, e.g. "§ 28 BSIG". */
  legalRef: localText.optional(),
  /** Defaults to true; use requiredIf for a condition. */
  required: z.boolean().optional(),
  ...conditions,
  validators: z.array(validator).max(20).optional(),
  /** Replaces the built-in message for an empty required answer. */
  requiredMessage: localText.optional(),
}

const singleChoice = z.strictObject({
  type: z.literal('single-choice'),
  ...questionBase,
  options: z.array(option).min(2).max(200),
  display: z.enum(['radios', 'select']).optional(),
})

const multipleChoice = z.strictObject({
  type: z.literal('multiple-choice'),
  ...questionBase,
  options: z.array(option).min(1).max(200),
  minSelected: z.number().int().min(0).optional(),
  maxSelected: z.number().int().min(1).optional(),
})

const yesNo = z.strictObject({
  type: z.literal('yes-no'),
  ...questionBase,
  /** Offer "I'm not sure" (answer `not-sure`). */
  notSure: z.boolean().optional(),
})

const numberQ = z.strictObject({
  type: z.literal('number'),
  ...questionBase,
  unit: localText.optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  integer: z.boolean().optional(),
})

const money = z.strictObject({
  type: z.literal('money'),
  ...questionBase,
  currency: z.literal('EUR').optional(),
  min: z.number().optional(),
  max: z.number().optional(),
})

const pattern = z.strictObject({ regex: z.string().min(1).max(500), message: localText })

const text = z.strictObject({
  type: z.literal('text'),
  ...questionBase,
  minLength: z.number().int().min(0).optional(),
  maxLength: z.number().int().min(1).max(2000).optional(),
  pattern: pattern.optional(),
  inputMode: z.enum(['text', 'email', 'tel', 'url', 'numeric']).optional(),
  autocomplete: z.string().max(60).optional(),
})

const longText = z.strictObject({
  type: z.literal('long-text'),
  ...questionBase,
  minLength: z.number().int().min(0).optional(),
  maxLength: z.number().int().min(1).max(50_000).optional(),
  rows: z.number().int().min(2).max(30).optional(),
})

const date = z.strictObject({
  type: z.literal('date'),
  ...questionBase,
  min: dateBound.optional(),
  max: dateBound.optional(),
})

const catalogue = z.strictObject({
  type: z.literal('catalogue'),
  ...questionBase,
  /** Name of a catalogue passed to the evaluator (`options.catalogues[name]`). */
  catalogue: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'must be lower-case letters, digits and -'),
  multiple: z.boolean().optional(),
  minSelected: z.number().int().min(0).optional(),
  maxSelected: z.number().int().min(1).optional(),
})

const matrix = z.strictObject({
  type: z.literal('matrix'),
  ...questionBase,
  rows: z
    .array(z.strictObject({ id: answerId, label: localText }))
    .min(1)
    .max(100),
  scale: z.array(option).min(2).max(11),
})

const evidence = z.strictObject({
  type: z.literal('evidence'),
  ...questionBase,
  accept: z
    .array(z.enum(['link', 'file']))
    .min(1)
    .optional(),
  maxItems: z.number().int().min(1).max(50).optional(),
})

const acknowledgement = z.strictObject({
  type: z.literal('acknowledgement'),
  ...questionBase,
  /** What the person acknowledges, shown above the name field. */
  statement: localText,
})

const decision = z.strictObject({
  type: z.literal('decision'),
  ...questionBase,
  /** The outcomes offered; all three by default. */
  outcomes: z
    .array(z.enum(['approve', 'reject', 'request-changes']))
    .min(2)
    .optional(),
  commentMaxLength: z.number().int().min(1).max(10_000).optional(),
})

/** Any question; `type` picks the kind. */
export const questionSchema = z.discriminatedUnion('type', [
  singleChoice,
  multipleChoice,
  yesNo,
  numberQ,
  money,
  text,
  longText,
  date,
  catalogue,
  matrix,
  evidence,
  acknowledgement,
  decision,
])

const sectionSchema = z.strictObject({
  id: slugId,
  title: localText.optional(),
  description: localText.optional(),
  ...conditions,
  questions: z.array(questionSchema).min(1).max(500),
})

const pageSchema = z
  .strictObject({
    id: slugId,
    title: localText,
    description: localText.optional(),
    ...conditions,
    questions: z.array(questionSchema).min(1).max(500).optional(),
    sections: z.array(sectionSchema).min(1).max(100).optional(),
  })
  .refine((p) => (p.questions === undefined) !== (p.sections === undefined), {
    message: 'a page has either questions or sections (exactly one of them)',
  })

const computedSchema = z.strictObject({
  id: answerId,
  expression,
  label: localText.optional(),
})

/** The whole form definition. */
export const formDefinitionSchema = z.strictObject({
  $schema: z.string().optional(),
  id: slugId,
  version: z.number().int().min(1),
  title: localText,
  description: localText.optional(),
  /** Values derived from the answers, usable in conditions and validators. */
  computed: z.array(computedSchema).max(200).optional(),
  pages: z.array(pageSchema).min(1).max(200),
})

/** A checked form definition (what {@link parseFormDefinition} returns). */
export type FormDefinition = z.infer<typeof formDefinitionSchema>
/** One page of a form. */
export type FormPage = FormDefinition['pages'][number]
/** A titled group of questions on a page. */
export type FormSection = z.infer<typeof sectionSchema>
/** Any question. */
export type Question = z.infer<typeof questionSchema>
/** The question kinds. */
export type QuestionType = Question['type']
/** A question of one kind, e.g. `QuestionOf<'matrix'>`. */
export type QuestionOf<T extends QuestionType> = Extract<Question, { type: T }>
/** A value computed from answers. */
export type ComputedValue = z.infer<typeof computedSchema>
/** A choice option. */
export type ChoiceOption = z.infer<typeof option>

/** An entry of a named catalogue passed to the evaluator (e.g. NIS2 activities). */
export interface CatalogueEntry {
  id: string
  label: LocalText
  hint?: LocalText
  /** Optional group heading (e.g. the sector). */
  group?: LocalText
}

/** Catalogues by name, as `catalogue` questions refer to them. */
export type Catalogues = Record<string, readonly CatalogueEntry[]>

/** The answer to a decision question. A comment is required for reject and request-changes. */
export interface DecisionAnswer {
  outcome: DecisionOutcome
  comment?: string
}

/** The answer to an acknowledgement: the typed name and when it was typed (ISO timestamp). */
export interface AcknowledgementAnswer {
  name: string
  at: string
}

/** One piece of evidence: a link or a reference to an uploaded file. */
export type EvidenceItem =
  | { kind: 'link'; url: string; title?: string }
  | { kind: 'file'; fileId: string; name: string; size?: number; contentType?: string }

/** Answers by question id (what the browser sends and the server stores). */
export type Answers = Record<string, unknown>
