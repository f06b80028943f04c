import { performance } from 'node:perf_hooks'
import v8 from 'node:v8'

/** Options of {@link collectGarbageWhenIdle}. */
export interface IdleGcOptions {
  /** A full collection (`globalThis.gc` of `node --expose-gc`). */
  gc: () => void
  /** How often the process looks whether it is idle. */
  everyMs?: number
  /** Event-loop utilisation below which a window counts as idle. */
  idleBelow?: number
  /** Heap growth since the last full collection worth collecting for. */
  minGrowthBytes?: number
}

/**
 * Runs a full garbage collection once the process is idle after work that grew its heap.
 *
 * Measured (issue 15, goal 2): after the start (seed, index checks, resumed executions) and
 * after a burst of requests, V8 keeps the garbage that work promoted to the old generation and
 * a young generation grown to 32 MB for as long as nothing allocates: an idle process runs no
 * collection at all, and V8's memory reducer did not start, so the RSS stayed ~60 MB above the
 * live heap. A collection costs tens of milliseconds, here only in a window of
 * `everyMs` in which the event loop was busy less than `idleBelow` of the time, and only after
 * the heap grew by `minGrowthBytes` since the last one.
 */
export function collectGarbageWhenIdle({
  gc,
  everyMs = 10_000,
  idleBelow = 0.02,
  minGrowthBytes = 16 * 1024 * 1024,
}: IdleGcOptions): () => void {
  const heapSize = () => v8.getHeapStatistics().total_heap_size
  let last = performance.eventLoopUtilization()
  // The start's garbage counts as growth: the first idle window collects it.
  let afterLast = 0
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization()
    const window = performance.eventLoopUtilization(now, last)
    last = now
    if (window.utilization >= idleBelow || heapSize() - afterLast < minGrowthBytes) return
    gc()
    afterLast = heapSize()
  }, everyMs)
  timer.unref()
  return () => clearInterval(timer)
}
