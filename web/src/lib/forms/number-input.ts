/**
 * Reading numbers typed by people: "1,234.5" in English, "1.234,5" in German, spaces and
 * "€" allowed. Text inputs with `inputmode` (not `type=number`, which loses what was typed)
 * keep what the person wrote; the answer becomes a number only when the text reads as one.
 */
import type { Lang } from '../../../../functions/domain/forms/evaluation.js'

/** The number in `text`, or undefined when it is not one. */
export function parseNumberInput(text: string, lang: Lang): number | undefined {
  let s = text.replace(/[\s\u00a0\u202f€_']/g, '')
  if (s === '' || !/^[+-]?[\d.,]+$/.test(s)) return undefined
  const dot = s.lastIndexOf('.')
  const comma = s.lastIndexOf(',')
  if (dot >= 0 && comma >= 0) {
    // both: the later one is the decimal separator
    const decimal = dot > comma ? '.' : ','
    const group = decimal === '.' ? ',' : '.'
    if (s.indexOf(decimal) !== s.lastIndexOf(decimal)) return undefined
    s = s.split(group).join('').replace(decimal, '.')
  } else if (comma >= 0) {
    // only commas: grouping in English when every group has three digits, else a decimal comma
    const grouped = /^[+-]?\d{1,3}(,\d{3})+$/.test(s)
    if (lang === 'en' && grouped) s = s.split(',').join('')
    else if (s.indexOf(',') === comma) s = s.replace(',', '.')
    else return undefined
  } else if (dot >= 0) {
    const grouped = /^[+-]?\d{1,3}(\.\d{3})+$/.test(s)
    if (lang === 'de' && grouped) s = s.split('.').join('')
    else if (s.indexOf('.') !== dot) return undefined
  }
  const n = Number(s)
  return Number.isFinite(n) ? n : undefined
}

/** A number as it is shown in an input: no grouping, the decimal separator of the language. */
export function formatNumberInput(n: number, lang: Lang): string {
  const s = String(n)
  return lang === 'de' ? s.replace('.', ',') : s
}
