import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { embeddedStore } from '../../support/store.js'

describe('tenant records store', () => {
  let store: Awaited<ReturnType<typeof embeddedStore>>
  const actor = { userId: 'u-iso' }
  beforeAll(async () => {
    store = await embeddedStore()
  })
  afterAll(async () => store.close())

  it('refuses an access without a valid organisation', () => {
    expect(() => store.records.forOrg('')).toThrow(/organisation/)
    expect(() => store.records.forOrg('ORG#x')).toThrow(/organisation/)
  })

  it('creates, reads and updates with a version; a stale write is a 409 and changes nothing', async () => {
    const org = store.records.forOrg('acme')
    const created = await org.create('risk', 'r1', { title: 'Ransomware' }, { actor })
    expect(created.version).toBe(1)
    const updated = await org.update(
      'risk',
      'r1',
      { title: 'Ransomware on file servers' },
      { actor, expectedVersion: 1 },
    )
    expect(updated.version).toBe(2)
    await expect(
      org.update('risk', 'r1', { title: 'stale' }, { actor, expectedVersion: 1 }),
    ).rejects.toMatchObject({ code: 'conflict', status: 409 })
    expect((await org.get<{ title: string }>('risk', 'r1'))?.data.title).toBe('Ransomware on file servers')
  })

  it('a second create with the same id is a 409', async () => {
    const org = store.records.forOrg('acme')
    await org.create('risk', 'dup', { title: 'a' }, { actor })
    await expect(org.create('risk', 'dup', { title: 'b' }, { actor })).rejects.toMatchObject({ status: 409 })
  })

  it('keeps organisations apart', async () => {
    const a = store.records.forOrg('org-a')
    const b = store.records.forOrg('org-b')
    await a.create('risk', 'same-id', { title: 'A only' }, { actor })
    expect(await b.get('risk', 'same-id')).toBeUndefined()
    await expect(
      b.update('risk', 'same-id', { title: 'x' }, { actor, expectedVersion: 1 }),
    ).rejects.toMatchObject({ status: 404 })
    expect((await b.list('risk')).items).toHaveLength(0)
  })

  it('writes an append-only audit trail with before and after', async () => {
    const org = store.records.forOrg('audited')
    await org.create('policy', 'p1', { v: 1 }, { actor })
    await org.update('policy', 'p1', { v: 2 }, { actor: { userId: 'u-mgmt' }, expectedVersion: 1 })
    const hist = await org.history('policy', 'p1')
    expect(hist.map((h) => h.action)).toEqual(['policy.create', 'policy.update'])
    expect(hist[1]).toMatchObject({ before: { v: 1 }, after: { v: 2 }, actor: { userId: 'u-mgmt' } })
  })

  it('pages through lists', async () => {
    const org = store.records.forOrg('paged')
    for (let i = 0; i < 5; i++) await org.create('item', `i${i}`, { i }, { actor })
    const first = await org.list('item', { limit: 2 })
    expect(first.items.map((x) => x.id)).toEqual(['i0', 'i1'])
    const second = await org.list('item', { limit: 2, cursor: first.cursor })
    expect(second.items.map((x) => x.id)).toEqual(['i2', 'i3'])
    expect((await org.all('item')).length).toBe(5)
  })
})
