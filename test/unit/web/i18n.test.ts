import { describe, expect, it } from 'vitest'
import * as areas from '../../../web/src/lib/i18n/messages/index.js'
import { catalogue, translate } from '../../../web/src/lib/i18n/translate.js'

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

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
