import { describe, expect, it } from 'vitest'
import {
  findCollision,
  lastOccurrenceBetween,
  MAX_OCCURRENCE_ID,
  nextOccurrences,
  occurrenceId,
  occurrencesBetween,
} from '../../../functions/domain/schedules/occurrences.js'
import { compileSchedule, validateSchedule } from '../../../functions/domain/schedules/schedule.js'
import { instantToLocal } from '../../../functions/domain/schedules/zone.js'

const iso = (ds: Date[]) => ds.map((d) => d.toISOString().replace(':00.000Z', 'Z'))
const next = (expression: string, after: string, count: number, extra: object = {}) =>
  iso(nextOccurrences({ expression, ...extra }, new Date(after), count))

describe('cron occurrences', () => {
  it('a quarterly review at 09:00 Berlin follows winter and summer time', () => {
    expect(next('cron(0 9 1 1,4,7,10 ? *)', '2025-12-15T00:00:00Z', 5)).toEqual([
      '2026-01-01T08:00Z',
      '2026-04-01T07:00Z',
      '2026-07-01T07:00Z',
      '2026-10-01T07:00Z',
      '2027-01-01T08:00Z',
    ])
  })

  it('counts strictly after the given moment', () => {
    expect(next('cron(0 9 1 1,4,7,10 ? *)', '2026-04-01T07:00:00Z', 1)).toEqual(['2026-07-01T07:00Z'])
    expect(next('cron(0 9 1 1,4,7,10 ? *)', '2026-04-01T06:59:59Z', 1)).toEqual(['2026-04-01T07:00Z'])
  })

  it('reads the wall clock of the schedule zone', () => {
    expect(next('cron(0 9 1 * ? *)', '2026-01-15T00:00:00Z', 1, { timeZone: 'America/New_York' })).toEqual([
      '2026-02-01T14:00Z',
    ])
    expect(next('cron(0 9 1 * ? *)', '2026-01-15T00:00:00Z', 1, { timeZone: 'UTC' })).toEqual([
      '2026-02-01T09:00Z',
    ])
  })

  it('skips a wall time that does not exist on the spring-forward day (EventBridge skips it)', () => {
    expect(next('cron(30 2 * * ? *)', '2026-03-27T12:00:00Z', 3)).toEqual([
      '2026-03-28T01:30Z', // 02:30 CET
      // 2026-03-29 02:30 does not exist in Europe/Berlin: no invocation
      '2026-03-30T00:30Z', // 02:30 CEST
      '2026-03-31T00:30Z',
    ])
    // every minute of the missing hour: nothing between 01:59 CET and 03:00 CEST
    expect(next('cron(* 2 29 3 ? 2026)', '2026-03-01T00:00:00Z', 1)).toEqual([])
    // New York springs forward on another day (2026-03-08): skipped there, then 02:30 EDT
    expect(next('cron(30 2 * * ? *)', '2026-03-07T12:00:00Z', 2, { timeZone: 'America/New_York' })).toEqual([
      '2026-03-09T06:30Z',
      '2026-03-10T06:30Z',
    ])
  })

  it('fires a wall time that happens twice on the fall-back day once, at its first (summer-time) instant', () => {
    expect(next('cron(30 2 * * ? *)', '2026-10-23T12:00:00Z', 3)).toEqual([
      '2026-10-24T00:30Z', // 02:30 CEST
      '2026-10-25T00:30Z', // 02:30 CEST, the first of the two 02:30s; not again at 01:30Z
      '2026-10-26T01:30Z', // 02:30 CET
    ])
    const quarterHours = occurrencesBetween(
      { expression: 'cron(0/15 * * * ? *)' },
      '2026-10-24T23:59:00Z',
      '2026-10-25T02:00:00Z',
    )
    const walls = quarterHours.map((d) => {
      const t = instantToLocal(d.getTime(), 'Europe/Berlin')
      return `${t.hour}:${t.minute}`
    })
    expect(new Set(walls).size).toBe(walls.length) // each wall time once
    expect(iso(quarterHours)).toContain('2026-10-25T00:45Z') // 02:45 CEST
    expect(iso(quarterHours)).not.toContain('2026-10-25T01:00Z') // would be 02:00 CET, the repeat
    expect(iso(quarterHours).at(-1)).toBe('2026-10-25T02:00Z') // 03:00 CET
  })

  it('numbers day-of-week from Sunday = 1', () => {
    const [d] = nextOccurrences({ expression: 'cron(0 9 ? * 1 *)' }, new Date('2026-04-01T00:00:00Z'), 1)
    expect(d.toISOString()).toBe('2026-04-05T07:00:00.000Z') // Sunday
    expect(next('cron(0 9 ? * MON-FRI *)', '2026-04-03T12:00:00Z', 2)).toEqual([
      '2026-04-06T07:00Z',
      '2026-04-07T07:00Z',
    ]) // Fri → Mon
  })

  it('supports L, LW, nW, # and nL', () => {
    expect(next('cron(0 9 L * ? *)', '2026-01-15T00:00:00Z', 3)).toEqual([
      '2026-01-31T08:00Z',
      '2026-02-28T08:00Z',
      '2026-03-31T07:00Z',
    ])
    expect(next('cron(0 9 L 2 ? *)', '2027-06-01T00:00:00Z', 2)).toEqual([
      '2028-02-29T08:00Z',
      '2029-02-28T08:00Z',
    ])
    // last weekday: 2026-01-31 is a Saturday → Friday the 30th
    expect(next('cron(0 9 LW * ? *)', '2026-01-15T00:00:00Z', 1)).toEqual(['2026-01-30T08:00Z'])
    // nearest weekday to the 1st: 2026-02-01 is a Sunday → Monday the 2nd; 2026-08-01 is a Saturday → Monday the 3rd (stays in the month)
    expect(next('cron(0 9 1W * ? *)', '2026-01-15T00:00:00Z', 1)).toEqual(['2026-02-02T08:00Z'])
    expect(next('cron(0 9 1W * ? *)', '2026-07-15T00:00:00Z', 1)).toEqual(['2026-08-03T07:00Z'])
    // nearest weekday to the 31st: 2026-05-31 is a Sunday → Friday the 29th (stays in the month)
    expect(next('cron(0 9 31W * ? *)', '2026-05-01T00:00:00Z', 1)).toEqual(['2026-05-29T07:00Z'])
    // first Monday; 5th Monday only in months that have one
    expect(next('cron(0 9 ? * 2#1 *)', '2026-01-01T00:00:00Z', 2)).toEqual([
      '2026-01-05T08:00Z',
      '2026-02-02T08:00Z',
    ])
    expect(next('cron(0 9 ? * MON#5 *)', '2026-01-01T00:00:00Z', 2)).toEqual([
      '2026-03-30T07:00Z',
      '2026-06-29T07:00Z',
    ])
    // last Friday
    expect(next('cron(0 9 ? * 6L *)', '2026-01-01T00:00:00Z', 2)).toEqual([
      '2026-01-30T08:00Z',
      '2026-02-27T08:00Z',
    ])
  })

  it('skips day 31 in short months and ends with the year field', () => {
    expect(next('cron(0 9 31 * ? *)', '2026-01-31T12:00:00Z', 2)).toEqual([
      '2026-03-31T07:00Z',
      '2026-05-31T07:00Z',
    ])
    expect(next('cron(0 9 1 1 ? 2027)', '2026-01-01T00:00:00Z', 3)).toEqual(['2027-01-01T08:00Z'])
    expect(next('cron(0 0 30 2 ? *)', '2026-01-01T00:00:00Z', 1)).toEqual([])
  })

  it('honours start (inclusive) and end (exclusive) dates', () => {
    const s = {
      expression: 'cron(0 9 1 * ? *)',
      startDate: '2026-03-01T09:00:00',
      endDate: '2026-06-01T09:00:00',
    }
    expect(iso(nextOccurrences(s, new Date('2026-01-01T00:00:00Z'), 10))).toEqual([
      '2026-03-01T08:00Z',
      '2026-04-01T07:00Z',
      '2026-05-01T07:00Z',
    ])
    // a bare date is midnight in the zone
    expect(next('cron(0 9 1 * ? *)', '2026-01-01T00:00:00Z', 1, { startDate: '2026-05-02' })).toEqual([
      '2026-06-01T07:00Z',
    ])
  })
})

