/**
 * The organisation's time zone: the IANA zone its dates and clocks are shown in (incident
 * clocks, the calendar and its feed). Default Europe/Berlin; the ISO sets it
 * (`PUT /api/orgs/current/time-zone`). Instants are always stored in UTC.
 */
import { DEFAULT_TIME_ZONE, validateTimeZone } from '../domain/schedules/zone.js'
import type { Actor } from '../store/records.js'
import type { Deps } from './env.js'

/** The organisation's time zone (Europe/Berlin until the ISO sets another). */
export async function orgTimeZone(deps: Pick<Deps, 'identity'>, orgId: string): Promise<string> {
  return (await deps.identity.getOrg(orgId))?.timeZone ?? DEFAULT_TIME_ZONE
}

/**
 * Sets the organisation's time zone: an IANA name checked with Intl (400 naming `timeZone`
 * otherwise, also for fixed offsets such as `+02:00`), in its canonical spelling; the change
 * is in the audit log. Answers the zone.
 */
export async function setOrgTimeZone(
  deps: Pick<Deps, 'identity' | 'records'>,
  orgId: string,
  timeZone: unknown,
  actor: Actor,
): Promise<string> {
  const zone = validateTimeZone(timeZone, 'timeZone')
  const before = await orgTimeZone(deps, orgId)
  if (before === zone) return zone
  await deps.identity.setOrgTimeZone(orgId, zone)
  await deps.records.forOrg(orgId).audit({
    actor,
    action: 'organisation.time-zone',
    type: 'organisation',
    id: orgId,
    before: { timeZone: before },
    after: { timeZone: zone },
  })
  return zone
}
