import { randomBytes, randomUUID } from 'node:crypto'
import { conflict } from '../../domain/errors.js'
import { markNewOrgIndexed } from '../../store/new-org-indexes.js'
import type { Actor } from '../../store/records.js'
import { hashPassword } from '../auth/password.js'
import type { Deps } from '../env.js'
import { linkToken, SET_PASSWORD_TTL_SECONDS } from './tokens.js'

/** An organisation id from its name: `acme-gmbh-k3x9qa` (slug + 6 random characters). */
export function orgIdFor(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '')
  const suffix = randomBytes(6)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x')
    .slice(0, 6)
  return `${slug.length >= 2 ? slug : 'org'}-${suffix}`
}

/** A new user id (random; people are bound by it, never by their e-mail address). */
export const newUserId = () => `u-${randomUUID()}`

/**
 * Creates a client organisation with its creator as `iso` (both audited). The creator sees
 * it at once in the switcher and in the "All organisations" inbox (both read memberships).
 */
export async function createOrganisation(deps: Deps, creator: Actor, name: string) {
  const org = { id: orgIdFor(name), name }
  if (!(await deps.identity.createOrg(org))) throw conflict('Try again: the generated id was taken.')
  await deps.identity.addMembership({ userId: creator.userId, orgId: org.id, roles: ['iso'] })
  const log = deps.records.forOrg(org.id)
  // A new organisation's records index themselves as they are written: nothing to backfill.
  await markNewOrgIndexed(log)
  await log.audit({
    actor: creator,
    action: 'organisation.create',
    type: 'organisation',
    id: org.id,
    after: org,
  })
  await log.audit({
    actor: creator,
    action: 'membership.create',
    type: 'user',
    id: creator.userId,
    after: { roles: ['iso'] },
  })
  return org
}

/** What setting up an installation needs. Without `password`, a set-password link is made (the CLI). */
export interface SetupInput {
  orgName: string
  name: string
  email: string
  password?: string
  language?: 'en' | 'de'
}

/**
 * Sets up an installation without the demo: the first organisation, its ISO and the
 * membership, in one transaction together with the set-up marker, so it happens once
 * (409 afterwards). Returns the ids and, without a password, a one-time set-password link
 * (unless `options.link` is false).
 */
export async function setUpInstallation(
  deps: Deps,
  input: SetupInput,
  by: 'web' | 'cli',
  options: {
    /** Make a set-password link when there is no password (not on AWS, where Cognito owns passwords). */
    link?: boolean
  } = {},
) {
  const org = { id: orgIdFor(input.orgName), name: input.orgName }
  const user = {
    id: newUserId(),
    email: input.email,
    name: input.name,
    language: input.language,
    ...(input.password ? { passwordHash: await hashPassword(input.password) } : {}),
  }
  const done = await deps.identity.claimSetup(by, { org, user, roles: ['iso'] })
  if (!done)
    throw conflict(
      'ismsflow is set up already. Sign in, or ask your information security officer for an invitation.',
    )
  const actor = { userId: user.id, name: user.name }
  const log = deps.records.forOrg(org.id)
  await markNewOrgIndexed(log)
  await log.audit({
    actor,
    action: 'organisation.create',
    type: 'organisation',
    id: org.id,
    after: org,
    note: `set up (${by})`,
  })
  await log.audit({
    actor,
    action: 'membership.create',
    type: 'user',
    id: user.id,
    after: { email: user.email, roles: ['iso'] },
  })
  let link: string | undefined
  if (!input.password && options.link !== false) {
    const token = linkToken()
    await deps.identity.createOneTimeToken({
      token,
      purpose: 'set-password',
      userId: user.id,
      ttlSeconds: SET_PASSWORD_TTL_SECONDS,
    })
    link = `${deps.config.publicUrl}/reset-password/${token}`
  }
  return { org, userId: user.id, link }
}
