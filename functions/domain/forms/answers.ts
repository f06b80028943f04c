/**
 * Checking one answer against its question's type: shape, options, ranges, lengths.
 * Returns the normalised value (trimmed text, options in definition order) and the
 * errors, keyed by sub-field where a question has several inputs (`comment`, a matrix row).
 */
import type { CompiledQuestion } from './compile.js'
import { isRealDate } from './compile.js'
import { customMessage, type FieldMessage, messages } from './messages.js'
import type { CatalogueEntry, Catalogues, EvidenceItem, Question } from './schema.js'

/** What the answer check needs besides the question. */
export interface AnswerEnv {
  catalogues: Catalogues
  /** Today as yyyy-mm-dd, for date bounds `today`. */
  today: string
  /** Who signs: an acknowledgement's name must be this one (see `sameName`). */
  signerName?: string
}

/** Whether a typed name is the same name: ignoring case and spaces (`martin  BRANDT` is Martin Brandt). */
export const sameName = (a: string, b: string) => {
  const norm = (s: string) => s.normalize('NFC').toLocaleLowerCase('de').replace(/\s+/g, '')
  return norm(a) === norm(b)
}

/** Result of checking one answer. `value` is undefined when the answer is empty. */
export interface AnswerResult {
  value: unknown
  /** `[subKey, message]`; subKey '' is the question itself. */
  errors: [string, FieldMessage][]
}

/** Default longest text per type. */
export const DEFAULT_MAX_LENGTH = { text: 500, 'long-text': 10_000, comment: 5000, name: 200 } as const
/** Default most evidence items. */
export const DEFAULT_MAX_EVIDENCE = 10

/** True for undefined, null, blank strings, empty arrays and objects whose values are all empty. */
export function isEmptyAnswer(v: unknown): boolean {
  if (v === undefined || v === null) return true
  if (typeof v === 'string') return v.trim() === ''
  if (Array.isArray(v)) return v.length === 0
  if (typeof v === 'object') return Object.values(v).every(isEmptyAnswer)
  return false
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v)

const ok = (value: unknown): AnswerResult => ({ value, errors: [] })
const fail = (message: FieldMessage, sub = ''): AnswerResult => ({
  value: undefined,
  errors: [[sub, message]],
})

/** The message for an empty required answer of this question. */
export function requiredMessage(q: Question): FieldMessage {
  if (q.requiredMessage) return customMessage('required', q.requiredMessage)
  switch (q.type) {
    case 'single-choice':
    case 'yes-no':
    case 'matrix':
      return messages.selectAnswer()
    case 'catalogue':
      return q.multiple ? messages.selectAtLeastOne() : messages.selectAnswer()
    case 'multiple-choice':
      return messages.selectAtLeastOne()
    case 'number':
      return messages.enterNumber()
    case 'money':
      return messages.enterAmount()
    case 'date':
      return messages.enterDate()
    case 'evidence':
      return messages.addEvidence()
    case 'acknowledgement':
      return messages.typeName()
    case 'decision':
      return messages.selectDecision()
    default:
      return messages.enterAnswer()
  }
}

/**
 * Checks a non-empty answer. `required` matters for compound answers (every matrix row).
 * Throws when a catalogue question's catalogue was not passed (a programming error).
 */
