/** The languages of the UI. English is the fallback. */
export const LOCALES = ['en', 'de'] as const
/** One of `LOCALES`. */
export type Locale = (typeof LOCALES)[number]

/**
 * Declares one area's messages. German must have exactly the English keys (the compiler
 * says which is missing or extra). Placeholders are written `{name}`.
 *
 * @example
 * export default defineMessages({ en: { title: 'Risks' }, de: { title: 'Risiken' } })
 */
export function defineMessages<E extends Record<string, string>>(messages: {
  en: E
  de: { [K in keyof E]: string }
}) {
  return messages
}
