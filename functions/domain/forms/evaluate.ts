/**
 * The form evaluator: given a definition and answers, which pages and questions are
 * visible, enabled and required, the errors per field, progress, computed values and the
 * answers that remain once hidden ones are dropped. Pure and deterministic (pass `today`);
 * async only because JSONata 2 evaluates asynchronously. The browser runs it on every
 * change; the server runs it again on submission and trusts nothing else.
 *
 * Order: the form is walked in document order. A condition sees the answers of visible
 * questions before it and the computed values ready by then (the loader rejects conditions
 * that read later answers), so a chain of conditions collapses when an early answer changes.
 * Validators run last and see everything.
 */
import { messageOf, validationError } from '../errors.js'
import { type AnswerEnv, checkAnswer, isEmptyAnswer, requiredMessage } from './answers.js'
import type { CompiledForm, CompiledQuestion, CompiledRule } from './compile.js'
import { compiledForm } from './compiled.js'
import { truthy } from './expressions.js'
import { USE_JSONATA } from './fast.js'
import { customMessage, type FieldMessage, messages } from './messages.js'
import type { Answers, Catalogues, FormDefinition } from './schema.js'

/** Options of {@link evaluateForm}. */
export interface EvaluateOptions {
  /** Catalogues by name, for `catalogue` questions (required when such a question is answered). */
  catalogues?: Catalogues
  /** Today as yyyy-mm-dd (date bounds `today`, `$today` in expressions); defaults to the local date. */
  today?: string
  /**
   * The display name of the person who signs: an acknowledgement's typed name must be this
   * name (ignoring case and spaces). Without it any name of two or more characters is taken.
   */
  signerName?: string
}

/** The state of one question. */
export interface QuestionState {
  visible: boolean
  enabled: boolean
  required: boolean
  /** Has a valid, non-empty answer. */
  answered: boolean
}

/** The state of one page (for a task list of pages and the progress indicator). */
export interface PageState {
  visible: boolean
  enabled: boolean
  /** Questions counted for progress: visible, enabled, and required or answered. */
  total: number
  answered: number
  /** Number of field errors on this page. */
  errors: number
  /** Every counted question answered and no errors. */
  complete: boolean
}

/** Progress over what is visible now; hidden pages do not count. */
export interface FormProgress {
  answered: number
  total: number
  /** 0–100, rounded down, 100 exactly when everything counted is answered. */
  percent: number
}

/** An expression that failed at run time (a definition bug); the evaluator carried on. */
export interface ExpressionFailure {
  path: string
  message: string
}

/** Everything {@link evaluateForm} works out. */
export interface FormEvaluation {
  formId: string
  version: number
  /** Ids of visible pages, in order. */
  visiblePages: string[]
  pages: Record<string, PageState>
  questions: Record<string, QuestionState>
  /** Errors by field: a question id, `id.sub` for a part (`decision.comment`, a matrix row), or an unknown answer key. */
  errors: Record<string, FieldMessage>
  progress: FormProgress
  computed: Record<string, unknown>
  /** Valid answers of visible questions, normalised; hidden, empty, invalid and unknown answers are left out. */
  cleanedAnswers: Answers
  valid: boolean
  expressionFailures: ExpressionFailure[]
}

const MAX_UNKNOWN_REPORTED = 50
const FAILED = Symbol('failed')

/** Today's local date as yyyy-mm-dd. */
export function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

/**
 * Evaluates a form against answers.
 *
 * @example
 * const result = await evaluateForm(definition, { employees: 60 }, { today: '2025-03-27' })
 * result.questions.turnover.visible // true when the condition on employees holds
 * result.errors.turnover?.de        // "Geben Sie einen Betrag in Euro ein"
 *
 * Throws {@link FormDefinitionError} for a definition that does not load and a
 * validation error when `answers` is not an object.
 */
