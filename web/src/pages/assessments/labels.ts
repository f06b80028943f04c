/** Words for values of recorded decisions in the current language. */
import { type MessageKey, t } from '../../lib/i18n/index.js'

/** A conclusion's value as an adjustment records it (`true`, `important`, `AL3`, `none`) in words. */
export function adjustedValue(conclusion: string, value: string): string {
  if (value === 'true') return t('obligations.result.yes')
  if (value === 'false') return t('obligations.result.no')
  if (value === 'none') return t('obligations.result.tisaxNotRelevant')
  if (value === 'null') return t('obligations.result.unknown')
  return conclusion === 'nis2' ? t(`obligations.category.${value}` as MessageKey) : value
}
