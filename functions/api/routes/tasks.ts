import { Hono } from 'hono'
import { z } from 'zod'
import type { TaskView } from '../../domain/contracts/tasks.js'
import { forbidden } from '../../domain/errors.js'
import { dueBadge, INBOX_VIEWS, isOpen, mayWork } from '../../domain/tasks.js'
import { cataloguesFor } from '../../forms/catalogues.js'
import { notifyTaskAssigned } from '../../mail/index.js'
import type { TaskRowRecord } from '../../store/inbox-index.js'
import { notOpen, type TaskRecord } from '../../store/tasks.js'
import { requireAuth } from '../auth/index.js'
import type { AppEnv, Principal } from '../env.js'
import { pageCursor, pageLimit } from '../page-query.js'
import { completeTask, viewableTask, workableTask } from '../task-completion.js'
import { jsonBody, queryParams } from '../validate.js'

/** Query of `GET /api/tasks` (the inbox). */
export const listQuery = z
  .object({
    view: z.enum(INBOX_VIEWS).default('waiting'),
    kind: z.string().max(60).optional(),
    workflow: z.string().max(80).optional(),
    due: z.enum(['overdue', 'due-soon']).optional(),
    /** `all`: every organisation the person belongs to (an ISO's single inbox). */
    scope: z.enum(['org', 'all']).default('org'),
    limit: pageLimit().default(50),
    cursor: pageCursor(4000),
  })
  .strict()

/** Body of `POST /api/tasks/:id/draft` and `/complete`. */
export const answersBody = z.object({ answers: z.record(z.string(), z.unknown()) }).strict()
/** Body of `POST /api/tasks/:id/delegate`. */
export const delegateBody = z.object({ toUserId: z.string().min(1).max(100) }).strict()

/** What the browser sees of a task: never the token. */
export function taskView(rec: TaskRecord, now: Date, orgName?: string): TaskView {
  return { ...rec.data, version: rec.version, orgName, badge: dueBadge(rec.data, now) }
}

/**
 * What the inbox's list shows of a task (`TaskRowView`), as JSON: its row as the index's entry
 * holds it (`TaskRow`, a JSON object), with its version, organisation's name and due badge added
 * at its end, as `JSON.stringify({ ...row, version, orgName, badge })` would write them. The row
 * is not parsed and written again: that was a good part of what a page of 50 rows cost.
 */
export function taskRowJson(rec: TaskRowRecord, now: Date, orgName?: string): string {
  const badge = dueBadge(rec, now)
  return `${rec.json.slice(0, -1)},"version":${rec.version}${orgName === undefined ? '' : `,"orgName":${JSON.stringify(orgName)}`}${badge ? `,"badge":"${badge}"` : ''}}`
}

const asUser = (p: Principal, orgId: string) => ({
  userId: p.userId,
  roles: p.memberships.find((m) => m.orgId === orgId)?.roles ?? [],
})

/**
 * `/api/tasks`: the inbox and the work on one task. Completing validates the answers with
 * the form module, moves the task open → completing under a version condition, sends the
 * token back once, then records the result.
 */
