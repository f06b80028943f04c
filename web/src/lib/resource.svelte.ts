/**
 * Data a page loads from the API, as reactive state: `status` (`loading`, `ready`,
 * `failed`), the `value`, the `error` of the last attempt, and `load()` to try again.
 * `<Loadable>` shows the loading and the failure the same way on every page; `Paged` adds
 * the "Show more" of lists that the API answers one page (and a cursor) at a time.
 *
 * @example
 * const risks = new Resource(() => api.get<{ items: Risk[] }>('/api/risks'))
 * // <Loadable resource={risks}>{#snippet children(data)}…{/snippet}</Loadable>
 */

import { untrack } from 'svelte'

/** Where a resource stands. */
export type ResourceStatus = 'loading' | 'ready' | 'failed'

/** What `<Loadable>` needs of a resource. */
export interface Loading<T> {
  readonly status: ResourceStatus
  readonly value: T | undefined
  readonly error: unknown
  load(): Promise<void>
}

/** Options of a resource. */
export interface ResourceOptions {
  /** Do not load on creation (the page calls `load()` when it has what the request needs). */
  lazy?: boolean
}

/** One request's answer, loaded on creation and again with `load()`. */
export class Resource<T> implements Loading<T> {
  status = $state<ResourceStatus>('loading')
  value = $state<T>()
  error = $state<unknown>()
  #fetch: (signal: AbortSignal) => Promise<T>
  #current: AbortController | undefined

  constructor(fetch: (signal: AbortSignal) => Promise<T>, options: ResourceOptions = {}) {
    this.#fetch = fetch
    if (!options.lazy) void this.load()
  }

  /**
   * Loads (again). The page shows "Loading…" meanwhile; with `quiet` it keeps showing the
   * value it has (a refresh after a change). A newer call wins over an older one.
   */
  load(options: { quiet?: boolean } = {}): Promise<void> {
    // Called from an effect, a load must not make the effect depend on what it reads and writes.
    return untrack(() => this.#load(options))
  }

  async #load(options: { quiet?: boolean }): Promise<void> {
    this.#current?.abort()
    const controller = new AbortController()
    this.#current = controller
    if (!options.quiet || this.value === undefined) this.status = 'loading'
    try {
      const value = await this.#fetch(controller.signal)
      if (controller.signal.aborted) return
      this.value = value
      this.error = undefined
      this.status = 'ready'
    } catch (err) {
      if (controller.signal.aborted) return
      this.error = err
      this.status = 'failed'
    }
  }
}

/** One page of a list, where the next begins and, when the API counts them, how many there are. */
export interface Page<T> {
  items: T[]
  cursor?: string
  total?: number
}

/** What a table's "Show more" needs. */
export interface Pager {
  readonly hasMore: boolean
  readonly loadingMore: boolean
  readonly moreError: unknown
  /** How many rows are shown so far. */
  readonly shown: number
  /** How many rows the last `more()` added (what the table announces). */
  readonly added: number
  /** How many there are in all, when the API says (`{total}`). */
  readonly total: number | undefined
  more(): Promise<void>
}

/**
 * A list the API answers a page at a time (`{items, cursor}`, with `total` where the API
 * counts): the first page loads like a `Resource`; `more()` appends the next. `items` is the
 * list so far, `total` the API's count from the latest page.
 */
export class Paged<T> implements Loading<T[]>, Pager {
  status = $state<ResourceStatus>('loading')
  items = $state<T[]>([])
  error = $state<unknown>()
  cursor = $state<string>()
  total = $state<number>()
  added = $state(0)
  loadingMore = $state(false)
  moreError = $state<unknown>()
  #fetch: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>
  #current: AbortController | undefined

  constructor(
    fetch: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>,
    options: ResourceOptions = {},
  ) {
    this.#fetch = fetch
    if (!options.lazy) void this.load()
  }

  /** The list so far (for `<Loadable>`). */
  get value(): T[] | undefined {
    return this.status === 'ready' ? this.items : undefined
  }

  /** Whether the API has more after the last page. */
  get hasMore(): boolean {
    return this.cursor !== undefined
  }

  /** How many are shown so far. */
  get shown(): number {
    return this.items.length
  }

  /** Loads the first page (again); `quiet` keeps the list shown meanwhile. */
  load(options: { quiet?: boolean } = {}): Promise<void> {
    return untrack(() => this.#load(options))
  }

  async #load(options: { quiet?: boolean }): Promise<void> {
    this.#current?.abort()
    const controller = new AbortController()
    this.#current = controller
    if (!options.quiet || this.status !== 'ready') this.status = 'loading'
    this.moreError = undefined
    try {
      const page = await this.#fetch(undefined, controller.signal)
      if (controller.signal.aborted) return
      this.items = page.items
      this.cursor = page.cursor || undefined
      this.total = page.total
      this.added = 0
      this.error = undefined
      this.status = 'ready'
    } catch (err) {
      if (controller.signal.aborted) return
      this.error = err
      this.status = 'failed'
    }
  }

  /** Appends the next page; a failure is kept in `moreError` and the list stays. */
  more(): Promise<void> {
    return untrack(() => this.#more())
  }

  async #more(): Promise<void> {
    if (!this.cursor || this.loadingMore) return
    const controller = new AbortController()
    this.#current = controller
    this.loadingMore = true
    this.moreError = undefined
    try {
      const page = await this.#fetch(this.cursor, controller.signal)
      if (controller.signal.aborted) return
      this.items = [...this.items, ...page.items]
      this.cursor = page.cursor || undefined
      // The count as of this page (records added or removed meanwhile change it).
      if (page.total !== undefined) this.total = page.total
      this.added = page.items.length
    } catch (err) {
      if (!controller.signal.aborted) this.moreError = err
    } finally {
      if (this.#current === controller) this.loadingMore = false
    }
  }
}
