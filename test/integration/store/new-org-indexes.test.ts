import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listTypes } from '../../../functions/store/list-index.js'
import { TASK_INDEX_VERSION, TASK_SPACE } from '../../../functions/store/task-index-version.js'
import { ensureTaskIndexed } from '../../../functions/store/task-reindex.js'
import { ensureWorkIndexed } from '../../../functions/store/work-index.js'
import { MINIMAL_SEED } from '../../../infra/local/seed/index.js'
import { countingRecords } from '../../support/read-counter.js'
import { sideItemsUnder } from '../../support/side-items.js'
import { type Client, startTestStack } from '../../support/stack.js'

/**
 * An organisation created through the API (`POST /api/orgs`) has no records from before its
 * indexes, which are built beside every write from then on: its creation writes the marker of
 * each index at its current version (the inbox's and workflows list's, the lists', the
 * search's, the home page's work index), so its first inbox and workflows reads find the index
 * complete (one marker read) instead of building it from an empty organisation.
 */
describe('a new organisation’s indexes are marked complete at its creation', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let member: Client
  let counting: ReturnType<typeof countingRecords>
  let orgId: string
  /** Nordlicht's markers just before and just after the new organisation was created. */
  const nordlichtMarkers: string[][] = []
  const markersOf = async (id: string) => {
    const org = t.stack.deps.records.forOrg(id)
    const found = await Promise.all(
      ['TIXINDEXED#', 'WORKINDEXED#', 'SEARCHINDEXED#'].map((p) => sideItemsUnder(org, p)),
    )
    return found.flat().map((i) => i.sk)
  }

  beforeAll(async () => {
    t = await startTestStack({ seedSteps: MINIMAL_SEED })
    counting = countingRecords(t.stack.deps)
    ;[iso, member] = await Promise.all([
      t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht'),
      t.signIn('member@demo.ismsflow.test', undefined, 'nordlicht'),
    ])
    nordlichtMarkers.push(await markersOf('nordlicht'))
    const created = await iso.post('/api/orgs', { name: 'Neue Werft GmbH' })
    expect(created.status).toBe(201)
    orgId = created.body.id
    nordlichtMarkers.push(await markersOf('nordlicht'))
  })
  afterAll(async () => t?.close())

  it('writes the inbox/workflows, list, search and work index markers with the organisation, before any read', async () => {
    const org = t.stack.deps.records.forOrg(orgId)
    const tix = await sideItemsUnder(org, 'TIXINDEXED#')
    expect(tix).toEqual([
      expect.objectContaining({ sk: `TIXINDEXED#${TASK_SPACE}`, version: TASK_INDEX_VERSION }),
    ])
    expect((await sideItemsUnder(org, 'WORKINDEXED#')).map((i) => i.sk)).toEqual(['WORKINDEXED#v1'])
    expect(await sideItemsUnder(org, 'SEARCHINDEXED#')).toHaveLength(1)
    // Nothing of the indexes themselves: an empty organisation has no entries and no counts.
    expect(await sideItemsUnder(org, 'TIX#')).toEqual([])
    expect(await sideItemsUnder(org, 'WIX#')).toEqual([])
    expect(listTypes().length).toBeGreaterThan(0)
  })

  it('its first inbox and workflows reads find the index built: one marker read, nothing built', async () => {
    const org = counting.records.forOrg(orgId)
    // `recheck`: read the marker as a fresh process would (not this process's memory of it).
    const tasks = await counting.count(() => ensureTaskIndexed(org, { recheck: true }))
    expect(tasks.value).toBe(false)
    expect(tasks.reads.calls).toBe(1)
    const work = await counting.count(() => ensureWorkIndexed(org))
    expect(work.reads.calls).toBe(1)
    // The API's reads answer the empty lists.
    const inbox = await iso.call('GET', '/api/tasks?view=waiting&limit=10', undefined, { 'x-org-id': orgId })
    expect(inbox.status).toBe(200)
    expect(inbox.body).toMatchObject({ items: [], total: 0 })
    const flows = await iso.call('GET', '/api/workflows', undefined, { 'x-org-id': orgId })
    expect(flows.status).toBe(200)
    expect(flows.body.items).toEqual([])
  })

  it('cross-tenant: the markers are the new organisation’s own; another organisation’s people do not read it', async () => {
    // Creating it wrote no marker into the creator's current organisation.
    expect(nordlichtMarkers[1]).toEqual(nordlichtMarkers[0])
    expect(await markersOf(orgId)).toHaveLength(3)
    // A Nordlicht member is no member of the new organisation.
    const refused = await member.call('GET', '/api/tasks', undefined, { 'x-org-id': orgId })
    expect(refused.status).toBe(403)
    const flows = await member.call('GET', '/api/workflows', undefined, { 'x-org-id': orgId })
    expect(flows.status).toBe(403)
  })
})
