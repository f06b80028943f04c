import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROLES } from '../../../functions/api/env.js'
import { maySeeCycle, maySeeEntry, type Viewer } from '../../../functions/api/routes/reviews/access.js'
import { type CalendarItem, mergeCalendarItems } from '../../../functions/domain/calendar/index.js'
import { parseCertificationTemplate } from '../../../functions/domain/certification/index.js'
import {
  calendarItemsFor,
  REVIEW,
  REVIEW_ENTRY,
  type ReviewCycle,
  type ReviewEntry,
} from '../../../functions/domain/reviews/index.js'
import { addDays } from '../../../functions/domain/risk/calendar.js'
import { MINIMAL_SEED } from '../../../infra/local/seed/index.js'
import isoTemplateJson from '../../../workflows/certification/iso27001.json' with { type: 'json' }
import tisaxTemplateJson from '../../../workflows/certification/tisax.json' with { type: 'json' }
import { type Client, startTestStack } from '../../support/stack.js'

const DAY = 86_400_000
/** More records of each kind than one read of a stream takes (200), spread over two years. */
const COUNT = 260
const ACTOR = { actor: { userId: 'demo-iso' }, action: 'probe.create' }

/**
 * The calendar reads only its window: review cycles by due time, risk acceptances by expiry,
 * certification projects by audit date and certificate expiry, the programme's entries started
 * before the window's end (the list index's streams). What it shows is exactly what filtering
 * every record of the organisation gives, for the ISO and for a member, and never another
 * organisation's records.
 */
