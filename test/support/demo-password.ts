import { hashPassword } from '../../functions/api/auth/password.js'
import { DEMO_PASSWORD } from '../../infra/local/seed/index.js'

let hash: Promise<string> | undefined

/**
 * The demo password hashed at scrypt N = 2^10 instead of 2^15 (a few ms per check instead of
 * 80–150 ms of CPU), for the demo people the test stacks and the API harness seed: the
 * integration files sign in with it hundreds of times. The sign-in, the hash's format and its
 * check are the same; `test/integration/api/seed.test.ts` checks the seed's default cost.
 */
export function testDemoPasswordHash(): Promise<string> {
  hash ??= hashPassword(DEMO_PASSWORD, { N: 1024, r: 8, p: 1 })
  return hash
}
