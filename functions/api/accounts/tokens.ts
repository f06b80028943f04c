import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** A one-time link token: 256 random bits, base64url (43 characters). */
export const linkToken = () => randomBytes(32).toString('base64url')

/** What a link token looks like (anything else is a 400 before any lookup). */
export const LINK_TOKEN = /^[A-Za-z0-9_-]{43}$/

/** The hash a token is stored under (the token itself is never stored). */
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex')

/** Compares two hashes in constant time. */
export const sameHash = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

/** An invitation link is valid for 7 days. */
export const INVITATION_TTL_SECONDS = 7 * 24 * 60 * 60
/** A password reset link is valid for 2 hours. */
export const RESET_TTL_SECONDS = 2 * 60 * 60
/** The set-password link of `npm run setup` is valid for 7 days (a server may be set up before its ISO reads mail). */
export const SET_PASSWORD_TTL_SECONDS = 7 * 24 * 60 * 60
