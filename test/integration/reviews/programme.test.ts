import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { validateIcs } from '../../../functions/domain/calendar/index.js'
import { handler as reviewScheduleTarget } from '../../../functions/steps/review-schedule-target.js'
import { type Client, startTestStack } from '../../support/stack.js'

/**
 * The review programme API on the whole local stack (store, engine, scheduler) with the demo
 * seed: bad input names the field and writes nothing, tenants never see each other's
 * entries or reviews, the seeded programme shows next due dates and the last result, the
 * calendar and the feed.
 */
describe('review programme API', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let isoHafenstadt: Client
  let mgmt: Client
  let member: Client
  let hafenstadtMember: Client

  beforeAll(async () => {
    t = await startTestStack()
    iso = await t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht')
    isoHafenstadt = await t.signIn('iso@demo.ismsflow.test', undefined, 'hafenstadt')
    mgmt = await t.signIn('management@demo.ismsflow.test')
    member = await t.signIn('member@demo.ismsflow.test')
    hafenstadtMember = await t.signIn('member@hafenstadt.ismsflow.test')
  })
  afterAll(async () => t?.close())

  const entries = async (c: Client) => (await c.get('/api/reviews/programme')).body.items as any[]
  const schedules = (orgId: string) => t.stack.scheduler.list(orgId)

  it('shows the seeded Nordlicht programme with next due dates, the last result and the missed review', async () => {
    const items = await entries(iso)
    expect(items.map((e) => e.kind).sort()).toEqual([
      'access-review',
      'backup-restore-test',
      'management-review',
      'obligation-reassessment',
      'policy-review',
      'risk-review',
      'supplier-review',
    ])
    const risk = items.find((e) => e.kind === 'risk-review')
    expect(risk.cadence).toBe('quarterly')
    expect(risk.timeZone).toBe('Europe/Berlin')
    expect(risk.schedule.description.en).toMatch(/quarter/)
    expect(risk.schedule.nextDue.text.en).toMatch(/^Next due: /)
    expect(Date.parse(risk.schedule.nextDue.at)).toBeGreaterThan(t.stack.clock.nowMs())
    expect(risk.lastResult).toMatchObject({ status: 'completed', signedOff: true })
    expect(risk.current).toMatchObject({ status: 'open' })
    const supplier = items.find((e) => e.kind === 'supplier-review')
    expect(supplier.missed).toBe(1)
    // Every entry has its schedule in the durable scheduler.
    expect((await schedules('nordlicht')).map((s) => s.id).sort()).toEqual(items.map((e) => e.id).sort())
  })

  it('refuses bad input with 400 naming the field and writes nothing', async () => {
    const before = await entries(isoHafenstadt)
    const auditBefore = (await isoHafenstadt.get('/api/audit?limit=5')).body.items?.[0]
    const cases: [Record<string, unknown>, string][] = [
      [{ kind: 'supplier-review', expression: 'cron(0 9 32 * ? *)' }, 'expression'],
      [{ kind: 'supplier-review', expression: 'rate(5 minutes)' }, 'expression'],
      [{ kind: 'supplier-review', expression: 'every monday' }, 'expression'],
      [{ kind: 'supplier-review', expression: 'at(2030-01-01T09:00:00)' }, 'expression'],
      [{ kind: 'supplier-review', timeZone: 'Europe/Hamburg' }, 'timeZone'],
      [{ kind: 'supplier-review', formId: 'review-does-not-exist' }, 'formId'],
      [{ kind: 'holiday-review' }, 'kind'],
      [{ kind: 'supplier-review', ownerId: 'demo-management' }, 'ownerId'],
      [{ kind: 'supplier-review', cadence: 'weekly' }, 'cadence'],
      [{ kind: 'supplier-review', startDate: '2026-13-01' }, 'startDate'],
      [{ kind: 'supplier-review', surprise: true }, 'surprise'],
    ]
    for (const [body, field] of cases) {
      const res = await isoHafenstadt.post('/api/reviews/programme', body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(Object.keys(res.body.error.fields), JSON.stringify(body)).toContain(field)
    }
    // The seeded Hafenstadt access review fires on 1 March and 1 September at 09:00: a second
    // access review at the same moment collides.
    const collision = await isoHafenstadt.post('/api/reviews/programme', {
      kind: 'access-review',
      expression: 'cron(0 9 1 3,9 ? *)',
    })
    expect(collision.status).toBe(400)
    expect(collision.body.error.fields.expression).toMatch(/collides with the access-review access-review/)

    expect(await entries(isoHafenstadt)).toEqual(before)
    expect((await schedules('hafenstadt')).length).toBe(before.length)
    expect((await isoHafenstadt.get('/api/audit?limit=5')).body.items?.[0]).toEqual(auditBefore)
  })

  it('lets the ISO create, change and delete an entry with its schedule; others may not', async () => {
    expect((await member.post('/api/reviews/programme', { kind: 'supplier-review' })).status).toBe(403)
    expect((await mgmt.post('/api/reviews/programme', { kind: 'supplier-review' })).status).toBe(403)

    const created = await isoHafenstadt.post('/api/reviews/programme', {
      kind: 'supplier-review',
      cadence: 'half-yearly',
      startDate: '2027-01-01',
      ownerId: 'demo-hafenstadt-member',
    })
    expect(created.status).toBe(201)
    const entry = created.body.entry
    expect(entry).toMatchObject({
      id: 'supplier-review',
      expression: 'cron(0 9 1 6,12 ? *)',
      cadence: 'half-yearly',
      ownerName: 'Hanna Petersen',
      version: 1,
    })
    expect(entry.schedule.nextDue.at >= '2027-01-01').toBe(true)
    const stored = await t.stack.scheduler.get('hafenstadt', 'supplier-review')
    expect(stored).toMatchObject({ expression: 'cron(0 9 1 6,12 ? *)', startDate: '2027-01-01' })

    // A second entry of a kind gets the next free id; an id in use is a 409.
    const dup = await isoHafenstadt.post('/api/reviews/programme', {
      id: 'supplier-review',
      kind: 'supplier-review',
    })
    expect(dup.status).toBe(409)
    expect(dup.body.error.fields.id).toBeDefined()

    const stale = await isoHafenstadt.call('PUT', '/api/reviews/programme/supplier-review', {
      expectedVersion: 9,
      cadence: 'yearly',
    })
    expect(stale.status).toBe(409)
    const changed = await isoHafenstadt.call('PUT', '/api/reviews/programme/supplier-review', {
      expectedVersion: 1,
      expression: 'cron(30 10 15 6 ? *)',
      timeZone: 'Europe/London',
      managementSignOff: false,
    })
    expect(changed.status).toBe(200)
    expect(changed.body.entry).toMatchObject({ version: 2, timeZone: 'Europe/London', cadence: 'yearly' })
    expect(await t.stack.scheduler.get('hafenstadt', 'supplier-review')).toMatchObject({
      expression: 'cron(30 10 15 6 ? *)',
      timeZone: 'Europe/London',
    })
    const badChange = await isoHafenstadt.call('PUT', '/api/reviews/programme/supplier-review', {
      expectedVersion: 2,
      timeZone: 'Mars/Olympus',
    })
    expect(badChange.status).toBe(400)
    expect(badChange.body.error.fields.timeZone).toBeDefined()
    expect((await isoHafenstadt.get('/api/reviews/programme/supplier-review')).body.entry.version).toBe(2)

    expect((await isoHafenstadt.call('DELETE', '/api/reviews/programme/supplier-review')).status).toBe(204)
    expect(await t.stack.scheduler.get('hafenstadt', 'supplier-review')).toBeUndefined()
    expect((await isoHafenstadt.get('/api/reviews/programme/supplier-review')).status).toBe(404)
  })

  it('never shows or changes another organisation’s entries and reviews (404, nothing written)', async () => {
    const nordlichtReview = (await iso.get('/api/reviews')).body.items[0]
    expect(nordlichtReview).toBeDefined()
    for (const c of [hafenstadtMember, isoHafenstadt]) {
      expect((await c.get('/api/reviews/programme/risk-review')).status).toBe(404)
      expect((await c.get(`/api/reviews/${nordlichtReview.id}`)).status).toBe(404)
      expect((await c.get('/api/reviews')).body.items.some((r: any) => r.id === nordlichtReview.id)).toBe(
        false,
      )
    }
    const put = await isoHafenstadt.call('PUT', '/api/reviews/programme/risk-review', {
      expectedVersion: 1,
      cadence: 'monthly',
    })
    expect(put.status).toBe(404)
    expect((await isoHafenstadt.call('DELETE', '/api/reviews/programme/risk-review')).status).toBe(404)
    expect((await isoHafenstadt.post('/api/reviews/programme/risk-review/start', {})).status).toBe(404)
    const risk = (await entries(iso)).find((e) => e.id === 'risk-review')
    expect(risk).toMatchObject({ version: 1, cadence: 'quarterly' })
    expect(await t.stack.scheduler.get('nordlicht', 'risk-review')).toMatchObject({
      expression: risk.expression,
    })
  })

  it('generates the management review package from the organisation’s records and says where there is no data', async () => {
    const res = await mgmt.get('/api/reviews/management-package')
    expect(res.status).toBe(200)
    const sections = res.body.package.sections as any[]
    expect(sections.map((s) => s.id)).toEqual([
      'previous-actions',
      'issues',
      'interested-parties',
      'trends',
      'nonconformities',
      'monitoring',
      'audits',
      'objectives',
      'risks',
      'incidents',
      'management-duties',
      'improvement',
    ])
    // Nordlicht's demo incidents (9.3.2 d): counted since the last management review.
    expect(sections.find((s) => s.id === 'incidents').counts).toMatchObject({
      significant: expect.any(Number),
    })
    const risks = sections.find((s) => s.id === 'risks')
    expect(risks.empty).toBe(false)
    expect(risks.counts.total).toBeGreaterThan(0)
    const parties = sections.find((s) => s.id === 'interested-parties')
    // Filled from the register of interested parties (4.2; the demo has one).
    expect(parties.empty).toBe(false)
    expect(parties.counts.parties).toBeGreaterThan(0)
    // 9.3.2 a) counts actions of earlier *management reviews* only: the demo's completed risk
    // review has two actions (not counted), last year's management review four, all done.
    const previous = sections.find((s) => s.id === 'previous-actions')
    expect(previous).toMatchObject({ empty: false, counts: { total: 4, open: 0, overdue: 0 } })
    expect(previous.lines[0].en).toBe(
      '4 actions from earlier management reviews: 4 done, 0 open (0 overdue).',
    )
    // The window starts at that review's sign-off.
    expect(Date.parse(res.body.package.since)).toBeGreaterThan(t.stack.clock.nowMs() - 400 * 86_400_000)
    expect(sections.find((s) => s.id === 'trends').lines.length).toBeGreaterThan(1)
    expect((await member.get('/api/reviews/management-package')).status).toBe(403)
  })

  it('shows everything due in the calendar, per organisation and across them for the ISO', async () => {
    const org = await iso.get('/api/calendar')
    expect(org.status).toBe(200)
    const kinds = new Set(org.body.items.map((i: any) => i.kind))
    expect(kinds.has('review')).toBe(true)
    expect(kinds.has('task')).toBe(true)
    expect(org.body.items.every((i: any) => i.orgId === 'nordlicht')).toBe(true)
    const open = org.body.items.find((i: any) => i.kind === 'review' && i.status === 'open')
    expect(open.url).toMatch(/^\/reviews\/risk-review_/)
    const all = await iso.get(`/api/calendar?scope=all&to=${org.body.to}`)
    expect(new Set(all.body.items.map((i: any) => i.orgId))).toEqual(new Set(['nordlicht', 'hafenstadt']))
    expect((await iso.get('/api/calendar?from=2026-01-01&to=2028-01-01')).status).toBe(400)
    expect((await iso.get('/api/calendar?from=2026-05-01&to=2026-04-01')).body.error.fields.to).toBeDefined()
    // A Hafenstadt member sees nothing of Nordlicht.
    const theirs = await hafenstadtMember.get('/api/calendar?scope=all')
    expect(theirs.body.items.every((i: any) => i.orgId === 'hafenstadt')).toBe(true)
  })

  it('serves a personal .ics feed behind a secret URL that validates, rotates and can be revoked', async () => {
    expect((await iso.get('/api/calendar/feed')).body.feed).toBeNull()
    const created = await iso.post('/api/calendar/feed')
    expect(created.status).toBe(201)
    const { path } = created.body.feed
    expect(path).toMatch(/^\/api\/calendar\/feed\/[A-Za-z0-9_-]{43}\.ics$/)
    const res = await fetch(`${t.stack.appUrl}${path}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/)
    const ics = await res.text()
    const report = validateIcs(ics)
    expect(report.errors).toEqual([])
    expect(report.events.length).toBeGreaterThan(0)
    expect(ics).toContain('Nordlicht Maschinenbau GmbH: Risk review')
    expect(ics).toContain('Hafenstadt Logistik AG')
    const de = await (await fetch(`${t.stack.appUrl}${path}?lang=de`)).text()
    expect(de).toContain('Risikoüberprüfung')

    // The secret is stored only hashed.
    const secret = path.split('/').pop()!.replace('.ics', '')
    const scan = JSON.stringify(
      await t.stack.clients.doc.send(
        new (await import('@aws-sdk/lib-dynamodb')).ScanCommand({ TableName: t.stack.deps.config.tableName }),
      ),
    )
    expect(scan).not.toContain(secret)

    const rotated = await iso.post('/api/calendar/feed')
    expect((await fetch(`${t.stack.appUrl}${path}`)).status).toBe(404)
    expect((await fetch(`${t.stack.appUrl}${rotated.body.feed.path}`)).status).toBe(200)
    expect((await iso.call('DELETE', '/api/calendar/feed')).status).toBe(204)
    expect((await fetch(`${t.stack.appUrl}${rotated.body.feed.path}`)).status).toBe(404)
    expect((await fetch(`${t.stack.appUrl}/api/calendar/feed/not-a-secret.ics`)).status).toBe(404)
  })

  it('the AWS schedule target starts the review named after the occurrence, exactly once, and names bad input', async () => {
    const scheduleTarget = (event: unknown) => reviewScheduleTarget.invoke(event, t.stack.deps)
    const event = { orgId: 'nordlicht', entryId: 'policy-review', scheduledTime: '2027-02-01T08:00:00Z' }
    const first = await scheduleTarget(event)
    expect(first).toMatchObject({ executionName: 'nordlicht_policy-review_20270201T0800Z', started: true })
    // A retried delivery reaches the same execution, not a second one.
    const again = await scheduleTarget(event)
    expect(again.executionArn).toBe(first.executionArn)
    const review = await t.eventually(
      async () => (await iso.get('/api/reviews/policy-review_20270201T0800Z')).body.review,
    )
    expect(review).toMatchObject({ kind: 'policy-review', trigger: 'schedule', status: 'open' })
    const cycles = (await iso.get('/api/reviews?entry=policy-review')).body.items
    expect(cycles.map((c: any) => c.id)).toEqual(['policy-review_20270201T0800Z'])
    await expect(scheduleTarget({ ...event, scheduledTime: 'soon' })).rejects.toMatchObject({
      fields: { scheduledTime: 'must be an ISO date-time' },
    })
  })
})
