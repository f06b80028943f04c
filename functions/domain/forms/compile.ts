/**
 * Compiling a form definition: its meaning is checked (unique ids, options, ranges,
 * patterns, and JSONata expressions that parse and refer only to known answers that come
 * earlier). Each problem names its JSON path, e.g.
 * `pages[2].questions[0].visibleIf: expression does not parse: …`. Its shape is checked
 * before, where a definition enters: by the zod schema in `parse.ts` (the server's loader).
 *
 * The compiled form (expressions, lookups, evaluation order) is cached per definition
 * object and per `id@version`, so evaluating the same definition again costs no compiling.
 */
import { messageOf, ValidationError } from '../errors.js'
import {
  type CompiledExpression,
  compileExpression,
  expressionLanguageLoaded,
  loadExpressionLanguage,
} from './expressions.js'
import type { ComputedValue, FormDefinition, FormPage, FormSection, LocalText, Question } from './schema.js'
import { EXPRESSION_KEYS } from './vocabulary.js'

/** One problem in a definition: where (JSON path) and what. */
export interface FormIssue {
  path: string
  message: string
}

/** A definition that failed to load; `issues` (and `fields`, keyed by path) name every problem. */
export class FormDefinitionError extends ValidationError {
  readonly issues: FormIssue[]
  constructor(issues: FormIssue[], formName = 'form definition') {
    const lines = issues.slice(0, 20).map((i) => `${i.path || '(root)'}: ${i.message}`)
    const more = issues.length > 20 ? `\n… and ${issues.length - 20} more` : ''
    super(`Invalid ${formName}:\n${lines.join('\n')}${more}`, {
      fields: Object.fromEntries(issues.map((i) => [i.path || '(root)', i.message])),
    })
    this.name = 'FormDefinitionError'
    this.issues = issues
  }
}

/** A condition or rule with where it came from. */
export interface CompiledRule extends CompiledExpression {
  path: string
}

/** Conditions of a page, section or question. */
export interface CompiledConditions {
  visibleIf?: CompiledRule
  enableIf?: CompiledRule
  requiredIf?: CompiledRule
}

/** A question ready to evaluate. */
export interface CompiledQuestion extends CompiledConditions {
  question: Question
  /** Position in document order (0-based). */
  index: number
  path: string
  pageId: string
  validators: { rule: CompiledRule; message: LocalText }[]
  pattern?: RegExp
  /** Allowed values of choice, yes-no and decision questions. */
  values?: ReadonlySet<string>
}

/** A section (a page without sections has one untitled section holding its questions). */
export interface CompiledSection extends CompiledConditions {
  section: FormSection | undefined
  path: string
  questions: CompiledQuestion[]
}

/** A page ready to evaluate. */
export interface CompiledPage extends CompiledConditions {
  page: FormPage
  path: string
  sections: CompiledSection[]
  questions: CompiledQuestion[]
}

/** A computed value and the question position before which all it reads is known. */
export interface CompiledComputed {
  computed: ComputedValue
  rule: CompiledRule
  availableAt: number
}

/** Everything the evaluator needs, built once per definition. */
export interface CompiledForm {
  definition: FormDefinition
  pages: CompiledPage[]
  questions: ReadonlyMap<string, CompiledQuestion>
  /** `computedAt[i]`: computed values to evaluate before question `i`; the last entry after all. */
  computedAt: CompiledComputed[][]
  computed: CompiledComputed[]
}

/** The result of `checkFormDefinition`. */
export type FormCheck = { ok: true; definition: FormDefinition } | { ok: false; issues: FormIssue[] }

/**
 * How a definition's shape is checked before it is compiled: the zod schema for input from
 * outside (`parse.ts`), or trust for a definition the server checked and sent (the browser).
 */
export type ShapeCheck = (input: unknown) => FormCheck

