/**
 * Debounced autosave of drafts: changes are saved `delayMs` after the last one, one save at
 * a time (a change during a save is saved right after it), failures are retried with the
 * next change or `flush()`. Timers are injectable so tests run without waiting.
 */

/** What the person is told about their draft. */
export type AutosaveStatus = 'idle' | 'pending' | 'saving' | 'saved' | 'failed'

/** Timer functions (the browser's by default). */
export interface Timers {
  setTimeout: (fn: () => void, ms: number) => unknown
  clearTimeout: (handle: unknown) => void
}

/** Options of {@link createAutosave}. */
export interface AutosaveOptions<T> {
  save: (value: T) => Promise<unknown> | unknown
  delayMs?: number
  /** Called on every status change; `savedAt` is set after a successful save. */
  onStatus?: (status: AutosaveStatus, savedAt?: Date) => void
  timers?: Timers
  now?: () => Date
}

/** An autosaver: `schedule(value)` on each change, `flush()` before leaving, `cancel()` when done. */
export interface Autosave<T> {
  schedule(value: T): void
  flush(): Promise<void>
  cancel(): void
  readonly status: AutosaveStatus
}

/** Creates an autosaver. */
export function createAutosave<T>({
  save,
  delayMs = 1500,
  onStatus,
  timers = {
    setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout: (h) => globalThis.clearTimeout(h as number),
  },
  now = () => new Date(),
}: AutosaveOptions<T>): Autosave<T> {
  let status: AutosaveStatus = 'idle'
  let timer: unknown
  let pending: { value: T } | undefined
  let running: Promise<void> | undefined
  let cancelled = false

  const set = (next: AutosaveStatus, savedAt?: Date) => {
    status = next
    onStatus?.(next, savedAt)
  }

  async function run(): Promise<void> {
    while (pending && !cancelled) {
      const { value } = pending
      pending = undefined
      set('saving')
      try {
        await save(value)
        if (!pending) set('saved', now())
      } catch {
        if (!pending) {
          // keep the value so flush() or the next change tries again
          pending = { value }
          set('failed')
          return
        }
      }
    }
  }

  function start(): Promise<void> {
    if (!running)
      running = run().finally(() => {
        running = undefined
      })
    return running
  }

  return {
    schedule(value) {
      if (cancelled) return
      pending = { value }
      set('pending')
      if (timer !== undefined) timers.clearTimeout(timer)
      timer = timers.setTimeout(() => {
        timer = undefined
        void start()
      }, delayMs)
    },
    async flush() {
      if (timer !== undefined) {
        timers.clearTimeout(timer)
        timer = undefined
      }
      if (running) await running
      if (pending) await start()
    },
    cancel() {
      cancelled = true
      if (timer !== undefined) timers.clearTimeout(timer)
      timer = undefined
      pending = undefined
    },
    get status() {
      return status
    },
  }
}
