/** Formatting and field mapping shared by the review pages. */
import { formatDateTime, formatDate as formatDay } from '../../lib/dates.js'
import { type Locale, type MessageKey, t } from '../../lib/i18n/index.js'
import { hasMessage } from '../../lib/i18n/translate.js'

/** 1 April 2026 (a due date is its own date, see `dueDateOf`). */
export const formatDate = (iso: string, lang: Locale) => formatDay(iso, lang)

/** 1 Apr 2026, 09:00 (on the organisation's clock). */
export const formatWhen = (iso: string, lang: Locale) => formatDateTime(iso, lang)

/** The flag class of a review status (the word is always written out). */
export function statusClass(status: string): string {
  if (status === 'completed') return 'flag-done'
  if (status === 'missed' || status === 'escalated') return 'flag-late'
  if (status === 'overdue' || status === 'rework') return 'flag-warn'
  return 'flag-plain'
}

/** The label of a role. */
export const roleName = (role: string) => t(`reviews.role.${role}` as MessageKey)

/** Server field names → ids of the entry form's inputs (for the error summary links). */
export const ENTRY_FIELD_IDS: Record<string, string> = {
  kind: 'entry-kind',
  id: 'entry-kind',
  cadence: 'entry-cadence',
  expression: 'entry-expression',
  timeZone: 'entry-timezone',
  startDate: 'entry-start',
  ownerId: 'entry-owner',
  formId: 'entry-kind',
  dueAfterDays: 'entry-due-days',
  escalationGraceDays: 'entry-grace-days',
  managementSignOff: 'entry-signoff',
  expectedVersion: 'entry-submit',
}

/** The label of a server field in the current language. */
export function fieldLabel(field: string): string {
  const key = `reviews.field.${field}`
  return field in ENTRY_FIELD_IDS && hasMessage(key) ? t(key) : field
}