/** Formats a zod/array path as `pages[2].questions[0].visibleIf`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`
    else out += out ? `.${String(p)}` : String(p)
  }
  return out
}

/** True when a definition holds a JSONata expression anywhere (a condition, a rule, a computed value). */
export function hasExpressions(definition: unknown): boolean {
  if (definition === null || typeof definition !== 'object') return false
  if (Array.isArray(definition)) return definition.some(hasExpressions)
  return Object.entries(definition).some(
    ([key, value]) => (EXPRESSION_KEYS.has(key) && typeof value === 'string') || hasExpressions(value),
  )
}

const byObject = new WeakMap<object, CompiledForm>()
const byKey = new Map<string, { source: string; form: CompiledForm }>()
const MAX_KEYS = 500

/** The cache key of a definition: `id@version`. */
const keyOf = (definition: object) =>
  `${String(Reflect.get(definition, 'id'))}@${String(Reflect.get(definition, 'version'))}`

/** The compiled form of a definition compiled before (this object, or the same `id@version` with identical content). */
export function cachedForm(definition: unknown): CompiledForm | undefined {
  if (definition === null || typeof definition !== 'object') return undefined
  const hit = byObject.get(definition)
  if (hit) return hit
  const cached = byKey.get(keyOf(definition))
  if (!cached || cached.source !== JSON.stringify(definition)) return undefined
  byObject.set(definition, cached.form)
  return cached.form
}

/**
 * Makes a definition the server checked and sent ready to evaluate in the browser: compiles
 * it, its meaning checked as always, without the zod shape check (zod stays on the server),
 * loading JSONata only when the form has expressions. Throws {@link FormDefinitionError}.
 */
export async function prepareFormDefinition(definition: FormDefinition): Promise<FormDefinition> {
  if (!cachedForm(definition) && hasExpressions(definition)) await loadExpressionLanguage()
  const result = compileForm(definition, () => ({ ok: true, definition }))
  if (!result.ok) throw new FormDefinitionError(result.issues)
  return result.form.definition
}

/**
 * Checks (with `checkShape`) and compiles a definition, object or JSON text, or finds it in
 * the cache. JSONata must be loaded when the definition has expressions.
 */
export function compileForm(
  json: unknown,
  checkShape: ShapeCheck,
): { ok: true; form: CompiledForm } | { ok: false; issues: FormIssue[] } {
  let input = json
  if (typeof json === 'string') {
    try {
      input = JSON.parse(json)
    } catch (err) {
      return { ok: false, issues: [{ path: '', message: `not valid JSON: ${messageOf(err)}` }] }
    }
  }
  const hit = cachedForm(input)
  if (hit) return { ok: true, form: hit }
  const shaped = checkShape(input)
  if (!shaped.ok) return shaped
  if (!expressionLanguageLoaded() && hasExpressions(shaped.definition))
    throw new Error('JSONata is not loaded: await loadExpressionLanguage() before compiling this form')
  const issues: FormIssue[] = []
  const form = build(shaped.definition, issues)
  if (issues.length > 0) return { ok: false, issues }
  if (input !== null && typeof input === 'object') {
    byObject.set(input, form)
    if (byKey.size >= MAX_KEYS) byKey.delete(byKey.keys().next().value!)
    byKey.set(keyOf(input), { source: JSON.stringify(input), form })
  }
  byObject.set(form.definition, form)
  return { ok: true, form }
}

