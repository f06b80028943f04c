/** Formatting and field mapping shared by the review pages. */
import { dueDateOf, isDueDate } from '../../../../functions/domain/calendar/due.js'
import { type Locale, type MessageKey, t } from '../../lib/i18n/index.js'

const intl = (lang: Locale) => (lang === 'de' ? 'de-DE' : 'en-GB')

/**
 * 1 April 2026 (in Europe/Berlin, where reviews are scheduled by default); a due date is its
 * own date (see `dueDateOf`), not the next day in Berlin.
 */
export const formatDate = (iso: string, lang: Locale) =>
  new Intl.DateTimeFormat(intl(lang), { dateStyle: 'long', timeZone: 'Europe/Berlin' }).format(
    new Date(isDueDate(iso) ? `${dueDateOf(iso)}T12:00:00Z` : iso),
  )

/** 1 Apr 2026, 09:00. */
export const formatWhen = (iso: string, lang: Locale) =>
  new Intl.DateTimeFormat(intl(lang), {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Berlin',
  }).format(new Date(iso))

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
export const fieldLabel = (field: string) =>
  field in ENTRY_FIELD_IDS ? t(`reviews.field.${field}` as MessageKey) : field
