/**
 * The identity store with its per-request look-ups cached briefly: every signed-in request
 * reads the session (or the provider subject's binding), the person with their memberships and
 * their organisations' profiles, and every page that names people (a list's owners, assignees,
 * authors) reads the organisation's members and their names (`memberNames`). These answers
 * are kept a few seconds in bounded LRU maps (requests running at the same time share one
 * read), and every change made through this store drops them at once — a revoked session, a
 * changed role, a renamed person or a removed membership is never answered from the cache in
 * this process. Another process (a second Lambda instance) sees such a change after at most
 * `ttlMs`.
 */
import type { Identity } from './identity.js'
import { Lru } from './lru.js'

/**
 * Wraps an identity store: `getSession`, `userWithMemberships`, `getOrgs`, `userBySubject` and
 * `memberNames` answer from the cache; every other method that changes something empties it
 * first. `orgMembers` is read afresh: the decisions that guard the organisation read it (who may
 * take a delegated task, whether another ISO remains).
 */
export function cachedIdentity(
  identity: Identity,
  options: { ttlMs?: number; max?: number; clock?: () => Date } = {},
): Identity {
  const clock = options.clock ?? (() => new Date())
  const lru = <V>() => new Lru<string, Promise<V>>({ max: options.max ?? 1000, ttlMs: options.ttlMs ?? 5000 })
  type Of<K extends keyof Identity> = Awaited<ReturnType<Identity[K]>>
  const sessions = lru<Of<'getSession'>>()
  const users = lru<Of<'userWithMemberships'>>()
  const orgs = lru<Of<'getOrgs'>[number] | undefined>()
  const subjects = lru<Of<'userBySubject'>>()
  const members = lru<Of<'memberNames'>>()
  const caches = [sessions, users, orgs, subjects, members]

  /** The cached answer, or the read started now (shared by whoever asks meanwhile; a failure is not kept). */
  function once<V>(cache: Lru<string, Promise<V>>, key: string, read: () => Promise<V>): Promise<V> {
    const hit = cache.get(key)
    if (hit) return hit
    const p = read()
    cache.set(key, p)
    p.catch(() => cache.delete(key))
    return p
  }

  const clear = () => {
    for (const c of caches) c.clear()
  }
  /** A change: the caches are emptied before it and after it (a read during it may hold the old answer). */
  const clearing =
    <A extends unknown[], R>(change: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      clear()
      try {
        return await change(...a)
      } finally {
        clear()
      }
    }

  return {
    ...identity,
    // Every method that changes a session, a person, a membership, an organisation or a binding.
    bindSubject: clearing(identity.bindSubject),
    createOrg: clearing(identity.createOrg),
    createUser: clearing(identity.createUser),
    updateUser: clearing(identity.updateUser),
    useTotpStep: clearing(identity.useTotpStep),
    useRecoveryCode: clearing(identity.useRecoveryCode),
    addMembership: clearing(identity.addMembership),
    setMembershipRoles: clearing(identity.setMembershipRoles),
    removeMembership: clearing(identity.removeMembership),
    deleteSession: clearing(identity.deleteSession),
    deleteUserSessions: clearing(identity.deleteUserSessions),
    useOneTimeToken: clearing(identity.useOneTimeToken),
    getSession: (token: string) => {
      const p = once(sessions, token, () => identity.getSession(token))
      // The session's own end (on the injected clock) applies to a cached answer too.
      return p.then((s) => (s && s.expiresAt <= Math.floor(clock().getTime() / 1000) ? undefined : s))
    },
    userWithMemberships: (userId: string) => once(users, userId, () => identity.userWithMemberships(userId)),
    userBySubject: (issuer: string, sub: string) =>
      once(subjects, `${issuer}\n${sub}`, () => identity.userBySubject(issuer, sub)),
    memberNames: (orgId: string) => once(members, orgId, () => identity.memberNames(orgId)),
    getOrgs: async (orgIds: string[]) => {
      const ids = [...new Set(orgIds)]
      const missing = ids.filter((id) => !orgs.get(id))
      if (missing.length) {
        const read = identity.getOrgs(missing)
        for (const id of missing)
          orgs.set(
            id,
            read.then((found) => found.find((o) => o.id === id)),
          )
        read.catch(() => {
          for (const id of missing) orgs.delete(id)
        })
      }
      const found = await Promise.all(ids.map((id) => orgs.get(id) ?? identity.getOrg(id)))
      return found.filter((o): o is NonNullable<typeof o> => o !== undefined)
    },
  }
}