export function checkAnswer(
  cq: CompiledQuestion,
  raw: unknown,
  env: AnswerEnv,
  required: boolean,
): AnswerResult {
  const q = cq.question
  switch (q.type) {
    case 'single-choice':
    case 'yes-no':
      return typeof raw === 'string' && cq.values!.has(raw) ? ok(raw) : fail(messages.notAnOption())
    case 'multiple-choice':
      return checkSelection(
        raw,
        cq.values!,
        q.options.map((o) => o.value),
        q.minSelected,
        q.maxSelected,
      )
    case 'catalogue': {
      const entries = env.catalogues[q.catalogue]
      if (!entries) throw new Error(`catalogue '${q.catalogue}' was not passed to the form evaluator`)
      const { ids, set } = catalogueIds(entries)
      if (!q.multiple) return typeof raw === 'string' && set.has(raw) ? ok(raw) : fail(messages.notAnOption())
      return checkSelection(raw, set, ids, q.minSelected, q.maxSelected)
    }
    case 'number': {
      if (typeof raw !== 'number' || !Number.isFinite(raw)) return fail(messages.notANumber())
      if (q.integer && !Number.isInteger(raw)) return fail(messages.notAnInteger())
      if ((q.min !== undefined && raw < q.min) || (q.max !== undefined && raw > q.max))
        return fail(messages.numberOutOfRange(q.min, q.max))
      return ok(raw)
    }
    case 'money': {
      if (typeof raw !== 'number' || !Number.isFinite(raw) || Math.abs(raw) > 1e13)
        return fail(messages.notAnAmount())
      if (Math.abs(raw * 100 - Math.round(raw * 100)) > 1e-6) return fail(messages.tooManyDecimals())
      if ((q.min !== undefined && raw < q.min) || (q.max !== undefined && raw > q.max))
        return fail(messages.amountOutOfRange(q.min, q.max))
      return ok(raw)
    }
    case 'text':
    case 'long-text': {
      if (typeof raw !== 'string') return fail(messages.notText())
      const text = raw.trim()
      const max = q.maxLength ?? DEFAULT_MAX_LENGTH[q.type]
      if (q.minLength !== undefined && text.length < q.minLength) return fail(messages.tooShort(q.minLength))
      if (text.length > max) return fail(messages.tooLong(max))
      if (q.type === 'text' && q.pattern && cq.pattern && !cq.pattern.test(text))
        return fail(customMessage('pattern', q.pattern.message))
      return ok(text)
    }
    case 'date': {
      if (typeof raw !== 'string' || !isRealDate(raw)) return fail(messages.invalidDate())
      const min = q.min === 'today' ? env.today : q.min
      const max = q.max === 'today' ? env.today : q.max
      if (min && raw < min) return fail(messages.dateTooEarly(q.min!))
      if (max && raw > max) return fail(messages.dateTooLate(q.max!))
      return ok(raw)
    }
    case 'matrix': {
      if (!isPlainObject(raw)) return fail(messages.malformed())
      const rowIds = new Set(q.rows.map((r) => r.id))
      const out: Record<string, string> = {}
      const errors: [string, FieldMessage][] = []
      for (const [k, v] of Object.entries(raw)) {
        if (!rowIds.has(k)) return fail(messages.malformed())
        if (isEmptyAnswer(v)) continue
        if (typeof v !== 'string' || !cq.values!.has(v)) errors.push([k, messages.notAnOption()])
        else out[k] = v
      }
      if (required)
        for (const r of q.rows)
          if (raw[r.id] === undefined || isEmptyAnswer(raw[r.id]))
            errors.push([r.id, messages.selectRow(r.label)])
      // rows in definition order
      const value = Object.fromEntries(q.rows.filter((r) => r.id in out).map((r) => [r.id, out[r.id]]))
      return { value: errors.length ? undefined : value, errors }
    }
    case 'evidence':
      return checkEvidence(raw, q.accept ?? ['link', 'file'], q.maxItems ?? DEFAULT_MAX_EVIDENCE)
    case 'acknowledgement': {
      if (!isPlainObject(raw) || Object.keys(raw).some((k) => k !== 'name' && k !== 'at'))
        return fail(messages.malformed())
      const name = typeof raw.name === 'string' ? raw.name.trim() : ''
      if (name.length < 2) return fail(messages.typeName())
      if (name.length > DEFAULT_MAX_LENGTH.name) return fail(messages.tooLong(DEFAULT_MAX_LENGTH.name))
      if (env.signerName !== undefined && !sameName(name, env.signerName))
        return fail(messages.notYourName(env.signerName))
      if (typeof raw.at !== 'string' || !isTimestamp(raw.at)) return fail(messages.acknowledgementTime())
      return ok({ name, at: raw.at })
    }
    case 'decision': {
      if (!isPlainObject(raw) || Object.keys(raw).some((k) => k !== 'outcome' && k !== 'comment'))
        return fail(messages.malformed())
      if (raw.comment !== undefined && typeof raw.comment !== 'string')
        return fail(messages.notText(), 'comment')
      const comment = typeof raw.comment === 'string' ? raw.comment.trim() : ''
      if (isEmptyAnswer(raw.outcome)) return fail(messages.selectDecision())
      if (typeof raw.outcome !== 'string' || !cq.values!.has(raw.outcome)) return fail(messages.notAnOption())
      const max = q.commentMaxLength ?? DEFAULT_MAX_LENGTH.comment
      if (comment.length > max) return fail(messages.tooLong(max), 'comment')
      if (raw.outcome !== 'approve' && comment === '') return fail(messages.commentRequired(), 'comment')
      return ok(comment ? { outcome: raw.outcome, comment } : { outcome: raw.outcome })
    }
  }
}

