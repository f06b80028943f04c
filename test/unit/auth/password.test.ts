import { describe, expect, it } from 'vitest'
import { hashPassword, verifyPassword } from '../../../functions/api/auth/password.js'
import { safeEqual } from '../../../functions/api/auth/tokens.js'

describe('password hashing (scrypt)', () => {
  it('verifies the right password and refuses a wrong one; salts differ', async () => {
    const a = await hashPassword('demo1234!')
    const b = await hashPassword('demo1234!')
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/)
    expect(a).not.toBe(b)
    expect(await verifyPassword('demo1234!', a)).toBe(true)
    expect(await verifyPassword('demo1234?', a)).toBe(false)
  })

  it('treats a malformed or foreign hash as a mismatch, not an error', async () => {
    for (const stored of [
      '',
      'plain',
      'bcrypt$2b$10$x',
      'scrypt$x$8$1$c2FsdA==$aGFzaA==',
      'scrypt$1048577$8$1$c2FsdA==$aGFzaGhhc2hoYXNoaGFzaA==',
    ])
      expect(await verifyPassword('demo1234!', stored)).toBe(false)
  })
})

describe('safeEqual', () => {
  it('compares strings of any length', () => {
    expect(safeEqual('abc', 'abc')).toBe(true)
    expect(safeEqual('abc', 'abd')).toBe(false)
    expect(safeEqual('abc', 'abcd')).toBe(false)
  })
})
