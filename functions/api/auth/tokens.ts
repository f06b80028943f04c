import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** A fresh random token (32 bytes, base64url): session cookies and CSRF tokens. */
export const newToken = () => randomBytes(32).toString('base64url')

/** Compares two strings in constant time (false when lengths differ). */
export function safeEqual(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest()
  const y = createHash('sha256').update(b).digest()
  return timingSafeEqual(x, y) && a.length === b.length
}
