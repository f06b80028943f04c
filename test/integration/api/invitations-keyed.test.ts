import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Invitation, invite } from '../../../functions/api/accounts/invitations.js'
import type { Principal } from '../../../functions/api/env.js'
import { ConflictError } from '../../../functions/domain/errors.js'
import { ensureListIndexed } from '../../../functions/store/list-index.js'
import { MINIMAL_SEED } from '../../../infra/local/seed/index.js'
import { forgetLists } from '../../support/list-index.js'
import { countingRecords } from '../../support/read-counter.js'
import { startTestStack } from '../../support/stack.js'

const DAY = 86_400_000
const TYPE = 'invitation'
const ACTOR = { actor: { userId: 'demo-iso' }, action: 'probe.create' }

/**
 * Inviting someone finds whether they have a usable invitation by key (the pending ones per
 * address, by expiry): the same reads whether the organisation sent a few invitations or
 * hundreds, the same answers as a look through every invitation, one invitation for a doubled
 * request, and another organisation's invitations never count.
 */
describe('an invitation finds a pending one by key', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  const iso = (orgId: string): Principal => ({
    userId: 'demo-iso',
    email: 'iso@demo.ismsflow.test',
    name: 'Ines Sommer',
    orgId,
    roles: ['iso'],
    memberships: [],
  })
  let counting: ReturnType<typeof countingRecords>
  const deps = () => ({ ...t.stack.deps, records: counting.records })
  const asMember = { roles: ['member' as const] }

  /** Invitations written as the old code left them: every status, some for `email`. */
  async function history(orgId: string, n: number, from: number, email?: string) {
    const org = t.stack.deps.records.forOrg(orgId)
    const now = t.stack.clock.nowMs()
    for (let i = 0; i < n; i += 25)
      await Promise.all(
        Array.from({ length: Math.min(25, n - i) }, (_, j) => {
          const k = from + i + j
          const status = (['accepted', 'revoked', 'pending'] as const)[k % 3]
          const data: Invitation = {
            email: email && k % 10 === 0 ? email : `old-${k}@example.org`,
            roles: ['member'],
            invitedBy: { userId: 'demo-iso', name: 'Ines Sommer' },
            tokenHash: `probe-${orgId}-${k}`,
            // The pending ones have expired.
            expiresAt: new Date(now - (k + 1) * DAY).toISOString(),
            status,
            mail: { status: 'sent' },
          }
          return org.create(TYPE, `probe-${orgId}-${k}`, data, ACTOR)
        }),
      )
  }
  const pendingFor = async (orgId: string, email: string) =>
    (await t.stack.deps.records.forOrg(orgId).all<Invitation>(TYPE)).filter(
      (r) => r.data.email === email && r.data.status === 'pending',
    )

  beforeAll(async () => {
    t = await startTestStack({ seedSteps: MINIMAL_SEED })
    counting = countingRecords(t.stack.deps)
  })
  afterAll(async () => t.close())

  it('reads as much with 150 invitations sent before as with a few', async () => {
    await history('nordlicht', 6, 0)
    const few = await counting.count(() =>
      invite(deps(), iso('nordlicht'), { email: 'a@example.org', ...asMember }),
    )
    expect(few.value.data.status).toBe('pending')
    await history('nordlicht', 150, 6, 'again@example.org')
    const many = await counting.count(() =>
      invite(deps(), iso('nordlicht'), { email: 'b@example.org', ...asMember }),
    )
    expect(many.value.data.status).toBe('pending')
    expect(many.reads.items).toBeLessThanOrEqual(few.reads.items)
    expect(many.reads.calls).toBeLessThanOrEqual(few.reads.calls)
    // Revoked, accepted and expired invitations of an address do not stop a new one; a usable one does.
    await invite(deps(), iso('nordlicht'), { email: 'again@example.org', ...asMember })
    await expect(
      invite(deps(), iso('nordlicht'), { email: 'again@example.org', ...asMember }),
    ).rejects.toMatchObject({ code: 'conflict', fields: { email: 'is invited already' } })
    await expect(invite(deps(), iso('nordlicht'), { email: 'a@example.org', ...asMember })).rejects.toThrow(
      ConflictError,
    )
    const usable = (await pendingFor('nordlicht', 'again@example.org')).filter(
      (r) => Date.parse(r.data.expiresAt) > t.stack.clock.nowMs(),
    )
    expect(usable).toHaveLength(1)
  })

  it('an invitation that expired lets the address be invited again', async () => {
    const sent = await invite(deps(), iso('nordlicht'), { email: 'late@example.org', ...asMember })
    await t.stack.deps.records
      .forOrg('nordlicht')
      .update<Invitation>(
        TYPE,
        sent.id,
        { ...sent.data, expiresAt: new Date(t.stack.clock.nowMs() - 1000).toISOString() },
        { ...ACTOR, expectedVersion: sent.version },
      )
    const again = await invite(deps(), iso('nordlicht'), { email: 'late@example.org', ...asMember })
    expect(again.id).not.toBe(sent.id)
  })

  it('a doubled request makes one invitation; the other answers 409', async () => {
    const email = 'twice@example.org'
    const both = await Promise.allSettled([
      invite(deps(), iso('nordlicht'), { email, ...asMember }),
      invite(deps(), iso('nordlicht'), { email, ...asMember }),
    ])
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
    const refused = both.find((r) => r.status === 'rejected')
    expect(refused?.reason).toBeInstanceOf(ConflictError)
    expect(await pendingFor('nordlicht', email)).toHaveLength(1)
  })

  it('another organisation’s pending invitation of the same address does not count', async () => {
    const email = 'both@example.org'
    await invite(deps(), iso('hafenstadt'), { email, ...asMember })
    const ours = await invite(deps(), iso('nordlicht'), { email, ...asMember })
    expect(ours.orgId).toBe('nordlicht')
    expect(await pendingFor('hafenstadt', email)).toHaveLength(1)
    expect(await pendingFor('nordlicht', email)).toHaveLength(1)
  })

  it('invitations written before the index are found once it is built', async () => {
    const email = 'before@example.org'
    await invite(deps(), iso('nordlicht'), { email, ...asMember })
    await forgetLists(t.stack.deps, 'nordlicht', [TYPE])
    expect(await ensureListIndexed(counting.records.forOrg('nordlicht'), TYPE, { recheck: true })).toBe(true)
    await expect(invite(deps(), iso('nordlicht'), { email, ...asMember })).rejects.toMatchObject({
      code: 'conflict',
    })
  })
})
