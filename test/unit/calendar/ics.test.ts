import { describe, expect, it } from 'vitest'
import { buildIcs, escapeIcsText, foldIcsLine, icsUid } from '../../../functions/domain/calendar/ics.js'
import { unescapeIcsText, validateIcs } from '../../../functions/domain/calendar/ics-validate.js'
import type { CalendarItem } from '../../../functions/domain/calendar/items.js'

const now = new Date('2026-03-01T10:00:00Z')
const items: CalendarItem[] = [
  {
    id: 'rev-2026q2',
    orgId: 'acme',
    orgName: 'Acme GmbH',
    kind: 'review',
    title: {
      en: 'Risk review Q2; quarterly, with sign-off',
      de: 'Risikoüberprüfung Q2; vierteljährlich, mit Freigabe',
    },
    description: { en: 'Line one\nLine two \\ backslash', de: 'Zeile eins\nZeile zwei \\ Backslash' },
    due: '2026-04-01',
    url: '/orgs/acme/reviews/rev-2026q2',
    status: 'open',
  },
  {
    id: 'task-17',
    orgId: 'globex',
    orgName: 'Globex Größenwahn Übermäßig Lange Firmenbezeichnung AG & Co. KGaA',
    kind: 'task',
    title: {
      en: 'Upload the penetration-test report with all findings and the retest results',
      de: 'Pentest-Bericht mit allen Feststellungen und den Ergebnissen des Nachtests hochladen ✓',
    },
    due: '2026-04-02T07:30:00Z',
    url: 'https://isms.example.com/orgs/globex/tasks/task-17',
    status: 'cancelled',
  },
]

describe('buildIcs', () => {
  const text = buildIcs(items, {
    name: 'ismsflow — Jane, ISO',
    now,
    baseUrl: 'https://isms.example.com',
    locale: 'de',
  })
  const report = validateIcs(text)

  it('produces a feed that validates', () => {
    expect(report.errors).toEqual([])
    expect(report.valid).toBe(true)
    expect(report.events).toHaveLength(2)
  })

  it('has the calendar header', () => {
    const cal = Object.fromEntries(report.calendar.map((p) => [p.name, p.value]))
    expect(cal).toMatchObject({
      VERSION: '2.0',
      CALSCALE: 'GREGORIAN',
      METHOD: 'PUBLISH',
      PRODID: '-//ismsflow//Calendar 1.0//EN',
    })
    expect(unescapeIcsText(cal['X-WR-CALNAME'])).toBe('ismsflow — Jane, ISO')
    expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true)
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true)
  })

  it('writes all-day due dates as DATE and timed ones in UTC', () => {
    const [review, task] = report.events.map((ev) => Object.fromEntries(ev.map((p) => [p.name, p])))
    expect(review.DTSTART).toEqual({ name: 'DTSTART', params: { VALUE: 'DATE' }, value: '20260401' })
    expect(review.DTEND.value).toBe('20260402')
    expect(task.DTSTART).toEqual({ name: 'DTSTART', params: {}, value: '20260402T073000Z' })
    expect(review.DTSTAMP.value).toBe('20260301T100000Z')
  })

  it('escapes text and keeps UIDs, URLs, categories and status', () => {
    const [review, task] = report.events.map((ev) => Object.fromEntries(ev.map((p) => [p.name, p.value])))
    expect(review.SUMMARY).toBe('Acme GmbH: Risikoüberprüfung Q2\\; vierteljährlich\\, mit Freigabe')
    expect(unescapeIcsText(review.DESCRIPTION)).toBe(
      'Überprüfung · Offen · Acme GmbH\nZeile eins\nZeile zwei \\ Backslash\nhttps://isms.example.com/orgs/acme/reviews/rev-2026q2',
    )
    expect(review.UID).toBe('review-acme-rev-2026q2@ismsflow')
    expect(review.URL).toBe('https://isms.example.com/orgs/acme/reviews/rev-2026q2')
    expect(review.CATEGORIES).toBe('Überprüfung,Acme GmbH')
    expect(task.STATUS).toBe('CANCELLED')
    expect(unescapeIcsText(task.SUMMARY)).toContain('✓')
  })

  it('is stable: the same items give the same UIDs and text', () => {
    expect(
      buildIcs(items, {
        name: 'ismsflow — Jane, ISO',
        now,
        baseUrl: 'https://isms.example.com',
        locale: 'de',
      }),
    ).toBe(text)
    expect(icsUid(items[0])).toBe('review-acme-rev-2026q2@ismsflow')
  })

  it('writes English when asked', () => {
    const en = validateIcs(buildIcs(items, { name: 'x', now }))
    expect(en.valid).toBe(true)
    expect(unescapeIcsText(en.events[0].find((p) => p.name === 'SUMMARY')!.value)).toBe(
      'Acme GmbH: Risk review Q2; quarterly, with sign-off',
    )
    // no base URL: a path cannot become a URL property
    expect(en.events[0].some((p) => p.name === 'URL')).toBe(false)
  })

  it('writes an empty calendar that still validates', () => {
    expect(validateIcs(buildIcs([], { name: 'empty', now })).valid).toBe(true)
  })
})

