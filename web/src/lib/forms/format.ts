/**
 * Answers as readable text for "Check your answers": option labels instead of values,
 * numbers, money and dates in the reader's language. Empty answers give no lines (the
 * page shows "Not provided").
 */
import {
  type AcknowledgementAnswer,
  type Catalogues,
  type DecisionAnswer,
  type EvidenceItem,
  formatDate,
  formatMoney,
  formatNumber,
  isEmptyAnswer,
  type Lang,
  type Question,
} from '../../../../functions/domain/forms/evaluation.js'
import { formatDateTime as formatMoment } from '../dates.js'
import { translate } from '../i18n/translate.js'

/** Formats an ISO timestamp as date and time (27 March 2025, 10:15). */
export const formatDateTime = (iso: string, lang: Lang): string => formatMoment(iso, lang, { length: 'long' })

/** The label of a choice value; the value itself when it is not an option. */
function optionLabel(q: Question, value: string, lang: Lang, catalogues: Catalogues): string {
  if (q.type === 'single-choice' || q.type === 'multiple-choice')
    return q.options.find((o) => o.value === value)?.label[lang] ?? value
  if (q.type === 'catalogue')
    return catalogues[q.catalogue]?.find((e) => e.id === value)?.label[lang] ?? value
  if (q.type === 'matrix') return q.scale.find((o) => o.value === value)?.label[lang] ?? value
  return value
}

/** The answer as lines of text; an empty array when there is no answer. */
export function answerLines(q: Question, value: unknown, lang: Lang, catalogues: Catalogues = {}): string[] {
  if (isEmptyAnswer(value)) return []
  const tr = (key: string, params?: Record<string, string | number>) =>
    translate(lang, `forms.${key}`, params)
  switch (q.type) {
    case 'single-choice':
    case 'catalogue':
    case 'multiple-choice':
      return (Array.isArray(value) ? value : [value]).map((v) => optionLabel(q, String(v), lang, catalogues))
    case 'yes-no':
      return [
        value === 'yes'
          ? tr('yes')
          : value === 'no'
            ? tr('no')
            : value === 'not-sure'
              ? tr('notSure')
              : String(value),
      ]
    case 'number':
      return typeof value === 'number'
        ? [q.unit ? `${formatNumber(value, lang)} ${q.unit[lang]}` : formatNumber(value, lang)]
        : [String(value)]
    case 'money':
      return [typeof value === 'number' ? formatMoney(value, lang) : String(value)]
    case 'date':
      return [
        typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
          ? formatDate(value, lang)
          : String(value),
      ]
    case 'matrix':
      return q.rows
        .filter((r) => (value as Record<string, unknown>)[r.id] !== undefined)
        .map(
          (r) =>
            `${r.label[lang]}: ${optionLabel(q, String((value as Record<string, unknown>)[r.id]), lang, catalogues)}`,
        )
    case 'evidence':
      return (value as EvidenceItem[]).map((e) =>
        e.kind === 'link' ? (e.title ? `${e.title} (${e.url})` : e.url) : `${tr('evidence.file')}: ${e.name}`,
      )
    case 'acknowledgement': {
      const a = value as AcknowledgementAnswer
      return [tr('ack.confirmed', { name: a.name, date: formatDateTime(a.at, lang) })]
    }
    case 'decision': {
      const d = value as DecisionAnswer
      const lines = d.outcome ? [tr(`decision.${d.outcome}`)] : []
      if (d.comment) lines.push(d.comment)
      return lines
    }
    default:
      return [String(value)]
  }
}