describe('rate occurrences', () => {
  it('counts n × 24 hours from the start date, so the wall time moves across a DST change', () => {
    const s = { expression: 'rate(1 day)', startDate: '2026-03-27T09:00:00' } // Berlin
    expect(iso(nextOccurrences(s, new Date('2026-03-01T00:00:00Z'), 4))).toEqual([
      '2026-03-27T08:00Z',
      '2026-03-28T08:00Z',
      '2026-03-29T08:00Z', // 10:00 CEST: 24 hours, not a calendar day
      '2026-03-30T08:00Z',
    ])
  })

  it('anchors on creation without a start date, and continues from any point', () => {
    const s = { expression: 'rate(6 hours)', createdAt: '2026-01-01T00:10:00Z' }
    expect(next(s.expression, '2026-01-02T07:00:00Z', 2, { createdAt: s.createdAt })).toEqual([
      '2026-01-02T12:10Z',
      '2026-01-02T18:10Z',
    ])
    expect(next('rate(1 hour)', '2026-01-01T00:00:00Z', 2, { createdAt: '2026-01-01T05:30:00Z' })).toEqual([
      '2026-01-01T05:30Z',
      '2026-01-01T06:30Z',
    ])
  })

  it('stops before the end date', () => {
    const bounds = { startDate: '2026-01-01T00:00:00Z', endDate: '2026-01-03T00:00:00Z' }
    expect(next('rate(1 day)', '2025-12-31T00:00:00Z', 10, bounds)).toEqual([
      '2026-01-01T00:00Z',
      '2026-01-02T00:00Z',
    ])
  })
})

