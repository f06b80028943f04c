import { describe, expect, it } from 'vitest'
import { flattenMessages } from '../../../web/src/lib/i18n/flatten.js'
import * as areas from '../../../web/src/lib/i18n/messages/index.js'
import { catalogue, pluralize, translate } from '../../../web/src/lib/i18n/translate.js'

// The catalogues as the build writes them (web/build/messages.ts); the app loads them the same way.
catalogue.en = flattenMessages(areas, 'en')
catalogue.de = flattenMessages(areas, 'de')

/** Placeholders, `{name}`, and the numbers of plural forms, `{count, plural, …}`. */
const placeholders = (s: string) =>
  [...new Set([...s.matchAll(/\{(\w+)(?:\}|, plural,)/g)].map((m) => m[1]))].sort()

describe('message catalogue', () => {
  for (const [area, messages] of Object.entries(areas)) {
    it(`area ${area}: English and German have the same keys, no empty texts, the same placeholders`, () => {
      expect(Object.keys(messages.de).sort()).toEqual(Object.keys(messages.en).sort())
      for (const [key, en] of Object.entries(messages.en) as [string, string][]) {
        const de = (messages.de as Record<string, string>)[key]
        expect(en.trim(), `${area}.${key} (en)`).not.toBe('')
        expect(de.trim(), `${area}.${key} (de)`).not.toBe('')
        expect(placeholders(de), `${area}.${key} placeholders`).toEqual(placeholders(en))
      }
    })
  }

  it('merges every area under its name', () => {
    expect(catalogue.en['shell.nav.inbox']).toBe('Inbox')
    expect(catalogue.de['shell.nav.inbox']).toBe('Posteingang')
    expect(Object.keys(catalogue.en).length).toBe(Object.keys(catalogue.de).length)
  })
})

describe('translate', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('de', 'shell.user.signedInAs', { name: 'Mia' })).toBe('Angemeldet als Mia')
    expect(translate('en', 'shell.user.signedInAs')).toBe('Signed in as {name}')
  })

  it('answers the key itself for an unknown key', () => {
    expect(translate('de', 'nope.missing')).toBe('nope.missing')
  })
})

describe('plural forms', () => {
  it('chooses one and other with the locale’s plural rules, in English and German', () => {
    expect(translate('en', 'tasks.inbox.caption', { view: 'Mine', count: 1, org: 'Nordlicht' })).toBe(
      'Mine: 1 task in Nordlicht',
    )
    expect(translate('en', 'tasks.inbox.caption', { view: 'Mine', count: 2, org: 'Nordlicht' })).toBe(
      'Mine: 2 tasks in Nordlicht',
    )
    expect(translate('en', 'tasks.inbox.caption', { view: 'Mine', count: 0, org: 'Nordlicht' })).toBe(
      'Mine: 0 tasks in Nordlicht',
    )
    expect(translate('de', 'tasks.inbox.caption', { view: 'Meine', count: 1, org: 'Nordlicht' })).toBe(
      'Meine: 1 Aufgabe in Nordlicht',
    )
    expect(translate('de', 'risks.round.changes', { count: 1 })).toBe('1 Änderung seit der vorigen Runde')
    expect(translate('en', 'risks.round.changes', { count: 3 })).toBe('3 changes since the previous round')
    expect(translate('en', 'calendar.count', { n: 1 })).toBe('1 entry')
  })

  it('takes an exact =n case before the category, and leaves a form without its number as written', () => {
    const text = '{n, plural, =0 {none} one {# item} other {# items}}'
    expect(pluralize('en', text, { n: 0 })).toBe('none')
    expect(pluralize('en', text, { n: 1 })).toBe('1 item')
    expect(pluralize('de', text, { n: 1.5 })).toBe('1.5 items')
    expect(pluralize('en', text, {})).toBe(text)
    expect(translate('en', 'certification.move.done', { date: '1 May 2027', count: 0 })).toBe(
      'The audit date is now 1 May 2027. No open task had to move.',
    )
  })

  it('writes every plural form of the catalogue with an other case', () => {
    for (const locale of ['en', 'de'] as const)
      for (const [key, text] of Object.entries(catalogue[locale]))
        for (const m of text.matchAll(/\{\w+, plural,(.*)\}/g))
          expect(m[1], `${locale} ${key}`).toContain('other {')
  })
})
