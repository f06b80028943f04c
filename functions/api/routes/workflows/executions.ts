/**
 * Executions as the organisation sees them. An execution belongs to an organisation when
 * the app recorded its start there (`execution` record), when one of the organisation's
 * tasks belongs to it, or when its input names the organisation; anything else answers 404,
 * so a guessed id of another tenant reveals nothing.
 */
import { notFound } from '../../../domain/errors.js'
import { orgOfInput } from '../../../domain/org-id.js'
import { type Localized, mayView, type Task } from '../../../domain/tasks.js'
import { executionPage, noteExecutionStatus } from '../../../store/execution-index.js'
import { isUnknownExecution } from '../../../workflow-client.js'
import type { Deps, Principal } from '../../env.js'

/** Record type of the small start record kept per execution the app started. */
export const EXECUTION = 'execution'

/** What the app keeps about an execution it started (the engine keeps the rest). */
export interface ExecutionRecord {
  executionArn: string
  /** Short workflow name: `approval`, `questionnaire`. */
  workflow: string
  title: Localized
  startedAt: string
  startedBy: string
  startedByName?: string
  formId?: string
  assignee?: { userId: string } | { role: string }
  dueInDays?: number
}

/** Execution ids in URLs: `<state machine name>:<execution name>` (the ARN's last two parts). */
export const EXECUTION_ID = /^[A-Za-z0-9_-]{1,80}:[A-Za-z0-9_-]{1,80}$/

/** The id of an execution ARN (`arn:aws:states:…:execution:ismsflow-approval:x` → `ismsflow-approval:x`). */
export const executionIdOf = (executionArn: string) => executionArn.split(':').slice(-2).join(':')

/** The ARN of an execution id, in the account and region of `stateMachineArnPrefix`. */
export function executionArnOf(id: string, stateMachineArnPrefix: string): string {
  const base = stateMachineArnPrefix.slice(0, stateMachineArnPrefix.indexOf(':stateMachine:'))
  return `${base}:execution:${id}`
}

/** Short workflow name of a state machine name (`ismsflow-approval` → `approval`). */
export function shortWorkflowName(stateMachineName: string, stateMachineArnPrefix: string): string {
  const prefix = stateMachineArnPrefix.split(':').pop() ?? ''
  return prefix && stateMachineName.startsWith(prefix)
    ? stateMachineName.slice(prefix.length)
    : stateMachineName
}

/** People who may see every execution of their organisation. */
const OVERSEERS = ['iso', 'management', 'auditor']

/** Whether the principal oversees the organisation's workflows (ISO, management, auditor). */
export const oversees = (p: Principal) => p.roles.some((r) => OVERSEERS.includes(r))

const engineMissing = isUnknownExecution

/**
 * Finds an execution of the principal's organisation and checks they may see it: the ISO,
 * management and auditors see all, others only one they have a task in or started.
 * Throws 404 otherwise (also for a malformed id).
 */
export async function requireExecution(deps: Deps, p: Principal, id: string) {
  if (!EXECUTION_ID.test(id)) throw notFound('Workflow')
  const arn = executionArnOf(id, deps.config.stateMachineArnPrefix)
  const org = deps.records.forOrg(p.orgId)
  const record = await org.get<ExecutionRecord>(EXECUTION, id)
  const tasks = await deps.taskStore.forExecution(p.orgId, arn)
  let described: Awaited<ReturnType<Deps['workflows']['describe']>>
  try {
    described = await deps.workflows.describe(arn)
  } catch (err) {
    if (engineMissing(err)) throw notFound('Workflow')
    throw err
  }
  if (!record && tasks.length === 0 && orgOfInput(described.input) !== p.orgId) throw notFound('Workflow')
  const user = { userId: p.userId, roles: p.roles }
  if (!oversees(p) && record?.data.startedBy !== p.userId && !tasks.some((t) => mayView(t.data, user)))
    throw notFound('Workflow')
  return { arn, record, tasks, described }
}

/** One row of the workflows list. */
export interface ExecutionRow {
  id: string
  workflow: string
  title?: Localized
  status: string
  startedAt?: string
  stoppedAt?: string
  startedByName?: string
  /** The open tasks: what the workflow waits for now (the first `OPEN_DETAILS` of them). */
  current: { taskId: string; title: Localized; assignee: string }[]
  /** How many tasks it waits for in all. */
  openTasks: number
}

