/**
 * The re-index: builds every organisation's indexes that an older version wrote (or none did)
 * — the inbox's and the workflows list's (`task-reindex.ts`), each list of the list index
 * (`list-index.ts`: reviews, risks, incidents, the calendar's due streams, …) and the search
 * index — so that lists read one page by key from the first request on, however old the
 * organisation. One implementation, run in two places:
 *
 * - on AWS by the deployment: the stack's custom resource (`infra/aws/reindex.ts`) invokes this
 *   function with CloudFormation's event whenever the index versions change; it starts the
 *   `reindex` state machine (`workflows/reindex.asl.json`), which calls this step a page of
 *   organisations at a time until the last;
 * - locally at start (`infra/local/stack.ts`), by `reindexAll`, the same step page after page.
 *
 * Each organisation's rebuild is idempotent (a version marker per index): a page repeated after
 * a failure, or a second run, finds the markers and writes nothing; an organisation interrupted
 * half-way has no marker yet and is built again from its records. Organisations never mix: each
 * rebuild reads and writes its own partition only. The lists, the inbox's index and the workflows
 * list's are built beside live writes (`stamped-index.ts`: versioned entries and counters, records
 * stamped with the version they are counted in; `list-index.ts`, `task-reindex.ts`).
 */
import { createHash } from 'node:crypto'
import { z } from 'zod'
import { ensureListIndexed, listTypes } from '../store/list-index.js'
import { ensureSearchIndexed } from '../store/search-index.js'
import { containerDeps, type StepDeps } from './deps.js'
import { defineStep } from './step.js'

/** The name of the state machine that runs the re-index on AWS. */
export const REINDEX_WORKFLOW = 'reindex'

/** Organisations one step builds at most (a step stays well inside Lambda's time limit). */
export const ORGS_PER_STEP = 25

/** Input of a step: where the previous one stopped (`null`: from the first organisation). */
export const reindexInput = z
  .object({
    cursor: z.string().min(1).max(2000).nullable(),
    limit: z.number().int().min(1).max(200).optional(),
  })
  .strict()

/** What a step did and where the next starts. */
export interface ReindexResult {
  cursor: string | null
  done: boolean
  /** Organisations looked at by this step. */
  orgs: number
  /** Indexes built by this step, as `<org>:<index>`. */
  rebuilt: string[]
}

/** Builds one organisation's indexes written by an older version; answers which it built. */
export async function reindexOrganisation(
  deps: Pick<StepDeps, 'records' | 'taskStore'>,
  orgId: string,
): Promise<string[]> {
  const org = deps.records.forOrg(orgId)
  const rebuilt: string[] = []
  if (await deps.taskStore.rebuildIndex(orgId)) rebuilt.push('tasks')
  for (const type of listTypes())
    if (await ensureListIndexed(org, type, { recheck: true })) rebuilt.push(`list:${type}`)
  if (await ensureSearchIndexed(org)) rebuilt.push('search')
  return rebuilt
}

const step = defineStep({
  name: 'reindex',
  input: reindexInput,
  async run(input, deps): Promise<ReindexResult> {
    const page = await deps.identity.organisationsPage({
      after: input.cursor ?? undefined,
      limit: input.limit ?? ORGS_PER_STEP,
    })
    const rebuilt: string[] = []
    for (const orgId of page.orgIds)
      for (const index of await reindexOrganisation(deps, orgId)) rebuilt.push(`${orgId}:${index}`)
    return { cursor: page.next ?? null, done: !page.next, orgs: page.orgIds.length, rebuilt }
  },
})

/** Runs the re-index to its end, step after step (at local start; tests). */
export async function reindexAll(deps: StepDeps, options: { limit?: number } = {}) {
  let cursor: string | null = null
  const rebuilt: string[] = []
  let orgs = 0
  for (;;) {
    const out: ReindexResult = await step.invoke({ cursor, ...options }, deps)
    rebuilt.push(...out.rebuilt)
    orgs += out.orgs
    if (out.done) return { orgs, rebuilt }
    cursor = out.cursor
  }
}

/** CloudFormation's request to a custom resource (the fields this one reads). */
const customResourceEvent = z.object({
  RequestType: z.enum(['Create', 'Update', 'Delete']),
  ResponseURL: z.url(),
  StackId: z.string(),
  RequestId: z.string(),
  LogicalResourceId: z.string(),
  PhysicalResourceId: z.string().optional(),
})
type CustomResourceEvent = z.infer<typeof customResourceEvent>

/** Answers CloudFormation at the request's presigned URL (an S3 PUT without a content type). */
async function answer(
  event: CustomResourceEvent,
  status: 'SUCCESS' | 'FAILED',
  data: Record<string, string>,
  reason?: string,
) {
  const body = JSON.stringify({
    Status: status,
    Reason: reason ?? (status === 'SUCCESS' ? 'ok' : 'failed'),
    PhysicalResourceId: event.PhysicalResourceId ?? `${event.LogicalResourceId}-reindex`,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: data,
  })
  const res = await fetch(event.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '' } })
  if (!res.ok) throw new Error(`reindex: CloudFormation's response URL answered ${res.status}`)
}

/**
 * The deployment's request: on create and update, starts the re-index state machine (named
 * after the request, so a repeated request starts it once) and answers CloudFormation; on
 * delete there is nothing to undo.
 */
export async function onDeploy(event: CustomResourceEvent, deps: Pick<StepDeps, 'workflows'>) {
  if (event.RequestType === 'Delete') return answer(event, 'SUCCESS', {})
  try {
    const name = `deploy-${createHash('sha256').update(event.RequestId).digest('hex').slice(0, 32)}`
    const { executionArn } = await deps.workflows.start(REINDEX_WORKFLOW, { cursor: null }, name)
    await answer(event, 'SUCCESS', { executionArn })
  } catch (err) {
    await answer(event, 'FAILED', {}, `reindex: ${err instanceof Error ? err.message : String(err)}`)
  }
}

/**
 * Step handler (Lambda `ismsflow-reindex`): a step of the state machine, or CloudFormation's
 * request of the custom resource that starts it.
 */
export const handler = Object.assign(
  async (event: unknown) => {
    const deploy = customResourceEvent.safeParse(event)
    return deploy.success ? onDeploy(deploy.data, containerDeps()) : step(event)
  },
  { stepName: step.stepName, invoke: step.invoke },
)
