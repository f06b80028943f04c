import type { Locale } from './define.js'
import * as areas from './messages/index.js'

type Areas = typeof areas
/** Every message key, `<area>.<key>`, checked by the compiler. */
export type MessageKey = {
  [A in keyof Areas & string]: `${A}.${keyof Areas[A]['en'] & string}`
}[keyof Areas & string]
/** Values for `{placeholders}`. */
export type MessageParams = Record<string, string | number>

/** The flat catalogue: locale → key → text. */
export const catalogue: Record<Locale, Record<string, string>> = { en: {}, de: {} }
for (const [area, messages] of Object.entries(areas) as [
  string,
  { en: Record<string, string>; de: Record<string, string> },
][]) {
  for (const locale of ['en', 'de'] as const)
    for (const [key, text] of Object.entries(messages[locale])) catalogue[locale][`${area}.${key}`] = text
}

/**
 * The text of `key` in `locale` with `{placeholders}` filled in; English when the locale
 * lacks it, the key itself when both do (visible, never blank).
 */
export function translate(locale: Locale, key: MessageKey | (string & {}), params?: MessageParams): string {
  const text = catalogue[locale][key] ?? catalogue.en[key] ?? key
  if (!params) return text
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}