describe('at occurrences', () => {
  it('fires once at the wall time and never again', () => {
    expect(next('at(2026-04-01T09:00:00)', '2026-01-01T00:00:00Z', 3)).toEqual(['2026-04-01T07:00Z'])
    expect(next('at(2026-04-01T09:00:00)', '2026-04-01T07:00:00Z', 3)).toEqual([])
  })

  it('refuses a one-time schedule in the spring-forward gap', () => {
    expect(() => compileSchedule({ expression: 'at(2026-03-29T02:30:00)' })).toThrow(
      expect.objectContaining({
        fields: { expression: expect.stringMatching(/does not exist in Europe\/Berlin/) },
      }),
    )
  })

  it('fires a one-time schedule in the fall-back overlap at the first instant', () => {
    expect(next('at(2026-10-25T02:30:00)', '2026-01-01T00:00:00Z', 2)).toEqual(['2026-10-25T00:30Z'])
  })
})

describe('occurrencesBetween', () => {
  const quarterly = { expression: 'cron(0 9 1 1,4,7,10 ? *)' }
  it('lists the half-open window (from, to]', () => {
    expect(iso(occurrencesBetween(quarterly, '2026-01-01T08:00:00Z', '2026-10-01T07:00:00Z'))).toEqual([
      '2026-04-01T07:00Z',
      '2026-07-01T07:00Z',
      '2026-10-01T07:00Z',
    ])
    expect(occurrencesBetween(quarterly, '2026-01-02T00:00:00Z', '2026-03-31T00:00:00Z')).toEqual([])
  })

  it('caps the list and says so', () => {
    const got = occurrencesBetween(
      { expression: 'rate(1 minute)' },
      '2026-01-01T00:00:00Z',
      '2026-02-01T00:00:00Z',
      { limit: 50 },
    )
    expect(got).toHaveLength(50)
    expect(got.truncated).toBe(true)
    expect(
      occurrencesBetween(quarterly, '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z').truncated,
    ).toBeUndefined()
  })

  it('finds the latest occurrence in a window', () => {
    expect(
      lastOccurrenceBetween(quarterly, '2026-01-01T00:00:00Z', '2026-09-30T00:00:00Z')?.toISOString(),
    ).toBe('2026-07-01T07:00:00.000Z')
    expect(lastOccurrenceBetween(quarterly, '2026-01-02T00:00:00Z', '2026-03-30T00:00:00Z')).toBeUndefined()
  })
})

