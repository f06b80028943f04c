import { randomBytes } from 'node:crypto'
import type { InvitationView } from '../../domain/contracts/people.js'
import { conflict, forbidden, GoneError, notFound } from '../../domain/errors.js'
import { acrossOrgKeys } from '../../store/keys.js'
import { lastInStream } from '../../store/list-index.js'
import { invitationPendingStream } from '../../store/list-specs.js'
import { RecordChangedError, SideChangedError, type StoredRecord } from '../../store/records.js'
import type { Deps, Principal, Role } from '../env.js'
import { provisionInvitee } from './provider-accounts.js'
import { INVITATION_TTL_SECONDS, linkToken, sameHash, tokenHash } from './tokens.js'

/** An invitation to one organisation (a tenant record, audited on every change). */
export interface Invitation {
  email: string
  name?: string
  roles: Role[]
  invitedBy: { userId: string; name: string }
  /** sha256 of the link token; the token itself is only in the e-mail. */
  tokenHash: string
  expiresAt: string
  status: 'pending' | 'accepted' | 'revoked'
  /** Whether the e-mail went out: `pending` until the transport answered. */
  mail: { status: 'pending' | 'sent' | 'failed'; at?: string; error?: string }
  acceptedBy?: string
  acceptedAt?: string
  /** On AWS: the `sub` of the invitee's account at the user pool (only that sign-in may accept). */
  providerSub?: string
}

const TYPE = 'invitation'
/**
 * The lock of one e-mail address's invitations in an organisation: a counter each invitation
 * moves on in its own transaction, conditional on the value read before it checked for a
 * pending one.
 */
const inviteLockSk = (email: string) => `INVITING#${email}`
const tokenIndex = (hash: string, orgId: string) => ({
  gsi2pk: acrossOrgKeys.invitation(hash),
  gsi2sk: orgId,
})

/** 410 for a link that was used, revoked or has expired (or never existed: the same answer). */
export const linkGone = (
  message = 'This link is not valid any more: it was used, withdrawn or has expired. Ask for a new one.',
) => new GoneError(message)

/** What the People page shows of an invitation (never the token hash). */
export function invitationView(rec: StoredRecord<Invitation>, now: Date): InvitationView {
  const { tokenHash: _hash, ...data } = rec.data
  const expired = data.status === 'pending' && Date.parse(data.expiresAt) <= now.getTime()
  return { id: rec.id, ...data, expired, createdAt: rec.createdAt, version: rec.version }
}

const actorOf = (p: Principal) => ({ userId: p.userId, name: p.name })

/**
 * On AWS, creates (or finds) the invitee's sign-in at the user pool first (`AdminCreateUser`,
 * Cognito's own message suppressed); then sends (or re-sends) the invitation e-mail and
 * records whether it went out. A sign-in that cannot be created counts as "not sent".
 */
async function mailInvitation(deps: Deps, rec: StoredRecord<Invitation>, token: string, p: Principal) {
  const org = await deps.identity.getOrg(rec.orgId)
  const existing = await deps.identity.userByEmail(rec.data.email)
  const me = await deps.identity.getUser(p.userId)
  let providerSub = rec.data.providerSub
  if (deps.userPool) {
    try {
      providerSub = await provisionInvitee(deps, { email: rec.data.email, name: rec.data.name }, token)
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err)
      return recordMail(deps, rec, p, { ok: false, error: `sign-in not created: ${reason}` })
    }
  }
  const result = await deps.mail.send(
    'invitation',
    {
      email: rec.data.email,
      name: rec.data.name ?? existing?.name,
      language: existing?.language ?? me?.language ?? 'en',
    },
    {
      orgName: org?.name ?? rec.orgId,
      inviterName: p.name,
      roles: rec.data.roles,
      link: `${deps.config.publicUrl}/invitations/${token}`,
      expiresOn: rec.data.expiresAt.slice(0, 10),
    },
    { orgId: rec.orgId },
  )
  return recordMail(
    deps,
    { ...rec, data: { ...rec.data, ...(providerSub ? { providerSub } : {}) } },
    p,
    result,
  )
}

/** Records whether the invitation went out (audited). */
function recordMail(
  deps: Deps,
  rec: StoredRecord<Invitation>,
  p: Principal,
  result: { ok: true } | { ok: false; error: string },
) {
  const mail: Invitation['mail'] = result.ok
    ? { status: 'sent', at: deps.now().toISOString() }
    : { status: 'failed', at: deps.now().toISOString(), error: result.error }
  return deps.records.forOrg(rec.orgId).update<Invitation>(
    TYPE,
    rec.id,
    { ...rec.data, mail },
    {
      actor: actorOf(p),
      action: result.ok ? 'invitation.mail-sent' : 'invitation.mail-failed',
      expectedVersion: rec.version,
    },
  )
}

/**
 * Invites a person to the principal's current organisation: 409 when they are a member
 * already or have a pending invitation. The invitation is stored before the e-mail is
 * sent, so an e-mail that cannot be sent leaves a visible "not sent" invitation to retry.
 */
