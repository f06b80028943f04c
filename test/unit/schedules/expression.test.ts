import { describe, expect, it } from 'vitest'
import { parseScheduleExpression } from '../../../functions/domain/schedules/expression.js'

const fieldError = (expr: unknown) => {
  try {
    parseScheduleExpression(expr)
  } catch (err) {
    return err as { code: string; fields: Record<string, string> }
  }
  throw new Error(`expected ${String(expr)} to be refused`)
}

describe('parseScheduleExpression', () => {
  it.each([
    'cron(0 9 1 1,4,7,10 ? *)',
    'cron(0/15 * * * ? *)',
    'cron(0 9 ? * MON-FRI *)',
    'cron(0 9 ? * 2#1 *)',
    'cron(0 9 ? * 6L *)',
    'cron(0 9 ? * L *)',
    'cron(0 9 L * ? *)',
    'cron(0 9 LW * ? *)',
    'cron(0 9 15W * ? *)',
    'cron(0 9 1/7 JAN-MAR ? 2026-2030)',
    'cron(15 10 ? * 6L 2026-2027)',
    'cron(0 8 1 JUL,DEC ? */2)',
    'rate(1 minute)',
    'rate(5 minutes)',
    'rate(1 hour)',
    'rate(12 hours)',
    'rate(1 day)',
    'rate(7 days)',
    'at(2026-04-01T09:00:00)',
  ])('accepts %s', (expr) => {
    expect(parseScheduleExpression(expr).expression).toBe(expr)
  })

  it('reads cron fields with names, ranges, steps and lists', () => {
    const p = parseScheduleExpression('cron(0/20 9-11 ? JAN,APR-MAY MON-WED 2026)')
    expect(p.type).toBe('cron')
    if (p.type !== 'cron') return
    expect(p.cron.minutes).toEqual([0, 20, 40])
    expect(p.cron.hours).toEqual([9, 10, 11])
    expect(p.cron.months).toEqual([1, 4, 5])
    expect(p.cron.dow).toEqual({ kind: 'days', days: [2, 3, 4] })
    expect(p.cron.years).toEqual([2026])
  })

  it('numbers day-of-week from Sunday = 1 and reads # and L', () => {
    const nth = parseScheduleExpression('cron(0 9 ? * TUE#2 *)')
    expect(nth.type === 'cron' && nth.cron.dow).toEqual({ kind: 'nth', day: 3, nth: 2 })
    const last = parseScheduleExpression('cron(0 9 ? * 6L *)')
    expect(last.type === 'cron' && last.cron.dow).toEqual({ kind: 'lastOf', day: 6 })
    const sat = parseScheduleExpression('cron(0 9 ? * L *)')
    expect(sat.type === 'cron' && sat.cron.dow).toEqual({ kind: 'days', days: [7] })
  })

  it('reads rate and at', () => {
    expect(parseScheduleExpression('rate(2 hours)')).toMatchObject({
      type: 'rate',
      value: 2,
      unit: 'hour',
      ms: 7_200_000,
    })
    expect(parseScheduleExpression(' at(2026-04-01T09:30:15) ')).toMatchObject({
      type: 'at',
      expression: 'at(2026-04-01T09:30:15)',
      at: { year: 2026, month: 4, day: 1, hour: 9, minute: 30, second: 15 },
    })
  })

  it.each([
    ['cron(0 9 * * * *)', /exactly one of them must be \?/],
    ['cron(0 9 ? * ? *)', /exactly one of them must be \?/],
    ['cron(60 9 1 * ? *)', /minutes: 60 is out of range 0-59/],
    ['cron(0 24 1 * ? *)', /hours: 24 is out of range/],
    ['cron(0 9 32 * ? *)', /day-of-month: 32 is out of range 1-31/],
    ['cron(0 9 0 * ? *)', /day-of-month: 0 is out of range/],
    ['cron(0 9 1 13 ? *)', /month: 13 is out of range/],
    ['cron(0 9 1 FOO ? *)', /month: "FOO" is not a number or name/],
    ['cron(0 9 ? * 8 *)', /day-of-week: 8 is out of range 1-7/],
    ['cron(0 9 ? * 0 *)', /day-of-week: 0 is out of range/],
    ['cron(0 9 1 * ? 1969)', /year: 1969 is out of range 1970-2199/],
    ['cron(0 9 1 * ? 2200)', /year: 2200/],
    ['cron(0 9 1 * ?)', /6 fields/],
    ['cron(0 0 9 1 * ? *)', /6 fields/],
    ['cron(0 9 1W,15 * ? *)', /stand alone/],
    ['cron(0 9 ? * 2#6 *)', /instance 6 must be 1-5/],
    ['cron(0 9 ? * 2#1,3#2 *)', /no list/],
    ['cron(0 9 ? * 1/2 *)', /does not allow the \/ wildcard/],
    ['cron(0 L 1 * ? *)', /only allowed in day-of-month and day-of-week/],
    ['cron(0 9 1#2 * ? *)', /# is only allowed in day-of-week/],
    ['cron(5-1 9 1 * ? *)', /runs backwards/],
    ['cron(0/0 9 1 * ? *)', /positive number/],
    ['cron(0,,5 9 1 * ? *)', /empty list item/],
    ['rate(0 days)', /positive/],
    ['rate(1 days)', /singular/],
    ['rate(2 day)', /plural/],
    ['rate(5 weeks)', /minute\(s\), hour\(s\) or day\(s\)/],
    ['rate(-1 minutes)', /positive whole number/],
    ['rate(1.5 hours)', /positive whole number/],
    ['at(2026-02-30T09:00:00)', /not a calendar date/],
    ['at(2026-04-01 09:00:00)', /yyyy-mm-ddThh:mm:ss/],
    ['at(2026-04-01T24:00:00)', /00:00:00-23:59:59/],
    ['every day', /cron\(…\), rate\(…\) or at\(…\)/],
    ['0 9 * * *', /cron\(…\)/],
  ])('refuses %s naming the expression field', (expr, message) => {
    const err = fieldError(expr)
    expect(err.code).toBe('validation_failed')
    expect(Object.keys(err.fields)).toEqual(['expression'])
    expect(err.fields.expression).toMatch(message)
  })

  it('refuses missing input and can name another field', () => {
    expect(fieldError(undefined).fields.expression).toMatch(/required/)
    expect(fieldError('').fields.expression).toMatch(/required/)
    try {
      parseScheduleExpression('rate(0 days)', 'programme[2].expression')
      expect.unreachable()
    } catch (err) {
      expect((err as { fields: object }).fields).toHaveProperty(['programme[2].expression'])
    }
  })
})