/** Builds the compiled form, adding every semantic problem to `issues`. */
function build(def: FormDefinition, issues: FormIssue[]): CompiledForm {
  const add = (path: string, message: string) => issues.push({ path, message })
  const questions = new Map<string, CompiledQuestion>()
  const ids = new Map<string, string>() // id → path where first defined
  const claim = (ns: 'page' | 'section' | 'answer', id: string, path: string, what: string) => {
    const prior = ids.get(`${ns}:${id}`)
    if (prior !== undefined) add(path, `${what} id '${id}' is already used at ${prior}`)
    else ids.set(`${ns}:${id}`, path)
  }

  // pass 1: structure, ids, per-question checks (expressions compiled in pass 2, when all ids are known)
  const pages: CompiledPage[] = []
  let index = 0
  def.pages.forEach((page, pi) => {
    const pagePath = `pages[${pi}]`
    claim('page', page.id, `${pagePath}.id`, 'page')
    const groups: { section: FormSection | undefined; path: string; list: Question[]; listPath: string }[] =
      page.sections
        ? page.sections.map((s, si) => ({
            section: s,
            path: `${pagePath}.sections[${si}]`,
            list: s.questions,
            listPath: `${pagePath}.sections[${si}].questions`,
          }))
        : [
            {
              section: undefined,
              path: pagePath,
              list: page.questions ?? [],
              listPath: `${pagePath}.questions`,
            },
          ]
    const sections: CompiledSection[] = groups.map((g) => {
      if (g.section) claim('section', g.section.id, `${g.path}.id`, 'section')
      const qs = g.list.map((question, qi) => {
        const path = `${g.listPath}[${qi}]`
        claim('answer', question.id, `${path}.id`, 'question')
        const cq: CompiledQuestion = { question, index: index++, path, pageId: page.id, validators: [] }
        checkQuestion(cq, add)
        questions.set(question.id, cq)
        return cq
      })
      return { section: g.section, path: g.path, questions: qs }
    })
    pages.push({ page, path: pagePath, sections, questions: sections.flatMap((s) => s.questions) })
  })
  const total = index

  // computed values: references to questions anywhere, to computed values declared before
  const computed: CompiledComputed[] = []
  const computedById = new Map<string, CompiledComputed>()
  ;(def.computed ?? []).forEach((c, ci) => {
    const path = `computed[${ci}]`
    claim('answer', c.id, `${path}.id`, 'computed value')
    const rule = compileRule(c.expression, `${path}.expression`, add)
    if (!rule) return
    let availableAt = rule.opaque ? total : 0
    for (const ref of rule.refs) {
      const q = questions.get(ref)
      const other = computedById.get(ref)
      if (q) availableAt = Math.max(availableAt, q.index + 1)
      else if (other) availableAt = Math.max(availableAt, other.availableAt)
      else if (ref === c.id) add(rule.path, `refers to itself ('${ref}')`)
      else if ((def.computed ?? []).some((x) => x.id === ref))
        add(rule.path, `refers to computed value '${ref}', which is declared after it`)
      else add(rule.path, unknownRef(ref))
    }
    const cc: CompiledComputed = { computed: c, rule, availableAt }
    computed.push(cc)
    computedById.set(c.id, cc)
  })

  // conditions may read only what is known before the element: earlier answers, computed values ready by then
  const conditionsOf = (
    target: { visibleIf?: string; enableIf?: string; requiredIf?: string },
    path: string,
    at: number,
  ): CompiledConditions => {
    const out: CompiledConditions = {}
    for (const key of ['visibleIf', 'enableIf', 'requiredIf'] as const) {
      const src = target[key]
      if (src === undefined) continue
      const rule = compileRule(src, `${path}.${key}`, add)
      if (!rule) continue
      for (const ref of rule.refs) {
        const q = questions.get(ref)
        const c = computedById.get(ref)
        if (q && q.index >= at)
          add(
            rule.path,
            `refers to '${ref}', which is not answered before this point (conditions may only read earlier answers)`,
          )
        else if (c && c.availableAt > at)
          add(rule.path, `refers to computed value '${ref}', which depends on answers after this point`)
        else if (!q && !c) add(rule.path, unknownRef(ref))
      }
      out[key] = rule
    }
    return out
  }

  for (const p of pages) {
    const first = p.questions[0]?.index ?? total
    Object.assign(p, conditionsOf(p.page, p.path, first))
    for (const s of p.sections) {
      if (s.section) Object.assign(s, conditionsOf(s.section, s.path, s.questions[0]?.index ?? total))
      for (const q of s.questions) {
        Object.assign(q, conditionsOf(q.question, q.path, q.index))
        q.question.validators?.forEach((v, vi) => {
          const rule = compileRule(v.rule, `${q.path}.validators[${vi}].rule`, add)
          if (!rule) return
          for (const ref of rule.refs)
            if (!questions.has(ref) && !computedById.has(ref)) add(rule.path, unknownRef(ref))
          q.validators.push({ rule, message: v.message })
        })
      }
    }
  }

  const computedAt: CompiledComputed[][] = Array.from({ length: total + 1 }, () => [])
  for (const c of computed) computedAt[c.availableAt].push(c)
  return { definition: def, pages, questions, computedAt, computed }
}

