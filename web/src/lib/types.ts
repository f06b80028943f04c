import type { MessageKey } from './i18n/index.js'

/** The roles of DESIGN.md, as the browser sees them. */
export type Role = 'iso' | 'management' | 'member' | 'auditor'

/** One organisation the person belongs to. */
export interface Membership {
  orgId: string
  orgName: string
  roles: Role[]
}

/** Who is signed in and where they act (mirrors the API's Principal). */
export interface Principal {
  userId: string
  email: string
  name: string
  orgId: string
  roles: Role[]
  memberships: Membership[]
}

/** `GET /api/session` (`principal: null` when nobody is signed in) and the sign-in's answer. */
export interface SessionView {
  principal: Principal | null
  csrfToken: string | null
  authMode: 'local' | 'cognito'
}

/** One problem for an error summary: its message and, when it belongs to a field, the field's id. */
export interface Problem {
  key: MessageKey
  field?: string
}
