/** A page's cursor: the DynamoDB key to continue after, opaque (base64url JSON) to the caller. */
export const encodeCursor = (key?: Record<string, unknown>) =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined

/** The key a cursor names; a cursor that is not one of ours reads as "from the start". */
export const decodeCursor = (cursor?: string) => {
  if (!cursor) return undefined
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>
  } catch {
    return undefined
  }
}

/** A list index page's cursor: the position (sort key) to continue after, opaque to the caller. */
export const encodePosition = (position: string) =>
  Buffer.from(JSON.stringify({ p: position })).toString('base64url')

/** The position a list cursor names; a cursor that is not one of ours reads as "from the start". */
export const decodePosition = (cursor?: string): string | undefined => {
  if (!cursor) return undefined
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    return typeof v === 'object' && v !== null && 'p' in v && typeof v.p === 'string' ? v.p : undefined
  } catch {
    return undefined
  }
}
