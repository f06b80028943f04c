/**
 * Who sees which reviews: the ISO, management and auditors see the whole programme; a
 * member sees the entries and cycles they perform (named, or by the member role).
 */
import type { ReviewCycle, ReviewEntry } from '../../../domain/reviews/index.js'
import type { Principal } from '../../env.js'

/** Who is looking: a principal, or a person in one of their organisations (calendar feeds). */
export type Viewer = Pick<Principal, 'userId' | 'roles'>

/** Reads everything of the organisation's review programme. */
export const readsProgramme = (p: Viewer) =>
  p.roles.some((r) => r === 'iso' || r === 'management' || r === 'auditor')

/** Whether the person may see an entry. */
export const maySeeEntry = (p: Viewer, e: ReviewEntry) =>
  readsProgramme(p) || e.ownerId === p.userId || (!e.ownerId && p.roles.includes(e.performerRole))

/** Whether the person may see a cycle. */
export const maySeeCycle = (p: Viewer, c: ReviewCycle) =>
  readsProgramme(p) ||
  c.performer.userId === p.userId ||
  (!c.performer.userId && c.performer.role !== undefined && p.roles.includes(c.performer.role))
