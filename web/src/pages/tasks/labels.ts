/**
 * Words for task fields in the current language: kinds, statuses, priorities, dates, and
 * labels of context keys (a known label, else the key in words).
 */
import { formatDate, formatDateTime } from '../../lib/dates.js'
import { locale, t } from '../../lib/i18n/index.js'
import { hasMessage } from '../../lib/i18n/translate.js'
import { humanize, priorityLevel, type TaskView } from './task-logic.js'

export { hasMessage }

/** The kind of a task in words (`approval` → “Approval”); unknown kinds in plain words. */
export function kindLabel(kind: string): string {
  const key = `tasks.kind.${kind}`
  return hasMessage(key) ? t(key) : humanize(kind)
}

/** The priority in words. */
export const priorityLabel = (priority: number) => t(`tasks.priority.${priorityLevel(priority)}`)

/** A task's status in words, from the person's point of view. */
export function statusLabel(task: Pick<TaskView, 'status' | 'claimedBy'>, userId: string): string {
  if (task.status === 'claimed' && task.claimedBy === userId) return t('tasks.status.claimedByYou')
  return t(`tasks.status.${task.status}`)
}

/**
 * Whether a context key is bookkeeping a reader has no use for (ids, links for the
 * program, timeouts, fingerprints): the context panel leaves it out.
 */
export const isInternalKey = (key: string) =>
  /^(id|hash|timeoutSeconds|color|textColor|format)$|(Id|Ids|Url)$/.test(key)

/** The label of a context key. */
export function contextLabel(key: string): string {
  const message = `tasks.context.${key}`
  return hasMessage(message) ? t(message) : humanize(key)
}

/** 27 March 2025. A due date is its own date wherever the browser is (see `dueDateOf`). */
export const formatDay = (iso: string) => formatDate(iso, locale.current)

/** 27 Mar 2025, 10:15 (on the organisation's clock). */
export const formatWhen = (iso: string) => formatDateTime(iso, locale.current)

/** Whether a string is an ISO timestamp or date (shown formatted). */
export const isIsoDate = (s: string) =>
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(s) &&
  !Number.isNaN(Date.parse(s))
