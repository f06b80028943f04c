import { describe, expect, it } from 'vitest'
import {
  type CalendarItem,
  calendarItemSchema,
  groupByDay,
  localDueDate,
  mergeCalendarItems,
} from '../../../functions/domain/calendar/items.js'

const item = (over: Partial<CalendarItem>): CalendarItem => ({
  id: 'x',
  orgId: 'acme',
  orgName: 'Acme',
  kind: 'review',
  title: { en: 'Risk review', de: 'Risikoüberprüfung' },
  due: '2026-04-01',
  url: '/orgs/acme/reviews/x',
  status: 'open',
  ...over,
})

describe('mergeCalendarItems', () => {
  const acme = [
    item({ id: 'r1', due: '2026-04-01' }),
    item({
      id: 't1',
      kind: 'task',
      title: { en: 'Upload evidence', de: 'Nachweis hochladen' },
      due: '2026-03-31T22:30:00Z',
    }), // 1 April 00:30 Berlin
    item({
      id: 'm1',
      kind: 'milestone',
      title: { en: 'Stage 1 audit', de: 'Stufe-1-Audit' },
      due: '2026-05-10',
      status: 'planned',
    }),
  ]
  const globex = [
    item({ id: 'r1', orgId: 'globex', orgName: 'Globex', due: '2026-04-01' }),
    item({
      id: 'a1',
      orgId: 'globex',
      orgName: 'Globex',
      kind: 'acceptance-expiry',
      title: { en: 'Acceptance R-7 expires', de: 'Akzeptanz R-7 läuft ab' },
      due: '2026-03-15',
      status: 'overdue',
    }),
  ]

  it('orders across organisations by local day, all-day first, then time and organisation', () => {
    const merged = mergeCalendarItems([acme, globex])
    expect(merged.map((i) => `${i.orgId}/${i.id}`)).toEqual([
      'globex/a1',
      'acme/r1',
      'globex/r1',
      'acme/t1',
      'acme/m1',
    ])
  })

  it('places a timed item on its day in the given zone', () => {
    expect(localDueDate(acme[1], 'Europe/Berlin')).toBe('2026-04-01')
    expect(localDueDate(acme[1], 'UTC')).toBe('2026-03-31')
    expect(mergeCalendarItems([acme], { zone: 'UTC' })[0].id).toBe('t1')
  })

  it('keeps one copy of the same item (the last given) and does not mix organisations', () => {
    const updated = [item({ id: 'r1', status: 'done' })]
    const merged = mergeCalendarItems([acme, globex, updated])
    expect(merged).toHaveLength(5)
    expect(merged.find((i) => i.orgId === 'acme' && i.id === 'r1')?.status).toBe('done')
    expect(merged.find((i) => i.orgId === 'globex' && i.id === 'r1')?.status).toBe('open')
  })

  it('filters by date range, kind and status', () => {
    expect(
      mergeCalendarItems([acme, globex], { from: '2026-04-01', to: '2026-04-30' }).map((i) => i.id),
    ).toEqual(['r1', 'r1', 't1'])
    expect(
      mergeCalendarItems([acme, globex], { kinds: ['milestone', 'acceptance-expiry'] }).map((i) => i.id),
    ).toEqual(['a1', 'm1'])
    expect(mergeCalendarItems([acme, globex], { statuses: ['overdue'] }).map((i) => i.id)).toEqual(['a1'])
  })

  it('groups by day for an agenda', () => {
    const days = groupByDay(mergeCalendarItems([acme, globex]))
    expect(days.map((d) => [d.date, d.items.length])).toEqual([
      ['2026-03-15', 1],
      ['2026-04-01', 3],
      ['2026-05-10', 1],
    ])
  })
})

describe('calendarItemSchema', () => {
  it('accepts dates and date-times with an offset', () => {
    expect(calendarItemSchema.safeParse(item({})).success).toBe(true)
    expect(calendarItemSchema.safeParse(item({ due: '2026-04-01T09:00:00+02:00' })).success).toBe(true)
  })

  it.each(['2026-04-01T09:00:00', '01.04.2026', '2026-13-45', ''])('refuses due %s', (due) => {
    const r = calendarItemSchema.safeParse(item({ due }))
    expect(r.success).toBe(false)
    expect(r.error?.issues[0].path).toEqual(['due'])
  })
})
