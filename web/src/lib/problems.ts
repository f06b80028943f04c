import { ApiError, messageOf } from './api.js'
import { type MessageKey, t } from './i18n/index.js'
import type { Problem } from './types.js'

/** A valid-looking e-mail address (the server decides; this only catches typos early). */
export const looksLikeEmail = (s: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s.trim())

/**
 * The problems of a failed request for an error summary: each field the server named that
 * the form knows (`fields` maps the server's field name to the form's message key), else
 * one general message (`byStatus` chooses it by HTTP status).
 */
export function problemsFrom(
  err: unknown,
  fields: Record<string, MessageKey>,
  byStatus: Partial<Record<number, MessageKey>> = {},
): Problem[] {
  if (!(err instanceof ApiError)) return [{ key: 'common.error.generic' }]
  if (err.status === 0) return [{ key: 'common.error.network' }]
  const named = Object.keys(err.fields)
    .map((f) => f.split('.')[0])
    .filter((f, i, all) => fields[f] && all.indexOf(f) === i)
    .map((f) => ({ field: f, key: fields[f] }))
  if (named.length > 0) return named
  if (err.status === 429) return [{ key: 'people.error.rateLimited' }]
  return [{ key: byStatus[err.status] ?? 'common.error.generic' }]
}

/**
 * A failed request in one line of an error summary (`items`): that the server cannot be
 * reached, in the reader's language, else what the server said.
 */
export const failureText = (err: unknown): string =>
  err instanceof ApiError && err.status === 0 ? t('common.error.network') : messageOf(err)
