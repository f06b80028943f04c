import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reindexAll } from '../../../functions/steps/reindex.js'
import { TASK_INDEX_VERSION } from '../../../functions/store/inbox-index.js'
import type { OrgRecords } from '../../../functions/store/records.js'
import { MINIMAL_SEED } from '../../../infra/local/seed/index.js'
import { type Client, startTestStack } from '../../support/stack.js'

const TASKS = 7
const MARK = 'TIXVERSION#marker'

type Item = Record<string, unknown> & { sk: string }
type Page = {
  items: { id: string; title: { en: string }; version: number }[]
  total: number
  cursor?: string
}

/**
 * The inbox index's entries since version 4 keep the task as one JSON string (`doc`) beside the
 * attributes the reads filter on; version 3 kept the task and its bookkeeping as maps. An
 * organisation whose index an older version wrote answers its inbox as before until the
 * re-index (`functions/steps/reindex.ts`, at local start and on deploy) rebuilds it in the new
 * shape; the lists then answer the same rows and totals.
 */
describe('the inbox index from version 3 (task as a map) to version 4 (task as one string)', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let org: OrgRecords

  const entries = async (): Promise<Item[]> => {
    const out: Item[] = []
    let after: string | undefined
    do {
      const page = await org.sideRange({ from: 'TIX#', to: 'TIX#\uffff', after, limit: 500 })
      out.push(...page.items)
      after = page.last
    } while (after)
    return out
  }

  /** Every row of the inbox's `view=all`, page by page, with the totals the pages gave. */
  async function everyPage(query: string) {
    const rows: Page['items'] = []
    const totals = new Set<number>()
    let cursor: string | undefined
    for (let i = 0; i < 50; i++) {
      const res = await iso.get(`/api/tasks?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
      expect(res.status).toBe(200)
      const body: Page = res.body
      rows.push(...body.items)
      totals.add(body.total)
      cursor = body.cursor
      if (!cursor) return { rows, totals: [...totals] }
    }
    throw new Error('the cursor never ended')
  }

  beforeAll(async () => {
    t = await startTestStack({ seedSteps: MINIMAL_SEED })
    iso = await t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht')
    org = t.stack.deps.records.forOrg('nordlicht')
    const due = new Date(t.stack.clock.nowMs() + 10 * 86_400_000).toISOString()
    for (let n = 1; n <= TASKS; n++)
      await t.stack.deps.taskStore.createFromToken(
        {
          orgId: 'nordlicht',
          kind: n % 2 ? 'approval' : 'questionnaire',
          formId: n % 2 ? 'approval' : 'questionnaire',
          title: { en: `Shape probe ${n}`, de: `Formprobe ${n}` },
          candidateRole: 'iso',
          priority: n % 3,
          dueAt: due,
          context: { details: `Probe ${n}`, nested: { list: [n, 'x'] } },
          excludedUserIds: [],
          delegations: [],
          workflow: {
            name: n % 2 ? 'approval' : 'questionnaire',
            executionArn: `arn:aws:states:eu-central-1:000000000000:execution:ismsflow-approval:shape-${n}`,
            stateName: 'Decide',
          },
        },
        `shape-probe-token-${n}`,
        { userId: 'demo-iso' },
      )
  }, 600_000)
  afterAll(async () => t?.close())

  it('writes each entry with the task as one string beside the filtered attributes', async () => {
    const written = await entries()
    expect(written.length).toBeGreaterThan(TASKS)
    for (const e of written) {
      expect(typeof e.doc).toBe('string')
      expect(e.task).toBeUndefined()
      expect(typeof e.kind).toBe('string')
      expect(typeof e.wf).toBe('string')
      expect(typeof e.st).toBe('string')
      expect(typeof e.v).toBe('number')
    }
  })

  it('answers an index of version 3 as before, and the re-index rebuilds it in the new shape', async () => {
    const now = await everyPage('view=all&limit=3')
    const filtered = await everyPage('view=all&kind=approval&limit=2')
    const probes = now.rows.filter((r) => r.title.en.startsWith('Shape probe'))
    expect(probes).toHaveLength(TASKS)
    // The index as version 3 wrote it: the task and its bookkeeping as maps, marked version 3.
    const current = await entries()
    await org.putSide(
      current.map(({ sk, pk: _pk, doc, ...rest }) => {
        const { task, meta } = JSON.parse(String(doc))
        return { sk, item: { ...rest, task, meta } }
      }),
    )
    await org.putSide([{ sk: MARK, item: { version: 3 } }])
    const old = await entries()
    expect(old.every((e) => e.doc === undefined && typeof e.task === 'object')).toBe(true)
    expect(await everyPage('view=all&limit=3')).toEqual(now)
    expect(await everyPage('view=all&kind=approval&limit=2')).toEqual(filtered)

    const run = await reindexAll(t.stack.deps)
    expect(run.rebuilt).toContain('nordlicht:tasks')
    expect((await org.sideGet([MARK])).get(MARK)?.version).toBe(TASK_INDEX_VERSION)
    const rebuilt = await entries()
    expect(rebuilt.map((e) => e.sk).sort()).toEqual(old.map((e) => e.sk).sort())
    expect(rebuilt.every((e) => typeof e.doc === 'string' && e.task === undefined)).toBe(true)
    expect(await everyPage('view=all&limit=3')).toEqual(now)
    expect(await everyPage('view=all&kind=approval&limit=2')).toEqual(filtered)
    // A second run finds the marker and writes nothing.
    expect((await reindexAll(t.stack.deps)).rebuilt).not.toContain('nordlicht:tasks')
  })
})
