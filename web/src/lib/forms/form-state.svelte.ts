/**
 * Reactive pieces of the form renderer: the latest evaluation (async, newest wins) and a
 * polite announcer for screen readers. The rules themselves live in plain modules
 * (`navigation.ts`, `format.ts`, `autosave.ts`) and in the shared evaluator.
 */
import {
  type Answers,
  type EvaluateOptions,
  evaluateForm,
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
