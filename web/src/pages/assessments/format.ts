/**
 * Words and numbers for obligation results: localized texts, dates, deadlines of duties and
 * the headline of a decision. Pure apart from the current locale passed in.
 */

import type { Duty, ObligationDecision, Text } from '../../../../functions/domain/obligations/index.js'
import { formatDate } from '../../lib/dates.js'

/** The UI languages. */
export type Lang = 'en' | 'de'

/** A localized text in the language. */
export const tx = (text: Text | undefined, lang: Lang) => (text ? text[lang] : '')

const locale = (lang: Lang) => (lang === 'de' ? 'de-DE' : 'en-GB')

/** 14 June 2026 / 14. Juni 2026. */
export const formatDay = (iso: string, lang: Lang) => formatDate(iso, lang)

/** A number in the language's notation. */
export const formatNumber = (n: number, lang: Lang) =>
  new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 2 }).format(n)

/** An amount in euros. */
export const formatEur = (n: number, lang: Lang) =>
  new Intl.NumberFormat(locale(lang), {
    style: 'currency',
    currency: 'EUR',
    maximumFractionDigits: 0,
  }).format(n)

/** `months` after an ISO timestamp (UTC, the 31st clamped to the month's last day). */
export function addMonths(iso: string, months: number): string {
  const d = new Date(iso)
  const day = d.getUTCDate()
  const target = new Date(
    Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes()),
  )
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
  target.setUTCDate(Math.min(day, last))
  return target.toISOString()
}

/** A span in words: `3 months`, `24 h`, `1 Monat`. */
export function span(within: { months?: number; hours?: number }, lang: Lang): string {
  if (within.hours !== undefined) return `${within.hours} h`
  const m = within.months ?? 0
  if (lang === 'de') return m === 1 ? '1 Monat' : `${m} Monate`
  return m === 1 ? '1 month' : `${m} months`
}

/**
 * The deadline of a duty: a date when the decision's date is known (`by 14 June 2026`),
 * else relative (`within 3 months of the decision`); `at once` when the law sets none.
 */
export function dutyDeadline(duty: Pick<Duty, 'dueWithin'>, lang: Lang, decidedAt?: string): string {
  const months = duty.dueWithin?.months
  if (months === undefined)
    return duty.dueWithin?.hours !== undefined
      ? lang === 'de'
        ? `je Vorfall: ${span(duty.dueWithin, lang)}`
        : `per incident: ${span(duty.dueWithin, lang)}`
      : lang === 'de'
        ? 'ab sofort'
        : 'from now on'
  if (decidedAt)
    return lang === 'de'
      ? `bis ${formatDay(addMonths(decidedAt, months), lang)}`
      : `by ${formatDay(addMonths(decidedAt, months), lang)}`
  return lang === 'de'
    ? `innerhalb von ${months === 1 ? '1 Monat' : `${months} Monaten`} nach der Entscheidung`
    : `within ${span({ months }, lang)} of the decision`
}

/**
 * The NIS2 category with both terms, the German one always shown (the law's own words):
 * `important entity (wichtige Einrichtung)` / `wichtige Einrichtung`.
 */
export function categoryText(nis2: Pick<ObligationDecision['nis2'], 'en' | 'de'>, lang: Lang) {
  return lang === 'de'
    ? { main: nis2.de, other: nis2.en, otherLang: 'en' }
    : { main: nis2.en, other: nis2.de, otherLang: 'de' }
}

/** Whether a decision's German NIS2 category puts the company under the law. */
export const isCovered = (d: Pick<ObligationDecision, 'nis2'>) =>
  d.nis2.category === 'essential' || d.nis2.category === 'important'
