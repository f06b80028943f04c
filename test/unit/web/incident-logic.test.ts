import { describe, expect, it } from 'vitest'
import { awareAtOf, nowParts } from '../../../web/src/pages/incidents/incident-logic.js'

describe('incident report form logic', () => {
  it('turns the date and time on the browser clock into a date-time with its offset', () => {
    const iso = awareAtOf('2026-03-29', '11:05')!
    expect(iso).toMatch(/^2026-03-29T11:05:00[+-]\d{2}:\d{2}$/)
    expect(new Date(iso).getTime()).toBe(new Date(2026, 2, 29, 11, 5).getTime())
  })

  it('refuses what is not a date and a 24-hour time', () => {
    expect(awareAtOf('2026-03-29', '25:00')).toBeUndefined()
    expect(awareAtOf('29.03.2026', '11:05')).toBeUndefined()
    expect(awareAtOf('2026-03-29', '11.05')).toBeUndefined()
  })

  it('defaults to today and now on the browser clock', () => {
    expect(nowParts(new Date(2026, 9, 25, 9, 7))).toEqual({ date: '2026-10-25', time: '09:07' })
  })
})
