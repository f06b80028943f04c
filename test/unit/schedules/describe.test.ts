import { describe, expect, it } from 'vitest'
import { describeNextDue, describeSchedule } from '../../../functions/domain/schedules/describe.js'

describe('describeSchedule', () => {
  it.each([
    [
      'cron(0 9 1 1,4,7,10 ? *)',
      'every quarter on the 1st at 09:00 (Europe/Berlin)',
      'vierteljährlich am 1. um 09:00 Uhr (Europe/Berlin)',
    ],
    [
      'cron(0 10 L 2,5,8,11 ? *)',
      'every quarter (February, May, August and November) on the last day at 10:00 (Europe/Berlin)',
      'vierteljährlich (Februar, Mai, August und November) am letzten Tag um 10:00 Uhr (Europe/Berlin)',
    ],
    [
      'cron(0 9 1 3,9 ? *)',
      'every half-year (March and September) on the 1st at 09:00 (Europe/Berlin)',
      'halbjährlich (März und September) am 1. um 09:00 Uhr (Europe/Berlin)',
    ],
    [
      'cron(0 9 1 11 ? *)',
      'every year on 1 November at 09:00 (Europe/Berlin)',
      'jährlich am 1. November um 09:00 Uhr (Europe/Berlin)',
    ],
    [
      'cron(30 8 2 * ? *)',
      'every month on the 2nd at 08:30 (Europe/Berlin)',
      'monatlich am 2. um 08:30 Uhr (Europe/Berlin)',
    ],
    ['cron(0 9 * * ? *)', 'every day at 09:00 (Europe/Berlin)', 'täglich um 09:00 Uhr (Europe/Berlin)'],
    [
      'cron(0 9,17 * * ? *)',
      'every day at 09:00 and 17:00 (Europe/Berlin)',
      'täglich um 09:00 und 17:00 Uhr (Europe/Berlin)',
    ],
    [
      'cron(0 9 ? * MON-FRI *)',
      'every weekday (Monday to Friday) at 09:00 (Europe/Berlin)',
      'werktags (Montag bis Freitag) um 09:00 Uhr (Europe/Berlin)',
    ],
    [
      'cron(0 9 ? * MON,THU *)',
      'every Monday and Thursday at 09:00 (Europe/Berlin)',
      'jeden Montag und Donnerstag um 09:00 Uhr (Europe/Berlin)',
    ],
    [
      'cron(0 10 ? * 2#1 *)',
      'every month on the first Monday at 10:00 (Europe/Berlin)',
      'monatlich am ersten Montag um 10:00 Uhr (Europe/Berlin)',
    ],
    [
      'cron(0 9 ? 4 6L *)',
      'every year in April on the last Friday at 09:00 (Europe/Berlin)',
      'jährlich im April am letzten Freitag um 09:00 Uhr (Europe/Berlin)',
    ],
    [
      'cron(0 9 LW * ? *)',
      'every month on the last weekday at 09:00 (Europe/Berlin)',
      'monatlich am letzten Werktag um 09:00 Uhr (Europe/Berlin)',
    ],
    [
      'cron(0 9 15W * ? *)',
      'every month on the weekday nearest the 15th at 09:00 (Europe/Berlin)',
      'monatlich am Werktag, der dem 15. am nächsten liegt um 09:00 Uhr (Europe/Berlin)',
    ],
    [
      'cron(5 8 15 JAN,MAR ? 2026-2027)',
      'in January and March on the 15th at 08:05 in 2026-2027 (Europe/Berlin)',
      'im Januar und März am 15. um 08:05 Uhr im Jahr 2026-2027 (Europe/Berlin)',
    ],
    ['cron(0/15 * * * ? *)', 'every 15 minutes (Europe/Berlin)', 'alle 15 Minuten (Europe/Berlin)'],
    [
      'cron(7,8,9 1,2,3 * * ? *)',
      'on the schedule cron(7,8,9 1,2,3 * * ? *) (Europe/Berlin)',
      'nach dem Zeitplan cron(7,8,9 1,2,3 * * ? *) (Europe/Berlin)',
    ],
    ['rate(5 minutes)', 'every 5 minutes', 'alle 5 Minuten'],
    ['rate(1 hour)', 'every hour', 'stündlich'],
    ['rate(2 days)', 'every 2 days', 'alle 2 Tage'],
    [
      'at(2026-04-01T09:00:00)',
      'once on 1 April 2026 at 09:00 (Europe/Berlin)',
      'einmalig am 1. April 2026 um 09:00 Uhr (Europe/Berlin)',
    ],
  ])('%s', (expression, en, de) => {
    expect(describeSchedule({ expression })).toEqual({ en, de })
  })

  it('names the schedule zone and ordinals 11th-13th', () => {
    expect(
      describeSchedule({ expression: 'cron(0 9 11,12,13,21,22,23 * ? *)', timeZone: 'America/New_York' }).en,
    ).toBe('every month on the 11th, 12th, 13th, 21st, 22nd and 23rd at 09:00 (America/New_York)')
  })
})

describe('describeNextDue', () => {
  it('shows the next due date in the schedule zone', () => {
    const due = describeNextDue({ expression: 'cron(0 9 1 1,4,7,10 ? *)' }, new Date('2026-02-10T12:00:00Z'))
    expect(due).toEqual({
      at: '2026-04-01T07:00:00.000Z',
      date: '2026-04-01',
      text: {
        en: 'Next due: Wednesday, 1 April 2026, 09:00 (Europe/Berlin)',
        de: 'Nächste Fälligkeit: Mittwoch, 1. April 2026, 09:00 Uhr (Europe/Berlin)',
      },
    })
  })

  it('gives the local date, which may differ from the UTC date', () => {
    expect(describeNextDue({ expression: 'cron(30 0 1 * ? *)' }, '2026-02-10T00:00:00Z')).toMatchObject({
      at: '2026-02-28T23:30:00.000Z',
      date: '2026-03-01',
    })
  })

  it('says when nothing is due any more', () => {
    expect(describeNextDue({ expression: 'at(2026-04-01T09:00:00)' }, '2026-05-01T00:00:00Z')).toEqual({
      text: { en: 'No further due dates', de: 'Keine weiteren Fälligkeiten' },
    })
  })
})
