import { describe, expect, it } from 'vitest'
import { dueDateOf, endOfDueDate, isDueDate } from '../../../functions/domain/calendar/due.js'
import { buildIcs } from '../../../functions/domain/calendar/ics.js'
import type { CalendarItem } from '../../../functions/domain/calendar/items.js'

describe('due dates', () => {
  it('keeps a due date on its own day, not the next one in Berlin', () => {
    const stored = endOfDueDate('2027-01-31')
    expect(stored).toBe('2027-01-31T23:59:59.000Z')
    expect(isDueDate(stored)).toBe(true)
    // 23:59:59 UTC is 00:59 on 1 February in Berlin; the due date is still 31 January.
    expect(dueDateOf(stored)).toBe('2027-01-31')
    expect(dueDateOf('2027-07-31T23:59:59Z', 'Europe/Berlin')).toBe('2027-07-31')
    expect(dueDateOf('2027-01-31')).toBe('2027-01-31')
  })

  it('puts any other instant on its local date in the organisation’s time zone', () => {
    expect(isDueDate('2027-01-31T23:30:00.000Z')).toBe(false)
    expect(dueDateOf('2027-01-31T23:30:00.000Z', 'Europe/Berlin')).toBe('2027-02-01')
    expect(dueDateOf('2027-01-31T22:30:00.000Z', 'Europe/Berlin')).toBe('2027-01-31')
    expect(dueDateOf('2027-01-31T16:00:00.000Z', 'America/New_York')).toBe('2027-01-31')
    expect(dueDateOf('2027-02-01T03:00:00.000Z', 'America/New_York')).toBe('2027-01-31')
  })
})

describe('iCalendar lines of a due date', () => {
  const item = (due: string): CalendarItem => ({
    id: 't1',
    orgId: 'nordlicht',
    orgName: 'Nordlicht Maschinenbau GmbH',
    kind: 'task',
    title: { en: 'Implement measure', de: 'Maßnahme umsetzen' },
    due,
    url: '/tasks/t1',
    status: 'open',
  })
  const lines = (due: string) =>
    buildIcs([item(due)], {
      name: 'x',
      now: new Date('2026-12-01T10:00:00Z'),
      baseUrl: 'http://localhost:9999',
    })
      .split('\r\n')
      .filter((l) => /^(DTSTART|DTEND|URL)/.test(l))

  it('writes an all-day event: DTSTART;VALUE=DATE and DTEND the next day (RFC 5545 §3.6.1)', () => {
    expect(lines(dueDateOf(endOfDueDate('2027-01-31')))).toEqual([
      'DTSTART;VALUE=DATE:20270131',
      'DTEND;VALUE=DATE:20270201',
      'URL:http://localhost:9999/tasks/t1',
    ])
    // Across the year's end and a leap day.
    expect(lines('2026-12-31').slice(0, 2)).toEqual([
      'DTSTART;VALUE=DATE:20261231',
      'DTEND;VALUE=DATE:20270101',
    ])
    expect(lines('2028-02-28').slice(0, 2)).toEqual([
      'DTSTART;VALUE=DATE:20280228',
      'DTEND;VALUE=DATE:20280229',
    ])
  })

  it('writes a moment as a UTC date-time without DTEND', () => {
    expect(lines('2027-01-31T07:30:00Z').slice(0, 1)).toEqual(['DTSTART:20270131T073000Z'])
  })
})
