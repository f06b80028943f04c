import type { Context } from 'hono'
import type { InvitationLink } from '../../domain/contracts/people.js'
import { ConflictError, conflict, UnauthenticatedError, validationError } from '../../domain/errors.js'
import { normaliseEmail } from '../../store/identity.js'
import type { StoredRecord } from '../../store/records.js'
import { bearerSubject, linkSignedInSubject } from '../auth/bearer.js'
import { clientIp } from '../auth/client-ip.js'
import { authenticate } from '../auth/middleware.js'
import { hashPassword, verifyPassword } from '../auth/password.js'
import { requestLimiter } from '../auth/rate-limit.js'
import { startSession } from '../auth/sign-in.js'
import type { AppEnv } from '../env.js'
import { LINK_IP_LIMIT } from './account.js'
import {
  type Invitation,
  invitationByToken,
  isUsable,
  linkGone,
  markAccepted,
  notYours,
} from './invitations.js'
import { inviteeSignIn } from './provider-accounts.js'

/** A double click within this time after accepting answers like the first click did. */
const REPLAY_MS = 10 * 60 * 1000

/** The invitation behind a link (rate-limited per IP), whatever its state; 410 when unknown. */
export async function invitationForLink(c: Context<AppEnv>, token: string) {
  const deps = c.get('deps')
  await requestLimiter(deps.identity, 'link-ip', LINK_IP_LIMIT).enforce(clientIp(c))
  const rec = await invitationByToken(deps, token)
  if (!rec) throw linkGone()
  return rec
}

/**
 * What the invitation page shows: organisation, inviter, roles, and whether the person has
 * an account. On AWS also the temporary password of the invitee's sign-in at the user pool
 * while they have not chosen their own (see `inviteeSignIn`).
 */
export async function describeInvitation(c: Context<AppEnv>, token: string): Promise<InvitationLink> {
  const deps = c.get('deps')
  const rec = await invitationForLink(c, token)
  if (!isUsable(rec.data, deps.now())) throw linkGone()
  const org = await deps.identity.getOrg(rec.orgId)
  const account = (await deps.identity.userByEmail(rec.data.email)) ? 'existing' : 'new'
  const signIn = deps.userPool ? await inviteeSignIn(deps, rec.data.email, token) : {}
  return {
    organisation: { id: rec.orgId, name: org?.name ?? rec.orgId },
    inviter: { name: rec.data.invitedBy.name },
    roles: rec.data.roles,
    email: rec.data.email,
    name: rec.data.name,
    expiresAt: rec.data.expiresAt,
    account,
    ...signIn,
  }
}

/**
 * Accepts an invitation. A new person sets name and password and is signed in; someone
 * with an account signs in first and the membership is added. Idempotent: the account's
 * id derives from the invitation, so two clicks make one account, and a repeat within ten
 * minutes with the same password answers 200 again. Used, revoked or expired: 410.
 */
export async function acceptInvitation(
  c: Context<AppEnv>,
  token: string,
  body: { name?: string; password?: string },
) {
  const deps = c.get('deps')
  const rec = await invitationForLink(c, token)
  const inv = rec.data
  // On AWS nobody sets a password here: the person accepts while signed in at the provider.
  if (deps.config.oidc) return acceptSignedIn(c, rec, body)
  if (inv.status === 'accepted' && inv.acceptedBy && inv.acceptedAt) return replay(c, rec, body)
  if (!isUsable(inv, deps.now())) throw linkGone()

  const existing = await deps.identity.userByEmail(inv.email)
  if (existing && existing.id !== userIdFor(rec)) {
    // Someone with an account: they must be signed in as that account.
    const auth = await authenticate(c, { org: 'optional' }).catch((err) => {
      if (err instanceof UnauthenticatedError)
        throw new UnauthenticatedError(`You have an account already: sign in as ${inv.email}, then accept.`, {
          cause: err,
        })
      throw err
    })
    if (auth.principal.userId !== existing.id) throw notYours()
    if (await deps.identity.getMembership(rec.orgId, existing.id))
      throw conflict('You are a member of this organisation already.')
    await join(c, rec, existing.id, existing.name)
    return { orgId: rec.orgId, userId: existing.id, signedIn: false as const }
  }

  const { name, password } = body
  if (!name || !password)
    throw validationError({
      ...(name ? {} : { name: 'must not be empty' }),
      ...(password ? {} : { password: 'must not be empty' }),
    })
  const userId = userIdFor(rec)
  const created = await deps.identity
    .createUser({
      id: userId,
      email: inv.email,
      name,
      passwordHash: await hashPassword(password),
    })
    .catch(async (err) => {
      // Two clicks at once: the other one created the account (same id) a moment earlier.
      if (err instanceof ConflictError && (await deps.identity.getUser(userId))) return false
      throw err
    })
  if (!created) {
    // A second click raced the first: it may only proceed with the same password.
    const u = await deps.identity.getUser(userId)
    if (!u?.passwordHash || !(await verifyPassword(password, u.passwordHash))) throw linkGone()
  }
  await join(c, rec, userId, name)
  const session = await startSession(c, userId)
  return { orgId: rec.orgId, userId, signedIn: true as const, session }
}