export async function evaluateForm(
  definition: FormDefinition,
  answers: Answers,
  options: EvaluateOptions = {},
): Promise<FormEvaluation> {
  const form = await compiledForm(definition)
  if (answers === null || typeof answers !== 'object' || Array.isArray(answers))
    throw validationError({ answers: 'must be an object of answers by question id' })
  return new Walk(form, answers, {
    catalogues: options.catalogues ?? {},
    today: options.today ?? localToday(),
    signerName: options.signerName,
  }).run()
}

class Walk {
  private readonly ctx: Record<string, unknown> = {}
  private readonly bindings: Record<string, unknown>
  private readonly errors: Record<string, FieldMessage> = {}
  private readonly failures: ExpressionFailure[] = []
  private readonly computed: Record<string, unknown> = {}
  private readonly cleaned: Answers = {}
  private readonly questions: Record<string, QuestionState> = {}
  private nextComputed = 0

  constructor(
    private readonly form: CompiledForm,
    private readonly answers: Answers,
    private readonly env: AnswerEnv,
  ) {
    this.bindings = { today: env.today }
  }

  async run(): Promise<FormEvaluation> {
    const { form } = this
    this.reportUnknown()
    const visiblePages: string[] = []
    const pages: Record<string, PageState> = {}
    // `check` and `advance` answer synchronously when no JSONata call is needed; awaiting only
    // real promises keeps an evaluation free of hundreds of microtask hops
    for (const p of form.pages) {
      await this.advance(p.questions[0]?.index ?? 0)
      const pv = await this.check(p.visibleIf, true)
      const pe = pv && (await this.check(p.enableIf, true))
      const pr = pe && (await this.check(p.requiredIf, true))
      if (pv) visiblePages.push(p.page.id)
      for (const s of p.sections) {
        if (s.questions.length) await this.advance(s.questions[0].index)
        const sv = pv && (await this.check(s.visibleIf, true))
        const se = sv && pe && (await this.check(s.enableIf, true))
        const sr = se && pr && (await this.check(s.requiredIf, true))
        for (const q of s.questions) {
          const pending = this.advance(q.index)
          if (pending) await pending
          let visible = sv && this.check(q.visibleIf, true)
          if (visible instanceof Promise) visible = await visible
          let enabled = visible && se && this.check(q.enableIf, true)
          if (enabled instanceof Promise) enabled = await enabled
          let required =
            enabled && sr && (q.requiredIf ? this.check(q.requiredIf, true) : (q.question.required ?? true))
          if (required instanceof Promise) required = await required
          this.visit(q, visible, enabled, required)
        }
      }
      pages[p.page.id] = { visible: pv, enabled: pe, total: 0, answered: 0, errors: 0, complete: false }
    }
    await this.advance(form.computedAt.length - 1)
    await this.runValidators()
    return this.result(visiblePages, pages)
  }

  /** Records a question's state and checks its answer. */
  private visit(q: CompiledQuestion, visible: boolean, enabled: boolean, required: boolean) {
    const id = q.question.id
    const state: QuestionState = { visible, enabled, required, answered: false }
    this.questions[id] = state
    if (!visible) return
    const raw = this.answers[id]
    if (isEmptyAnswer(raw)) {
      if (required) this.setError(id, requiredMessage(q.question))
      return
    }
    const result = checkAnswer(q, raw, this.env, required)
    for (const [sub, m] of result.errors) this.setError(sub ? `${id}.${sub}` : id, m)
    if (result.value !== undefined) {
      this.ctx[id] = result.value
      this.cleaned[id] = result.value
      state.answered = result.errors.length === 0
    }
  }

  /** Evaluates computed values ready before question position `upTo` (inclusive); undefined when none is due. */
  private advance(upTo: number): Promise<void> | undefined {
    const { computedAt } = this.form
    while (this.nextComputed <= upTo && this.nextComputed < computedAt.length) {
      if (computedAt[this.nextComputed].length > 0) return this.advanceAsync(upTo)
      this.nextComputed++
    }
    return undefined
  }

  private async advanceAsync(upTo: number) {
    const { computedAt } = this.form
    while (this.nextComputed <= upTo && this.nextComputed < computedAt.length) {
      for (const c of computedAt[this.nextComputed]) {
        const value = await this.evaluate(c.rule, undefined)
        const plain = toPlain(value)
        if (plain === undefined) delete this.ctx[c.computed.id]
        else {
          this.ctx[c.computed.id] = plain
          this.computed[c.computed.id] = plain
        }
      }
      this.nextComputed++
    }
  }

