/**
 * Which language's texts are in the browser: English always (it is in the first chunk, so
 * the first paint shows words and every other language falls back to it), another language
 * once `loadCatalogue` fetched its chunk.
 */
import en from 'virtual:messages/en'
import type { Locale } from './define.js'
import { catalogue } from './translate.js'

catalogue.en = en

const loaders: Record<Exclude<Locale, 'en'>, () => Promise<{ default: Record<string, string> }>> = {
  de: () => import('virtual:messages/de'),
}
const loading = new Map<Locale, Promise<void>>()

/** Fetches `locale`'s catalogue once (English is there already); a failed fetch may be retried. */
export function loadCatalogue(locale: Locale): Promise<void> {
  if (locale === 'en' || Object.keys(catalogue[locale]).length > 0) return Promise.resolve()
  let pending = loading.get(locale)
  if (!pending) {
    pending = loaders[locale]().then(
      (module) => {
        catalogue[locale] = module.default
      },
      (err: unknown) => {
        loading.delete(locale)
        throw err
      },
    )
    loading.set(locale, pending)
  }
  return pending
}