/**
 * Accepting on AWS (`AUTH_MODE=cognito`), signed in at the provider with the invited,
 * verified e-mail address: the provider's account (`sub`) is linked to the ismsflow person
 * (a new one, or the one this address belongs to when it is linked to no other sign-in yet)
 * and the membership added. Idempotent: a repeat by the same sign-in answers 200 again.
 */
async function acceptSignedIn(c: Context<AppEnv>, rec: StoredRecord<Invitation>, body: { name?: string }) {
  const deps = c.get('deps')
  const inv = rec.data
  const subject = await bearerSubject(c).catch((err) => {
    if (err instanceof UnauthenticatedError && !c.req.header('authorization'))
      throw new UnauthenticatedError(`Sign in as ${inv.email}, then accept.`, { cause: err })
    throw err
  })
  if (subject.email !== normaliseEmail(inv.email)) throw notYours()
  // The account the invitation created at the user pool, and no other, accepts it.
  if (inv.providerSub && subject.sub !== inv.providerSub) throw notYours()
  const linked = await deps.identity.userBySubject(subject.issuer, subject.sub)
  if (inv.status === 'accepted') {
    if (linked && inv.acceptedBy === linked.id)
      return { orgId: rec.orgId, userId: linked.id, signedIn: false as const }
    throw linkGone()
  }
  if (!isUsable(inv, deps.now())) throw linkGone()
  let user = linked ?? (await deps.identity.userByEmail(inv.email))
  if (!user) {
    const name = body.name ?? subject.name ?? inv.name ?? inv.email
    await deps.identity.createUser({ id: userIdFor(rec), email: inv.email, name }).catch(async (err) => {
      // Two clicks at once: the other one created the account (same id) a moment earlier.
      if (!(err instanceof ConflictError && (await deps.identity.getUser(userIdFor(rec))))) throw err
    })
    user = (await deps.identity.getUser(userIdFor(rec)))!
  }
  if (!linked) await linkSignedInSubject(c, { userId: user.id, invitedEmail: inv.email })
  if (await deps.identity.getMembership(rec.orgId, user.id))
    throw conflict('You are a member of this organisation already.')
  await join(c, rec, user.id, user.name)
  return { orgId: rec.orgId, userId: user.id, signedIn: false as const }
}

/** The id of the account an invitation creates: the same for every click. */
const userIdFor = (rec: StoredRecord<Invitation>) => `u-inv-${rec.id}`

async function join(c: Context<AppEnv>, rec: StoredRecord<Invitation>, userId: string, name: string) {
  const deps = c.get('deps')
  const added = await deps.identity.addMembership({ userId, orgId: rec.orgId, roles: rec.data.roles })
  await markAccepted(deps, rec, userId, name)
  if (added)
    await deps.records.forOrg(rec.orgId).audit({
      actor: { userId, name },
      action: 'membership.create',
      type: 'user',
      id: userId,
      after: { email: rec.data.email, roles: rec.data.roles, invitedBy: rec.data.invitedBy.name },
      note: `joined by invitation from ${rec.data.invitedBy.name}`,
    })
}

/** A repeat of a successful acceptance (double click): 200 again when it is the same person, else 410. */
async function replay(c: Context<AppEnv>, rec: StoredRecord<Invitation>, body: { password?: string }) {
  const deps = c.get('deps')
  const { acceptedBy, acceptedAt } = rec.data
  if (
    deps.now().getTime() - Date.parse(acceptedAt!) > REPLAY_MS ||
    acceptedBy !== userIdFor(rec) ||
    !body.password
  )
    throw linkGone()
  const u = await deps.identity.getUser(acceptedBy)
  if (!u?.passwordHash || !(await verifyPassword(body.password, u.passwordHash))) throw linkGone()
  const session = await startSession(c, u.id)
  return { orgId: rec.orgId, userId: u.id, signedIn: true as const, session }
}
