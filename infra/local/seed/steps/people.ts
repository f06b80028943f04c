import { type Invitation, invite } from '../../../../functions/api/accounts/invitations.js'
import type { SeedStep } from '../types.js'

/** The colleague Nordlicht's ISO has invited and who has not joined yet. */
const INVITEE = { email: 'lena.vogt@nordlicht.example', name: 'Lena Vogt', roles: ['member' as const] }

/**
 * Seed step: Nordlicht's People page shows an open invitation (sent by Ines Sommer, the
 * ISO), and its Mail page the invitation e-mail. Idempotent: once the invitation exists,
 * nothing is written.
 */
export const people: SeedStep = {
  name: 'people',
  async run({ deps, identity }) {
    const existing = await deps.records.forOrg('nordlicht').all<Invitation>('invitation')
    if (existing.some((r) => r.data.email === INVITEE.email)) return 0
    const iso = await identity.getUser('demo-iso')
    if (!iso) return 0
    await invite(
      deps,
      {
        userId: iso.id,
        email: iso.email,
        name: iso.name,
        orgId: 'nordlicht',
        roles: ['iso'],
        memberships: [],
      },
      INVITEE,
    )
    return 1
  },
}
