import { identityFor } from '../../../functions/api/auth/identity-for.js'
import { hashPassword } from '../../../functions/api/auth/password.js'
import type { Deps } from '../../../functions/api/env.js'
import { awareness } from './steps/awareness.js'
import { certification } from './steps/certification.js'
import { context } from './steps/context.js'
import { incidents } from './steps/incidents.js'
import { internalAudits } from './steps/internal-audits.js'
import { management } from './steps/management.js'
import { obligations } from './steps/obligations.js'
import { DEMO_PASSWORD, DEMO_USERS, organisations } from './steps/organisations.js'
import { people } from './steps/people.js'
import { registration } from './steps/registration.js'
import { reviews } from './steps/reviews.js'
import { risks } from './steps/risks.js'
import { tasks } from './steps/tasks.js'
import type { SeedContext, SeedStep } from './types.js'

export { obligationDecisionOnly } from './steps/obligations.js'
export { DEMO_ORGS, DEMO_PASSWORD, DEMO_USERS } from './steps/organisations.js'
export type { SeedContext, SeedStep } from './types.js'

/**
 * The demo seed, one step per feature, run in this order. To add a feature's demo data,
 * write `steps/<feature>.ts` exporting a `SeedStep` (idempotent) and add it here.
 */
export const SEED_STEPS: SeedStep[] = [
  organisations,
  tasks,
  obligations,
  registration,
  management,
  risks,
  reviews,
  certification,
  internalAudits,
  incidents,
  people,
  awareness,
  context,
]

/**
 * The demo organisations and their people only (no feature's data, no workflows, no timers):
 * for tests whose subject is not the demo, so that a clock jump fires only their own timers.
 */
export const MINIMAL_SEED: SeedStep[] = [organisations]

/** The actor recorded in the audit log for seeded data. */
export const SEED_ACTOR = { userId: 'system:seed', name: 'Demo seed' }

/**
 * Seeds the demo data, idempotently: a second run creates nothing. Returns the number of
 * items each step created.
 */
export async function seed(
  deps: Deps,
  options: {
    steps?: SeedStep[]
    log?: (line: string) => void
    /** The stored hash of the demo password (tests: one of a lower cost); default `hashPassword(DEMO_PASSWORD)`. */
    demoPasswordHash?: string
  } = {},
): Promise<Record<string, number>> {
  let passwordHash: Promise<string> | undefined
  const ctx: SeedContext = {
    deps,
    identity: identityFor(deps),
    actor: SEED_ACTOR,
    log: options.log ?? (() => {}),
    demoPasswordHash: () => {
      passwordHash ??= options.demoPasswordHash
        ? Promise.resolve(options.demoPasswordHash)
        : hashPassword(DEMO_PASSWORD)
      return passwordHash
    },
  }
  const created: Record<string, number> = {}
  for (const step of options.steps ?? SEED_STEPS) {
    created[step.name] = await step.run(ctx)
    if (created[step.name] > 0) ctx.log(`seed: ${step.name} created ${created[step.name]} item(s)`)
  }
  return created
}

/** The demo sign-ins as lines for the console (`npm start`). */
export function demoSignInLines(): string[] {
  return DEMO_USERS.map((u) => {
    const roles = Object.entries(u.roles)
      .map(([org, rs]) => `${rs.join('+')} @ ${org}`)
      .join(', ')
    return `${u.email.padEnd(34)} ${DEMO_PASSWORD}   ${roles}`
  })
}
