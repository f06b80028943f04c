import type { MemberView } from '../../domain/contracts/people.js'
import { ConflictError, conflict, notFound } from '../../domain/errors.js'
import { isOpen } from '../../domain/tasks.js'
import type { Deps, Principal, Role } from '../env.js'

/** A member of the organisation as the People page lists it (the API's contract). */
export type { MemberView }

const actorOf = (p: Principal) => ({ userId: p.userId, name: p.name })

/**
 * The members of an organisation with names, e-mail addresses and last sign-in, by name: the
 * members in one read and their profiles' fields in one batch read per 100 (not one read each).
 */
export async function listMembers(deps: Deps, orgId: string): Promise<MemberView[]> {
  const members = await deps.identity.orgMembers(orgId)
  const users = await deps.identity.userSummaries(members.map((m) => m.userId))
  const rows = members.map((m) => {
    const u = users.get(m.userId)
    return {
      userId: m.userId,
      name: u?.name ?? m.userId,
      email: u?.email ?? '',
      roles: m.roles as Role[],
      since: m.createdAt,
      lastSignInAt: u?.lastSignInAt,
    }
  })
  return rows.sort((a, b) => a.name.localeCompare(b.name))
}

/** The member (404 when the person is not a member of this organisation, wherever else they are). */
async function memberOf(deps: Deps, orgId: string, userId: string) {
  const m = await deps.identity.getMembership(orgId, userId)
  if (!m) throw notFound('The member')
  return m
}

/** The other ISOs of the organisation; 409 naming why when there are none and `userId` would stop being one. */
async function otherIsos(deps: Deps, orgId: string, userId: string, what: 'remove' | 'demote') {
  const others = (await deps.identity.orgMembers(orgId)).filter(
    (m) => m.userId !== userId && m.roles.includes('iso'),
  )
  if (others.length === 0)
    throw conflict(
      what === 'remove'
        ? 'This person is the last information security officer (ISO) of the organisation and cannot be removed. Give someone else the ISO role first.'
        : 'This person is the last information security officer (ISO) of the organisation and must keep the ISO role. Give someone else the ISO role first.',
      { roles: 'must keep iso: last ISO' },
    )
  return others.map((m) => m.userId)
}

/** Changes a member's roles; the last ISO cannot lose `iso` (409). Audited. */
export async function changeRoles(deps: Deps, p: Principal, userId: string, roles: Role[]) {
  const m = await memberOf(deps, p.orgId, userId)
  const keep =
    m.roles.includes('iso') && !roles.includes('iso') ? await otherIsos(deps, p.orgId, userId, 'demote') : []
  await deps.identity.setMembershipRoles(p.orgId, userId, roles, m.roles, keep)
  await deps.records.forOrg(p.orgId).audit({
    actor: actorOf(p),
    action: 'membership.roles',
    type: 'user',
    id: userId,
    before: { roles: m.roles },
    after: { roles },
  })
  return { userId, roles }
}

/**
 * Removes a member; the last ISO cannot be removed (409). Their open tasks go back to the
 * role queue (claimed ones are released; ones assigned to them by name go to the task's
 * role, else to the ISO), and the audit log names the person and each task.
 */
export async function removeMember(deps: Deps, p: Principal, userId: string) {
  const m = await memberOf(deps, p.orgId, userId)
  const keep = m.roles.includes('iso') ? await otherIsos(deps, p.orgId, userId, 'remove') : []
  const user = await deps.identity.getUser(userId)
  const who = user ? `${user.name} <${user.email}>` : userId
  await deps.identity.removeMembership(p.orgId, userId, m.roles, keep)
  const requeued: string[] = []
  // The open tasks they hold (assigned or claimed), read by key.
  for (const rec of await deps.taskStore.heldBy(p.orgId, userId)) {
    const t = rec.data
    if (!isOpen(t) || (t.claimedBy !== userId && t.assigneeUserId !== userId)) continue
    const candidateRole = t.candidateRole ?? 'iso'
    try {
      await deps.taskStore.transition(
        rec,
        { status: 'open', claimedBy: undefined, assigneeUserId: undefined, candidateRole },
        actorOf(p),
        'task.requeue',
      )
      requeued.push(rec.id)
      await deps.records.forOrg(p.orgId).audit({
        actor: actorOf(p),
        action: 'task.requeue',
        type: 'task',
        id: rec.id,
        note: `${t.title.en}: back to the ${candidateRole} queue because ${who} was removed from the organisation`,
      })
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err
    }
  }
  await deps.records.forOrg(p.orgId).audit({
    actor: actorOf(p),
    action: 'membership.remove',
    type: 'user',
    id: userId,
    before: { email: user?.email, name: user?.name, roles: m.roles },
    note: `${who} removed; ${requeued.length} open task(s) back to their role queue${requeued.length ? `: ${requeued.join(', ')}` : ''}`,
  })
  return { userId, requeuedTasks: requeued }
}
