import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  canonicalJson,
  diffSnapshots,
  materialChange,
  type Risk,
  riskSnapshot,
  sha256Hex,
  snapshotHash,
  snapshotOf,
  type TreatmentPlan,
} from '../../../functions/domain/risk/index.js'

const risk: Risk = {
  id: 'R-7',
  title: 'Ransomware on the file server',
  description: 'Encrypted shares stop production planning.',
  category: 'cyber',
  assets: ['File server', 'Backup NAS'],
  threat: 'Ransomware',
  vulnerability: 'Flat network, no offline backup',
  ownerId: 'u-it',
  likelihood: 4,
  impact: 5,
  status: 'in-approval',
  controlIds: ['A.8.13', 'A.8.7', 'A.5.30'],
  obligationRefs: ['nis2.30.2.c'],
}
const plan: TreatmentPlan = {
  option: 'mitigate',
  measures: [
    { id: 'm2', description: 'Offline backup copy', ownerId: 'u-it', dueDate: '2026-06-30', costEur: 4000 },
    {
      id: 'm1',
      description: 'Segment the server network',
      ownerId: 'u-net',
      dueDate: '2026-05-31',
      controlId: 'A.8.22',
    },
  ],
  targetLikelihood: 2,
  targetImpact: 4,
  justification: '',
}

describe('sha256Hex', () => {
  it('matches the FIPS 180-4 test vectors', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    )
  })

  it('agrees with node:crypto on UTF-8 text of many lengths', () => {
    for (let n = 0; n < 200; n += 7) {
      const text = `Prüfung ✓ ${'x'.repeat(n)} Maßnahme`
      expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'))
    }
    const big = 'a'.repeat(100_000)
    expect(sha256Hex(big)).toBe(createHash('sha256').update(big).digest('hex'))
  })
})

describe('canonicalJson', () => {
  it('sorts keys, drops undefined and has no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: undefined, d: { z: -0, y: 1.5 } })).toBe(
      '{"a":[true,null,"x"],"b":1,"d":{"y":1.5,"z":0}}',
    )
  })

  it('refuses values JSON cannot carry', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/finite/)
    expect(() => canonicalJson([undefined])).toThrow(/undefined/)
    expect(() => canonicalJson({ d: new Date() })).toThrow(/plain object/)
  })
})

describe('riskSnapshot and snapshotHash', () => {
  it('is stable: the same content gives the same hash, whatever the order of sets and measures', () => {
    const a = riskSnapshot(risk, plan)
    const shuffled = riskSnapshot(
      { ...risk, assets: ['Backup NAS', 'File server'], controlIds: ['A.5.30', 'A.8.7', 'A.8.13'] },
      { ...plan, measures: [...plan.measures].reverse() },
    )
    expect(shuffled).toBe(a)
    expect(snapshotHash(a)).toBe(snapshotHash(shuffled))
    expect(snapshotHash(a)).toMatch(/^[0-9a-f]{64}$/)
  })

  it('pins the hash of a known snapshot (a change in canonical form must be deliberate)', () => {
    const json = riskSnapshot(risk, plan)
    expect(
      json.startsWith(
        '{"format":"ismsflow.risk-snapshot/1","plan":{"justification":"","measures":[{"controlId":"A.8.22"',
      ),
    ).toBe(true)
    expect(snapshotHash(json)).toBe(createHash('sha256').update(json).digest('hex'))
  })

  it('ignores status but changes with any decided content', () => {
    const base = snapshotHash(riskSnapshot(risk, plan))
    expect(snapshotHash(riskSnapshot({ ...risk, status: 'approved' } as Risk, plan))).toBe(base)
    expect(snapshotHash(riskSnapshot({ ...risk, impact: 4 }, plan))).not.toBe(base)
    expect(
      snapshotHash(
        riskSnapshot(risk, {
          ...plan,
          measures: [{ ...plan.measures[0]!, dueDate: '2026-07-31' }, plan.measures[1]!],
        }),
      ),
    ).not.toBe(base)
    expect(snapshotHash(riskSnapshot(risk, null))).not.toBe(base)
  })

  it('sorts control ids numerically and accepts an injected hash function', () => {
    expect(snapshotOf(risk, plan).risk.controlIds).toEqual(['A.5.30', 'A.8.7', 'A.8.13'])
    expect(snapshotHash(snapshotOf(risk, plan), (t) => `len:${t.length}`)).toMatch(/^len:\d+$/)
  })
})

describe('materialChange', () => {
  it('flags likelihood, impact, title and assets', () => {
    expect(materialChange(risk, { ...risk, likelihood: 5, assets: ['File server'] })).toEqual({
      changed: true,
      fields: ['likelihood', 'assets'],
    })
    expect(materialChange(risk, { ...risk, title: 'Ransomware on ERP' }).fields).toEqual(['title'])
  })

  it('ignores wording elsewhere, whitespace and asset order', () => {
    expect(
      materialChange(risk, {
        ...risk,
        description: 'new text',
        title: ' Ransomware  on the file server',
        assets: ['Backup NAS', 'File server '],
      }),
    ).toEqual({
      changed: false,
      fields: [],
    })
  })
})

describe('diffSnapshots', () => {
  it('lists what changed since the last round', () => {
    const before = riskSnapshot(risk, plan)
    const after = snapshotOf(
      { ...risk, impact: 4, assets: ['File server', 'ERP'] },
      {
        ...plan,
        targetLikelihood: 1,
        measures: [
          { ...plan.measures[0]!, costEur: 5000 },
          { id: 'm3', description: 'EDR', ownerId: 'u-it', dueDate: '2026-08-31' },
        ],
      },
    )
    const changes = diffSnapshots(before, after)
    expect(changes).toEqual(
      expect.arrayContaining([
        { path: 'risk.impact', field: 'risk.impact', kind: 'changed', before: 5, after: 4 },
        { path: 'risk.assets', field: 'risk.assets', kind: 'added', after: 'ERP' },
        { path: 'risk.assets', field: 'risk.assets', kind: 'removed', before: 'Backup NAS' },
        {
          path: 'plan.targetLikelihood',
          field: 'plan.targetLikelihood',
          kind: 'changed',
          before: 2,
          after: 1,
        },
        {
          path: 'plan.measures.m2.costEur',
          field: 'plan.measures.costEur',
          kind: 'changed',
          before: 4000,
          after: 5000,
        },
        expect.objectContaining({ path: 'plan.measures.m3', kind: 'added' }),
        expect.objectContaining({ path: 'plan.measures.m1', kind: 'removed' }),
      ]),
    )
    expect(changes).toHaveLength(7)
  })

  it('is empty for equal snapshots and shows the plan appearing', () => {
    expect(diffSnapshots(riskSnapshot(risk, plan), snapshotOf(risk, plan))).toEqual([])
    expect(diffSnapshots(riskSnapshot(risk, null), riskSnapshot(risk, plan))).toEqual([
      expect.objectContaining({ path: 'plan', kind: 'added' }),
    ])
  })
})
