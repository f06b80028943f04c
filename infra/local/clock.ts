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
  const queue: Timer[] = []
  let handle: NodeJS.Timeout | undefined
  let stopped = false
  const nowMs = () => Date.now() + offset

  const fireDue = () => {
    const t = nowMs()
    // The queue is in time order: the due timers are its beginning.
    let n = 0
    while (n < queue.length && queue[n].when <= t) n++
    if (n > 0) {
      const due = queue.splice(0, n)
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
    // setTimeout caps at ~24.8 days; re-arm in steps.
    const delay = Math.max(0, Math.min(queue[0].when - nowMs(), 2 ** 31 - 1))
    handle = setTimeout(fireDue, delay)
    handle.unref?.()
  }

  /** Where a timer due at `when` goes: after every timer due at or before it (equal times fire in the order they were set). */
  const slotFor = (when: number) => {
    let lo = 0
    let hi = queue.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (queue[mid].when <= when) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  return {
    nowMs,
    now: () => new Date(nowMs()),
    at(whenMs, fn) {
      // Thousands of resting executions each keep a wake-up here: inserting and cancelling cost
      // a binary search and one move, not a sort of the whole queue; the real-time timer is
      // re-armed only when the earliest timer changes.
      const timer = { when: whenMs, seq: seq++, fn }
      const slot = slotFor(whenMs)
      queue.splice(slot, 0, timer)
      if (slot === 0) arm()
      return () => {
        const i = queue.indexOf(timer)
        if (i < 0) return
        queue.splice(i, 1)
        if (i === 0) arm()
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
