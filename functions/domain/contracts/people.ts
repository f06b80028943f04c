/** What the API answers about people: members, invitations, an invitation link. */
import { z } from 'zod'
import { dateTimeSchema, roleSchema } from './common.js'

/** A member of the organisation (`GET /api/orgs/current/members`). */
export const memberViewSchema = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  roles: z.array(roleSchema),
  since: dateTimeSchema,
  lastSignInAt: dateTimeSchema.optional(),
})

/** A member of the organisation. */
export type MemberView = z.infer<typeof memberViewSchema>

/** `GET /api/orgs/current/members`. */
export const memberListSchema = z.object({ items: z.array(memberViewSchema) })

/** What the People page shows of an invitation (never the token hash). */
export const invitationViewSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().optional(),
  roles: z.array(roleSchema),
  invitedBy: z.object({ userId: z.string(), name: z.string() }),
  expiresAt: dateTimeSchema,
  status: z.enum(['pending', 'accepted', 'revoked']),
  /** Whether the e-mail went out. */
  mail: z.object({
    status: z.enum(['pending', 'sent', 'failed']),
    at: dateTimeSchema.optional(),
    error: z.string().optional(),
  }),
  acceptedBy: z.string().optional(),
  acceptedAt: dateTimeSchema.optional(),
  /** On AWS: the `sub` of the invitee's account at the user pool. */
  providerSub: z.string().optional(),
  /** Pending and past its expiry. */
  expired: z.boolean(),
  createdAt: dateTimeSchema,
  version: z.number().int(),
})

/** An invitation as the People page lists it. */
export type InvitationView = z.infer<typeof invitationViewSchema>

/** `GET /api/orgs/current/invitations`. */
export const invitationListSchema = z.object({ items: z.array(invitationViewSchema) })

/** `GET /api/invitations/:token`: what an invitation link invites to. */
export const invitationLinkSchema = z.object({
  organisation: z.object({ id: z.string(), name: z.string() }),
  inviter: z.object({ name: z.string() }),
  roles: z.array(roleSchema),
  email: z.string(),
  name: z.string().optional(),
  expiresAt: dateTimeSchema,
  account: z.enum(['new', 'existing']),
  /** On AWS, while the invitee has not chosen their own password at the provider. */
  temporaryPassword: z.string().optional(),
})

/** `GET /api/invitations/:token`. */
export type InvitationLink = z.infer<typeof invitationLinkSchema>

/** A member of the organisation with their roles, as the pickers read them (`GET /api/workflows/people`, `/api/risks/people`). */
export const personSchema = z.object({ userId: z.string(), name: z.string(), roles: z.array(z.string()) })

/** A member with their roles. */
export type Person = z.infer<typeof personSchema>

/** `GET /api/workflows/people`, `GET /api/risks/people`. */
export const personListSchema = z.object({ items: z.array(personSchema) })