const idCache = new WeakMap<readonly CatalogueEntry[], { ids: string[]; set: Set<string> }>()
/** The ids of a catalogue, as a list and a set, computed once per catalogue array. */
function catalogueIds(entries: readonly CatalogueEntry[]) {
  let hit = idCache.get(entries)
  if (!hit) {
    const ids = entries.map((e) => e.id)
    hit = { ids, set: new Set(ids) }
    idCache.set(entries, hit)
  }
  return hit
}

function checkSelection(
  raw: unknown,
  allowed: ReadonlySet<string>,
  order: readonly string[],
  min: number | undefined,
  max: number | undefined,
): AnswerResult {
  if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string' || !allowed.has(v)))
    return fail(messages.notAnOption())
  const chosen = new Set(raw as string[])
  if (chosen.size !== raw.length) return fail(messages.malformed())
  if (min !== undefined && chosen.size < min) return fail(messages.tooFewSelected(min))
  if (max !== undefined && chosen.size > max) return fail(messages.tooManySelected(max))
  return ok(order.filter((v) => chosen.has(v)))
}

function checkEvidence(raw: unknown, accept: readonly string[], maxItems: number): AnswerResult {
  if (!Array.isArray(raw)) return fail(messages.malformed())
  if (raw.length > maxItems) return fail(messages.evidenceTooMany(maxItems))
  const items: EvidenceItem[] = []
  for (const [i, item] of raw.entries()) {
    const n = i + 1
    if (!isPlainObject(item) || (item.kind !== 'link' && item.kind !== 'file'))
      return fail(messages.malformed())
    if (!accept.includes(item.kind)) return fail(messages.evidenceKind(n))
    if (item.kind === 'link') {
      if (Object.keys(item).some((k) => !['kind', 'url', 'title'].includes(k)))
        return fail(messages.malformed())
      if (typeof item.url !== 'string' || !isWebAddress(item.url.trim()))
        return fail(messages.evidenceLink(n))
      if (item.title !== undefined && (typeof item.title !== 'string' || item.title.length > 300))
        return fail(messages.malformed())
      const title = typeof item.title === 'string' ? item.title.trim() : ''
      items.push(
        title ? { kind: 'link', url: item.url.trim(), title } : { kind: 'link', url: item.url.trim() },
      )
    } else {
      if (Object.keys(item).some((k) => !['kind', 'fileId', 'name', 'size', 'contentType'].includes(k)))
        return fail(messages.malformed())
      const valid =
        typeof item.fileId === 'string' &&
        /^[A-Za-z0-9._:-]{1,200}$/.test(item.fileId) &&
        typeof item.name === 'string' &&
        item.name.trim().length > 0 &&
        item.name.length <= 300 &&
        (item.size === undefined ||
          (typeof item.size === 'number' && Number.isInteger(item.size) && item.size >= 0)) &&
        (item.contentType === undefined ||
          (typeof item.contentType === 'string' && item.contentType.length <= 200))
      if (!valid) return fail(messages.evidenceFile(n))
      const file: EvidenceItem = {
        kind: 'file',
        fileId: item.fileId as string,
        name: (item.name as string).trim(),
      }
      if (item.size !== undefined) file.size = item.size as number
      if (item.contentType !== undefined) file.contentType = item.contentType as string
      items.push(file)
    }
  }
  return ok(items)
}

/** True for an absolute http(s) address with a host. */
export function isWebAddress(s: string): boolean {
  if (s.length > 2000) return false
  try {
    const u = new URL(s)
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname.length > 0
  } catch {
    return false
  }
}

/** True for an ISO 8601 timestamp with time zone, e.g. 2025-03-27T10:15:00.000Z. */
export function isTimestamp(s: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(s) &&
    !Number.isNaN(Date.parse(s))
  )
}
