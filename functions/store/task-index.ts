/**
 * The open-task lists of the work index (see `work-index.ts`): every open task of an
 * organisation by due time, the unclaimed ones by candidate role and the ones a person holds
 * (assigned or claimed), each sorted by due time. The entries are written with the task in
 * its own transaction (`records.ts`), so a list is one key-condition read of sort keys and a
 * count is the length of that read — no task record is loaded to count.
 */
import type { OrgRecords } from './records.js'

/** Every open task, by due time. */
export const TASK_DUE = 'TASKDUE#'
/** Open, unclaimed tasks for a role: `TASKROLE#<role>#<due>#<id>`. */
export const TASK_ROLE = 'TASKROLE#'
/** Open tasks a person holds: `TASKUSER#<userId>#<due>#<id>`. */
export const TASK_USER = 'TASKUSER#'

/** Whether a value is a plain object (a record's data). */
export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null

const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined)

/**
 * The work-index keys of one task (`domain/tasks.ts` `Task`): none once it is no longer open
 * (`isOpen`: open or claimed); a task without a due time sorts last, as in the inbox.
 */
export function taskKeys(id: string, t: unknown): string[] {
  if (!isRecord(t) || (t.status !== 'open' && t.status !== 'claimed')) return []
  const due = text(t.dueAt) ?? '9999'
  const keys = [`${TASK_DUE}${due}#${id}`]
  const holder = text(t.claimedBy) ?? text(t.assigneeUserId)
  const role = text(t.candidateRole)
  if (holder) keys.push(`${TASK_USER}${holder}#${due}#${id}`)
  else if (t.status === 'open' && role) keys.push(`${TASK_ROLE}${role}#${due}#${id}`)
  return keys
}

/** One entry of a task list: which task, due when (`undefined`: no due time). */
export interface TaskEntry {
  id: string
  dueAt?: string
}

const entryOf = (sk: string): TaskEntry => {
  const parts = sk.split('#')
  const id = parts.at(-1) ?? ''
  const due = parts.at(-2) ?? '9999'
  return { id, dueAt: due === '9999' ? undefined : due }
}

/** How many entries one read takes at most; a list this long reads as "at least this many". */
export const TASK_LIST_LIMIT = 200

/** Open tasks of the organisation, earliest due first (at most `limit`). */
export async function openTasksByDue(org: OrgRecords, limit = TASK_LIST_LIMIT): Promise<TaskEntry[]> {
  return (await org.sideKeys(TASK_DUE, limit)).map(entryOf)
}

/**
 * What waits for a person: the tasks they hold and the unclaimed ones for their roles (the
 * inbox's "Waiting for me"), earliest due first, without duplicates.
 */
export async function waitingFor(
  org: OrgRecords,
  user: { userId: string; roles: readonly string[] },
  limit = TASK_LIST_LIMIT,
): Promise<TaskEntry[]> {
  const lists = await Promise.all([
    org.sideKeys(`${TASK_USER}${user.userId}#`, limit),
    ...user.roles.map((r) => org.sideKeys(`${TASK_ROLE}${r}#`, limit)),
  ])
  const seen = new Map<string, TaskEntry>()
  for (const sk of lists.flat()) {
    const e = entryOf(sk)
    if (!seen.has(e.id)) seen.set(e.id, e)
  }
  return [...seen.values()]
    .sort((a, b) => (a.dueAt ?? '9999').localeCompare(b.dueAt ?? '9999'))
    .slice(0, limit)
}
