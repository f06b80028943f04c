/**
 * The one clock of the local stack: real time plus an offset that tests (and the demo's
 * "jump ahead" tool) can advance. Timers are kept in one queue and fire when the clock
 * passes them, whether by real time or by `advance`, so a test can skip a 30-day Wait.
 */
export interface Clock {
  /** Current time as epoch milliseconds. */
  nowMs(): number
  now(): Date
  /** Calls `fn` once the clock reaches `whenMs` (immediately, asynchronously, when already past). Returns a cancel. */
  at(whenMs: number, fn: () => void): () => void
  /** Moves time forward and fires every timer that became due, in time order. */
  advance(ms: number): Promise<void>
  /** Stops the real-time timer (the queue is kept). */
  stop(): void
}

interface Timer {
  when: number
  seq: number
  fn: () => void
}

export function createClock(options: { offsetMs?: number } = {}): Clock {
  let offset = options.offsetMs ?? 0
  let seq = 0
  let queue: Timer[] = []
  let handle: NodeJS.Timeout | undefined
  let stopped = false
  const nowMs = () => Date.now() + offset

  const fireDue = () => {
    const t = nowMs()
    const due = queue.filter((x) => x.when <= t)
    if (due.length) {
      queue = queue.filter((x) => x.when > t)
      for (const x of due) {
        try {
          x.fn()
        } catch (err) {
          console.error('clock timer failed', err)
        }
      }
    }
    arm()
  }

  const arm = () => {
    if (handle) clearTimeout(handle)
    handle = undefined
    if (stopped || queue.length === 0) return
    const next = Math.min(...queue.map((x) => x.when))
    // setTimeout caps at ~24.8 days; re-arm in steps.
    const delay = Math.max(0, Math.min(next - nowMs(), 2 ** 31 - 1))
    handle = setTimeout(fireDue, delay)
    handle.unref?.()
  }

  return {
    nowMs,
    now: () => new Date(nowMs()),
    at(whenMs, fn) {
      const timer = { when: whenMs, seq: seq++, fn }
      queue.push(timer)
      queue.sort((a, b) => a.when - b.when || a.seq - b.seq)
      arm()
      return () => {
        queue = queue.filter((x) => x !== timer)
        arm()
      }
    },
    async advance(ms) {
      if (ms < 0) throw new Error('the clock only moves forward')
      offset += ms
      fireDue()
      // Let the callbacks' promise chains run.
      await new Promise((r) => setImmediate(r))
    },
    stop() {
      stopped = true
      if (handle) clearTimeout(handle)
    },
  }
}
