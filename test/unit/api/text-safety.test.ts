import { describe, expect, it } from 'vitest'
import { safeFileName, unsafeTextFields, unsafeTextReason } from '../../../functions/domain/text-safety.js'

describe('text safety', () => {
  it('lets ordinary text through, tabs and line breaks included, in any script', () => {
    for (const ok of [
      'Ransomware im OT-Netz',
      'Zeile 1\nZeile 2\r\n\tEinzug',
      'שלום',
      'مرحبا',
      '😀 emoji',
      '',
    ])
      expect(unsafeTextReason(ok)).toBeUndefined()
  })
  it('refuses control characters, direction overrides and isolates, and lone surrogates', () => {
    expect(unsafeTextReason('a\u0000b')).toBe('contains a control character (U+0000); remove it')
    expect(unsafeTextReason('a\u007Fb')).toMatch(/U\+007F/)
    expect(unsafeTextReason('a\u0085b')).toMatch(/U\+0085/)
    expect(unsafeTextReason('invoice\u202Efdp.exe')).toBe(
      'contains a text-direction override (U+202E); remove it',
    )
    expect(unsafeTextReason('x\u2066y\u2069')).toMatch(/U\+2066/)
    expect(unsafeTextReason('x\uD800')).toBe('contains an invalid character (a lone surrogate); remove it')
    expect(unsafeTextReason('\uDC00x')).toMatch(/lone surrogate/)
  })
  it('names every refused string by its path, keys included', () => {
    expect(
      unsafeTextFields({
        title: 'ok',
        plan: { measures: [{ description: 'a\u202Eb' }] },
        'bad\u0001key': 1,
      }),
    ).toEqual({
      'plan.measures.0.description': 'contains a text-direction override (U+202E); remove it',
      'bad\u0001key': 'field name contains a control character (U+0001); remove it',
    })
    expect(unsafeTextFields('\u0000')).toEqual({
      '(body)': 'contains a control character (U+0000); remove it',
    })
  })
  it('cleans file names so they cannot spoof an extension or a path', () => {
    expect(safeFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe')
    expect(safeFileName('../../etc/passwd')).toBe('.._.._etc_passwd')
    expect(safeFileName('a\u0000b\uD800.pdf')).toBe('ab.pdf')
    expect(safeFileName('\u202E')).toBe('file')
    expect(safeFileName('Bericht ä.pdf')).toBe('Bericht ä.pdf')
  })
})
