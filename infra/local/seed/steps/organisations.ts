import type { Role } from '../../../../functions/api/env.js'
import { markListsIndexed } from '../../../../functions/store/list-index.js'
import { markSearchIndexed } from '../../../../functions/store/search-index.js'
import type { SeedStep } from '../types.js'

/** The password of every demo user (printed at start, documented in the README). */
export const DEMO_PASSWORD = 'demo1234!'

/** The demo organisations: a machine builder and a logistics company served by the same ISO. */
export const DEMO_ORGS = [
  { id: 'nordlicht', name: 'Nordlicht Maschinenbau GmbH', country: 'DE', sector: 'manufacturing' },
  { id: 'hafenstadt', name: 'Hafenstadt Logistik AG', country: 'DE', sector: 'transport' },
] as const

/** The demo users and their roles per organisation. */
export const DEMO_USERS: { id: string; email: string; name: string; roles: Record<string, Role[]> }[] = [
  {
    id: 'demo-iso',
    email: 'iso@demo.ismsflow.test',
    name: 'Ines Sommer',
    roles: { nordlicht: ['iso'], hafenstadt: ['iso'] },
  },
  {
    id: 'demo-management',
    email: 'management@demo.ismsflow.test',
    name: 'Martin Brandt',
    roles: { nordlicht: ['management'] },
  },
  {
    id: 'demo-member',
    email: 'member@demo.ismsflow.test',
    name: 'Mia Keller',
    roles: { nordlicht: ['member'] },
  },
  {
    id: 'demo-auditor',
    email: 'auditor@demo.ismsflow.test',
    name: 'Anton Richter',
    roles: { nordlicht: ['auditor'] },
  },
  {
    id: 'demo-hafenstadt-member',
    email: 'member@hafenstadt.ismsflow.test',
    name: 'Hanna Petersen',
    roles: { hafenstadt: ['member'] },
  },
]

/** Seed step: organisations, users (scrypt-hashed demo password) and memberships. */
export const organisations: SeedStep = {
  name: 'organisations',
  async run({ identity, deps, actor, demoPasswordHash }) {
    // A demo installation is set up: the "Set up ismsflow" page is not offered.
    await identity.markSetUp('demo')
    let created = 0
    for (const org of DEMO_ORGS) {
      if (await identity.createOrg(org)) {
        created++
        const records = deps.records.forOrg(org.id)
        await records.audit({
          actor,
          action: 'organisation.create',
          type: 'organisation',
          id: org.id,
          after: org,
        })
        // A new organisation's records index themselves as they are written: nothing to backfill.
        await markSearchIndexed(records)
        await markListsIndexed(records)
      }
    }
    for (const u of DEMO_USERS) {
      if (!(await identity.getUser(u.id))) {
        await identity.createUser({
          id: u.id,
          email: u.email,
          name: u.name,
          passwordHash: await demoPasswordHash(),
        })
        created++
      }
      for (const [orgId, roles] of Object.entries(u.roles)) {
        if (await identity.addMembership({ userId: u.id, orgId, roles })) {
          created++
          await deps.records.forOrg(orgId).audit({
            actor,
            action: 'membership.create',
            type: 'user',
            id: u.id,
            after: { email: u.email, roles },
          })
        }
      }
    }
    return created
  },
}
