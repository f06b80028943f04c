/** Small builders for form definitions in tests. */
import type { FormDefinition } from '../../../functions/domain/forms/index.js'

/** A text in both languages. */
export const t = (en: string, de = `${en} (de)`) => ({ en, de })

/** A question of any type with a label; extra fields as given. */
export const q = (id: string, type: string, extra: Record<string, unknown> = {}) => ({
  id,
  type,
  label: t(`Label ${id}`),
  ...extra,
})

/** Choice options from values. */
export const opts = (...values: string[]) => values.map((value) => ({ value, label: t(value) }))

/** A form (untyped, as JSON) with pages of questions. */
export const form = (pages: Record<string, unknown>[], extra: Record<string, unknown> = {}) =>
  ({
    id: 'test-form',
    version: 1,
    title: t('Test form'),
    pages,
    ...extra,
  }) as unknown as FormDefinition

/** A page with questions. */
export const page = (id: string, questions: unknown[], extra: Record<string, unknown> = {}) => ({
  id,
  title: t(`Page ${id}`),
  questions,
  ...extra,
})

/** Evaluation options with a fixed today. */
export const TODAY = { today: '2025-03-27' }
