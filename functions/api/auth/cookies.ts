import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { AppEnv } from '../env.js'

/** Name of the httpOnly session cookie (local sign-in). */
export const SESSION_COOKIE = 'ismsflow_session'
/** Name of the cookie that remembers the organisation chosen in the switcher. */
export const ORG_COOKIE = 'ismsflow_org'
/** How long a session lasts (absolute, from sign-in): 12 hours. */
export const SESSION_TTL_SECONDS = 12 * 60 * 60

/** Whether cookies must be `Secure`: the request came over https, or the app is published on https. */
export function isSecure(c: Context<AppEnv>): boolean {
  const proto = c.req.header('x-forwarded-proto') ?? new URL(c.req.url).protocol.replace(':', '')
  return proto === 'https' || c.get('deps').config.publicUrl.startsWith('https:')
}

const base = (c: Context<AppEnv>) => ({
  path: '/',
  httpOnly: true,
  sameSite: 'Lax' as const,
  secure: isSecure(c),
})

/** Sets the session cookie: httpOnly, SameSite=Lax, Secure on https, expiring with the session. */
export const setSessionCookie = (c: Context<AppEnv>, token: string) =>
  setCookie(c, SESSION_COOKIE, token, { ...base(c), maxAge: SESSION_TTL_SECONDS })

/** Removes the session cookie. */
export const clearSessionCookie = (c: Context<AppEnv>) => deleteCookie(c, SESSION_COOKIE, base(c))

/** Remembers the chosen organisation (30 days). */
export const setOrgCookie = (c: Context<AppEnv>, orgId: string) =>
  setCookie(c, ORG_COOKIE, orgId, { ...base(c), maxAge: 30 * 24 * 60 * 60 })

/** Reads a cookie by name. */
export const readCookie = (c: Context<AppEnv>, name: string) => getCookie(c, name)
