import { z } from 'zod'

/** A text shown to people, in English and German. */
export interface Text {
  en: string
  de: string
}

/** Schema for a required en/de text (trimmed, non-empty, at most `max` characters). */
export const textSchema = (max = 200) =>
  z.strictObject({
    en: z.string().trim().min(1, 'is required').max(max, `must be at most ${max} characters`),
    de: z.string().trim().min(1, 'is required').max(max, `must be at most ${max} characters`),
  })
