import type { Person } from '../domain/contracts/people.js'
import type { Deps } from './env.js'

/** A member with their roles (the API's contract). */
export type { Person }

/** The organisation's members with their names, sorted by name. */
export async function orgPeople(deps: Deps, orgId: string): Promise<Person[]> {
  const members = await deps.identity.orgMembers(orgId)
  const people = await Promise.all(
    members.map(async (m) => ({
      userId: m.userId,
      name: (await deps.identity.getUser(m.userId))?.name ?? m.userId,
      roles: m.roles,
    })),
  )
  return people.sort((a, b) => a.name.localeCompare(b.name))
}

/** userId → name. */
export const namesOf = (people: readonly Person[]): Record<string, string> =>
  Object.fromEntries(people.map((p) => [p.userId, p.name]))
