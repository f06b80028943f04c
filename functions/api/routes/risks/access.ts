import type { RiskData } from '../../../store/risk-register.js'
import type { Principal } from '../../env.js'

/** Roles that read the whole register (the ISO edits, management decides, auditors read). */
const REGISTER_READERS = ['iso', 'management', 'auditor'] as const

/** Whether the person reads every risk of the organisation, or only their own (members). */
export function readsWholeRegister(p: Pick<Principal, 'roles'>): boolean {
  return p.roles.some((r) => (REGISTER_READERS as readonly string[]).includes(r))
}

/**
 * Whether a person may see a risk: the ISO, management and auditors see all; a member sees
 * the risks they own and those with a measure they own.
 */
export function mayRead(p: Pick<Principal, 'roles' | 'userId'>, data: RiskData): boolean {
  if (readsWholeRegister(p)) return true
  return data.ownerId === p.userId || (data.plan?.measures ?? []).some((m) => m.ownerId === p.userId)
}
