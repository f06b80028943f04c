import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { taskRow } from '../../../functions/domain/tasks.js'
import { reindexAll } from '../../../functions/steps/reindex.js'
import { TASK_INDEX_VERSION } from '../../../functions/store/inbox-index.js'
import type { OrgRecords } from '../../../functions/store/records.js'
import { TASK_SPACE } from '../../../functions/store/task-index-version.js'
import { MINIMAL_SEED } from '../../../infra/local/seed/index.js'
import { sideItemsUnder } from '../../support/side-items.js'
import { type Client, startTestStack } from '../../support/stack.js'
import { forgetTaskIndex } from '../../support/task-index.js'

const TASKS = 7
const MARK = `TIXINDEXED#${TASK_SPACE}`
const OLD_MARK = 'TIXVERSION#marker'

type Page = {
  items: { id: string; title: { en: string }; version: number }[]
  total: number
  cursor?: string
}

/**
 * The inbox index's entries since version 6 keep the task's row (`TaskRow`) as one JSON string
 * (`row`) beside the attributes the reads filter on; versions 4 and 5 kept the whole task and its
 * bookkeeping as one string (`doc`), version 5 under versioned keys; version 3 kept them as maps,
 * under unversioned keys. The re-index (`functions/steps/reindex.ts`, at local start and on
 * deploy) builds this version beside an organisation's older index, in the new shape, and drops
 * the old; the lists then answer the same rows and totals.
 */
