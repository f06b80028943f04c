import { Hono } from 'hono'
import { z } from 'zod'
import { endOfDueDate } from '../../domain/calendar/due.js'
import { conflict, notFound, validationError } from '../../domain/errors.js'
import {
  createEntryBody,
  loadManagementPackage,
  REVIEW,
  REVIEW_ENTRY,
  REVIEW_STATUSES,
  REVIEW_WORKFLOW,
  type ReviewCycle,
  type ReviewEntry,
  reviewId,
  reviewStartInput,
  updateEntryBody,
} from '../../domain/reviews/index.js'
import { CADENCE_LABELS, CADENCES } from '../../domain/schedules/index.js'
import { mayView } from '../../domain/tasks.js'
import { packageSource } from '../../store/package-source.js'
import type { StoredRecord } from '../../store/records.js'
import { cyclePage, entryCycles } from '../../store/review-cycles.js'
import { isAlreadyStarted } from '../../workflow-client.js'
import { requireAuth, requireRole } from '../auth/index.js'
import type { AppEnv, Deps, Principal } from '../env.js'
import { pageCursor, pageLimit } from '../page-query.js'
import { orgPeople } from '../people.js'
import { jsonBody, queryParams } from '../validate.js'
import { maySeeCycle, maySeeEntry, readsProgramme } from './reviews/access.js'
import { createEntry, deleteEntry, updateEntry, versionParam } from './reviews/programme.js'
import { reviewTemplates } from './reviews/templates.js'
import { cycleDetail, cycleSummary, entryView } from './reviews/views.js'

/** Body of `POST /api/reviews/programme/:id/start`. */
export const startBody = z.strictObject({
  dueOn: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
    .optional(),
})

/** Query of `GET /api/reviews`. */
export const listQuery = z.strictObject({
  entry: z.string().max(60).optional(),
  status: z.enum(REVIEW_STATUSES, `must be one of ${REVIEW_STATUSES.join(', ')}`).optional(),
  limit: pageLimit().default(50),
  cursor: pageCursor(),
})

/** Who reads the cycles. */
const readerOf = (p: Principal) => ({ userId: p.userId, roles: p.roles, readsAll: readsProgramme(p) })

/** The newest cycles of an entry its page lists. */
const ENTRY_CYCLES = 100

async function names(deps: Deps, orgId: string) {
  return new Map((await orgPeople(deps, orgId)).map((x) => [x.userId, x.name]))
}

/**
 * The programme's entries (a handful, the organisation's recurring reviews) with what the page
 * shows of their cycles, read per entry through the list index (never every cycle).
 */
async function programme(deps: Deps, p: Principal, only?: StoredRecord<ReviewEntry>) {
  const org = deps.records.forOrg(p.orgId)
  const [entries, people] = await Promise.all([
    only ? [only] : org.all<ReviewEntry>(REVIEW_ENTRY),
    names(deps, p.orgId),
  ])
  const shown = entries.filter((e) => maySeeEntry(p, e.data))
  const cycles = await entryCycles(
    org,
    shown.map((e) => e.id),
  )
  return { org, entries: shown, cycles, people }
}

async function visibleEntry(deps: Deps, p: Principal, id: string) {
  const rec = await deps.records.forOrg(p.orgId).get<ReviewEntry>(REVIEW_ENTRY, id)
  if (!rec || !maySeeEntry(p, rec.data)) throw notFound('Programme entry')
  return rec
}

/**
 * `/api/reviews`: the organisation's review programme (entries with schedule, next due date
 * and last result; the ISO creates, changes, deletes and starts them), the review cycles with
 * their answers, changes since the previous cycle, sign-off and actions, and the management
 * review's input package. Bad input answers 400 naming the field and writes nothing; ids of
 * another organisation answer 404.
 */