export async function invite(
  deps: Deps,
  p: Principal,
  input: { email: string; roles: Role[]; name?: string },
) {
  const orgId = p.orgId
  const user = await deps.identity.userByEmail(input.email)
  if (user && (await deps.identity.getMembership(orgId, user.id)))
    throw conflict(`${input.email} is a member of this organisation already.`, {
      email: 'is a member already',
    })
  const now = deps.now()
  const org = deps.records.forOrg(orgId)
  const invitedAlready = () =>
    conflict(`${input.email} has a pending invitation already; send it again from the People page.`, {
      email: 'is invited already',
    })
  // By key: the address's lock first (read before the check, so an invitation written after
  // the check moved it on), then its pending invitation that expires last (if that one has
  // expired, every other has).
  const lockSk = inviteLockSk(input.email)
  const locks = await org.sideGet([lockSk])
  const lastPending = await lastInStream(org, TYPE, invitationPendingStream(input.email))
  const open = lastPending === undefined ? undefined : await org.get<Invitation>(TYPE, lastPending)
  if (open && isUsable(open.data, now)) throw invitedAlready()
  const lock = locks.get(lockSk)
  const seen = lock === undefined ? undefined : Number(lock.n)
  const token = linkToken()
  const hash = tokenHash(token)
  let rec: StoredRecord<Invitation>
  try {
    rec = await org.create<Invitation>(
      TYPE,
      randomBytes(12).toString('hex'),
      {
        email: input.email,
        ...(input.name ? { name: input.name } : {}),
        roles: input.roles,
        invitedBy: actorOf(p),
        tokenHash: hash,
        expiresAt: new Date(now.getTime() + INVITATION_TTL_SECONDS * 1000).toISOString(),
        status: 'pending',
        mail: { status: 'pending' },
      },
      {
        actor: actorOf(p),
        action: 'invitation.create',
        index: tokenIndex(hash, orgId),
        // Two invitations of one address at once: the lock lets one through, the other is a 409.
        also: [{ sk: lockSk, item: { n: (seen ?? 0) + 1 }, expect: { attr: 'n', value: seen } }],
      },
    )
  } catch (err) {
    if (err instanceof SideChangedError) throw invitedAlready()
    throw err
  }
  return mailInvitation(deps, rec, token, p)
}

/** A pending invitation of the current organisation (404 for another organisation's). */
async function pendingOf(deps: Deps, orgId: string, id: string) {
  const rec = await deps.records.forOrg(orgId).get<Invitation>(TYPE, id)
  if (!rec) throw notFound('The invitation')
  return rec
}

/** Sends an invitation again with a new link (the old link stops working) and a new 7-day expiry. */
export async function resend(deps: Deps, p: Principal, id: string) {
  const rec = await pendingOf(deps, p.orgId, id)
  if (rec.data.status !== 'pending')
    throw conflict(`This invitation was ${rec.data.status}; invite the person again.`)
  const token = linkToken()
  const hash = tokenHash(token)
  const next = await deps.records.forOrg(p.orgId).update<Invitation>(
    TYPE,
    id,
    {
      ...rec.data,
      tokenHash: hash,
      expiresAt: new Date(deps.now().getTime() + INVITATION_TTL_SECONDS * 1000).toISOString(),
      mail: { status: 'pending' },
    },
    {
      actor: actorOf(p),
      action: 'invitation.resend',
      index: tokenIndex(hash, p.orgId),
      expectedVersion: rec.version,
    },
  )
  return mailInvitation(deps, next, token, p)
}

/** Withdraws a pending invitation: its link answers 410 from now on. Revoking twice is harmless. */
export async function revoke(deps: Deps, p: Principal, id: string) {
  const rec = await pendingOf(deps, p.orgId, id)
  if (rec.data.status === 'revoked') return rec
  if (rec.data.status !== 'pending')
    throw conflict('This invitation was accepted already; remove the member instead.')
  return deps.records
    .forOrg(p.orgId)
    .update<Invitation>(
      TYPE,
      id,
      { ...rec.data, status: 'revoked' },
      { actor: actorOf(p), action: 'invitation.revoke', expectedVersion: rec.version },
    )
}

/** One page of the organisation's invitations, newest first. */
export async function listInvitations(deps: Deps, orgId: string, limit = 100) {
  const page = await deps.records.forOrg(orgId).list<Invitation>(TYPE, { limit })
  const now = deps.now()
  return page.items.map((r) => invitationView(r, now)).sort((a, b) => b.createdAt.localeCompare(a.createdAt))
}

/**
 * The invitation behind a link token, whatever its state, or undefined. The index finds
 * it; the consistent read and a constant-time comparison of the hashes confirm it (an old
 * link of a re-sent invitation finds nothing).
 */
export async function invitationByToken(deps: Deps, token: string) {
  const hash = tokenHash(token)
  const [hit] = await deps.records.acrossOrgs<Invitation>(acrossOrgKeys.invitation(hash), { limit: 1 })
  if (!hit) return undefined
  const rec = await deps.records.forOrg(hit.orgId).get<Invitation>(TYPE, hit.id)
  if (!rec || !sameHash(rec.data.tokenHash, hash)) return undefined
  return rec
}

/** Whether an invitation can still be accepted now. */
export const isUsable = (inv: Invitation, now: Date) =>
  inv.status === 'pending' && Date.parse(inv.expiresAt) > now.getTime()

/** Marks an invitation accepted (a concurrent acceptance of the same invitation is fine). */
export async function markAccepted(deps: Deps, rec: StoredRecord<Invitation>, userId: string, name: string) {
  try {
    await deps.records
      .forOrg(rec.orgId)
      .update<Invitation>(
        TYPE,
        rec.id,
        { ...rec.data, status: 'accepted', acceptedBy: userId, acceptedAt: deps.now().toISOString() },
        { actor: { userId, name }, action: 'invitation.accept', expectedVersion: rec.version },
      )
  } catch (err) {
    if (!(err instanceof RecordChangedError)) throw err
    // The refused write read the invitation as it is now.
    const now = err.stored<Invitation>()
    if (now?.data.status !== 'accepted' || now.data.acceptedBy !== userId) throw err
  }
}

/** 403 when the signed-in person is not the one invited. */
export const notYours = () =>
  forbidden('This invitation is for another e-mail address. Sign out and open the link again.')
