/**
 * Where a form stands in the address bar and the browser's history: the step shown (`?page=`,
 * `?check`), moving on as a new history entry, the Back link that agrees with the browser's
 * Back, and Back/Forward bringing the step back. Without `syncUrl` the form keeps its step to
 * itself (a form inside another page's flow).
 */
import { type Location, locationFromSearch, type UrlNames, urlFor } from './navigation.js'

const HISTORY_KEY = 'ismsflowForm'

/** How many entries the form pushed before the one `state` belongs to (`history.state`). */
function depthOf(state: unknown): number {
  if (typeof state !== 'object' || state === null || !(HISTORY_KEY in state)) return 0
  const entry: unknown = state[HISTORY_KEY]
  if (typeof entry !== 'object' || entry === null || !('depth' in entry)) return 0
  return typeof entry.depth === 'number' ? entry.depth : 0
}

/** What the history needs of the renderer's props. */
export interface FormHistoryOptions {
  syncUrl: boolean
  urlNames: UrlNames
}

/** The form's step and its entries in the browser's history. */
export class FormHistory {
  /** The step shown (and whether "Continue" returns to "Check your answers"). */
  location = $state<Location>({ step: undefined, returnToCheck: false })
  /** How many entries this form pushed before the current one. */
  #depth = 0
  readonly #options: FormHistoryOptions

  /** Starts at the step in the URL (later changes come through `push` and Back/Forward). */
  constructor(options: FormHistoryOptions) {
    this.#options = options
    if (options.syncUrl && typeof window !== 'undefined')
      this.location = locationFromSearch(window.location.search, options.urlNames)
    if (typeof history !== 'undefined') this.#depth = depthOf(history.state)
  }

  /** The address of a step (`#` when the form keeps its step to itself). */
  hrefFor(location: Location): string {
    return this.#options.syncUrl ? urlFor(window.location.href, location, this.#options.urlNames) : '#'
  }

  /** The `?page=` value of a link of this form. */
  pageOf(href: string): string | null {
    return new URL(href, window.location.href).searchParams.get(this.#options.urlNames.page)
  }

  /** Moves to `next` as a new history entry. */
  push(next: Location) {
    this.location = next
    this.#write('push')
  }

  /** Shows `next` in place of the current entry (a stale or hidden step in the URL). */
  replace(next: Location) {
    this.location = next
    this.#write('replace')
  }

  /** Whether Back is the browser's Back (this form pushed the entry before). */
  get backIsBrowserBack(): boolean {
    return this.#options.syncUrl && this.#depth > 0
  }

  /**
   * Follows the browser's Back and Forward: the step comes from the URL, then `onPop` runs.
   * Returns the listener's removal (for an `$effect`).
   */
  listen(onPop: () => void): () => void {
    if (!this.#options.syncUrl) return () => {}
    const handler = () => {
      this.#depth = depthOf(history.state)
      this.location = locationFromSearch(window.location.search, this.#options.urlNames)
      onPop()
    }
    addEventListener('popstate', handler)
    return () => removeEventListener('popstate', handler)
  }

  #write(mode: 'push' | 'replace') {
    if (!this.#options.syncUrl) return
    const url =
      urlFor(window.location.href, this.location, this.#options.urlNames) +
      window.location.hash.replace(/^#f-.*/, '')
    if (mode === 'push') this.#depth++
    const state = { ...(history.state ?? {}), [HISTORY_KEY]: { depth: this.#depth } }
    if (mode === 'push') history.pushState(state, '', url)
    else history.replaceState(state, '', url)
  }
}
