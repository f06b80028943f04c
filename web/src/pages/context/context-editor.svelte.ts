/**
 * Saving and removing one context record (an interested party, an issue) from its page:
 * the problems of the last attempt (checked here, then by the server), the error summary
 * that takes focus, and the way back to the context page once saved. `PartyPage.svelte` and
 * `IssuePage.svelte` each keep one.
 */
import { tick } from 'svelte'
import { api } from '../../lib/api.js'
import type { MessageKey } from '../../lib/i18n/index.js'
import { router } from '../../lib/router.svelte.js'
import { serverErrors } from './context-logic.js'

/** What is saved: a new record, or a change of the one read (at the version read). */
export interface Saved {
  id: string
  version: number
}

/** The form of one context record. */
export class ContextEditor {
  /** The problems by field (`form` for the whole form), as message keys. */
  errors = $state<Record<string, MessageKey>>({})
  busy = $state(false)
  /** The error summary, focused when problems are shown. */
  summary = $state<HTMLElement>()
  readonly #base: string
  readonly #ids: Record<string, string>

  /**
   * @param collection the API's collection under `/api/context/`
   * @param ids the input each field's problem links to in the error summary
   */
  constructor(collection: 'parties' | 'issues', ids: Record<string, string>) {
    this.#base = `/api/context/${collection}`
    this.#ids = ids
  }

  /** The error summary's lines, each linked to its field's input. */
  get problems(): { key: MessageKey; field?: string }[] {
    return Object.entries(this.errors).map(([field, key]) =>
      this.#ids[field] ? { key, field: this.#ids[field] } : { key },
    )
  }

  /**
   * Saves `body` when `found` (the page's own check) is empty: a change of `record`, else a
   * new one; then back to the context page. Problems are shown and the summary focused.
   */
  async save(record: Saved | undefined, found: Record<string, MessageKey>, body: object): Promise<void> {
    this.errors = found
    if (Object.keys(found).length === 0) {
      this.busy = true
      try {
        if (record)
          await api.put(`${this.#base}/${encodeURIComponent(record.id)}`, {
            ...body,
            version: record.version,
          })
        else await api.post(this.#base, body)
        router.navigate('/context')
        return
      } catch (err) {
        this.errors = serverErrors(err) ?? { form: 'common.error.generic' }
      } finally {
        this.busy = false
      }
    }
    await tick()
    this.summary?.focus()
  }

  /** Removes `record`, then back to the context page. */
  async remove(record: Saved | undefined): Promise<void> {
    if (!record) return
    try {
      await api.delete(`${this.#base}/${encodeURIComponent(record.id)}`)
      router.navigate('/context')
    } catch (err) {
      this.errors = serverErrors(err) ?? { form: 'common.error.generic' }
      await tick()
      this.summary?.focus()
    }
  }
}
