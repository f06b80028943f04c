import { LOCALES, type Locale } from './define.js'
import { loadTexts } from './texts.js'
import { type MessageKey, type MessageParams, translate } from './translate.js'

const STORAGE_KEY = 'ismsflow.locale'

const isLocale = (v: unknown): v is Locale => LOCALES.some((l) => l === v)

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY)
    if (isLocale(saved)) return saved
  } catch {
    // Storage may be unavailable (private mode); fall back to the browser's language.
  }
  return navigator.languages?.some((l) => l.toLowerCase().startsWith('de')) ? 'de' : 'en'
}

/**
 * The reactive UI language: read `locale.current`, change with `locale.set('de')` (persisted).
 * A language other than English shows once its texts are loaded; until then, and if they
 * cannot be loaded, the page stays in the language it shows.
 */
class LocaleState {
  current = $state<Locale>('en')
  /** Settles once the language the person reads is shown (await it before the first paint). */
  readonly ready: Promise<void>

  constructor() {
    this.ready = typeof window === 'undefined' ? Promise.resolve() : this.show(initialLocale())
  }

  /** Switches the language, remembers it and updates `<html lang>`. */
  async set(next: Locale) {
    await this.show(next)
    try {
      localStorage.setItem(STORAGE_KEY, next)
    } catch {
      // Not persisted; the switch still applies to this page.
    }
  }

  /** Writes the language to `<html lang>` (call once at start). */
  apply() {
    document.documentElement.lang = this.current
  }

  private async show(next: Locale) {
    try {
      await loadTexts(next)
    } catch {
      return
    }
    this.current = next
    this.apply()
  }
}

/** The one locale of the app. */
export const locale = new LocaleState()

/** Translates `key` in the current locale; reactive in templates and `$derived`. */
export const t = (key: MessageKey, params?: MessageParams): string => translate(locale.current, key, params)
