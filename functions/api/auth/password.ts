import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto'

/** scrypt's cost parameters. */
export interface ScryptCost {
  N: number
  r: number
  p: number
}

/** scrypt cost parameters (N = 2^15, r = 8, p = 1: about 30–60 ms per hash on a laptop). */
const PARAMS: ScryptCost = { N: 32768, r: 8, p: 1 }
const KEY_LENGTH = 64
/** Memory scrypt may use: 128 · N · r bytes plus headroom. */
const MAXMEM = 128 * PARAMS.N * PARAMS.r * 2

const derive = (
  password: string,
  salt: Buffer,
  params: { N: number; r: number; p: number },
  length: number,
) =>
  new Promise<Buffer>((resolve, reject) => {
    const opts: ScryptOptions = { ...params, maxmem: Math.max(MAXMEM, 128 * params.N * params.r * 2) }
    scrypt(password.normalize('NFKC'), salt, length, opts, (err, key) => (err ? reject(err) : resolve(key)))
  })

/**
 * Hashes a password with scrypt and a random 16-byte salt. The result carries its own
 * parameters: `scrypt$N$r$p$<salt b64>$<hash b64>`. `cost` is for tests only (a published
 * password that hundreds of sign-ins check); people's passwords get the default.
 */
export async function hashPassword(password: string, cost: ScryptCost = PARAMS): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, cost, KEY_LENGTH)
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$')
}

/**
 * Checks a password against a stored hash in constant time. A malformed hash is a
 * mismatch, never an exception.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false
  const [N, r, p] = parts.slice(1, 4).map(Number)
  if (![N, r, p].every((x) => Number.isInteger(x) && x > 0) || N > 2 ** 20) return false
  const salt = Buffer.from(parts[4], 'base64')
  const expected = Buffer.from(parts[5], 'base64')
  if (expected.length < 16) return false
  const actual = await derive(password, salt, { N, r, p }, expected.length)
  return timingSafeEqual(actual, expected)
}

let dummy: Promise<string> | undefined
/**
 * A hash of a random password, so that signing in with an unknown e-mail costs the same
 * time as a wrong password (no user enumeration by timing).
 */
export const dummyHash = (): Promise<string> => {
  dummy ??= hashPassword(randomBytes(16).toString('hex'))
  return dummy
}
