import { describe, expect, it } from 'vitest'
import { formatDate, formatDateTime, formatRelative, machineDate } from '../../../web/src/lib/dates.js'

describe('the date formatter of the web app (DateText)', () => {
  it('writes a date in the reader’s language', () => {
    expect(formatDate('2027-05-07', 'en')).toBe('7 May 2027')
    expect(formatDate('2027-05-07', 'de')).toBe('7. Mai 2027')
    expect(formatDate('2027-05-07', 'de', { length: 'medium' })).toBe('7. Mai 2027')
  })

  it('shows a due date on its own day, not the next day in Berlin', () => {
    expect(formatDate('2027-01-31T23:59:59.000Z', 'en')).toBe('31 January 2027')
    expect(formatDateTime('2027-01-31T23:59:59.000Z', 'en')).toBe('31 Jan 2027')
    expect(machineDate('2027-01-31T23:59:59.000Z')).toBe('2027-01-31')
  })

  it('puts a moment on the organisation’s clock (Europe/Berlin), or on another zone when asked', () => {
    // 23:30 UTC on 31 December is already New Year's Day in Berlin.
    expect(formatDate('2026-12-31T23:30:00.000Z', 'en')).toBe('1 January 2027')
    expect(formatDate('2026-12-31T23:30:00.000Z', 'en', { zone: 'UTC' })).toBe('31 December 2026')
    expect(formatDateTime('2026-12-07T03:39:00.000Z', 'en')).toBe('7 Dec 2026, 04:39')
    expect(formatDateTime('2026-12-07T03:39:00.000Z', 'de', { length: 'long' })).toBe(
      '7. Dezember 2026 um 04:39',
    )
    expect(formatDateTime('2026-12-07T03:39:00.000Z', 'en', { weekday: true, length: 'short' })).toMatch(
      /Mon.*7 Dec.*04:39/,
    )
    expect(machineDate('2026-12-07T03:39:00.000Z')).toBe('2026-12-07T03:39:00.000Z')
  })

  it('says how long ago or how soon, in words', () => {
    const now = new Date('2026-12-07T12:00:00.000Z')
    expect(formatRelative('2026-12-07T11:55:00.000Z', 'en', now)).toBe('5 minutes ago')
    expect(formatRelative('2026-12-07T14:00:00.000Z', 'de', now)).toBe('in 2 Stunden')
    expect(formatRelative('2026-12-04T12:00:00.000Z', 'en', now)).toBe('3 days ago')
    expect(formatRelative('2026-12-08', 'en', now)).toBe('tomorrow')
    expect(formatRelative('2026-12-07T12:00:10.000Z', 'en', now)).toBe('now')
  })

  it('answers text that is no date as it is', () => {
    expect(formatDate('soon', 'en')).toBe('soon')
    expect(machineDate(new Date('nope'))).toBe('')
  })
})