describe('the calendar reads its window by key', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let member: Client
  let hafenstadtIso: Client
  let today: string

  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)

  async function write(orgId: string, tag: string) {
    const org = t.stack.deps.records.forOrg(orgId)
    const now = t.stack.clock.nowMs()
    for (let n = 0; n < COUNT; n += 20)
      await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const k = n + i
          const at = now + (k * 3 - 300) * DAY
          const cycle: ReviewCycle = {
            entryId: `probe-${k % 4}`,
            kind: 'access-review',
            title: { en: `${tag} review ${k}`, de: `${tag} Überprüfung ${k}` },
            formId: 'access-review',
            occurrenceId: `${tag}-${k}`,
            trigger: 'manual',
            scheduledAt: new Date(at - 14 * DAY).toISOString(),
            dueAt: new Date(at + (k % 24) * 3_600_000).toISOString(),
            period: { from: new Date(at - 100 * DAY).toISOString(), to: new Date(at).toISOString() },
            status: k % 5 === 0 ? 'completed' : k % 7 === 0 ? 'missed' : 'open',
            performer: k % 3 === 0 ? { userId: 'demo-member' } : { role: k % 2 ? 'iso' : 'member' },
            rounds: 1,
            signOff: { required: false, history: [] },
            actions: [],
          }
          await org.create(REVIEW, `probe-${tag}-${k}`, cycle, ACTOR)
          await org.create(
            'risk',
            `R-${9000 + k}`,
            {
              title: `${tag} risk ${k}`,
              status: 'accepted',
              ownerId: k % 4 === 0 ? 'demo-member' : 'demo-iso',
              likelihood: 2,
              impact: 3,
              acceptance:
                k % 6 === 5
                  ? { status: 'expired', expiresOn: day(at) }
                  : { status: 'active', expiresOn: day(at + 7 * DAY) },
            },
            ACTOR,
          )
        }),
      )
    for (const [k, offset] of [30, -400, 700, 1500].entries()) {
      await org.create(
        'cert-project',
        `probe-${tag}-${k}`,
        {
          title: `${tag} project ${k}`,
          standard: k % 2 ? 'tisax' : 'iso27001',
          auditDate: day(now + offset * DAY),
          done: {},
          ...(k === 1 ? { certificate: { number: 'C-1', validUntil: day(now + 40 * DAY) } } : {}),
        },
        ACTOR,
      )
      const entry: ReviewEntry = {
        kind: 'access-review',
        title: { en: `${tag} entry ${k}`, de: `${tag} Eintrag ${k}` },
        formId: 'access-review',
        expression: 'cron(0 9 ? * MON *)',
        timeZone: 'Europe/Berlin',
        ...(k === 0 ? {} : { startDate: day(now + (offset / 5) * DAY) }),
        ...(k === 2 ? { ownerId: 'demo-member' } : {}),
        performerRole: 'iso',
        managementSignOff: false,
        dueAfterDays: 14,
        reminderDaysBefore: [],
        escalationGraceDays: 7,
        enabled: k !== 3,
        createdAt: new Date(now - 500 * DAY).toISOString(),
      }
      await org.create(REVIEW_ENTRY, `probe-${tag}-${k}`, entry, ACTOR)
    }
  }

  /** What the calendar showed before: every record of the organisation, filtered in memory. */
  async function expected(orgId: string, userId: string, from: string, to: string) {
    const org = t.stack.deps.records.forOrg(orgId)
    const m = await t.stack.deps.identity.getMembership(orgId, userId)
    const viewer: Viewer = { userId, roles: ROLES.filter((r) => m?.roles.includes(r)) }
    const [entries, reviews, projects, risks, profile] = await Promise.all([
      org.all<ReviewEntry>(REVIEW_ENTRY),
      org.all<ReviewCycle>(REVIEW),
      org.all('cert-project'),
      org.all('risk'),
      t.stack.deps.identity.getOrg(orgId),
    ])
    const items = calendarItemsFor({
      orgId,
      orgName: profile?.name ?? orgId,
      now: new Date(t.stack.clock.nowMs()),
      from,
      to,
      zone: 'Europe/Berlin',
      viewer,
      entries: entries.filter((e) => maySeeEntry(viewer, e.data)),
      reviews: reviews.filter((r) => maySeeCycle(viewer, r.data)),
      tasks: [],
      projects,
      risks,
      templates: {
        iso27001: parseCertificationTemplate(isoTemplateJson),
        tisax: parseCertificationTemplate(tisaxTemplateJson),
      },
    })
    return mergeCalendarItems([items], { from, to, zone: 'Europe/Berlin' })
  }

  const shown = async (client: Client, query: string) => {
    const res = await client.get(`/api/calendar?${query}`)
    expect(res.status).toBe(200)
    const items: CalendarItem[] = res.body.items
    return items.filter((i) => i.kind !== 'task')
  }

  beforeAll(async () => {
    t = await startTestStack({ seedSteps: MINIMAL_SEED })
    today = day(t.stack.clock.nowMs())
    await Promise.all([write('nordlicht', 'N'), write('hafenstadt', 'H')])
    ;[iso, member, hafenstadtIso] = await Promise.all([
      t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht'),
      t.signIn('member@demo.ismsflow.test'),
      t.signIn('iso@demo.ismsflow.test', undefined, 'hafenstadt'),
    ])
  })
  afterAll(async () => t?.close())

  it('shows exactly what filtering every record gives, for several windows, to the ISO and a member', async () => {
    const windows = [
      [addDays(today, -7), addDays(today, 120)],
      [addDays(today, -300), addDays(today, 90)],
      [addDays(today, 200), addDays(today, 560)],
    ]
    for (const [from, to] of windows) {
      const mine = await shown(iso, `from=${from}&to=${to}`)
      const want = await expected('nordlicht', 'demo-iso', from, to)
      expect(want.length).toBeGreaterThan(20)
      expect(mine).toEqual(want)
      expect(mine.some((i) => i.kind === 'acceptance-expiry')).toBe(true)
      expect(mine.some((i) => i.kind === 'review' && i.status !== 'planned')).toBe(true)
      const theirs = await shown(member, `from=${from}&to=${to}`)
      expect(theirs).toEqual(await expected('nordlicht', 'demo-member', from, to))
      expect(theirs.length).toBeLessThan(mine.length)
    }
    const near = await shown(iso, `from=${addDays(today, -7)}&to=${addDays(today, 120)}`)
    expect(near.some((i) => i.kind === 'milestone')).toBe(true)
    expect(near.some((i) => i.id.endsWith('.certificate'))).toBe(true)
  })

  it("never shows another organisation's records", async () => {
    const from = addDays(today, -300)
    const to = addDays(today, 90)
    const nordlicht = await shown(iso, `from=${from}&to=${to}`)
    expect(
      nordlicht.every(
        (i) => i.orgId === 'nordlicht' && !/\bH (review|risk|project|entry)\b/.test(i.title.en),
      ),
    ).toBe(true)
    const hafenstadt = await shown(hafenstadtIso, `from=${from}&to=${to}`)
    expect(
      hafenstadt.every(
        (i) => i.orgId === 'hafenstadt' && !/\bN (review|risk|project|entry)\b/.test(i.title.en),
      ),
    ).toBe(true)
    expect(hafenstadt).toEqual(await expected('hafenstadt', 'demo-iso', from, to))
  })
})
