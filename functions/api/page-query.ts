/**
 * The paging parameters every list query shares: a page size and the opaque cursor of the
 * page before, checked alike and named in the error (`limit: must be at most 200`).
 *
 * @example
 * export const listQuery = z.strictObject({ limit: pageLimit().default(50), cursor: pageCursor() })
 */
import { z } from 'zod'

/** The page size: a whole number from 1 to `max` (chain `.default(50)` or `.optional()`). */
export const pageLimit = (max = 200) =>
  z.coerce
    .number('must be a number')
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(max, `must be at most ${max}`)

/** Opaque: where the next page begins (the `cursor` of the page before). */
export const pageCursor = (maxLength = 2000) => z.string().max(maxLength, 'is too long').optional()
