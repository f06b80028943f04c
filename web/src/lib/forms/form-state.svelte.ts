/**
 * Reactive pieces of the form renderer: the latest evaluation (async, newest wins), the
 * problems its error summary shows, and a polite announcer for screen readers. The rules themselves live in plain modules
 * (`navigation.ts`, `format.ts`, `autosave.ts`) and in the shared evaluator.
 */
import {
  type Answers,
  type EvaluateOptions,
  evaluateForm,
  type FieldMessage,
  type FormDefinition,
  type FormEvaluation,
} from '../../../../functions/domain/forms/evaluation.js'

/** The evaluation of the current answers; `update()` evaluates and keeps only the newest result. */
export class LiveEvaluation {
  current = $state<FormEvaluation | undefined>()
  #seq = 0

  constructor(
    private readonly definition: FormDefinition,
    private readonly options: () => EvaluateOptions,
  ) {}

  /** Evaluates `answers` (a plain snapshot) and returns the result; a later call supersedes it. */
  async update(answers: Answers): Promise<FormEvaluation> {
    const seq = ++this.#seq
    const result = await evaluateForm(this.definition, answers, this.options())
    if (seq === this.#seq) this.current = result
    return result
  }
}

/** Text for a live region; the same text announced twice is still announced. */
export class Announcer {
  message = $state('')
  #timer: ReturnType<typeof setTimeout> | undefined

  /** Announces `text` politely. */
  announce(text: string) {
    this.message = ''
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => {
      this.message = text
    }, 50)
  }
}

/** One problem of the form: the error key, its message in both languages, and where its link leads. */
export interface FormProblem {
  key: string
  message: FieldMessage
  href?: string
}

/**
 * The problems a form's error summary shows. Problems the evaluator found stay only while
 * they are problems: fixing a field removes its line (and the summary once all are fixed).
 * Problems the server sent stay until the next attempt.
 */
export class FormProblems {
  #shown = $state<FormProblem[]>([])
  #live = $state(false)
  readonly #evaluation: () => FormEvaluation | undefined

  /** `evaluation` gives the latest evaluation of the answers. */
  constructor(evaluation: () => FormEvaluation | undefined) {
    this.#evaluation = evaluation
  }

  /** The problems standing now. */
  readonly current: FormProblem[] = $derived.by(() => {
    const ev = this.#evaluation()
    return this.#live && ev
      ? this.#shown.flatMap((s) => (ev.errors[s.key] ? [{ ...s, message: ev.errors[s.key] }] : []))
      : this.#shown
  })

  /** Each standing problem's message by its key (for the fields). */
  readonly byKey: Record<string, FieldMessage> = $derived(
    Object.fromEntries(this.current.map((s) => [s.key, s.message])),
  )

  /** Shows `items`; `live` ones (the evaluator's) go away once fixed. */
  show(items: FormProblem[], live = true) {
    this.#shown = items
    this.#live = live
  }

  clear() {
    this.#shown = []
  }
}