describe('validateSchedule', () => {
  it('collects every bad field at once', () => {
    expect(() =>
      validateSchedule({
        expression: 'cron(0 9 * * * *)',
        timeZone: 'Mars/Olympus',
        startDate: '1 April',
        endDate: '2026-13-01',
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'validation_failed',
        fields: {
          expression: expect.any(String),
          timeZone: expect.any(String),
          startDate: expect.any(String),
          endDate: expect.any(String),
        },
      }),
    )
    expect(() =>
      validateSchedule({ expression: 'rate(1 day)', startDate: '2026-05-01', endDate: '2026-04-01' }),
    ).toThrow(expect.objectContaining({ fields: { endDate: 'must be after the start date' } }))
  })

  it('normalises expression and zone', () => {
    expect(validateSchedule({ expression: ' rate(1 day) ', timeZone: 'europe/berlin' })).toEqual({
      expression: 'rate(1 day)',
      timeZone: 'Europe/Berlin',
    })
    expect(validateSchedule({ expression: 'rate(1 day)' }).timeZone).toBe('Europe/Berlin')
  })
})

describe('occurrenceId', () => {
  const at = new Date('2026-04-01T07:00:00Z')
  it('is readable, stable and unique per organisation, schedule and instant', () => {
    expect(occurrenceId('risk-review', at, 'acme')).toBe('acme_risk-review_20260401T0700Z')
    expect(occurrenceId('risk-review', at)).toBe('risk-review_20260401T0700Z')
    expect(occurrenceId('risk-review', at, 'acme')).toBe(
      occurrenceId('risk-review', '2026-04-01T07:00:00.000Z', 'acme'),
    )
    expect(occurrenceId('risk-review', at, 'acme')).not.toBe(occurrenceId('risk-review', at, 'globex'))
    expect(occurrenceId('risk-review', at, 'acme')).not.toBe(
      occurrenceId('risk-review', new Date('2026-07-01T07:00:00Z'), 'acme'),
    )
  })

  it('keeps to 80 allowed characters, hashing ids that do not fit', () => {
    const long = occurrenceId('x'.repeat(120), at, 'acme')
    const odd = occurrenceId('Quarterly review: risks/äöü #1', at, 'acme')
    const odd2 = occurrenceId('Quarterly review- risks-äöü -1', at, 'acme')
    for (const id of [long, odd, odd2]) {
      expect(id.length).toBeLessThanOrEqual(MAX_OCCURRENCE_ID)
      expect(id).toMatch(/^[A-Za-z0-9_-]+$/)
      expect(id.endsWith('_20260401T0700Z')).toBe(true)
    }
    expect(odd).not.toBe(odd2)
    expect(occurrenceId('x'.repeat(120), at, 'acme')).toBe(long)
    expect(occurrenceId('x'.repeat(121), at, 'acme')).not.toBe(long)
  })
})

describe('findCollision', () => {
  it('finds the first shared occurrence, or none', () => {
    const quarterly = { expression: 'cron(0 9 1 1,4,7,10 ? *)' }
    const yearlyApril = { expression: 'cron(0 9 1 4 ? *)' }
    const yearlyMay = { expression: 'cron(0 9 1 5 ? *)' }
    const hit = findCollision(
      quarterly,
      [
        { id: 'a', timing: yearlyMay },
        { id: 'b', timing: yearlyApril },
      ],
      '2026-02-01T00:00:00Z',
    )
    expect(hit).toEqual({ id: 'b', at: new Date('2026-04-01T07:00:00Z') })
    expect(findCollision(quarterly, [{ id: 'a', timing: yearlyMay }], '2026-02-01T00:00:00Z')).toBeUndefined()
    expect(
      findCollision(
        quarterly,
        [{ id: 'c', timing: { ...yearlyApril, timeZone: 'UTC' } }],
        '2026-02-01T00:00:00Z',
      ),
    ).toBeUndefined()
  })
})
