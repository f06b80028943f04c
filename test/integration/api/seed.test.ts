import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MINIMAL_SEED, seed } from '../../../infra/local/seed/index.js'
import { DEMO_STAFF } from '../../../infra/local/seed/steps/awareness.js'
import { apiHarness, scanAll } from './support.js'

describe('demo seed', () => {
  let h: Awaited<ReturnType<typeof apiHarness>>
  beforeAll(async () => {
    h = await apiHarness()
  })
  afterAll(async () => h.close())

  it('is idempotent: a second run creates nothing and changes no item', async () => {
    const before = await scanAll(h)
    expect(before.some((i) => i.pk === 'ORG#nordlicht' && i.sk === 'PROFILE')).toBe(true)
    // Every step reports that it created nothing the second time.
    const again = await seed(h.deps)
    expect(Object.keys(again)).toContain('organisations')
    expect(Object.values(again).every((n) => n === 0)).toBe(true)
    expect(await scanAll(h)).toEqual(before)
  })

  it('stores no password in clear and one scrypt hash per user', async () => {
    const users = (await scanAll(h)).filter((i) => i.sk === 'PROFILE' && String(i.pk).startsWith('USER#'))
    // The demo sign-ins have a password; Nordlicht's further staff (awareness campaigns) none.
    const signIns = users.filter((u) => u.passwordHash)
    expect(signIns).toHaveLength(5)
    expect(users).toHaveLength(5 + DEMO_STAFF.length)
    for (const u of signIns) expect(u.passwordHash).toMatch(/^scrypt\$\d+\$8\$1\$/)
    expect(JSON.stringify(users)).not.toContain('demo1234!')
    // The harnesses seed a cheaper hash of the published demo password (test/support/demo-password.ts);
    // the seed's own hash is scrypt at N = 2^15, as every person's.
    const own = await apiHarness({ seed: false })
    try {
      await seed(own.deps, { steps: MINIMAL_SEED })
      const hashes = (await scanAll(own)).filter((i) => i.sk === 'PROFILE' && i.passwordHash)
      expect(hashes).toHaveLength(5)
      for (const u of hashes) expect(u.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/)
    } finally {
      await own.close()
    }
  })
})
