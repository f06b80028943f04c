import { describe, expect, it } from 'vitest'
import { clockLeft, formatDate, formatDue } from '../../../web/src/pages/home/home-logic.js'

describe('home page words', () => {
  it('writes a date alone as a date, a moment on the organisation’s clock', () => {
    expect(formatDate('2027-05-07', 'en')).toBe('7 May 2027')
    expect(formatDate('2027-05-07', 'de')).toBe('7. Mai 2027')
    expect(formatDue('2026-12-08', 'en')).toBe('8 December 2026')
    // 03:39 UTC is 04:39 in Berlin (winter time).
    expect(formatDue('2026-12-07T03:39:00.000Z', 'en')).toMatch(/Mon.*7 Dec.*04:39/)
    expect(formatDue('2026-12-07T03:39:00.000Z', 'de')).toMatch(/Mo.*7\. Dez.*04:39/)
  })

  it('says how long a legal clock has left, or how late it is', () => {
    const now = new Date('2026-12-06T21:39:00.000Z')
    expect(clockLeft('2026-12-07T03:39:00.000Z', now, 'en')).toBe('due in 6 h')
    expect(clockLeft('2026-12-07T03:39:00.000Z', now, 'de')).toBe('fällig in 6 Std.')
    expect(clockLeft('2026-12-06T19:39:00.000Z', now, 'en')).toBe('2 h late')
  })
})