export const tasks = new Hono<AppEnv>()
  .use(requireAuth)
  .get('/', async (c) => {
    const p = c.get('principal')
    const { taskStore, now } = c.get('deps')
    const q = queryParams(c, listQuery)
    const orgs = q.scope === 'all' ? p.memberships : p.memberships.filter((m) => m.orgId === p.orgId)
    const names = new Map(orgs.map((m) => [m.orgId, m.orgName]))
    const at = now()
    // One page through the inbox's index; management sees pending approvals first.
    const page = await taskStore.page(
      orgs.map((m) => ({ orgId: m.orgId, userId: p.userId, roles: m.roles })),
      {
        view: q.view,
        kind: q.kind,
        workflow: q.workflow,
        due: q.due,
        approvalsFirst: p.roles.includes('management'),
        limit: q.limit,
        cursor: q.cursor,
        now: at,
      },
    )
    // `TaskList`: the rows as JSON as they are (see `taskRowJson`), the list's start and end
    // joined with them in one `join`: one flat string. Joined apart and put in a template, the
    // body was copied twice more (the rows' join, then the whole when it was measured to be written).
    const rows = page.items.map((rec) => taskRowJson(rec, at, names.get(rec.orgId)))
    const cursor = page.cursor ? `,"cursor":${JSON.stringify(page.cursor)}` : ''
    const start = '{"items":['
    const end = `],"total":${page.total}${cursor}}`
    if (rows.length === 0) rows.push(start + end)
    else {
      rows[0] = start + rows[0]
      rows[rows.length - 1] += end
    }
    return c.body(rows.join(','), 200, { 'content-type': 'application/json' })
  })
  .get('/:id', async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const { forms, now } = deps
    const rec = await viewableTask(deps, p, c.req.param('id'))
    const form = (await forms()).require(rec.data.formId, rec.data.formVersion)
    return c.json({
      task: taskView(rec, now()),
      form,
      catalogues: cataloguesFor(form),
      mayWork: mayWork(rec.data, asUser(p, p.orgId)) && isOpen(rec.data),
    })
  })
  .post('/:id/claim', async (c) => {
    const p = c.get('principal')
    const { taskStore } = c.get('deps')
    const rec = await workableTask(c.get('deps'), p, c.req.param('id'))
    if (rec.data.status !== 'open' || rec.data.claimedBy) throw notOpen(rec.data)
    const next = await taskStore.transition(
      rec,
      { status: 'claimed', claimedBy: p.userId },
      actor(p),
      'task.claim',
    )
    return c.json({ task: taskView(next, c.get('deps').now()) })
  })
  .post('/:id/unclaim', async (c) => {
    const p = c.get('principal')
    const { taskStore } = c.get('deps')
    const rec = await workableTask(c.get('deps'), p, c.req.param('id'))
    if (rec.data.status !== 'claimed' || rec.data.claimedBy !== p.userId)
      throw forbidden('Only the person who claimed the task can hand it back.')
    const next = await taskStore.transition(
      rec,
      { status: 'open', claimedBy: undefined },
      actor(p),
      'task.unclaim',
    )
    return c.json({ task: taskView(next, c.get('deps').now()) })
  })
  .post('/:id/delegate', async (c) => {
    const p = c.get('principal')
    const { taskStore, now } = c.get('deps')
    const body = await jsonBody(c, delegateBody)
    const rec = await workableTask(c.get('deps'), p, c.req.param('id'))
    if (!isOpen(rec.data)) throw notOpen(rec.data)
    const members = await c.get('deps').identity.orgMembers(p.orgId)
    const target = members.find((m) => m.userId === body.toUserId)
    const needed = rec.data.candidateRole
    if (!target || (needed && !target.roles.includes(needed)))
      throw forbidden(
        needed
          ? `The task can only be delegated to someone with the role ${needed}.`
          : 'That person is not a member of this organisation.',
      )
    const next = await taskStore.transition(
      rec,
      {
        status: 'claimed',
        claimedBy: target.userId,
        assigneeUserId: rec.data.assigneeUserId ? target.userId : undefined,
        delegations: [
          ...rec.data.delegations,
          { from: p.userId, to: target.userId, at: now().toISOString() },
        ],
      },
      actor(p),
      'task.delegate',
    )
    // "A task was assigned to you", once per delegation (titles and links only).
    const deps = c.get('deps')
    await notifyTaskAssigned(
      { ...deps, publicUrl: deps.config.publicUrl },
      p.orgId,
      { id: next.id, title: next.data.title, dueAt: next.data.dueAt },
      target.userId,
      `delegated-${next.data.delegations.length}`,
    ).catch((err) =>
      console.error(
        JSON.stringify({ level: 'error', msg: 'task-delegated mail failed', error: String(err) }),
      ),
    )
    return c.json({ task: taskView(next, now()) })
  })
  .post('/:id/draft', async (c) => {
    const p = c.get('principal')
    const { taskStore, now } = c.get('deps')
    const body = await jsonBody(c, answersBody)
    const rec = await workableTask(c.get('deps'), p, c.req.param('id'))
    if (!isOpen(rec.data)) throw notOpen(rec.data)
    const next = await taskStore.transition(
      rec,
      { draft: { answers: body.answers, savedAt: now().toISOString(), savedBy: p.userId } },
      actor(p),
      'task.draft',
    )
    return c.json({ savedAt: next.data.draft?.savedAt, version: next.version })
  })
  .post('/:id/complete', async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const body = await jsonBody(c, answersBody)
    const rec = await workableTask(deps, p, c.req.param('id'))
    const lang = c.req.header('accept-language')?.toLowerCase().startsWith('de') ? 'de' : 'en'
    const done = await completeTask(deps, p, rec, body.answers, { lang, requestId: c.get('requestId') })
    return c.json({ task: taskView(done, deps.now()) })
  })

const actor = (p: Principal) => ({ userId: p.userId, name: p.name })
