import { createHash, randomBytes } from 'node:crypto'
import { Secret, TOTP } from 'otpauth'
import { renderSVG } from 'uqr'

/**
 * The second factor of local sign-in: time-based one-time passwords (RFC 6238: HMAC-SHA1,
 * 6 digits, 30-second steps, as every authenticator app reads them) and single-use
 * recovery codes. `otpauth` computes and checks the codes, `uqr` draws the `otpauth://`
 * URI as an SVG QR code; the secret is stored sealed (`store/secret-box.ts`), recovery
 * codes only as hashes. On AWS Cognito's own MFA applies instead.
 */

/** The name authenticator apps show above the code. */
export const TOTP_ISSUER = 'ismsflow'
/** How many recovery codes a person gets (each works once). */
export const RECOVERY_CODES = 10
const PERIOD = 30

const totp = (secretBase32: string, label = '') =>
  new TOTP({
    issuer: TOTP_ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD,
    secret: Secret.fromBase32(secretBase32),
  })

/** A new random secret (160 bits, RFC 4226's recommendation), base32 as apps take it. */
export const newTotpSecret = () => new Secret({ size: 20 }).base32

/** The `otpauth://totp/ismsflow:<email>?secret=…&issuer=ismsflow&…` URI the QR code carries. */
export const otpauthUri = (secretBase32: string, email: string) => totp(secretBase32, email).toString()

/** The QR code of a URI as an SVG document (black on white, with its quiet zone). */
export const qrCodeSvg = (uri: string) => renderSVG(uri, { border: 2, pixelSize: 6 })

/** The code an app shows at `at` (tests and the demo; never sent anywhere). */
export const totpCode = (secretBase32: string, at: Date) =>
  totp(secretBase32).generate({ timestamp: at.getTime() })

/**
 * The time step a code belongs to, when it is right at `at` (one step of clock drift either
 * way); undefined otherwise. The caller refuses a step at or before the last one used, so a
 * code works once.
 */
export function matchingStep(secretBase32: string, code: string, at: Date): number | undefined {
  const token = code.replace(/\s+/g, '')
  if (!/^\d{6}$/.test(token)) return undefined
  const delta = totp(secretBase32).validate({ token, timestamp: at.getTime(), window: 1 })
  return delta === null ? undefined : Math.floor(at.getTime() / 1000 / PERIOD) + delta
}

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'

/** Fresh recovery codes, `xxxxx-xxxxx` (about 49 bits each), to show once. */
export function newRecoveryCodes(n = RECOVERY_CODES): string[] {
  return Array.from({ length: n }, () => {
    const bytes = randomBytes(10)
    const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('')
    return `${chars.slice(0, 5)}-${chars.slice(5)}`
  })
}

/** What a recovery code is stored as (typed with or without the dash, in any case). */
export const recoveryHash = (code: string) =>
  createHash('sha256')
    .update(`ismsflow recovery:${code.trim().toLowerCase().replace(/[\s-]/g, '')}`)
    .digest('hex')

/** Whether something typed looks like a recovery code rather than a six-digit code. */
export const looksLikeRecoveryCode = (code: string) => /^[a-z2-9]{5}-?[a-z2-9]{5}$/i.test(code.trim())
