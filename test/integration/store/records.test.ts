import { TransactionCanceledException } from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConflictError } from '../../../functions/domain/errors.js'
import { RecordChangedError, RecordExistsError } from '../../../functions/store/records.js'
import { embeddedStore } from '../../support/store.js'

// The same records over the signed HTTP endpoint and in-process (the local stack's own clients).
describe.each(['http', 'in-process'] as const)('tenant records store (%s)', (transport) => {
  let store: Awaited<ReturnType<typeof embeddedStore>>
  const actor = { userId: 'u-iso' }
  beforeAll(async () => {
    store = await embeddedStore({ transport })
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
    ).rejects.toMatchObject({ code: 'conflict' })
    expect((await org.get<{ title: string }>('risk', 'r1'))?.data.title).toBe('Ransomware on file servers')
  })

  it('a second create with the same id is a 409', async () => {
    const org = store.records.forOrg('acme')
    await org.create('risk', 'dup', { title: 'a' }, { actor })
    await expect(org.create('risk', 'dup', { title: 'b' }, { actor })).rejects.toMatchObject({
      code: 'conflict',
    })
  })

  it('a refused write answers the record as stored, so no second read is needed', async () => {
    const org = store.records.forOrg('acme')
    await org.create('risk', 'held', { title: 'first' }, { actor })
    const exists = await org.create('risk', 'held', { title: 'second' }, { actor }).catch((e) => e)
    expect(exists).toBeInstanceOf(RecordExistsError)
    expect(exists).toBeInstanceOf(ConflictError)
    expect(exists.cause).toBeInstanceOf(TransactionCanceledException)
    expect(exists.stored()).toMatchObject({ id: 'held', version: 1, data: { title: 'first' } })

    const again = await org.createOrGet('risk', 'held', { title: 'third' }, { actor })
    expect(again).toMatchObject({ created: false, rec: { version: 1, data: { title: 'first' } } })
    const fresh = await org.createOrGet('risk', 'fresh', { title: 'new' }, { actor })
    expect(fresh).toMatchObject({ created: true, rec: { version: 1, data: { title: 'new' } } })

    await org.update('risk', 'held', { title: 'changed' }, { actor, expectedVersion: 1 })
    const stale = await org
      .update('risk', 'held', { title: 'stale' }, { actor, expectedVersion: 1 })
      .catch((e) => e)
    expect(stale).toBeInstanceOf(RecordChangedError)
    expect(stale.fields).toEqual({ version: 'expected 2' })
    expect(stale.stored()).toMatchObject({ version: 2, data: { title: 'changed' } })
  })

  it('mutate retries on a concurrent change with the record the refused write read', async () => {
    const org = store.records.forOrg('acme')
    await org.create('counter', 'c1', { n: 0 }, { actor })
    await Promise.all(
      Array.from({ length: 4 }, () =>
        org.mutate<{ n: number }>('counter', 'c1', (d) => ({ n: d.n + 1 }), { actor }),
      ),
    )
    expect((await org.get<{ n: number }>('counter', 'c1'))?.data.n).toBe(4)
  })

  it('keeps organisations apart', async () => {
    const a = store.records.forOrg('org-a')
    const b = store.records.forOrg('org-b')
    await a.create('risk', 'same-id', { title: 'A only' }, { actor })
    expect(await b.get('risk', 'same-id')).toBeUndefined()
    await expect(
      b.update('risk', 'same-id', { title: 'x' }, { actor, expectedVersion: 1 }),
    ).rejects.toMatchObject({ code: 'not_found' })
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
