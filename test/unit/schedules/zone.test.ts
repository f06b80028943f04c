import { describe, expect, it } from 'vitest'
import {
  instantToLocal,
  localToInstants,
  validateTimeZone,
  weekdayOf,
} from '../../../functions/domain/schedules/zone.js'

describe('validateTimeZone', () => {
  it('accepts IANA zones and returns the canonical spelling', () => {
    expect(validateTimeZone('Europe/Berlin')).toBe('Europe/Berlin')
    expect(validateTimeZone('europe/berlin')).toBe('Europe/Berlin')
    expect(validateTimeZone('America/New_York')).toBe('America/New_York')
    expect(validateTimeZone('UTC')).toBe('UTC')
  })

  it.each(['Mars/Olympus', 'Europe/Berlinn', '+02:00', 'GMT+2', ' ', '', 42, undefined])(
    'refuses %s naming timeZone',
    (tz) => {
      expect(() => validateTimeZone(tz)).toThrow(
        expect.objectContaining({ code: 'validation_failed', fields: { timeZone: expect.any(String) } }),
      )
    },
  )

  it('names a caller-given field', () => {
    expect(() => validateTimeZone('Nowhere/City', 'schedule.timeZone')).toThrow(
      expect.objectContaining({
        fields: { 'schedule.timeZone': 'Nowhere/City is not a known IANA time zone' },
      }),
    )
  })
})

describe('wall clock', () => {
  it('has no instant for a time in the spring-forward gap', () => {
    expect(localToInstants({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, 'Europe/Berlin')).toEqual(
      [],
    )
  })

  it('has two instants for a time in the fall-back overlap, earlier first', () => {
    const got = localToInstants({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, 'Europe/Berlin')
    expect(got.map((ms) => new Date(ms).toISOString())).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-10-25T01:30:00.000Z',
    ])
  })

  it('round-trips ordinary times', () => {
    const [ms] = localToInstants({ year: 2026, month: 7, day: 1, hour: 9, minute: 0 }, 'Europe/Berlin')
    expect(new Date(ms).toISOString()).toBe('2026-07-01T07:00:00.000Z')
    expect(instantToLocal(ms, 'Europe/Berlin')).toMatchObject({
      year: 2026,
      month: 7,
      day: 1,
      hour: 9,
      minute: 0,
    })
    expect(instantToLocal(ms, 'America/New_York')).toMatchObject({ day: 1, hour: 3 })
  })

  it('numbers weekdays from Sunday = 1', () => {
    expect(weekdayOf(2026, 4, 5)).toBe(1) // Sunday
    expect(weekdayOf(2026, 4, 1)).toBe(4) // Wednesday
    expect(weekdayOf(2026, 4, 4)).toBe(7) // Saturday
  })
})