describe('escapeIcsText and foldIcsLine', () => {
  it('escapes backslash, semicolon, comma and newlines', () => {
    expect(escapeIcsText('a\\b;c,d\ne\r\nf\rg\u0007')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng')
    expect(unescapeIcsText(escapeIcsText('a\\b;c,d\ne'))).toBe('a\\b;c,d\ne')
  })

  it('folds at 75 octets without splitting UTF-8 characters', () => {
    const line = `SUMMARY:${'ä'.repeat(100)}` // 8 + 200 octets
    const folded = foldIcsLine(line)
    const parts = folded.split('\r\n')
    expect(parts.length).toBeGreaterThan(2)
    for (const p of parts) expect(new TextEncoder().encode(p).length).toBeLessThanOrEqual(75)
    expect(parts.slice(1).every((p) => p.startsWith(' '))).toBe(true)
    expect(parts.map((p, i) => (i ? p.slice(1) : p)).join('')).toBe(line)
    // 'SUMMARY:' is 8 octets, then 33 two-octet characters fit in 75 (74), the 34th would not
    expect(new TextEncoder().encode(parts[0]).length).toBe(74)
    // a four-octet emoji is never split either
    const emoji = foldIcsLine(`X:${'😀'.repeat(40)}`)
    expect(
      emoji.split('\r\n').every((p) => !p.includes('\uFFFD') && new TextEncoder().encode(p).length <= 75),
    ).toBe(true)
  })

  it('leaves short lines alone', () => {
    expect(foldIcsLine('VERSION:2.0')).toBe('VERSION:2.0')
    expect(foldIcsLine(`X:${'a'.repeat(73)}`)).toBe(`X:${'a'.repeat(73)}`)
    expect(foldIcsLine(`X:${'a'.repeat(74)}`)).toBe(`X:${'a'.repeat(73)}\r\n a`)
  })
})

describe('validateIcs', () => {
  const good = buildIcs(items, { name: 'x', now })
  const errorsOf = (text: string) => validateIcs(text).errors.join(' | ')

  it('refuses bare LF line endings', () => {
    expect(errorsOf(good.replace(/\r\n/g, '\n'))).toMatch(/CRLF/)
  })

  it('refuses unfolded long lines', () => {
    expect(errorsOf(good.replace(/\r\n /g, ''))).toMatch(/octets long/)
  })

  it('refuses a missing UID, DTSTAMP or DTSTART, and duplicate UIDs', () => {
    expect(errorsOf(good.replace(/UID:review[^\r]*\r\n/, ''))).toMatch(/VEVENT 1: UID must appear once/)
    expect(errorsOf(good.replace(/DTSTAMP:[^\r]*\r\n/, ''))).toMatch(/VEVENT 1: DTSTAMP must appear once/)
    expect(errorsOf(good.replace(/DTSTART;VALUE=DATE:[^\r]*\r\n/, ''))).toMatch(
      /VEVENT 1: DTSTART must appear once/,
    )
    const twice = buildIcs([items[0], { ...items[0], due: '2026-05-01' }], { name: 'x', now })
    expect(errorsOf(twice)).toMatch(/duplicate UID/)
  })

  it('refuses missing VERSION/PRODID, bad dates and broken nesting', () => {
    expect(errorsOf(good.replace('VERSION:2.0\r\n', ''))).toMatch(/VERSION must appear once/)
    expect(errorsOf(good.replace(/PRODID:[^\r]*\r\n/, ''))).toMatch(/PRODID must appear once/)
    expect(errorsOf(good.replace('DTSTART;VALUE=DATE:20260401', 'DTSTART;VALUE=DATE:2026-04-01'))).toMatch(
      /is not a DATE/,
    )
    expect(errorsOf(good.replace('DTEND;VALUE=DATE:20260402', 'DTEND;VALUE=DATE:20260331'))).toMatch(
      /DTEND must be after DTSTART/,
    )
    expect(errorsOf(good.replace('END:VEVENT\r\n', ''))).toMatch(/END:VCALENDAR closes BEGIN:VEVENT/)
    expect(errorsOf(`${good}X-EXTRA:1\r\n`)).toMatch(/outside VCALENDAR/)
    expect(errorsOf('BEGIN:VEVENT\r\nEND:VEVENT\r\n')).toMatch(/must start with BEGIN:VCALENDAR/)
    expect(errorsOf('')).toBe('empty')
  })

  it('refuses bad escapes and lines that are not content lines', () => {
    expect(errorsOf(good.replace('SUMMARY:Acme GmbH', 'SUMMARY:Acme\\x GmbH'))).toMatch(
      /bad escape in SUMMARY/,
    )
    expect(errorsOf(good.replace('TRANSP:TRANSPARENT', 'TRANSP TRANSPARENT'))).toMatch(/not a content line/)
  })
})
