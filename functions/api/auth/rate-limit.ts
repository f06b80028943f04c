import { RateLimitedError } from '../../domain/errors.js'
import type { Identity } from '../../store/identity.js'

/** Failed sign-ins allowed for one account from one IP address within the window. */
export const SIGN_IN_LIMIT = { failures: 5, windowMinutes: 15 } as const
/** Failed sign-ins allowed from one IP address over all accounts (offices and NAT share IPs). */
export const SIGN_IN_IP_LIMIT = { failures: 20, windowMinutes: 15 } as const

const tooMany = (windowMinutes: number, what = 'failed sign-ins') =>
  new RateLimitedError(`Too many ${what}. Try again in ${windowMinutes} minutes.`)

/**
 * Sign-in throttling, counted in the store so that it holds across Lambda instances.
 * Failures count against the pair (account, IP) and against the IP: after
 * `SIGN_IN_LIMIT.failures` failures for one account from one IP, or `SIGN_IN_IP_LIMIT`
 * from one IP, that IP answers 429 before the password is checked. Another IP is not
 * affected, so a stranger guessing cannot lock the real person out.
 */
export function signInThrottle(identity: Identity) {
  const subjects = (email: string, ip: string) =>
    [
      {
        kind: 'signin-account-ip',
        subject: `${email.normalize('NFKC').trim().toLowerCase()}|${ip}`,
        limit: SIGN_IN_LIMIT,
      },
      { kind: 'signin-ip', subject: ip, limit: SIGN_IN_IP_LIMIT },
    ] as const

  return {
    /** Throws 429 when this account from this IP, or this IP, has used up its failures. */
    async check(email: string, ip: string): Promise<void> {
      for (const s of subjects(email, ip)) {
        const n = await identity.countFailures(s.kind, s.subject, s.limit.windowMinutes)
        if (n >= s.limit.failures) throw tooMany(s.limit.windowMinutes)
      }
    },
    /** Counts one failure against the account from this IP and against the IP. */
    async fail(email: string, ip: string): Promise<void> {
      for (const s of subjects(email, ip))
        await identity.recordFailure(s.kind, s.subject, s.limit.windowMinutes)
    },
    /** Clears this account's failures from this IP after a successful sign-in (the IP's stay). */
    async succeed(email: string, ip: string): Promise<void> {
      const [pair] = subjects(email, ip)
      await identity.clearFailures(pair.kind, pair.subject)
    },
  }
}

/**
 * A counter of requests per subject within a window, for endpoints that must not be
 * hammered (password reset, link tokens). `hit` counts one request and answers whether it
 * is still within `limit`.
 */
export function requestLimiter(
  identity: Identity,
  kind: string,
  limit: { requests: number; windowMinutes: number },
) {
  return {
    async hit(subject: string): Promise<boolean> {
      const n = await identity.countFailures(kind, subject, limit.windowMinutes)
      if (n >= limit.requests) return false
      await identity.recordFailure(kind, subject, limit.windowMinutes)
      return true
    },
    /** Like `hit`, but throws 429. */
    async enforce(subject: string, what = 'requests'): Promise<void> {
      if (!(await this.hit(subject))) throw tooMany(limit.windowMinutes, what)
    },
  }
}
