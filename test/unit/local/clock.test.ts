import { describe, expect, it } from 'vitest'
import { createClock } from '../../../infra/local/clock.js'

describe('the local clock', () => {
  it('fires timers in time order, equal times in the order they were set, and not a cancelled one', async () => {
    const clock = createClock()
    const fired: string[] = []
    const base = clock.nowMs() + 60_000
    clock.at(base + 300, () => fired.push('c'))
    clock.at(base + 100, () => fired.push('a1'))
    const cancelB = clock.at(base + 200, () => fired.push('b'))
    clock.at(base + 100, () => fired.push('a2'))
    const cancelFirst = clock.at(base + 50, () => fired.push('first'))
    clock.at(base + 100, () => fired.push('a3'))
    cancelB()
    cancelFirst()
    cancelFirst()
    await clock.advance(60_150)
    expect(fired).toEqual(['a1', 'a2', 'a3'])
    await clock.advance(1_000)
    expect(fired).toEqual(['a1', 'a2', 'a3', 'c'])
    clock.stop()
  })

  it('keeps thousands of timers in order whatever order they are set in', async () => {
    const clock = createClock()
    const fired: number[] = []
    const base = clock.nowMs() + 60_000
    const offsets = Array.from({ length: 5_000 }, (_, i) => (i * 7919) % 5_000)
    const cancels = offsets.map((o) => clock.at(base + o, () => fired.push(o)))
    for (let i = 0; i < cancels.length; i += 2) cancels[i]()
    await clock.advance(70_000)
    const kept = offsets.filter((_, i) => i % 2 === 1).sort((a, b) => a - b)
    expect(fired).toEqual(kept)
    clock.stop()
  })

  it('fires a timer set in the past on the real-time timer, without an advance', async () => {
    const clock = createClock()
    const fired = new Promise<string>((resolve) => clock.at(clock.nowMs() - 1, () => resolve('late')))
    expect(await fired).toBe('late')
    clock.stop()
  })
})
