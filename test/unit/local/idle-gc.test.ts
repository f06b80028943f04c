import { describe, expect, it } from 'vitest'
import { collectGarbageWhenIdle } from '../../../infra/local/idle-gc.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('collectGarbageWhenIdle', () => {
  it('collects once the process is idle after the heap grew, and not again while nothing grows', async () => {
    let calls = 0
    const stop = collectGarbageWhenIdle({ gc: () => calls++, everyMs: 40, idleBelow: 1, minGrowthBytes: 0 })
    await sleep(300)
    stop()
    // The first idle window collects what came before; later windows collect again only after growth
    // (with a threshold of 0 bytes every idle window counts).
    expect(calls).toBeGreaterThanOrEqual(1)
  })

  it('leaves a heap alone that did not grow by the threshold', async () => {
    let calls = 0
    const stop = collectGarbageWhenIdle({
      gc: () => calls++,
      everyMs: 40,
      idleBelow: 1,
      minGrowthBytes: 1e15,
    })
    await sleep(200)
    stop()
    expect(calls).toBe(0)
  })

  it('does not collect while the event loop is busy', async () => {
    let calls = 0
    const stop = collectGarbageWhenIdle({ gc: () => calls++, everyMs: 40, idleBelow: 0.5, minGrowthBytes: 0 })
    const until = Date.now() + 200
    // Busy: the loop runs a few microseconds between long synchronous stretches.
    while (Date.now() < until) {
      const t = Date.now() + 30
      while (Date.now() < t) {}
      await new Promise((r) => setImmediate(r))
    }
    stop()
    expect(calls).toBe(0)
  })
})
