import { describe, expect, it } from 'vitest'
import {
  randomTemporaryPassword,
  temporaryPasswordFor,
} from '../../../functions/api/accounts/provider-accounts.js'
import { linkToken, tokenHash } from '../../../functions/api/accounts/tokens.js'

/** The user pool's password policy (infra/aws/auth.ts): 12+ characters, upper, lower, digit, symbol. */
const POOL_POLICY = /^(?=.*[A-Z])(?=.*[a-z])(?=.*\d)(?=.*[^A-Za-z0-9]).{12,}$/

describe('temporaryPasswordFor', () => {
  it("meets the user pool's password policy, readable in four groups", () => {
    for (let i = 0; i < 200; i++) {
      const password = temporaryPasswordFor(linkToken())
      expect(password).toMatch(POOL_POLICY)
      expect(password).toMatch(/^([A-Z][a-z][2-9][a-z]-){3}[A-Z][a-z][2-9][a-z]$/)
      // No characters that read alike (I/l/1, O/o/0).
      expect(password).not.toMatch(/[IlOo01]/)
    }
  })

  it('is the same for the same link and differs between links; the stored hash does not reveal it', () => {
    const token = linkToken()
    expect(temporaryPasswordFor(token)).toBe(temporaryPasswordFor(token))
    expect(temporaryPasswordFor(linkToken())).not.toBe(temporaryPasswordFor(token))
    expect(temporaryPasswordFor(tokenHash(token))).not.toBe(temporaryPasswordFor(token))
  })

  it('makes fresh random ones for the set-up', () => {
    const seen = new Set(Array.from({ length: 50 }, randomTemporaryPassword))
    expect(seen.size).toBe(50)
  })
})