/**
 * One page of the organisation's executions, newest first, read through the workflows index
 * (`execution-index.ts`) in one key-condition read: each entry holds the status and the open
 * tasks, kept on write. People who do not oversee the organisation see only the executions they
 * started or may see a task of; `status` keeps those in one status. Such filters may need
 * further reads of the index (at most `maxReads`); the cursor continues after the last
 * execution looked at. An entry rebuilt from the records has no status yet: it is looked up
 * from the engine once and kept (`UNKNOWN` when the engine no longer knows it).
 */
export async function listExecutions(
  deps: Deps,
  p: Principal,
  names: Record<string, string>,
  opts: { limit: number; cursor?: string; status?: string; maxReads?: number } = { limit: 50 },
): Promise<{ items: ExecutionRow[]; cursor?: string }> {
  const org = deps.records.forOrg(p.orgId)
  await deps.taskStore.ensureIndexed(p.orgId)
  const prefix = deps.config.stateMachineArnPrefix
  const mine = new Set([`u:${p.userId}`, ...p.roles.map((r) => `r:${r}`)])
  const rows: ExecutionRow[] = []
  let cursor = opts.cursor
  for (let reads = 0; rows.length < opts.limit && reads < (opts.maxReads ?? 5); reads++) {
    const page = await executionPage(org, { limit: opts.limit - rows.length, cursor })
    const unknown = page.items.filter((e) => !e.status)
    const looked = await mapLimit(unknown, 8, async (e) => {
      const s = await describeStatus(deps, e.executionArn)
      // Kept whatever the answer: one the engine no longer knows (its history expired) is
      // `UNKNOWN` from now on, not looked up again on every page (a later status event, from a
      // later time, still replaces it).
      await noteExecutionStatus(org, e.executionArn, { ...s, at: s.stoppedAt ?? s.startedAt ?? e.at })
      return [e.executionArn, s] as const
    })
    const statuses = new Map(looked)
    for (const e of page.items) {
      const id = executionIdOf(e.executionArn)
      // Members see the executions they started or may see a task of; the ISO, management and auditors all.
      if (!oversees(p) && e.startedBy !== p.userId && !e.viewers.some((v) => mine.has(v))) continue
      const s = statuses.get(e.executionArn)
      const status = s?.status ?? e.status ?? 'UNKNOWN'
      if (opts.status && status !== opts.status) continue
      const stoppedAt = s?.stoppedAt ?? e.stoppedAt
      rows.push({
        id,
        workflow: e.workflow ?? shortWorkflowName(id.split(':')[0], prefix),
        title: e.title ?? e.firstTitle,
        status,
        startedAt: s?.startedAt ?? e.startedAt ?? e.at,
        ...(stoppedAt ? { stoppedAt } : {}),
        startedByName: e.startedByName,
        current: e.open.map((t) => ({
          taskId: t.taskId,
          title: t.title,
          assignee: t.userId ? (names[t.userId] ?? t.userId) : `role:${t.role ?? ''}`,
        })),
        openTasks: e.openTasks,
      })
    }
    cursor = page.cursor
    if (!cursor) break
  }
  return { items: rows, cursor }
}

async function describeStatus(
  deps: Deps,
  arn: string,
): Promise<{ status: string; startedAt?: string; stoppedAt?: string }> {
  try {
    const d = await deps.workflows.describe(arn)
    return {
      status: d.status ?? 'UNKNOWN',
      startedAt: d.startDate?.toISOString(),
      stoppedAt: d.stopDate?.toISOString(),
    }
  } catch (err) {
    if (engineMissing(err)) return { status: 'UNKNOWN' }
    throw err
  }
}

/** Who a task waits for, in words: a person's name, or `role:<role>` for the page to translate. */
export function assigneeLabel(t: Task, names: Record<string, string>): string {
  const user = t.claimedBy ?? t.assigneeUserId
  if (user) return names[user] ?? user
  return `role:${t.candidateRole ?? ''}`
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i])
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}
