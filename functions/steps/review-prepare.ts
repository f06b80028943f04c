/**
 * Periodic review, first step: opens the cycle of one occurrence. Loads the programme entry,
 * records earlier occurrences missed while the scheduler was down, finds the previous cycle,
 * computes what changed since (risks, access, obligation decisions, previous answers) or,
 * for the management review, the input package, and writes the `review` record. Answers the
 * workflow with what the review task needs. Idempotent: a second invocation for the same
 * occurrence answers from the stored record.
 */
import { z } from 'zod'
import { ConflictError } from '../domain/errors.js'
import {
  type AccessLine,
  type AuditLike,
  accessChanges,
  dueAtOf,
  entryTiming,
  loadManagementPackage,
  type ManagementPackage,
  periodOf,
  prefillFrom,
  REVIEW,
  REVIEW_ENTRY,
  type ReviewChanges,
  type ReviewCycle,
  type ReviewEntry,
  reviewId,
  reviewIdPrefix,
  riskChanges,
  summariseChanges,
} from '../domain/reviews/index.js'
import { secondsUntil } from '../domain/timeouts.js'
import { decisionsChangedSince } from '../store/obligation-decisions.js'
import { packageSource } from '../store/package-source.js'
import type { OrgRecords, StoredRecord } from '../store/records.js'
import { riskCount, risksChangedSince } from '../store/risk-list.js'
import type { StepDeps } from './deps.js'
import { REVIEW_ACTOR } from './review-common.js'
import { defineStep, StepError } from './step.js'

const iso = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO date-time')

/** Input: the execution input plus the execution's ARN. */
export const reviewPrepareInput = z
  .object({
    orgId: z.string().min(2),
    entryId: z.string().min(1),
    scheduledAt: iso,
    occurrenceId: z.string().min(1).max(80),
    trigger: z.enum(['schedule', 'manual', 'seed']).default('schedule'),
    late: z.boolean().optional(),
    missed: z.array(iso).max(1000).optional(),
    dueAt: iso.optional(),
    requestedBy: z.string().optional(),
    executionArn: z.string().min(1),
  })
  .strict()

/** What the workflow's review task is built from. */
export interface PreparedReview {
  reviewId: string
  kind: string
  title: { en: string; de: string }
  formId: string
  performer: { userId: string } | { role: 'iso' | 'management' | 'member' }
  dueAt: string
  timeoutSeconds: number
  escalationGraceDays: number
  managementSignOff: boolean
  prefill: Record<string, unknown>
  context: Record<string, unknown>
  subject: { type: 'review'; id: string; title: string }
}

const AUDIT_SCAN_LIMIT = 2000

/** Audit entries of the organisation after `since`, newest first (bounded). */
async function auditSince(org: OrgRecords, since: string): Promise<AuditLike[]> {
  const out: AuditLike[] = []
  let cursor: string | undefined
  do {
    const page = await org.auditLog({ limit: 200, cursor })
    for (const e of page.items) {
      if (e.at <= since) return out
      out.push(e)
    }
    cursor = page.cursor
  } while (cursor && out.length < AUDIT_SCAN_LIMIT)
  return out
}

/** The organisation's members as an access list (names from the identity store). */
export async function accessList(deps: Pick<StepDeps, 'identity'>, orgId: string): Promise<AccessLine[]> {
  const members = await deps.identity.orgMembers(orgId)
  const users = await Promise.all(members.map((m) => deps.identity.getUser(m.userId)))
  return members
    .map((m, i) => ({ userId: m.userId, name: users[i]?.name, roles: [...m.roles].sort() }))
    .sort((a, b) => a.userId.localeCompare(b.userId))
}

async function changesFor(
  deps: StepDeps,
  org: OrgRecords,
  entry: ReviewEntry,
  previous: StoredRecord<ReviewCycle> | undefined,
  since: string,
): Promise<ReviewChanges> {
  const base: Omit<ReviewChanges, 'summary'> = {
    since,
    previousReviewId: previous?.id,
    previousAnswers: previous ? prefillFrom(previous.data.answers) : undefined,
  }
  if (entry.kind === 'risk-review') {
    // By key: the risks changed since (every other one is as it was then) and the register's size.
    const [current, registerSize, audit] = await Promise.all([
      risksChangedSince(org, since),
      riskCount(org),
      auditSince(org, since),
    ])
    base.risks = riskChanges({
      current,
      registerSize,
      baseline: previous?.data.baseline?.risks,
      audit,
      since,
    })
  } else if (entry.kind === 'access-review') {
    base.access = accessChanges(previous?.data.baseline?.access, await accessList(deps, org.orgId))
  } else if (entry.kind === 'obligation-reassessment') {
    const decisions = await decisionsChangedSince(org, since)
    base.obligations = {
      decisions: decisions.map((r) => ({
        id: r.id,
        title: typeof r.data?.title === 'string' ? r.data.title : undefined,
        changedAt: r.updatedAt,
      })),
    }
  }
  return { ...base, summary: summariseChanges(base) }
}

/** Context lists are capped so a big register cannot overflow a task payload. */
const cap = <T>(xs: T[] | undefined) => xs?.slice(0, 50)

