import { Hono } from 'hono'
import { z } from 'zod'
import { findDecision } from '../../domain/forms/index.js'
import { dueBadge, mayView, type Task } from '../../domain/tasks.js'
import {
  buildGraph,
  type PlainLine,
  plainHistory,
  type StateLabels,
  visitedStates,
} from '../../domain/workflow-view.js'
import { requireAuth, requireRole } from '../auth/index.js'
import type { AppEnv } from '../env.js'
import { pageCursor, pageLimit } from '../page-query.js'
import { namesOf, orgPeople } from '../people.js'
import { stateLabels } from '../state-labels.js'
import { jsonBody, queryParams } from '../validate.js'
import {
  assigneeLabel,
  type ExecutionRecord,
  listExecutions,
  requireExecution,
  shortWorkflowName,
} from './workflows/executions.js'
import { checkStart, startBody, startGeneric } from './workflows/start.js'

/** Query of `GET /api/workflows`. */
export const listQuery = z
  .object({
    status: z
      .enum(
        ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'],
        'must be RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED',
      )
      .optional(),
    limit: pageLimit().default(50),
    cursor: pageCursor(),
  })
  .strict()

/**
 * `/api/workflows`: the organisation's executions (list and one with its state graph and
 * plain-words history), starting a generic approval or questionnaire (ISO), and the forms
 * and people the start form offers.
 */
export const workflows = new Hono<AppEnv>()
  .use(requireAuth)
  .get('/', async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const q = queryParams(c, listQuery)
    const page = await listExecutions(deps, p, namesOf(await orgPeople(deps, p.orgId)), q)
    return c.json({ items: page.items, ...(page.cursor ? { cursor: page.cursor } : {}) })
  })
  .get('/people', async (c) => {
    const p = c.get('principal')
    return c.json({ items: await orgPeople(c.get('deps'), p.orgId) })
  })
  .get('/forms', requireRole('iso'), async (c) => {
    const forms = (await c.get('deps').forms()).list().filter((f) => !findDecision(f, {}))
    const items = forms
      .map((f) => ({
        id: f.id,
        version: f.version,
        title: f.title,
        description: f.description,
        pages: f.pages.length,
      }))
      .sort((a, b) => a.title.en.localeCompare(b.title.en))
    return c.json({ items })
  })
  .post('/start', requireRole('iso'), async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const body = await jsonBody(c, startBody)
    const start = await checkStart(deps, p.orgId, p, body)
    const started = await startGeneric(deps, p.orgId, { userId: p.userId, name: p.name }, start)
    return c.json({ execution: { id: started.id, executionArn: started.executionArn } }, 201)
  })
  .get('/executions/:id', async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const id = c.req.param('id')
    const { arn, record, tasks, described } = await requireExecution(deps, p, id)
    const [definition, events, people] = await Promise.all([
      deps.workflows.definition(described.stateMachineArn!),
      deps.workflows.history(arn),
      orgPeople(deps, p.orgId),
    ])
    const names = namesOf(people)
    const now = deps.now()
    const user = { userId: p.userId, roles: p.roles }
    const stateMachineName = id.split(':')[0]
    const workflow =
      record?.data.workflow ?? shortWorkflowName(stateMachineName, deps.config.stateMachineArnPrefix)
    const labels = stateLabels(workflow)
    return c.json({
      execution: {
        id,
        workflow,
        stateMachineName,
        title: record?.data.title ?? tasks[0]?.data.title,
        status: described.status,
        startedAt: described.startDate?.toISOString(),
        stoppedAt: described.stopDate?.toISOString(),
        startedByName: record?.data.startedByName,
      },
      startAt: definition.StartAt,
      graph: buildGraph(definition, visitedStates(events), labels),
      history: historyLines(
        events,
        tasks.map((t) => t.data),
        record?.data,
        names,
        labels,
      ),
      tasks: tasks.map((t) => taskRow(t.data, names, now, mayView(t.data, user))),
    })
  })

/** The plain history, with the starter's name and delegations added. */
function historyLines(
  events: Parameters<typeof plainHistory>[0],
  tasks: Task[],
  record: ExecutionRecord | undefined,
  names: Record<string, string>,
  labels: StateLabels,
): PlainLine[] {
  const lines = plainHistory(
    events,
    tasks.map((t) => ({
      stateName: t.workflow.stateName,
      title: t.title,
      status: t.status,
      completedByName: t.result?.completedByName,
      completedAt: t.result?.completedAt,
      createdAt: t.createdAt,
    })),
    labels,
  ).map((l) =>
    record?.startedByName && l.text.en === 'The workflow started.'
      ? {
          at: l.at,
          text: {
            en: `${record.startedByName} started the workflow “${record.title.en}”.`,
            de: `${record.startedByName} hat den Ablauf „${record.title.de}“ gestartet.`,
          },
        }
      : l,
  )
  for (const t of tasks)
    for (const d of t.delegations) {
      const from = names[d.from] ?? d.from
      const to = names[d.to] ?? d.to
      lines.push({
        at: d.at,
        text: {
          en: `${from} handed “${t.title.en}” to ${to}.`,
          de: `${from} hat „${t.title.de}“ an ${to} übergeben.`,
        },
      })
    }
  return lines.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
}

const taskRow = (t: Task, names: Record<string, string>, now: Date, mayOpen: boolean) => ({
  id: t.id,
  title: t.title,
  kind: t.kind,
  status: t.status,
  stateName: t.workflow.stateName,
  dueAt: t.dueAt,
  badge: dueBadge(t, now),
  assignee: assigneeLabel(t, names),
  createdAt: t.createdAt,
  completedByName: t.result?.completedByName,
  completedAt: t.result?.completedAt,
  mayOpen,
})
