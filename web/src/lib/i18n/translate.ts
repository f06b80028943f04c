import { type PluralForms, plural } from '../../../../functions/domain/plural.js'
import type { Locale } from './define.js'
import type * as areas from './messages/index.js'

type Areas = typeof areas
/** Every message key, `<area>.<key>`, checked by the compiler. */
export type MessageKey = {
  [A in keyof Areas & string]: `${A}.${keyof Areas[A]['en'] & string}`
}[keyof Areas & string]
/** Values for `{placeholders}`. */
export type MessageParams = Record<string, string | number>

/**
 * The flat catalogues, locale → key → text (see `flattenMessages`): filled by `texts.ts`
 * as modules arrive, English with them and another language once it is chosen.
 */
export const catalogue: Record<Locale, Record<string, string>> = { en: {}, de: {} }

/**
 * Whether the catalogue has a message for `key` (a key made of a prefix and a value, e.g.
 * `tasks.kind.${kind}`): then it is a `MessageKey`.
 */
export const hasMessage = (key: string): key is MessageKey => key in catalogue.en

const PLURAL = /\{(\w+), plural,((?:\s*(?:=\d+|zero|one|two|few|many|other)\s*\{[^{}]*\})+)\s*\}/g
const PLURAL_CASE = /(=\d+|zero|one|two|few|many|other)\s*\{([^{}]*)\}/g

/**
 * Chooses plural forms written the ICU way, `{count, plural, one {# task} other {# tasks}}`,
 * with the language's rules (see `plural`: an exact `=n` case first, then the category, then
 * `other`); `#` stands for the number. A form whose number is not given stays as written.
 *
 * @example pluralize('de', '{n, plural, one {# Aufgabe} other {# Aufgaben}}', { n: 2 }) // '2 Aufgaben'
 */
export function pluralize(locale: Locale, text: string, params: MessageParams): string {
  return text.replace(PLURAL, (whole, name: string, body: string) => {
    const n = params[name]
    if (typeof n !== 'number') return whole
    const forms = Object.fromEntries([...body.matchAll(PLURAL_CASE)].map((m) => [m[1], m[2]]))
    return plural(locale, n, { other: whole, ...forms } as PluralForms)
  })
}

/**
 * The text of `key` in `locale` with `{placeholders}` filled in and plural forms chosen
 * (see `pluralize`); English when the locale lacks it, the key itself when both do
 * (visible, never blank).
 */
export function translate(locale: Locale, key: MessageKey | (string & {}), params?: MessageParams): string {
  const text = catalogue[locale][key] ?? catalogue.en[key] ?? key
  if (!params) return text
  return pluralize(locale, text, params).replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  )
}
