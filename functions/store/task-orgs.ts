import { ConflictError } from '../domain/errors.js'
import { acrossOrgKeys } from './keys.js'
import type { Records } from './records.js'

const TYPE = 'task-org'
const ID = 'marker'
const INDEX = acrossOrgKeys.taskOrgs

/**
 * Organisations that have (had) human tasks, for system sweeps such as reminders: one
 * marker record per organisation, listed across organisations through `gsi2`. Writing it
 * again is harmless (the second create is a no-op).
 */
export async function noteTaskOrg(records: Records, orgId: string): Promise<void> {
  const org = records.forOrg(orgId)
  if (await org.get(TYPE, ID)) return
  await org
    .create(
      TYPE,
      ID,
      { since: 'first task' },
      { actor: { userId: 'system:tasks' }, action: 'task-org.note', index: { gsi2pk: INDEX, gsi2sk: orgId } },
    )
    .catch((err) => {
      if (!(err instanceof ConflictError)) throw err
    })
}

/** Ids of the organisations with a marker, sorted. */
export async function taskOrgs(records: Records): Promise<string[]> {
  const found = await records.acrossOrgs<unknown>(INDEX)
  return [...new Set(found.map((r) => r.orgId))].sort()
}
