import { describe, expect, it } from 'vitest'
import { nextOccurrences } from '../../../functions/domain/schedules/occurrences.js'
import {
  CADENCE_LABELS,
  CADENCES,
  cadenceExpression,
  detectCadence,
} from '../../../functions/domain/schedules/presets.js'

describe('cadenceExpression', () => {
  it.each([
    ['monthly', {}, 'cron(0 9 1 * ? *)'],
    ['quarterly', {}, 'cron(0 9 1 1,4,7,10 ? *)'],
    ['quarterly', { month: 11, day: 15, hour: 8, minute: 30 }, 'cron(30 8 15 2,5,8,11 ? *)'],
    ['half-yearly', { month: 3 }, 'cron(0 9 1 3,9 ? *)'],
    ['half-yearly', { month: 9 }, 'cron(0 9 1 3,9 ? *)'],
    ['yearly', { month: 11 }, 'cron(0 9 1 11 ? *)'],
    ['yearly', { month: 12, day: 'last' }, 'cron(0 9 L 12 ? *)'],
  ] as const)('%s %o → %s', (cadence, options, expression) => {
    expect(cadenceExpression(cadence, options)).toBe(expression)
  })

  it('produces expressions that fire the promised number of times a year', () => {
    const perYear = { monthly: 12, quarterly: 4, 'half-yearly': 2, yearly: 1 }
    for (const c of CADENCES) {
      const got = nextOccurrences(
        { expression: cadenceExpression(c) },
        new Date('2026-01-01T00:00:00Z'),
        20,
      ).filter((d) => d.getUTCFullYear() === 2026)
      expect(got, c).toHaveLength(perYear[c])
      expect(CADENCE_LABELS[c].de).toBeTruthy()
    }
  })

  it('refuses bad options naming each field', () => {
    expect(() => cadenceExpression('weekly' as never, { day: 31, month: 0, hour: 24, minute: -1 })).toThrow(
      expect.objectContaining({
        fields: {
          cadence: expect.any(String),
          day: "must be 1-28 or 'last'",
          month: 'must be 1-12',
          hour: 'must be 0-23',
          minute: 'must be 0-59',
        },
      }),
    )
  })
})

describe('detectCadence', () => {
  it('reads presets back', () => {
    for (const c of CADENCES)
      expect(detectCadence(cadenceExpression(c, { day: 5, month: 2, hour: 7 }))?.cadence).toBe(c)
    expect(detectCadence('cron(30 8 15 2,5,8,11 ? *)')).toEqual({
      cadence: 'quarterly',
      day: 15,
      month: 2,
      hour: 8,
      minute: 30,
    })
    expect(detectCadence('cron(0 9 L 12 ? *)')).toEqual({
      cadence: 'yearly',
      day: 'last',
      month: 12,
      hour: 9,
      minute: 0,
    })
  })

  it.each([
    'cron(0 9 1 1,5,9 ? *)',
    'cron(0 9 ? * MON *)',
    'cron(0 9,17 1 * ? *)',
    'cron(0 9 1 * ? 2026)',
    'cron(0 9 30 * ? *)',
    'rate(7 days)',
    'nonsense',
  ])('%s is custom', (expr) => {
    expect(detectCadence(expr)).toBeUndefined()
  })
})
