/**
 * Plural forms by the language's rules (`Intl.PluralRules`): "1 task", "2 tasks", "1 Aufgabe",
 * "2 Aufgaben". One rule for the server's texts and the browser's message catalogue.
 */

/** The forms of one phrase: `one` and `other` at least, exact numbers as `=0`; `#` is the number. */
export type PluralForms = { other: string } & Partial<Record<Intl.LDMLPluralRule | `=${number}`, string>>

const rules = new Map<string, Intl.PluralRules>()

/**
 * The form for `n` in `lang`: an exact `=n` form first, else the language's category
 * (English and German: `one` for 1, `other` otherwise), else `other`; `#` becomes `n`.
 *
 * @example plural('de', 2, { one: '# Aufgabe', other: '# Aufgaben' }) // '2 Aufgaben'
 */
export function plural(lang: 'en' | 'de', n: number, forms: PluralForms): string {
  const locale = lang === 'de' ? 'de-DE' : 'en-GB'
  const r = rules.get(locale) ?? new Intl.PluralRules(locale)
  rules.set(locale, r)
  const form = forms[`=${n}`] ?? forms[r.select(n)] ?? forms.other
  return form.replace(/#/g, String(n))
}
