/**
 * The texts in the browser. Every module's English texts arrive with the module (the build
 * adds them, see `web/build/messages.ts`) and register here, each with a loader of its
 * translations; a translation is fetched only once its language is chosen, and from then
 * on for every module that arrives. Await {@link textsReady} before showing code that just
 * arrived (the router does, for pages), so a German page shows German at once.
 */
import type { Locale } from './define.js'
import { catalogue } from './translate.js'

type Load = () => Promise<{ default: Record<string, string> }>

const loaders: Record<Locale, Set<Load>> = { en: new Set(), de: new Set() }
const wanted = new Set<Locale>()
const pending = new Set<Promise<void>>()

function fetchTexts(locale: Locale, load: Load): Promise<void> {
  loaders[locale].delete(load)
  const done: Promise<void> = load()
    .then((module) => {
      Object.assign(catalogue[locale], module.default)
    })
    .catch((err: unknown) => {
      // Not fetched (offline): English stands in; the next choice of the language tries again.
      loaders[locale].add(load)
      throw err
    })
    .finally(() => pending.delete(done))
  pending.add(done)
  return done
}

/** Registers texts that came with a module (the English ones). */
export function addTexts(locale: Locale, texts: Record<string, string>): void {
  Object.assign(catalogue[locale], texts)
}

/** Registers the loader of a module's texts in another language; fetched at once if it is chosen. */
export function addTranslations(locale: Locale, load: Load): void {
  loaders[locale].add(load)
  if (wanted.has(locale)) void fetchTexts(locale, load).catch(() => undefined)
}

/**
 * Fetches `locale`'s texts of every module so far, and of every module from now on; settles
 * when they are all there (also those of modules that arrived meanwhile), rejects when one
 * could not be fetched.
 */
export async function loadTexts(locale: Locale): Promise<void> {
  if (locale === 'en') return
  wanted.add(locale)
  await Promise.all([...pending, ...[...loaders[locale]].map((load) => fetchTexts(locale, load))])
  await textsReady()
}

/** Settles once the texts being fetched are there (whether or not they could be fetched). */
export async function textsReady(): Promise<void> {
  while (pending.size > 0) await Promise.allSettled([...pending])
}