const unknownRef = (ref: string) =>
  `refers to '${ref}', which is not a question or computed value on this form`

function compileRule(source: string, path: string, add: (path: string, message: string) => void) {
  try {
    return { ...compileExpression(source), path } satisfies CompiledRule
  } catch (err) {
    add(path, messageOf(err))
    return undefined
  }
}

/** Shape-independent checks of one question: options, ranges, pattern, required vs requiredIf. */
function checkQuestion(cq: CompiledQuestion, add: (path: string, message: string) => void) {
  const q = cq.question
  const path = cq.path
  if (q.required !== undefined && q.requiredIf !== undefined)
    add(`${path}.requiredIf`, 'use either required or requiredIf, not both')
  const unique = (values: string[], where: string, what: string) => {
    const seen = new Set<string>()
    values.forEach((v, i) => {
      if (seen.has(v)) add(`${path}.${where}[${i}]`, `${what} '${v}' appears twice`)
      seen.add(v)
    })
    return seen
  }
  const minMax = (min: number | undefined, max: number | undefined, names = ['min', 'max']) => {
    if (min !== undefined && max !== undefined && min > max)
      add(`${path}.${names[0]}`, `${names[0]} is greater than ${names[1]}`)
  }
  switch (q.type) {
    case 'single-choice':
      cq.values = unique(
        q.options.map((o) => o.value),
        'options',
        'option value',
      )
      break
    case 'multiple-choice':
      cq.values = unique(
        q.options.map((o) => o.value),
        'options',
        'option value',
      )
      minMax(q.minSelected, q.maxSelected, ['minSelected', 'maxSelected'])
      if (q.minSelected !== undefined && q.minSelected > q.options.length)
        add(`${path}.minSelected`, 'is more than the number of options')
      break
    case 'yes-no':
      cq.values = new Set(q.notSure ? ['yes', 'no', 'not-sure'] : ['yes', 'no'])
      break
    case 'number':
    case 'money':
      minMax(q.min, q.max)
      break
    case 'text':
    case 'long-text':
      minMax(q.minLength, q.maxLength, ['minLength', 'maxLength'])
      if (q.type === 'text' && q.pattern) {
        try {
          cq.pattern = new RegExp(q.pattern.regex, 'u')
        } catch (err) {
          add(`${path}.pattern.regex`, `is not a valid regular expression: ${messageOf(err)}`)
        }
      }
      break
    case 'date':
      if (q.min && q.max && q.min !== 'today' && q.max !== 'today')
        minMax(Date.parse(q.min), Date.parse(q.max))
      for (const k of ['min', 'max'] as const) {
        const v = q[k]
        if (v && v !== 'today' && !isRealDate(v)) add(`${path}.${k}`, 'is not a real date')
      }
      break
    case 'catalogue':
      minMax(q.minSelected, q.maxSelected, ['minSelected', 'maxSelected'])
      if (!q.multiple && (q.minSelected !== undefined || q.maxSelected !== undefined))
        add(`${path}.multiple`, 'minSelected/maxSelected need multiple: true')
      break
    case 'matrix':
      unique(
        q.rows.map((r) => r.id),
        'rows',
        'row id',
      )
      cq.values = unique(
        q.scale.map((o) => o.value),
        'scale',
        'scale value',
      )
      break
    case 'evidence':
      unique(q.accept ?? [], 'accept', 'kind')
      break
    case 'decision':
      cq.values = unique(q.outcomes ?? ['approve', 'reject', 'request-changes'], 'outcomes', 'outcome')
      break
    case 'acknowledgement':
      break
  }
}

/** True for a real calendar date written yyyy-mm-dd. */
export function isRealDate(s: string): boolean {
  if (s.length !== 10 || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false
  const y = Number(s.slice(0, 4))
  const m = Number(s.slice(5, 7))
  const d = Number(s.slice(8, 10))
  if (m < 1 || m > 12 || d < 1) return false
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
  return d <= days
}
