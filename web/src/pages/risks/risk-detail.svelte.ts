/**
 * The state and actions of one risk's page (/risks/:id): the risk as loaded, the problem of
 * the last action, the notice after it, and the ISO's submission and management's decision,
 * each waiting for the workflow to record it. `RiskDetail.svelte` and its parts show it.
 */
import { tick } from 'svelte'
import { actorName } from '../../lib/actors.js'
import { ApiError, api } from '../../lib/api.js'
import { type Locale, type MessageKey, t } from '../../lib/i18n/index.js'
import { Resource } from '../../lib/resource.svelte.js'
import { fieldMessage, MOVING_READS_MS, workflowMoving } from './risk-logic.js'
import type { RiskDetailView, RiskTaskView } from './risk-types.js'

/** How a decision ends. */
export type Outcome = 'approve' | 'request-changes' | 'reject'

/** A field's label for a problem line ("Title: …"); the key itself when there is no label. */
function fieldLabel(key: string): string {
  const plain = key.replace(/^plan\./, '').replace(/\.\d+\./, '.')
  const known = `risks.field.${plain}` as MessageKey
  const text = t(known)
  return text === known ? key : text
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** One risk's page: created once per page, with the risk's id and the reader's language. */
export class RiskDetailPage {
  /** The risk as the API answers it. */
  readonly detail: Resource<RiskDetailView>
  /** The problem of the last action, and the fields it names. */
  problem = $state<string>()
  problems = $state<string[]>([])
  notice = $state<string>()
  busy = $state(false)
  /** The error summary, focused when a problem is shown. */
  alertBox = $state<HTMLElement>()
  outcome = $state<Outcome | ''>('')
  comment = $state('')

  readonly #path: string
  readonly #lang: () => Locale
  /** Set when the page is left: no more reads. */
  #closed = false

  constructor(id: string, lang: () => Locale) {
    this.#path = `/api/risks/${encodeURIComponent(id)}`
    this.#lang = lang
    this.detail = new Resource(async (signal) => {
      const view = await api.get<RiskDetailView>(this.#path, { signal })
      document.title = `${view.risk.id} ${view.risk.title} · ismsflow`
      return view
    })
    void this.#follow()
  }

  /**
   * While the risk's workflow is between two steps (e.g. the measure owner just finished and the
   * verification is on its way), reads the risk again a few times, so its next task shows
   * without a reload; then it stops (a workflow waiting on nothing visible is not read forever).
   */
  async #follow() {
    for (const ms of MOVING_READS_MS) {
      await this.#settled()
      if (this.#closed || this.detail.status !== 'ready' || !workflowMoving(this.view)) return
      await pause(ms)
      if (this.#closed) return
      await this.load()
    }
  }

  /** Waits until the first read has an answer. */
  async #settled() {
    while (this.detail.status === 'loading' && !this.#closed) await pause(50)
  }

  /** The page is left: no more reads. */
  close() {
    this.#closed = true
  }

  get view(): RiskDetailView | undefined {
    return this.detail.value
  }

  /** A person's name as the risk's record has it, else as the app knows the actor. */
  nameOf = (id?: string): string => (id ? (this.view?.names[id] ?? actorName(id)) : '—')

  /** Management's open decision on this risk. */
  get decisionTask(): RiskTaskView | undefined {
    return this.view?.openTasks.find((x) => x.kind === 'risk-approval' || x.kind === 'risk-reapproval')
  }

  /** The round waiting for a decision. */
  get pending() {
    return this.view?.rounds.find((r) => r.status === 'pending')
  }

  /** Reads the risk again, keeping the page shown. */
  load = () => this.detail.load({ quiet: true })

  async #show(problem: string | undefined, problems: string[] = []) {
    this.problem = problem
    this.problems = problems
    await tick()
    this.alertBox?.focus()
  }

  async #showError(err: unknown) {
    if (!(err instanceof ApiError)) return this.#show(t('common.error.generic'))
    const problem =
      err.status === 0
        ? t('common.error.network')
        : err.status === 400
          ? t('risks.error.invalid')
          : err.message
    const lines = Object.entries(err.fields)
      .filter(([k]) => k !== 'snapshot' && k !== 'taskId' && k !== 'outcome')
      .map(([k, v]) => `${fieldLabel(k)}: ${fieldMessage(v, this.#lang())}`)
    return this.#show(problem, lines)
  }

  /** Reads the risk until `done` holds (the workflow records a step a moment later). */
  async #until(done: (view: RiskDetailView | undefined) => boolean) {
    for (let i = 0; i < 40; i++) {
      await this.load()
      if (done(this.view)) return
      await pause(250)
    }
  }

  /** The ISO submits the plan; the workflow opens the round a moment later. */
  submitPlan = async () => {
    const view = this.view
    if (!view) return
    this.busy = true
    this.problem = undefined
    try {
      const res = await api.post<{ resubmitted: boolean }>(`${this.#path}/submit`, {
        expectedVersion: view.risk.version,
      })
      this.notice = res.resubmitted ? t('risks.submit.resubmitted') : t('risks.submit.done')
      await this.#until((v) => !!v?.openTasks.some((x) => x.kind === 'risk-approval'))
    } catch (err) {
      await this.#showError(err)
    } finally {
      this.busy = false
    }
  }

  /** Management decides on the open round (a comment is needed unless approving). */
  decide = async (event: SubmitEvent) => {
    event.preventDefault()
    const task = this.decisionTask
    if (!task) return
    const { outcome, comment } = this
    const missing = !outcome
      ? t('risks.decision.chooseOutcome')
      : outcome !== 'approve' && !comment.trim()
        ? t('risks.decision.commentRequired')
        : undefined
    if (missing || !outcome) return this.#show(missing)
    this.problem = undefined
    this.problems = []
    this.busy = true
    try {
      await api.post(`${this.#path}/decision`, {
        taskId: task.id,
        outcome,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      })
      this.notice = t(`risks.decision.recorded.${outcome}`)
      this.outcome = ''
      this.comment = ''
      await this.#until((v) => !!v?.decisions.some((d) => d.taskId === task.id))
    } catch (err) {
      await this.#showError(err)
    } finally {
      this.busy = false
    }
  }
}