function taskContext(id: string, c: ReviewCycle): Record<string, unknown> {
  const r = c.changes?.risks
  const a = c.changes?.access
  return {
    reviewId: id,
    reviewUrl: `/reviews/${id}`,
    kind: c.kind,
    scheduledAt: c.scheduledAt,
    period: c.period,
    dueAt: c.dueAt,
    late: c.late ?? false,
    previousReviewId: c.previousReviewId ?? null,
    changes: c.changes?.summary ?? [],
    ...(r
      ? {
          risks: {
            added: cap(r.added),
            closed: cap(r.closed),
            rescored: cap(r.rescored),
            removed: cap(r.removed),
            statusChanged: cap(r.statusChanged),
          },
        }
      : {}),
    ...(a
      ? { access: { added: cap(a.added), removed: cap(a.removed), roleChanges: cap(a.roleChanges) } }
      : {}),
    ...(c.package ? { package: c.package.sections } : {}),
  }
}

/** The answer to the workflow, from the stored cycle and its entry. */
function prepared(id: string, c: ReviewCycle, entry: ReviewEntry, now: Date): PreparedReview {
  return {
    reviewId: id,
    kind: c.kind,
    title: c.title,
    formId: c.formId,
    performer: c.performer.userId ? { userId: c.performer.userId } : { role: c.performer.role ?? 'iso' },
    dueAt: c.dueAt,
    timeoutSeconds: secondsUntil(now, c.dueAt),
    escalationGraceDays: entry.escalationGraceDays,
    managementSignOff: c.signOff.required,
    prefill: c.changes?.previousAnswers ?? {},
    context: taskContext(id, c),
    subject: { type: 'review', id, title: c.title.en },
  }
}

/** Step handler (Lambda `ismsflow-review-prepare`). */
export const handler = defineStep({
  name: 'review-prepare',
  input: reviewPrepareInput,
  async run(input, deps): Promise<PreparedReview> {
    const now = deps.now()
    const org = deps.records.forOrg(input.orgId)
    const entryRec = await org.get<ReviewEntry>(REVIEW_ENTRY, input.entryId)
    if (!entryRec)
      throw new StepError('Review.EntryGone', `Programme entry ${input.entryId} no longer exists.`)
    const entry = entryRec.data
    const id = reviewId(input.entryId, input.scheduledAt)
    const existing = await org.get<ReviewCycle>(REVIEW, id)
    if (existing) return prepared(id, existing.data, entry, now)

    const timing = entryTiming(entry)
    const fallbackFrom = entry.startDate ? `${entry.startDate}T00:00:00.000Z` : entry.createdAt
    for (const at of input.missed ?? []) {
      const missedId = reviewId(input.entryId, at)
      const missed: ReviewCycle = {
        entryId: input.entryId,
        kind: entry.kind,
        title: entry.title,
        formId: entry.formId,
        occurrenceId: missedId,
        trigger: 'schedule',
        scheduledAt: new Date(at).toISOString(),
        dueAt: dueAtOf(at, entry.dueAfterDays),
        period: periodOf(timing, new Date(at).toISOString(), fallbackFrom),
        status: 'missed',
        performer: entry.ownerId ? { userId: entry.ownerId } : { role: entry.performerRole },
        rounds: 0,
        signOff: { required: entry.managementSignOff, history: [] },
        actions: [],
        note: {
          en: 'The scheduler was not running when this review was due; a later cycle was started instead.',
          de: 'Der Zeitplaner lief nicht, als diese Überprüfung fällig war; stattdessen wurde ein späterer Durchlauf gestartet.',
        },
      }
      await org
        .create(REVIEW, missedId, missed, { actor: REVIEW_ACTOR, action: 'review.missed' })
        .catch((err) => {
          if (!(err instanceof ConflictError)) throw err
        })
    }

    const previous = (
      await org.list<ReviewCycle>(REVIEW, {
        idPrefix: reviewIdPrefix(input.entryId),
        reverse: true,
        limit: 100,
      })
    ).items.find((r) => r.id < id && r.data.status === 'completed')
    const period = periodOf(timing, new Date(input.scheduledAt).toISOString(), fallbackFrom)
    const since = previous?.data.completedAt ?? period.from
    const changes = await changesFor(deps, org, entry, previous, since)
    let pkg: ManagementPackage | undefined
    if (entry.kind === 'management-review') {
      pkg = await loadManagementPackage(org, packageSource(deps.taskStore, org), now)
    }
    const cycle: ReviewCycle = {
      entryId: input.entryId,
      kind: entry.kind,
      title: entry.title,
      formId: entry.formId,
      occurrenceId: input.occurrenceId,
      executionArn: input.executionArn,
      trigger: input.trigger,
      scheduledAt: new Date(input.scheduledAt).toISOString(),
      dueAt: input.dueAt
        ? new Date(input.dueAt).toISOString()
        : dueAtOf(input.scheduledAt, entry.dueAfterDays),
      period,
      status: 'open',
      ...(input.late ? { late: true } : {}),
      ...(input.missed?.length ? { missedOccurrences: input.missed } : {}),
      previousReviewId: previous?.id,
      performer: entry.ownerId ? { userId: entry.ownerId } : { role: entry.performerRole },
      changes,
      ...(pkg ? { package: pkg } : {}),
      rounds: 1,
      signOff: { required: entry.managementSignOff, history: [] },
      actions: [],
    }
    try {
      await org.create(REVIEW, id, cycle, { actor: REVIEW_ACTOR, action: 'review.open' })
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err
      const again = await org.require<ReviewCycle>(REVIEW, id)
      return prepared(id, again.data, entry, now)
    }
    return prepared(id, cycle, entry, now)
  },
})
