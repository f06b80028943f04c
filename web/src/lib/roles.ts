import { type MessageKey, t } from './i18n/index.js'
import type { Role } from './types.js'

const KEYS: Record<Role, MessageKey> = {
  iso: 'common.role.iso',
  management: 'common.role.management',
  member: 'common.role.member',
  auditor: 'common.role.auditor',
}

/** The role's name in the current language. */
export const roleLabel = (role: Role) => t(KEYS[role])

/** Several roles' names, comma-separated. */
export const roleLabels = (roles: Role[]) => roles.map(roleLabel).join(', ')
