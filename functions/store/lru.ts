/**
 * A small least-recently-used map with a time to live: at most `max` entries (the oldest used
 * go first), each answered for `ttlMs` after it was set. Every cache of the process is one of
 * these, so none grows without bound.
 *
 * @example
 * const sessions = new Lru<string, Session>({ max: 1000, ttlMs: 5000 })
 */
export class Lru<K, V> {
  readonly #max: number
  readonly #ttlMs: number
  readonly #now: () => number
  readonly #map = new Map<K, { value: V; until: number }>()

  constructor(options: { max: number; ttlMs: number; now?: () => number }) {
    this.#max = Math.max(1, options.max)
    this.#ttlMs = options.ttlMs
    this.#now = options.now ?? (() => performance.now())
  }

  /** The value, if set less than `ttlMs` ago (and marks it used). */
  get(key: K): V | undefined {
    const hit = this.#map.get(key)
    if (!hit) return undefined
    this.#map.delete(key)
    if (hit.until <= this.#now()) return undefined
    this.#map.set(key, hit)
    return hit.value
  }

  set(key: K, value: V): void {
    this.#map.delete(key)
    this.#map.set(key, { value, until: this.#now() + this.#ttlMs })
    while (this.#map.size > this.#max) {
      const oldest = this.#map.keys().next()
      if (oldest.done) break
      this.#map.delete(oldest.value)
    }
  }

  delete(key: K): void {
    this.#map.delete(key)
  }

  clear(): void {
    this.#map.clear()
  }

  get size(): number {
    return this.#map.size
  }
}
