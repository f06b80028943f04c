import type { Person } from '../domain/contracts/people.js'
import type { Deps } from './env.js'

/** A member with their roles (the API's contract). */
export type { Person }

/**
 * The organisation's members with their names, sorted by name: the members in one read and their
 * names in one batch read, kept a few seconds by the identity cache (`memberNames`,
 * `identity-cache.ts`), not a read of each member's profile on every page that names people.
 */
export async function orgPeople(deps: Deps, orgId: string): Promise<Person[]> {
  const people = (await deps.identity.memberNames(orgId)).map((m) => ({ ...m }))
  return people.sort((a, b) => a.name.localeCompare(b.name))
}

/** userId → name. */
export const namesOf = (people: readonly Person[]): Record<string, string> =>
  Object.fromEntries(people.map((p) => [p.userId, p.name]))
