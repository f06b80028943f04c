/**
 * Text that people type is stored and shown to others, so some characters are refused at
 * every boundary: control characters (other than tab and line breaks), the bidirectional
 * embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069: a right-to-left override
 * makes `invoice‮fdp.exe` look like `invoiceexe.pdf`) and lone surrogates (not text at all).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above
const UNSAFE_ALL = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g

/** A high surrogate without its low half, or a low one without its high half. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g')

const hex = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`

/** Why a string is refused, in words, or `undefined` when it is fine. */
export function unsafeTextReason(text: string): string | undefined {
  const m = UNSAFE.exec(text)
  if (m) {
    const bidi = /[\u202A-\u202E\u2066-\u2069]/.test(m[0])
    return bidi
      ? `contains a text-direction override (${hex(m[0])}); remove it`
      : `contains a control character (${hex(m[0])}); remove it`
  }
  if (LONE_SURROGATE.test(text)) return 'contains an invalid character (a lone surrogate); remove it'
  return undefined
}

/**
 * Every refused string in a parsed JSON value (keys included), as field errors by path:
 * `{ "title": "contains a text-direction override (U+202E); remove it" }`.
 */
export function unsafeTextFields(value: unknown, path = ''): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (v: unknown, at: string, depth: number) => {
    if (depth > 64) return
    if (typeof v === 'string') {
      const why = unsafeTextReason(v)
      if (why) out[at || '(body)'] = why
    } else if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) walk(x, at ? `${at}.${i}` : String(i), depth + 1)
    } else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        const keyAt = at ? `${at}.${k}` : k
        const why = unsafeTextReason(k)
        if (why) out[keyAt] = `field name ${why}`
        else walk(x, keyAt, depth + 1)
      }
  }
  walk(value, path, 0)
  return out
}

/**
 * A file name safe to store and to send back in `Content-Disposition`: control and
 * direction characters and lone surrogates removed, path separators replaced, trimmed to
 * 200 characters; `file` when nothing is left.
 */
export function safeFileName(name: string): string {
  const cleaned = name
    .replace(LONE_SURROGATES, '')
    .replace(UNSAFE_ALL, '')
    .replace(/[/\\]/g, '_')
    .trim()
    .slice(0, 200)
  return cleaned && cleaned !== '.' && cleaned !== '..' ? cleaned : 'file'
}
