/**
 * Writing the review programme: create, change and delete entries, each with its schedule.
 * Every check runs before anything is written; when the scheduler refuses, the entry is
 * put back as it was, so an entry and its schedule never disagree.
 */
import { conflict, notFound, validationError } from '../../../domain/errors.js'
import {
  type CreateEntryBody,
  nextEntryId,
  REVIEW_ENTRY,
  type ReviewEntry,
  resolveEntry,
  type UpdateEntryBody,
} from '../../../domain/reviews/index.js'
import type { ScheduleSpec } from '../../../schedules/port.js'
import type { OrgRecords, StoredRecord } from '../../../store/records.js'
import type { Deps, Principal } from '../../env.js'
import { rollbackFailed } from '../../errors.js'
import { orgPeople } from '../../people.js'
import { reviewTemplates } from './templates.js'

const actorOf = (p: Principal) => ({ userId: p.userId, name: p.name })

/** The schedule of an entry as the scheduler takes it. */
export const scheduleSpec = (orgId: string, id: string, e: ReviewEntry): ScheduleSpec => ({
  orgId,
  id,
  expression: e.expression,
  timeZone: e.timeZone,
  startDate: e.startDate,
  createdAt: e.createdAt,
  enabled: e.enabled,
  payload: { kind: e.kind, entryId: id },
})

async function context(deps: Deps, p: Principal, org: OrgRecords, exceptId?: string) {
  const [registry, people, entries] = await Promise.all([
    deps.forms(),
    orgPeople(deps, p.orgId),
    // Every programme entry: a handful by nature (the organisation's recurring reviews).
    org.all<ReviewEntry>(REVIEW_ENTRY),
  ])
  return {
    templates: reviewTemplates(),
    formExists: (id: string) => registry.get(id) !== undefined,
    members: new Map(people.map((x) => [x.userId, x.roles])),
    others: entries.filter((r) => r.id !== exceptId).map((r) => ({ id: r.id, entry: r.data })),
    now: deps.now(),
    taken: new Set(entries.map((r) => r.id)),
  }
}

/** Creates an entry and its schedule. */
export async function createEntry(
  deps: Deps,
  p: Principal,
  body: CreateEntryBody,
  requestId?: string,
): Promise<StoredRecord<ReviewEntry>> {
  const org = deps.records.forOrg(p.orgId)
  const ctx = await context(deps, p, org)
  const { id: wanted, ...fields } = body
  if (wanted && ctx.taken.has(wanted))
    throw conflict(`Programme entry ${wanted} already exists.`, { id: 'is already used in this programme' })
  const entry = resolveEntry(fields, ctx)
  const id = wanted ?? nextEntryId(entry.kind, ctx.taken)
  const port = deps.schedules
  port.assertWritable()
  const actor = actorOf(p)
  const rec = await org.create<ReviewEntry>(REVIEW_ENTRY, id, entry, { actor, action: 'review-entry.create' })
  try {
    await port.upsert(scheduleSpec(p.orgId, id, entry), actor)
  } catch (err) {
    await org
      .remove(REVIEW_ENTRY, id, { actor, action: 'review-entry.rollback' })
      .catch(rollbackFailed(requestId, `programme entry ${id}`))
    throw err
  }
  return rec
}

/** Changes an entry (fields given replace the stored ones) and its schedule. */
export async function updateEntry(
  deps: Deps,
  p: Principal,
  id: string,
  body: UpdateEntryBody,
  requestId?: string,
): Promise<StoredRecord<ReviewEntry>> {
  const org = deps.records.forOrg(p.orgId)
  const existing = await org.get<ReviewEntry>(REVIEW_ENTRY, id)
  if (!existing) throw notFound('Programme entry')
  const { expectedVersion, ...fields } = body
  if (existing.version !== expectedVersion)
    throw conflict(`Programme entry ${id} was changed by someone else; reload and try again.`, {
      expectedVersion: `expected ${existing.version}`,
    })
  const ctx = await context(deps, p, org, id)
  const entry = resolveEntry(fields, { ...ctx, existing: existing.data })
  const port = deps.schedules
  port.assertWritable()
  const actor = actorOf(p)
  const rec = await org.update<ReviewEntry>(REVIEW_ENTRY, id, entry, {
    actor,
    action: 'review-entry.update',
    expectedVersion,
  })
  try {
    await port.upsert(scheduleSpec(p.orgId, id, entry), actor)
  } catch (err) {
    await org
      .update(REVIEW_ENTRY, id, existing.data, {
        actor,
        action: 'review-entry.rollback',
        expectedVersion: rec.version,
      })
      .catch(rollbackFailed(requestId, `programme entry ${id}`))
    throw err
  }
  return rec
}

/** Deletes an entry and its schedule; its cycles stay as history. */
export async function deleteEntry(
  deps: Deps,
  p: Principal,
  id: string,
  expectedVersion?: number,
  requestId?: string,
): Promise<void> {
  const org = deps.records.forOrg(p.orgId)
  const existing = await org.get<ReviewEntry>(REVIEW_ENTRY, id)
  if (!existing) throw notFound('Programme entry')
  if (expectedVersion !== undefined && existing.version !== expectedVersion)
    throw conflict(`Programme entry ${id} was changed by someone else; reload and try again.`, {
      expectedVersion: `expected ${existing.version}`,
    })
  const port = deps.schedules
  port.assertWritable()
  const actor = actorOf(p)
  await org.remove(REVIEW_ENTRY, id, {
    actor,
    action: 'review-entry.delete',
    expectedVersion: existing.version,
  })
  try {
    await port.remove(p.orgId, id, actor)
  } catch (err) {
    await org
      .create(REVIEW_ENTRY, id, existing.data, { actor, action: 'review-entry.rollback' })
      .catch(rollbackFailed(requestId, `programme entry ${id}`))
    throw err
  }
}

/** Parses `?expectedVersion=` of a delete (absent: no check). */
export function versionParam(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1) throw validationError({ expectedVersion: 'must be a whole number ≥ 1' })
  return n
}
