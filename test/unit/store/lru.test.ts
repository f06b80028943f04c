import { describe, expect, it } from 'vitest'
import { Lru } from '../../../functions/store/lru.js'

describe('Lru', () => {
  it('keeps at most max entries, dropping the least recently used', () => {
    const lru = new Lru<string, number>({ max: 2, ttlMs: 1000, now: () => 0 })
    lru.set('a', 1)
    lru.set('b', 2)
    expect(lru.get('a')).toBe(1)
    lru.set('c', 3)
    expect(lru.size).toBe(2)
    expect(lru.get('b')).toBeUndefined()
    expect(lru.get('a')).toBe(1)
    expect(lru.get('c')).toBe(3)
  })

  it('answers an entry only for its time to live', () => {
    let at = 0
    const lru = new Lru<string, number>({ max: 10, ttlMs: 100, now: () => at })
    lru.set('a', 1)
    at = 99
    expect(lru.get('a')).toBe(1)
    at = 100
    expect(lru.get('a')).toBeUndefined()
    expect(lru.size).toBe(0)
  })

  it('forgets on delete and clear', () => {
    const lru = new Lru<string, number>({ max: 10, ttlMs: 100, now: () => 0 })
    lru.set('a', 1)
    lru.set('b', 2)
    lru.delete('a')
    expect(lru.get('a')).toBeUndefined()
    lru.clear()
    expect(lru.get('b')).toBeUndefined()
  })
})
