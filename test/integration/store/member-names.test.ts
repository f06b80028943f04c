import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { orgPeople } from '../../../functions/api/people.js'
import { createDynamoClient } from '../../../functions/store/client.js'
import { createIdentity } from '../../../functions/store/identity.js'
import { cachedIdentity } from '../../../functions/store/identity-cache.js'
import { MINIMAL_SEED } from '../../../infra/local/seed/index.js'
import { type Client, startTestStack } from '../../support/stack.js'

/**
 * The names of an organisation's members, which every page that names people reads
 * (`orgPeople`): one query of the members and one batch read of their names, not one read per
 * member; kept briefly by the identity cache and dropped by every change made through it (a
 * rename, a new or removed member shows at once); only the organisation's own members. The
 * People page reads its members' profiles in one batch read too.
 */
describe('member names (orgPeople)', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client

  beforeAll(async () => {
    t = await startTestStack({ seedSteps: MINIMAL_SEED })
    iso = await t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht')
  })
  afterAll(async () => {
    await t?.close()
  })

  /** An identity store whose SDK client counts its calls by command, cached as the app's is. */
  function countingIdentity() {
    const { doc } = createDynamoClient(t.stack.deps.config)
    const calls: string[] = []
    doc.middlewareStack.add(
      (next, context) => (args) => {
        calls.push(String(context.commandName))
        return next(args)
      },
      { step: 'initialize', name: 'countCalls' },
    )
    const plain = createIdentity({ doc, tableName: t.stack.deps.config.tableName })
    return { plain, cached: cachedIdentity(plain), calls }
  }

  it('reads the members and their names in two calls, whatever their number, and caches them until a change', async () => {
    const { plain, cached, calls } = countingIdentity()
    const before = await plain.orgMembers('nordlicht')
    expect(before.length).toBeGreaterThan(2)
    // 30 more members: still one query and one batch read.
    for (let i = 0; i < 30; i++) {
      const id = `names-test-${i}`
      await plain.createUser({
        id,
        email: `${id}@example.test`,
        name: `Person ${String(i).padStart(2, '0')}`,
      })
      await plain.addMembership({ orgId: 'nordlicht', userId: id, roles: ['member'] })
    }
    calls.length = 0
    const named = await plain.memberNames('nordlicht')
    expect(calls).toEqual(['QueryCommand', 'BatchGetItemCommand'])
    expect(named).toHaveLength(before.length + 30)
    expect(named.find((m) => m.userId === 'names-test-7')).toEqual({
      userId: 'names-test-7',
      name: 'Person 07',
      roles: ['member'],
    })
    expect(named.find((m) => m.userId === 'demo-iso')?.name).toBe('Ines Sommer')

    // Cached: the second read makes no call; a change through the store shows at once.
    calls.length = 0
    expect(await cached.memberNames('nordlicht')).toEqual(named)
    expect(await cached.memberNames('nordlicht')).toEqual(named)
    expect(calls).toEqual(['QueryCommand', 'BatchGetItemCommand'])
    await cached.updateUser('names-test-7', { name: 'Renamed Person' })
    expect((await cached.memberNames('nordlicht')).find((m) => m.userId === 'names-test-7')?.name).toBe(
      'Renamed Person',
    )
    await cached.removeMembership('nordlicht', 'names-test-8', ['member'])
    expect((await cached.memberNames('nordlicht')).some((m) => m.userId === 'names-test-8')).toBe(false)
    await cached.addMembership({ orgId: 'nordlicht', userId: 'names-test-8', roles: ['auditor'] })
    expect((await cached.memberNames('nordlicht')).find((m) => m.userId === 'names-test-8')?.roles).toEqual([
      'auditor',
    ])
  })

  it("the People page reads the members' profiles in one batch read, without their secrets", async () => {
    const { plain, calls } = countingIdentity()
    const members = await plain.orgMembers('nordlicht')
    calls.length = 0
    const summaries = await plain.userSummaries(members.map((m) => m.userId))
    expect(calls).toEqual(['BatchGetItemCommand'])
    expect(summaries.size).toBe(members.length)
    expect(summaries.get('demo-iso')).toEqual({
      name: 'Ines Sommer',
      email: 'iso@demo.ismsflow.test',
      lastSignInAt: expect.any(String),
    })
    for (const s of summaries.values())
      expect(Object.keys(s).every((k) => ['name', 'email', 'lastSignInAt'].includes(k))).toBe(true)
    const res = await iso.get('/api/orgs/current/members')
    expect(res.status).toBe(200)
    expect(
      res.body.items.map((m: { userId: string; name: string; email: string }) => [m.userId, m.name, m.email]),
    ).toEqual(
      members
        .map((m) => [m.userId, summaries.get(m.userId)?.name, summaries.get(m.userId)?.email])
        .sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
    )
  })

  it("names only the organisation's own members, sorted by name, for the app's pages", async () => {
    const nordlicht = await orgPeople(t.stack.deps, 'nordlicht')
    const hafenstadt = await orgPeople(t.stack.deps, 'hafenstadt')
    expect(nordlicht.map((p) => p.name)).toEqual(
      [...nordlicht.map((p) => p.name)].sort((a, b) => a.localeCompare(b)),
    )
    const own = new Set((await t.stack.deps.identity.orgMembers('hafenstadt')).map((m) => m.userId))
    expect(hafenstadt.length).toBeGreaterThan(0)
    expect(hafenstadt.every((p) => own.has(p.userId))).toBe(true)
    expect(hafenstadt.some((p) => p.userId.startsWith('names-test-') || p.userId === 'demo-member')).toBe(
      false,
    )
    // The people list the workflows page offers is the same list.
    const res = await iso.get('/api/workflows/people')
    expect(res.status).toBe(200)
    expect(res.body.items).toEqual(nordlicht)
  })
})
