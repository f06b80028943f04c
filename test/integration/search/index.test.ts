import { PutCommand } from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_TERMS } from '../../../functions/domain/search-terms.js'
import { ensureSearchIndexed, findInIndex, searchKeysOf } from '../../../functions/store/search-index.js'
import { embeddedStore } from '../../support/store.js'

describe('search index written by the record store', () => {
  let store: Awaited<ReturnType<typeof embeddedStore>>
  const actor = { userId: 'u-iso' }
  beforeAll(async () => {
    store = await embeddedStore()
  })
  afterAll(async () => store.close())

  const entries = (orgId: string, type = 'risk') =>
    store.records.forOrg(orgId).sideKeys(`SEARCHWORD#${type}#`, 1000)

  it('puts a record’s words with it, swaps them on a rename and drops them on removal', async () => {
    const org = store.records.forOrg('idx-a')
    await org.create('risk', 'R-1', { title: 'Ransomware im Lager' }, { actor })
    expect(await entries('idx-a')).toEqual(
      ['lager', 'r1', 'ransomware'].map((w) => `SEARCHWORD#risk#${w}#R-1`),
    )
    expect(await findInIndex(org, 'risk', ['ransom'])).toEqual(['R-1'])

    await org.update('risk', 'R-1', { title: 'Hochwasser im Lager' }, { actor, expectedVersion: 1 })
    expect(await findInIndex(org, 'risk', ['ransom'])).toEqual([])
    expect(await findInIndex(org, 'risk', ['hochw', 'lag'])).toEqual(['R-1'])
    expect(await entries('idx-a')).toHaveLength(3)

    await org.remove('risk', 'R-1', { actor })
    expect(await entries('idx-a')).toEqual([])
  })

  it('indexes SoA entries by control id, catalogue title (both languages) and justification', async () => {
    const org = store.records.forOrg('idx-b')
    await org.create(
      'cert-soa',
      'cp-1#A.8.13',
      { projectId: 'cp-1', controlId: 'A.8.13', justification: 'Nightly backups', evidence: [] },
      { actor },
    )
    for (const words of [['a813'], ['sichern'], ['restores'], ['backup']])
      expect(await findInIndex(org, 'control', words)).toEqual(['cp-1#A.8.13'])
    // Other record types are not searched (a nonconformity writes no entries).
    await org.create('cert-nc', 'cp-1#nc-1', { title: 'Backup not tested' }, { actor })
    expect(await store.records.forOrg('idx-b').sideKeys('SEARCHWORD#cert-nc#', 10)).toEqual([])
  })

  it('keeps a rewrite of a long text in one transaction', async () => {
    const org = store.records.forOrg('idx-c')
    const text = (p: string) => Array.from({ length: 80 }, (_, i) => `${p}${i}`).join(' ')
    await org.create('incident', 'INC-1', { title: text('alpha') }, { actor })
    await org.update('incident', 'INC-1', { title: text('beta') }, { actor, expectedVersion: 1 })
    expect(await entries('idx-c', 'incident')).toHaveLength(MAX_TERMS)
    expect(await findInIndex(org, 'incident', ['alpha'])).toEqual([])
    expect(await findInIndex(org, 'incident', ['beta1'])).toEqual(['INC-1'])
  })

  it('backfills records written before the index once, and drops the first index’s entries', async () => {
    const org = store.records.forOrg('idx-d')
    // A risk as an older version stored it: no entries beside it, and one entry of the first index.
    for (const Item of [
      {
        pk: 'ORG#idx-d',
        sk: 'risk#R-7',
        kind: 'record',
        type: 'risk',
        id: 'R-7',
        version: 1,
        data: { title: 'Flood in hall 3' },
      },
      { pk: 'ORG#idx-d', sk: 'SEARCH#flood#risk#R-7', kind: 'search' },
      { pk: 'ORG#idx-d', sk: 'SEARCHINDEXED#v1' },
    ])
      await store.doc.send(new PutCommand({ TableName: store.tableName, Item }))
    expect(await findInIndex(org, 'risk', ['flood'])).toEqual([])

    expect(await ensureSearchIndexed(org)).toBe(true)
    expect(await findInIndex(org, 'risk', ['flood'])).toEqual(['R-7'])
    expect(await entries('idx-d')).toEqual(searchKeysOf('risk', 'R-7', { title: 'Flood in hall 3' }).sort())
    expect(await org.sideKeys('SEARCH#', 10)).toEqual([])
    expect(await org.sideKeys('SEARCHINDEXED#v1', 10)).toEqual([])
    // Done once: a second call reads one key and writes nothing.
    expect(await ensureSearchIndexed(org)).toBe(false)
  })

  it('keeps organisations apart', async () => {
    await store.records.forOrg('idx-e').create('risk', 'R-1', { title: 'Ransomware' }, { actor })
    expect(await findInIndex(store.records.forOrg('idx-f'), 'risk', ['ransomware'])).toEqual([])
  })
})
