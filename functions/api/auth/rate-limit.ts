import { AppError } from '../../domain/errors.js'
import type { Identity } from '../../store/identity.js'

/** Failed sign-ins allowed per e-mail address and per IP address within the window. */
export const SIGN_IN_LIMIT = { failures: 5, windowMinutes: 15 } as const
/** IPs are shared (offices, NAT), so they get more room than a single address. */
export const SIGN_IN_IP_LIMIT = { failures: 20, windowMinutes: 15 } as const

/**
 * Sign-in throttling, counted in the store so that it holds across Lambda instances:
 * more than `failures` failures within `windowMinutes` for the same e-mail address or
 * the same IP answer 429 before the password is even checked.
 */
export function signInThrottle(identity: Identity) {
  const subjects = (email: string, ip: string) =>
    [
      { kind: 'signin-email', subject: email.trim().toLowerCase(), limit: SIGN_IN_LIMIT },
      { kind: 'signin-ip', subject: ip, limit: SIGN_IN_IP_LIMIT },
    ] as const

  return {
    /** Throws 429 when the e-mail address or the IP has used up its failures. */
    async check(email: string, ip: string): Promise<void> {
      for (const s of subjects(email, ip)) {
        const n = await identity.countFailures(s.kind, s.subject, s.limit.windowMinutes)
        if (n >= s.limit.failures)
          throw new AppError(
            'rate_limited',
            `Too many failed sign-ins. Try again in ${s.limit.windowMinutes} minutes.`,
          )
      }
    },
    /** Counts one failure against both the e-mail address and the IP. */
    async fail(email: string, ip: string): Promise<void> {
      for (const s of subjects(email, ip))
        await identity.recordFailure(s.kind, s.subject, s.limit.windowMinutes)
    },
    /** Clears the e-mail address's failures after a successful sign-in (the IP's stay). */
    async succeed(email: string): Promise<void> {
      const [byEmail] = subjects(email, '')
      await identity.clearFailures(byEmail.kind, byEmail.subject)
    },
  }
}
