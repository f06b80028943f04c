/** Words for values of recorded decisions in the current language. */
import { type MessageKey, t } from '../../lib/i18n/index.js'
import { hasMessage } from '../../lib/i18n/translate.js'

/** A conclusion's value as an adjustment records it (`true`, `important`, `AL3`, `none`) in words. */
export function adjustedValue(conclusion: string, value: string): string {
  if (value === 'true') return t('obligations.result.yes')
  if (value === 'false') return t('obligations.result.no')
  if (value === 'none') return t('obligations.result.tisaxNotRelevant')
  if (value === 'null') return t('obligations.result.unknown')
  const category = `obligations.category.${value}`
  return conclusion === 'nis2' && hasMessage(category) ? t(category) : value
}