  /**
   * A condition's truth, synchronously when the fast path decides; a condition that breaks at
   * run time counts as `fallback` (show, enable, require).
   */
  private check(rule: CompiledRule | undefined, fallback: boolean): boolean | Promise<boolean> {
    if (!rule) return fallback
    if (rule.fast) {
      const value = rule.fast(this.ctx, this.bindings)
      if (value !== USE_JSONATA) return truthy(value)
    }
    return this.evaluate(rule, FAILED).then((value) => (value === FAILED ? fallback : truthy(value)))
  }

  /** Evaluates a rule (fast path first); on a run-time error records it and returns `onError`. */
  private async evaluate(rule: CompiledRule, onError: unknown, bindings = this.bindings): Promise<unknown> {
    if (rule.fast) {
      const value = rule.fast(this.ctx, bindings)
      if (value !== USE_JSONATA) return value
    }
    try {
      return await rule.expr.evaluate(this.ctx, bindings)
    } catch (err) {
      this.failures.push({ path: rule.path, message: messageOf(err) })
      return onError
    }
  }

  private async runValidators() {
    for (const q of this.form.questions.values()) {
      const id = q.question.id
      if (q.validators.length === 0 || !this.questions[id]?.answered) continue
      for (const v of q.validators) {
        // a rule fails when it yields false (or breaks); a rule that yields nothing passes
        const result = await this.evaluate(v.rule, false, { ...this.bindings, value: this.cleaned[id] })
        if (result === false) {
          this.setError(id, customMessage('rule', v.message))
          this.questions[id].answered = false
          break
        }
      }
    }
  }

  private reportUnknown() {
    let reported = 0
    for (const key of Object.keys(this.answers)) {
      if (this.form.questions.has(key)) continue
      if (reported++ >= MAX_UNKNOWN_REPORTED) break
      this.setError(key, messages.unknownQuestion())
    }
  }

  private setError(key: string, m: FieldMessage) {
    if (Object.hasOwn(this.errors, key)) return
    Object.defineProperty(this.errors, key, {
      value: m,
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }

  private result(visiblePages: string[], pages: Record<string, PageState>): FormEvaluation {
    const errorKeys = Object.keys(this.errors)
    const errorsById = new Map<string, number>()
    for (const key of errorKeys) {
      const id = key.split('.')[0]
      errorsById.set(id, (errorsById.get(id) ?? 0) + 1)
    }
    let answered = 0
    let total = 0
    for (const p of this.form.pages) {
      const page = pages[p.page.id]
      for (const q of p.questions) {
        const s = this.questions[q.question.id]
        const id = q.question.id
        const errorCount = errorsById.get(id) ?? 0
        const hasError = errorCount > 0
        if (hasError) {
          page.errors += errorCount
          s.answered = false
        }
        if (!s.visible || !s.enabled || !(s.required || s.answered || hasError)) continue
        page.total++
        if (s.answered) page.answered++
      }
      page.complete = page.visible && page.answered === page.total && page.errors === 0
      answered += page.visible ? page.answered : 0
      total += page.visible ? page.total : 0
    }
    const percent = total === 0 ? 100 : Math.floor((answered * 100) / total)
    return {
      formId: this.form.definition.id,
      version: this.form.definition.version,
      visiblePages,
      pages,
      questions: this.questions,
      errors: this.errors,
      progress: { answered, total, percent },
      computed: this.computed,
      cleanedAnswers: this.cleaned,
      valid: errorKeys.length === 0,
      expressionFailures: this.failures,
    }
  }
}

/** JSONata results as plain JSON (sequences flattened to arrays, functions dropped). */
function toPlain(value: unknown): unknown {
  if (value === undefined || typeof value === 'function') return undefined
  if (value === null || typeof value !== 'object') return value
  return JSON.parse(JSON.stringify(value))
}