export const reviews = new Hono<AppEnv>()
  .use(requireAuth)
  .get('/templates', async (c) => {
    const registry = await c.get('deps').forms()
    return c.json({
      templates: reviewTemplates().map((t) => ({ ...t, formExists: registry.get(t.formId) !== undefined })),
      cadences: CADENCES.map((id) => ({ id, label: CADENCE_LABELS[id] })),
      scheduler: c.get('deps').schedules.kind,
    })
  })
  .get('/programme', async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const { entries, cycles, people } = await programme(deps, p)
    const now = deps.now()
    return c.json({
      items: entries
        .map((e) => entryView(e, cycles.get(e.id), now, people))
        .sort((a, b) => (a.schedule.nextDue?.at ?? '9').localeCompare(b.schedule.nextDue?.at ?? '9')),
      people: readsProgramme(p) ? [...people].map(([userId, name]) => ({ userId, name })) : [],
      scheduler: deps.schedules.kind,
    })
  })
  .post('/programme', requireRole('iso'), async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const body = await jsonBody(c, createEntryBody)
    const rec = await createEntry(deps, p, body, c.get('requestId'))
    const { cycles, people } = await programme(deps, p, rec)
    return c.json({ entry: entryView(rec, cycles.get(rec.id), deps.now(), people) }, 201)
  })
  .get('/programme/:id', async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const rec = await visibleEntry(deps, p, c.req.param('id'))
    const org = deps.records.forOrg(p.orgId)
    const [{ cycles, people }, page] = await Promise.all([
      programme(deps, p, rec),
      cyclePage(org, readerOf(p), { entry: rec.id, limit: ENTRY_CYCLES }),
    ])
    const now = deps.now()
    return c.json({
      entry: entryView(rec, cycles.get(rec.id), now, people),
      cycles: page.items.map((x) => cycleSummary({ id: x.id, data: x.row }, now)),
      cyclesTotal: page.total,
    })
  })
  .put('/programme/:id', requireRole('iso'), async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const body = await jsonBody(c, updateEntryBody)
    const rec = await updateEntry(deps, p, c.req.param('id'), body, c.get('requestId'))
    const { cycles, people } = await programme(deps, p, rec)
    return c.json({ entry: entryView(rec, cycles.get(rec.id), deps.now(), people) })
  })
  .delete('/programme/:id', requireRole('iso'), async (c) => {
    await deleteEntry(
      c.get('deps'),
      c.get('principal'),
      c.req.param('id'),
      versionParam(c.req.query('expectedVersion')),
      c.get('requestId'),
    )
    return c.body(null, 204)
  })
  .post('/programme/:id/start', requireRole('iso'), async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const body = await jsonBody(c, startBody)
    const rec = await visibleEntry(deps, p, c.req.param('id'))
    const now = deps.now()
    const today = now.toISOString().slice(0, 10)
    if (body.dueOn !== undefined && (body.dueOn < today || Number.isNaN(Date.parse(body.dueOn))))
      throw validationError({ dueOn: 'must be a date from today on' })
    const scheduledAt = new Date(Math.floor(now.getTime() / 60_000) * 60_000)
    const id = reviewId(rec.id, scheduledAt)
    if (await deps.records.forOrg(p.orgId).get(REVIEW, id))
      throw conflict('A review of this entry was started this minute already.')
    const { name, input } = reviewStartInput({
      orgId: p.orgId,
      entryId: rec.id,
      scheduledAt,
      trigger: 'manual',
      requestedBy: p.userId,
      ...(body.dueOn ? { dueAt: endOfDueDate(body.dueOn) } : {}),
    })
    let executionArn: string
    try {
      executionArn = (await deps.workflows.start(REVIEW_WORKFLOW, input, name)).executionArn
    } catch (err) {
      if (isAlreadyStarted(err))
        throw conflict('A review of this entry was started this minute already.', undefined, err)
      throw err
    }
    await deps.records.forOrg(p.orgId).audit({
      actor: { userId: p.userId, name: p.name },
      action: 'review.start',
      type: REVIEW_ENTRY,
      id: rec.id,
      after: { reviewId: id },
    })
    return c.json({ reviewId: id, executionArn }, 202)
  })
  .get('/management-package', requireRole('iso', 'management', 'auditor'), async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const org = deps.records.forOrg(p.orgId)
    return c.json({
      package: await loadManagementPackage(org, packageSource(deps.taskStore, org), deps.now()),
    })
  })
  .get('/', async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const q = queryParams(c, listQuery)
    const page = await cyclePage(deps.records.forOrg(p.orgId), readerOf(p), q)
    const now = deps.now()
    return c.json({
      items: page.items.map((r) => cycleSummary({ id: r.id, data: r.row }, now)),
      total: page.total,
      ...(page.cursor ? { cursor: page.cursor } : {}),
    })
  })
  .get('/:id', async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const rec = await deps.records.forOrg(p.orgId).get<ReviewCycle>(REVIEW, c.req.param('id'))
    if (!rec || !maySeeCycle(p, rec.data)) throw notFound('Review')
    // The cycle's tasks are those of its execution (read by key, not the organisation's tasks).
    const arn = rec.data.executionArn
    const tasks = (arn ? await deps.taskStore.forExecution(p.orgId, arn) : [])
      .map((t) => t.data)
      .filter((t) => mayView(t, p))
    // The form answered (for question labels in the minutes).
    const form = (await deps.forms()).get(rec.data.formId) ?? null
    return c.json({ review: cycleDetail(rec, tasks, deps.now(), await names(deps, p.orgId)), form })
  })
