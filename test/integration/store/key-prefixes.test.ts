import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { localCredentials } from '../../../infra/local/credentials.js'
import { type EmbeddedDynamo, startDynamo } from '../../../infra/local/dynamo.js'

/**
 * The embedded store keeps dynalite's hash prefixes of partition keys (infra/local/dynamo.ts,
 * `cacheHashPrefixes`) and builds item keys with them. Every key must be the one a pristine
 * copy of dynalite's db module builds, for each key type, table and index key schema, asked
 * for again (from the kept prefix) and after other keys.
 */
describe('embedded store item keys', () => {
  let store: EmbeddedDynamo
  beforeAll(async () => {
    store = await startDynamo({ port: 0, credentials: localCredentials() })
  })
  afterAll(async () => {
    await store.close()
  })

  type Item = Record<string, Record<string, unknown>>
  interface KeysModule {
    createKey(item: Item, table: object, keySchema?: unknown): string
    hashPrefix(hashKey: unknown, hashType: string, rangeKey?: unknown, rangeType?: string): string
  }

  it("builds every key as dynalite's own module does", () => {
    // Prepare: the store's module (prefixes kept) and a fresh copy of dynalite's
    const require = createRequire(import.meta.url)
    const path = require.resolve('dynalite/db')
    const kept: KeysModule = require(path)
    const saved = require.cache[path]
    delete require.cache[path]
    const pristine: KeysModule = require(path)
    if (saved) require.cache[path] = saved
    // the store's module has its own createKey (the kept prefixes'), the copy dynalite's
    expect(kept.createKey.toString()).not.toBe(pristine.createKey.toString())
    const table = (hash: string, range?: string) => ({
      AttributeDefinitions: [
        { AttributeName: 'h', AttributeType: hash },
        ...(range ? [{ AttributeName: 'r', AttributeType: range }] : []),
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'h', KeyType: 'HASH' },
        ...(range ? [{ AttributeName: 'r', KeyType: 'RANGE' }] : []),
      ],
    })
    const values: Record<string, unknown[]> = {
      S: ['org#nordlicht', 'é✓ 日本', 'a', 'org#nordlicht'],
      N: ['0', '1', '-1.5', '12345678901234567890', '1e-30', '1'],
      B: ['AAEC', 'aGVsbG8=', 'AAEC'],
    }
    const cases: [Item, object, unknown?][] = []
    for (const [hashType, hashes] of Object.entries(values))
      for (const h of hashes) {
        cases.push([{ h: { [hashType]: h } }, table(hashType)])
        for (const [rangeType, ranges] of Object.entries(values))
          for (const r of ranges.slice(0, 2))
            cases.push([{ h: { [hashType]: h }, r: { [rangeType]: r } }, table(hashType, rangeType)])
      }
    // an index's key schema (a Query's ExclusiveStartKey)
    cases.push([
      { h: { S: 'x' }, g: { S: 'org#nordlicht' } },
      table('S'),
      [
        { AttributeName: 'g', KeyType: 'HASH' },
        { AttributeName: 'h', KeyType: 'RANGE' },
      ],
    ])
    // Act and assess: twice over (the second time from kept prefixes)
    for (let round = 0; round < 2; round++)
      for (const [item, t, schema] of cases) {
        expect(kept.createKey(item, t, schema)).toBe(pristine.createKey(item, t, schema))
        const [hashType] = Object.keys(item.h)
        expect(kept.hashPrefix(item.h[hashType], hashType)).toBe(
          pristine.hashPrefix(item.h[hashType], hashType),
        )
      }
    expect(kept.hashPrefix('a', 'S', 'b', 'S')).toBe(pristine.hashPrefix('a', 'S', 'b', 'S'))
    // a key attribute missing: the same TypeError
    const missing = (m: KeysModule) => {
      try {
        return m.createKey({ r: { S: 'x' } }, table('S', 'S'))
      } catch (e) {
        return e instanceof Error ? `${e.name}: ${e.message}` : `not an Error: ${String(e)}`
      }
    }
    expect(missing(kept)).toBe(missing(pristine))
    expect(missing(kept)).toMatch(/TypeError/)
  })
})
