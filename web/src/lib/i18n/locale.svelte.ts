import { LOCALES, type Locale } from './define.js'
import { type MessageKey, type MessageParams, translate } from './translate.js'

const STORAGE_KEY = 'ismsflow.locale'

const isLocale = (v: unknown): v is Locale => (LOCALES as readonly unknown[]).includes(v)

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY)
    if (isLocale(saved)) return saved
  } catch {
    // Storage may be unavailable (private mode); fall back to the browser's language.
  }
  return navigator.languages?.some((l) => l.toLowerCase().startsWith('de')) ? 'de' : 'en'
}

/** The reactive UI language: read `locale.current`, change with `locale.set('de')` (persisted). */
class LocaleState {
  current = $state<Locale>(typeof window === 'undefined' ? 'en' : initialLocale())

  /** Switches the language, remembers it and updates `<html lang>`. */
  set(next: Locale) {
    this.current = next
    try {
      localStorage.setItem(STORAGE_KEY, next)
    } catch {
      // Not persisted; the switch still applies to this page.
    }
    this.apply()
  }

  /** Writes the language to `<html lang>` (call once at start). */
  apply() {
    document.documentElement.lang = this.current
  }
}

/** The one locale of the app. */
export const locale = new LocaleState()

/** Translates `key` in the current locale; reactive in templates and `$derived`. */
export const t = (key: MessageKey, params?: MessageParams): string => translate(locale.current, key, params)
