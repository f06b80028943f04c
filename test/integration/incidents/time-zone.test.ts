import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { localTime } from '../../../functions/domain/incidents/index.js'
import { MINIMAL_SEED, obligationDecisionOnly } from '../../../infra/local/seed/index.js'
import { type Client, startTestStack } from '../../support/stack.js'

interface Deadline {
  kind: string
  dueAt: string
}

describe('the organisation’s time zone: incident clocks and the calendar, across daylight saving', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let member: Client
  let isoHafenstadt: Client

  beforeAll(async () => {
    t = await startTestStack({ seedSteps: [...MINIMAL_SEED, obligationDecisionOnly] })
    ;[iso, member, isoHafenstadt] = await Promise.all([
      t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht'),
      t.signIn('member@demo.ismsflow.test'),
      t.signIn('iso@demo.ismsflow.test', undefined, 'hafenstadt'),
    ])
  })
  afterAll(async () => t?.close())

  /** Reports an incident and answers its early warning's due time and the zone it is shown in. */
  async function earlyWarning(title: string, awareAt: string) {
    const made = await iso.post<{ id: string }>('/api/incidents', { title, awareAt, significant: true })
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    const detail = await iso.get<{ timeZone: string; deadlines: Deadline[] }>(
      `/api/incidents/${made.body.id}`,
    )
    const due = detail.body.deadlines.find((d) => d.kind === 'nis2-early-warning')?.dueAt ?? ''
    return { due, zone: detail.body.timeZone }
  }

  it('defaults to Europe/Berlin: a 24 h clock from 28 March 10:00 ends 29 March 11:00 (summer time began)', async () => {
    expect((await iso.get('/api/orgs/current')).body.organisation.timeZone).toBe('Europe/Berlin')
    const march = await earlyWarning('Scan of the VPN gateway', '2026-03-28T10:00:00+01:00')
    expect(march.zone).toBe('Europe/Berlin')
    expect(march.due).toBe('2026-03-29T09:00:00.000Z')
    expect(localTime(march.due, march.zone, 'en')).toBe('2026-03-29 11:00 CEST')
    // 25 October: 24 h from 10:00 summer time end at 09:00 winter time.
    const october = await earlyWarning('Lost laptop of a field engineer', '2026-10-24T10:00:00+02:00')
    expect(october.due).toBe('2026-10-25T08:00:00.000Z')
    expect(localTime(october.due, october.zone, 'de')).toBe('25.10.2026, 09:00 MEZ')
    expect((await iso.get('/api/calendar')).body.zone).toBe('Europe/Berlin')
  })

  it('the ISO sets another IANA zone; bad names are refused naming the field; members and other organisations cannot', async () => {
    for (const bad of ['Mars/Olympus_Mons', '+02:00', 'UTC+2', ''])
      expect(
        (await iso.call('PUT', '/api/orgs/current/time-zone', { timeZone: bad })).body.error.fields,
      ).toHaveProperty('timeZone')
    expect((await iso.call('PUT', '/api/orgs/current/time-zone', {})).status).toBe(400)
    expect(
      (await member.call('PUT', '/api/orgs/current/time-zone', { timeZone: 'Europe/London' })).status,
    ).toBe(403)

    const set = await iso.call('PUT', '/api/orgs/current/time-zone', { timeZone: 'europe/london' })
    expect(set.status, JSON.stringify(set.body)).toBe(200)
    expect(set.body.timeZone).toBe('Europe/London')
    expect((await member.get('/api/orgs/current')).body.organisation.timeZone).toBe('Europe/London')
    // Hafenstadt keeps its own.
    expect((await isoHafenstadt.get('/api/orgs/current')).body.organisation.timeZone).toBe('Europe/Berlin')
    expect((await isoHafenstadt.get('/api/calendar')).body.zone).toBe('Europe/Berlin')

    // New incidents are shown on the London clock; the 24 h stay 24 h across the change.
    const march = await earlyWarning('Phishing wave against the service desk', '2026-03-28T10:00:00+00:00')
    expect(march.zone).toBe('Europe/London')
    expect(march.due).toBe('2026-03-29T10:00:00.000Z')
    expect(localTime(march.due, march.zone, 'en')).toBe('2026-03-29 11:00 BST')
    const register = await iso.get('/api/incidents')
    expect(register.body.timeZone).toBe('Europe/London')
    expect((await iso.get('/api/calendar')).body.zone).toBe('Europe/London')

    // In the audit log, in words.
    const log = await iso.get('/api/audit?limit=20')
    expect(JSON.stringify(log.body)).toContain('organisation.time-zone')
  })
})
