import type { Client } from './stack.js'

/**
 * The whole task of an inbox row (`GET /api/tasks` answers rows: no context, prefill, draft or
 * four-eyes list), as the task's page reads it (`GET /api/tasks/:id`); none for no row.
 */
export async function wholeTask(client: Pick<Client, 'get'>, row: { id: string } | undefined) {
  if (!row) return undefined
  const res = await client.get(`/api/tasks/${encodeURIComponent(row.id)}`)
  if (res.status !== 200) throw new Error(`GET /api/tasks/${row.id}: ${res.status}`)
  return res.body.task
}
