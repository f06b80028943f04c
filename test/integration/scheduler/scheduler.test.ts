import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Clock, createClock } from '../../../infra/local/clock.js'
import {
  createScheduler,
  type Occurrence,
  type Scheduler,
  type SchedulerOptions,
} from '../../../infra/local/scheduler.js'
import { embeddedStore } from '../../support/store.js'

const DAY = 86_400_000
const QUARTERLY = 'cron(0 9 1 1,4,7,10 ? *)' // 09:00 Europe/Berlin on 1 Jan/Apr/Jul/Oct

/** A clock that starts at `iso` and moves only when told to (real time aside). */
const clockAt = (iso: string) => createClock({ offsetMs: Date.parse(iso) - Date.now() })
const advanceTo = async (clock: Clock, iso: string) =>
  clock.advance(Math.max(0, Date.parse(iso) - clock.nowMs()))

describe('local scheduler (embedded store, injectable clock)', () => {
  let store: Awaited<ReturnType<typeof embeddedStore>>
  let clock: Clock
  const fired: Occurrence[] = []
  const failing = new Map<string, number>() // `${orgId}/${scheduleId}` → failures left
  const running: Scheduler[] = []

  const scheduler = (extra: Partial<SchedulerOptions> = {}) => {
    const s = createScheduler({
      doc: store.doc,
      tableName: store.tableName,
      records: store.records,
      clock,
      fire: async (_schedule, occurrence) => {
        const k = `${occurrence.orgId}/${occurrence.scheduleId}`
        if ((failing.get(k) ?? 0) > 0) {
          failing.set(k, failing.get(k)! - 1)
          throw new Error('engine unavailable')
        }
        fired.push(occurrence)
      },
      onError: (err) => {
        throw err
      },
      ...extra,
    })
    running.push(s)
    return s
  }
  const firedFor = (orgId: string, scheduleId: string) =>
    fired.filter((o) => o.orgId === orgId && o.scheduleId === scheduleId)

  beforeAll(async () => {
    clock = clockAt('2026-01-15T12:00:00Z')
    store = await embeddedStore({ now: () => clock.now() })
  })
  afterAll(async () => {
    for (const s of running) await s.stop()
    clock.stop()
    await store.close()
  })

  it('fires a schedule at its time, with the occurrence id as execution name, and shows the next due date', async () => {
    const s = scheduler()
    await s.start()
    const view = await s.upsert({
      orgId: 'acme',
      id: 'risk-review',
      expression: QUARTERLY,
      payload: { kind: 'risk-review' },
    })
    expect(view).toMatchObject({
      timeZone: 'Europe/Berlin',
      enabled: true,
      version: 1,
      nextDue: '2026-04-01T07:00:00.000Z',
    })

    await advanceTo(clock, '2026-04-01T06:59:00Z')
    await s.idle()
    expect(firedFor('acme', 'risk-review')).toHaveLength(0)

    await advanceTo(clock, '2026-04-01T07:00:00Z')
    await s.idle()
    expect(firedFor('acme', 'risk-review')).toEqual([
      {
        id: 'acme_risk-review_20260401T0700Z',
        orgId: 'acme',
        scheduleId: 'risk-review',
        scheduledAt: '2026-04-01T07:00:00.000Z',
        late: false,
        missed: [],
        missedCount: 0,
        attempt: 1,
      },
    ])
    expect((await s.runs('acme', 'risk-review'))[0]).toMatchObject({
      status: 'fired',
      occurrenceId: 'acme_risk-review_20260401T0700Z',
    })
    expect((await s.get('acme', 'risk-review'))?.nextDue).toBe('2026-07-01T07:00:00.000Z')
    await s.stop()
  })

  it('down across three quarterly occurrences: on start the latest fires once, the earlier two are recorded as missed', async () => {
    await advanceTo(clock, '2027-01-20T10:00:00Z') // process is down: Jul 1, Oct 1 and Jan 1 pass
    const before = firedFor('acme', 'risk-review').length

    const s = scheduler()
    const summary = await s.start()
    expect(summary.fired.map((o) => o.id)).toEqual(['acme_risk-review_20270101T0800Z'])
    const now = firedFor('acme', 'risk-review').slice(before)
    expect(now).toEqual([
      expect.objectContaining({
        id: 'acme_risk-review_20270101T0800Z',
        late: true,
        missed: ['2026-07-01T07:00:00.000Z', '2026-10-01T07:00:00.000Z'],
        missedCount: 2,
      }),
    ])
    const runs = await s.runs('acme', 'risk-review')
    expect(runs.map((r) => [r.scheduledAt, r.status])).toEqual([
      ['2027-01-01T08:00:00.000Z', 'fired'],
      ['2026-10-01T07:00:00.000Z', 'missed'],
      ['2026-07-01T07:00:00.000Z', 'missed'],
      ['2026-04-01T07:00:00.000Z', 'fired'],
    ])
    // the miss stays visible in the audit log too
    const audit = await store.records.forOrg('acme').history('schedule-run', 'risk-review@20261001T070000Z')
    expect(audit.map((a) => a.action)).toEqual(['schedule.missed'])
    await s.stop()
  })

  it('a restart does not fire again; the next occurrence fires as usual', async () => {
    const before = firedFor('acme', 'risk-review').length
    const s = scheduler()
    expect((await s.start()).fired).toEqual([])
    expect(firedFor('acme', 'risk-review')).toHaveLength(before)

    await advanceTo(clock, '2027-04-01T07:00:00Z')
    await s.idle()
    expect(
      firedFor('acme', 'risk-review')
        .slice(before)
        .map((o) => [o.id, o.late]),
    ).toEqual([['acme_risk-review_20270401T0700Z', false]])
    await s.stop()
  })

  it('two processes starting at once fire a missed occurrence exactly once', async () => {
    const a = scheduler()
    await a.upsert({ orgId: 'race', id: 'policy-review', expression: 'cron(0 9 1 5 ? *)' })
    await advanceTo(clock, '2027-05-03T00:00:00Z')
    const b = scheduler()
    const c = scheduler()
    const [rb, rc] = await Promise.all([b.start(), c.start()])
    const both = [...rb.fired, ...rc.fired].filter((o) => o.orgId === 'race')
    expect(both.map((o) => o.id)).toEqual(['race_policy-review_20270501T0700Z'])
    expect(firedFor('race', 'policy-review')).toHaveLength(1)
    await b.stop()
    await c.stop()
  })

  it('keeps organisations apart: same schedule id, separate lists, distinct occurrence ids', async () => {
    const s = scheduler()
    await s.start()
    await s.upsert({ orgId: 'org-a', id: 'access-review', expression: 'cron(0 9 1 6,12 ? *)' })
    await s.upsert({
      orgId: 'org-b',
      id: 'access-review',
      expression: 'cron(0 9 1 6,12 ? *)',
      timeZone: 'UTC',
    })
    expect((await s.list('org-a')).map((x) => [x.orgId, x.id, x.timeZone])).toEqual([
      ['org-a', 'access-review', 'Europe/Berlin'],
    ])
    expect(await s.get('org-c', 'access-review')).toBeUndefined()
    await advanceTo(clock, '2027-06-01T09:00:00Z')
    await s.idle()
    expect(fired.filter((o) => o.scheduleId === 'access-review').map((o) => o.id)).toEqual([
      'org-a_access-review_20270601T0700Z',
      'org-b_access-review_20270601T0900Z',
    ])
    await s.stop()
  })

  it('refuses bad input naming the field and writes nothing', async () => {
    const s = scheduler()
    await expect(
      s.upsert({
        orgId: 'bad',
        id: 'x y',
        expression: 'cron(0 9 * * * *)',
        timeZone: 'Mars/Olympus',
        startDate: 'soon',
      }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      fields: {
        id: expect.any(String),
        expression: expect.any(String),
        timeZone: expect.any(String),
        startDate: expect.any(String),
      },
    })
    await expect(s.upsert({ orgId: 'bad', id: 'ok', expression: 'rate(1 days)' })).rejects.toMatchObject({
      fields: { expression: 'rate of 1 takes the singular unit: rate(1 day)' },
    })
    expect(await s.list('bad')).toEqual([])
  })

  it('refuses a schedule colliding with another of the same key on an occurrence (409 naming expression)', async () => {
    const s = scheduler({ collisionKey: (d) => d.payload?.kind as string | undefined })
    await s.upsert({ orgId: 'coll', id: 'q', expression: QUARTERLY, payload: { kind: 'risk-review' } })
    await expect(
      s.upsert({
        orgId: 'coll',
        id: 'y',
        expression: 'cron(0 9 1 10 ? *)',
        payload: { kind: 'risk-review' },
      }),
    ).rejects.toMatchObject({
      code: 'conflict',
      fields: { expression: expect.stringMatching(/collides with schedule q/) },
    })
    // another kind, or another time, is fine
    await s.upsert({
      orgId: 'coll',
      id: 'p',
      expression: 'cron(0 9 1 10 ? *)',
      payload: { kind: 'policy-review' },
    })
    await s.upsert({
      orgId: 'coll',
      id: 'y',
      expression: 'cron(0 10 1 10 ? *)',
      payload: { kind: 'risk-review' },
    })
    expect((await s.list('coll')).map((x) => x.id)).toEqual(['p', 'q', 'y'])
  })

  it('an edit re-times the schedule; a stale edit is a 409; disable and remove stop it', async () => {
    const s = scheduler()
    await s.start()
    const v1 = await s.upsert({ orgId: 'edit', id: 'supplier-review', expression: 'cron(0 9 1 1 ? *)' })
    const v2 = await s.upsert(
      { orgId: 'edit', id: 'supplier-review', expression: 'cron(0 9 15 7 ? *)' },
      { expectedVersion: v1.version },
    )
    expect(v2).toMatchObject({ version: 2, nextDue: '2027-07-15T07:00:00.000Z' })
    await expect(
      s.upsert({ orgId: 'edit', id: 'supplier-review', expression: QUARTERLY }, { expectedVersion: 1 }),
    ).rejects.toMatchObject({
      code: 'conflict',
    })
    await advanceTo(clock, '2027-07-15T07:00:00Z')
    await s.idle()
    expect(firedFor('edit', 'supplier-review').map((o) => o.id)).toEqual([
      'edit_supplier-review_20270715T0700Z',
    ])

    const off = await s.upsert({
      orgId: 'edit',
      id: 'supplier-review',
      expression: 'cron(0 9 15 * ? *)',
      enabled: false,
    })
    expect(off.nextDue).toBeUndefined()
    await advanceTo(clock, '2027-08-15T08:00:00Z')
    await s.idle()
    expect(firedFor('edit', 'supplier-review')).toHaveLength(1)

    // re-enabling does not back-fill the disabled period
    await s.upsert({ orgId: 'edit', id: 'supplier-review', expression: 'cron(0 9 15 * ? *)', enabled: true })
    await s.idle()
    expect(firedFor('edit', 'supplier-review')).toHaveLength(1)

    await s.remove('edit', 'supplier-review')
    await advanceTo(clock, '2027-09-16T00:00:00Z')
    await s.idle()
    expect(firedFor('edit', 'supplier-review')).toHaveLength(1)
    expect(await s.list('edit')).toEqual([])
    await s.stop()
  })

  it('a failed fire is recorded and retried with the same occurrence id', async () => {
    const s = scheduler({ retryDelayMs: 5 * 60_000 })
    await s.start()
    await s.upsert({ orgId: 'flaky', id: 'obligations', expression: 'cron(0 9 1 10 ? *)' })
    failing.set('flaky/obligations', 1)
    await advanceTo(clock, '2027-10-01T07:00:00Z')
    await s.idle()
    expect(firedFor('flaky', 'obligations')).toHaveLength(0)
    expect((await s.runs('flaky', 'obligations'))[0]).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: 'engine unavailable',
    })

    await clock.advance(5 * 60_000)
    await s.idle()
    expect(firedFor('flaky', 'obligations').map((o) => [o.id, o.attempt])).toEqual([
      ['flaky_obligations_20271001T0700Z', 2],
    ])
    expect((await s.runs('flaky', 'obligations'))[0]).toMatchObject({ status: 'fired', attempts: 2 })

    // and a restart does not fire it a third time
    await s.stop()
    const again = scheduler()
    expect((await again.start()).fired.filter((o) => o.orgId === 'flaky')).toEqual([])
    await again.stop()
  })

  it('a fire interrupted by a crash is fired again with the same id once its lease runs out', async () => {
    const s = scheduler({ leaseMs: 5 * 60_000 })
    await s.upsert({ orgId: 'crash', id: 'mgmt', expression: 'cron(0 9 1 11 ? *)' })
    await advanceTo(clock, '2027-11-01T08:00:00Z')
    // what a process killed between claim and fire leaves behind
    await store.records.forOrg('crash').create(
      'schedule-run',
      'mgmt@20271101T080000Z',
      {
        scheduleId: 'mgmt',
        occurrenceId: 'crash_mgmt_20271101T0800Z',
        scheduledAt: '2027-11-01T08:00:00.000Z',
        status: 'firing',
        attempts: 1,
        lastAttemptAt: clock.now().toISOString(),
      },
      { actor: { userId: 'system:scheduler' } },
    )
    expect((await s.start()).fired.filter((o) => o.orgId === 'crash')).toEqual([])
    await clock.advance(5 * 60_000)
    await s.idle()
    expect(firedFor('crash', 'mgmt').map((o) => [o.id, o.attempt, o.late])).toEqual([
      ['crash_mgmt_20271101T0800Z', 2, true],
    ])
    expect((await s.runs('crash', 'mgmt')).map((r) => [r.status, r.attempts])).toEqual([['fired', 2]])
    await s.stop()
  })

  it('a rate schedule with a start date fires from that date, not before', async () => {
    const s = scheduler()
    await s.start()
    const start = new Date(clock.nowMs() + 2 * DAY).toISOString()
    const v = await s.upsert({ orgId: 'rate', id: 'weekly', expression: 'rate(7 days)', startDate: start })
    expect(v.nextDue).toBe(start)
    await clock.advance(DAY)
    await s.idle()
    expect(firedFor('rate', 'weekly')).toHaveLength(0)
    await clock.advance(DAY)
    await s.idle()
    expect(firedFor('rate', 'weekly').map((o) => o.scheduledAt)).toEqual([start])
    await s.stop()
  })
})
