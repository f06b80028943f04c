import type { Locale } from './define.js'

/** One area's messages as `defineMessages` declares them. */
type AreaMessages = Record<Locale, Record<string, string>>

/**
 * One language's flat catalogue, key `<area>.<key>` → text: `nav.inbox` of area `shell` is
 * `shell.nav.inbox`. The build writes one such module per language (see
 * `web/build/messages.ts`); tests flatten the sources the same way.
 *
 * @example flattenMessages({ shell: { en: { 'nav.inbox': 'Inbox' }, de: { … } } }, 'en')
 * // { 'shell.nav.inbox': 'Inbox' }
 */
export function flattenMessages(areas: Record<string, unknown>, locale: Locale): Record<string, string> {
  const flat: Record<string, string> = {}
  for (const [area, messages] of Object.entries(areas) as [string, AreaMessages][])
    for (const [key, text] of Object.entries(messages[locale])) flat[`${area}.${key}`] = text
  return flat
}
