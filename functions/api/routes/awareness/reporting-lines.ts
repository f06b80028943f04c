/**
 * Reporting lines: who each person reports to. An awareness acknowledgement that runs
 * overdue is escalated to the person's manager (without one, to the ISO). The ISO keeps them.
 */
import { z } from 'zod'
import { ConflictError, notFound, validationError } from '../../../domain/errors.js'
import { managersOf, REPORTING_LINE, type ReportingLine } from '../../../store/awareness.js'
import type { Deps, Principal } from '../../env.js'
import { orgPeople } from '../../people.js'

/** Body of `PUT /api/awareness/reporting-lines/:userId`: the manager, or null for none. */
export const reportingLineBody = z
  .object({ managerUserId: z.string().min(1, 'choose a person').max(100).nullable() })
  .strict()

/** Everyone who takes part in campaigns (not auditors), with their manager. */
export async function listReportingLines(deps: Deps, p: Principal) {
  const people = await orgPeople(deps, p.orgId)
  const names = new Map(people.map((x) => [x.userId, x.name]))
  const managers = await managersOf(deps.records.forOrg(p.orgId))
  return people
    .filter((x) => x.roles.some((r) => r !== 'auditor'))
    .map((x) => {
      const m = managers.get(x.userId)
      return {
        userId: x.userId,
        name: x.name,
        roles: x.roles,
        ...(m && names.has(m) ? { managerUserId: m, managerName: names.get(m) } : {}),
      }
    })
}

/** Sets or clears a person's manager (a member of the organisation, not the person). */
export async function setReportingLine(
  deps: Deps,
  p: Principal,
  userId: string,
  body: z.infer<typeof reportingLineBody>,
) {
  const people = await orgPeople(deps, p.orgId)
  const person = people.find((x) => x.userId === userId)
  if (!person) throw notFound('Person')
  const org = deps.records.forOrg(p.orgId)
  const current = await org.get<ReportingLine>(REPORTING_LINE, userId)
  const m = body.managerUserId
  if (m !== null) {
    const manager = people.find((x) => x.userId === m)
    if (!manager) throw validationError({ managerUserId: 'is not a member of this organisation' })
    if (m === userId) throw validationError({ managerUserId: 'must be someone else' })
    if (!current)
      await org
        .create<ReportingLine>(
          REPORTING_LINE,
          userId,
          { managerUserId: m },
          { actor: p, action: 'reporting-line.set' },
        )
        .catch((err) => {
          if (!(err instanceof ConflictError)) throw err
        })
    else if (current.data.managerUserId !== m)
      await org.update<ReportingLine>(
        REPORTING_LINE,
        userId,
        { managerUserId: m },
        { actor: p, action: 'reporting-line.set', expectedVersion: current.version },
      )
    return { userId, name: person.name, managerUserId: m, managerName: manager.name }
  }
  if (current) await org.remove(REPORTING_LINE, userId, { actor: p, action: 'reporting-line.clear' })
  return { userId, name: person.name }
}