describe('the inbox index from version 3 (task as a map) and 5 (task as one string) to this version (row as one string)', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let org: OrgRecords

  /** The items under a prefix (every version's). */
  const items = (prefix: string) => sideItemsUnder(org, prefix)
  const entries = () => items('TIX#')

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

  /** The task record of each task id, as stored now. */
  async function recordsOf(ids: Iterable<string>) {
    const out = new Map<string, NonNullable<Awaited<ReturnType<typeof t.stack.deps.taskStore.get>>>>()
    for (const id of new Set(ids)) {
      const rec = await t.stack.deps.taskStore.get('nordlicht', id)
      if (!rec) throw new Error(`no task ${id}`)
      out.set(id, rec)
    }
    return out
  }
  const rowId = (e: Record<string, unknown>): string => JSON.parse(String(e.row)).id

  it("writes each entry with the task's row as one string beside the filtered attributes", async () => {
    const written = await entries()
    expect(written.length).toBeGreaterThan(TASKS)
    const recs = await recordsOf(written.map(rowId))
    for (const e of written) {
      expect(typeof e.row).toBe('string')
      expect(e.doc).toBeUndefined()
      expect(e.task).toBeUndefined()
      expect(typeof e.kind).toBe('string')
      expect(typeof e.wf).toBe('string')
      expect(typeof e.st).toBe('string')
      expect(typeof e.v).toBe('number')
      // The row as the list shows it, not what only the task's page reads (context, answers, drafts).
      const row = JSON.parse(String(e.row))
      const rec = recs.get(row.id)
      if (!rec) throw new Error(`an entry of task ${row.id}, which has no record`)
      expect(row).toEqual(JSON.parse(JSON.stringify(taskRow(rec.data))))
      expect(e.v).toBe(rec?.version)
      expect(row.context).toBeUndefined()
      expect(row.excludedUserIds).toBeUndefined()
    }
  })

  it('replaces an index of version 3 (unversioned keys, task as maps) with this version, in the new shape', async () => {
    const now = await everyPage('view=all&limit=3')
    const filtered = await everyPage('view=all&kind=approval&limit=2')
    const probes = now.rows.filter((r) => r.title.en.startsWith('Shape probe'))
    expect(probes).toHaveLength(TASKS)
    // The index as version 3 wrote it: unversioned keys, the task and its bookkeeping as maps,
    // its mark; the tasks not stamped with the version they are counted in.
    const current = await entries()
    const counters = await items('TCNT#')
    const recs = await recordsOf(current.map(rowId))
    const unversioned = (sk: string) => sk.replace(`#${TASK_SPACE}`, '#')
    await forgetTaskIndex(t.stack.deps, 'nordlicht')
    await org.putSide([
      ...current.map(({ sk, pk: _pk, row, ...rest }) => {
        const rec = recs.get(rowId({ row }))
        const meta = { createdBy: rec?.createdBy, updatedAt: rec?.updatedAt, updatedBy: rec?.updatedBy }
        return { sk: unversioned(sk), item: { ...rest, task: rec?.data, meta } }
      }),
      ...counters.map(({ sk, pk: _pk, ...rest }) => ({ sk: unversioned(sk), item: rest })),
      { sk: OLD_MARK, item: { version: 3 } },
    ])
    const old = await entries()
    expect(old.length).toBe(current.length)
    expect(old.every((e) => e.doc === undefined && typeof e.task === 'object')).toBe(true)

    const run = await reindexAll(t.stack.deps)
    expect(run.rebuilt).toContain('nordlicht:tasks')
    expect((await org.sideGet([MARK])).get(MARK)?.version).toBe(TASK_INDEX_VERSION)
    // This version's entries, as the live writes wrote them; the old ones and their mark are gone.
    const rebuilt = await entries()
    expect(rebuilt.map((e) => e.sk).sort()).toEqual(current.map((e) => e.sk).sort())
    expect(
      rebuilt.every((e) => typeof e.row === 'string' && e.doc === undefined && e.task === undefined),
    ).toBe(true)
    expect((await items('TCNT#')).map((c) => c.sk).sort()).toEqual(counters.map((c) => c.sk).sort())
    expect((await org.sideGet([OLD_MARK])).size).toBe(0)
    expect(await everyPage('view=all&limit=3')).toEqual(now)
    expect(await everyPage('view=all&kind=approval&limit=2')).toEqual(filtered)
    // A second run finds the marker and writes nothing.
    expect((await reindexAll(t.stack.deps)).rebuilt).not.toContain('nordlicht:tasks')
  })
  it('replaces an index of version 5 (the whole task as one string) with this version, in the new shape', async () => {
    const now = await everyPage('view=all&limit=3')
    const filtered = await everyPage('view=all&kind=approval&limit=2')
    expect(now.rows.filter((r) => r.title.en.startsWith('Shape probe'))).toHaveLength(TASKS)
    // The index as version 5 wrote it: keys of version 5, the task and its bookkeeping as one string, its mark.
    const current = await entries()
    const counters = await items('TCNT#')
    const recs = await recordsOf(current.map(rowId))
    const v5 = (sk: string) => sk.replace(`#${TASK_SPACE}`, '#v5#')
    await forgetTaskIndex(t.stack.deps, 'nordlicht')
    await org.putSide([
      ...current.map(({ sk, pk: _pk, row, ...rest }) => {
        const rec = recs.get(rowId({ row }))
        const meta = { createdBy: rec?.createdBy, updatedAt: rec?.updatedAt, updatedBy: rec?.updatedBy }
        return { sk: v5(sk), item: { ...rest, doc: JSON.stringify({ task: rec?.data, meta }) } }
      }),
      ...counters.map(({ sk, pk: _pk, ...rest }) => ({ sk: v5(sk), item: rest })),
      { sk: 'TIXINDEXED#v5#', item: { version: 5 } },
    ])
    const old = await entries()
    expect(old.length).toBe(current.length)
    expect(old.every((e) => e.sk.startsWith('TIX#v5#') && typeof e.doc === 'string')).toBe(true)

    const run = await reindexAll(t.stack.deps)
    expect(run.rebuilt).toContain('nordlicht:tasks')
    const rebuilt = await entries()
    expect(rebuilt.map((e) => e.sk).sort()).toEqual(current.map((e) => e.sk).sort())
    expect(rebuilt.every((e) => typeof e.row === 'string' && e.doc === undefined)).toBe(true)
    expect((await items('TCNT#')).map((c) => c.sk).sort()).toEqual(counters.map((c) => c.sk).sort())
    expect((await org.sideGet(['TIXINDEXED#v5#'])).size).toBe(0)
    expect(await everyPage('view=all&limit=3')).toEqual(now)
    expect(await everyPage('view=all&kind=approval&limit=2')).toEqual(filtered)
  })
})
