import { describe, expect, it } from 'vitest'
import {
  addCalendarMonths,
  type ClockInput,
  clockWords,
  deadlines,
  localTime,
  reminderMarks,
  type SentReport,
  validateNewIncident,
} from '../../../functions/domain/incidents/index.js'

const BERLIN = 'Europe/Berlin'
const important: ClockInput['regime'] = {
  category: 'important',
  trustServiceProvider: false,
  doraFinancialEntity: false,
}
const sent = (kind: SentReport['kind'], sentAt: string, over: Partial<SentReport> = {}): SentReport => ({
  id: `${kind}-${sentAt}`,
  kind,
  sentAt,
  channel: 'bsi-portal',
  by: 'iso',
  recordedAt: sentAt,
  ...over,
})
const input = (over: Partial<ClockInput> = {}): ClockInput => ({
  awareAt: '2026-06-10T08:00:00.000Z',
  regime: important,
  classification: {
    significant: true,
    personalDataBreach: false,
    gdprRisk: null,
    classifiedAt: '2026-06-10T09:00:00.000Z',
  },
  reports: [],
  timeZone: BERLIN,
  ...over,
})
const byKind = (ds: ReturnType<typeof deadlines>) => Object.fromEntries(ds.map((d) => [d.kind, d]))

describe('NIS2 clocks (BSIG §32)', () => {
  it('§32(1) no. 1 and 2: early warning 24 h and notification 72 h after awareness', () => {
    const d = byKind(deadlines(input(), new Date('2026-06-10T10:00:00Z')))
    expect(d['nis2-early-warning']).toMatchObject({ dueAt: '2026-06-11T08:00:00.000Z', status: 'open' })
    expect(d['nis2-notification']).toMatchObject({ dueAt: '2026-06-13T08:00:00.000Z', status: 'open' })
    expect(d['nis2-final-report']).toBeUndefined()
    expect(d['nis2-early-warning'].title.en).toContain('§32(1) no. 1 BSIG')
    expect(d['nis2-early-warning'].title.de).toContain('§ 32 Abs. 1 Nr. 1 BSIG')
  })

  it('§32(1) no. 2 with Art. 23(4)(b) NIS2: trust service providers notify within 24 h', () => {
    const d = byKind(
      deadlines(
        input({ regime: { ...important, trustServiceProvider: true } }),
        new Date('2026-06-10T10:00:00Z'),
      ),
    )
    expect(d['nis2-notification'].dueAt).toBe('2026-06-11T08:00:00.000Z')
    expect(d['nis2-notification'].title.en).toContain('24 h')
  })

  it('not significant: the NIS2 clocks stop with the reason; not covered: none at all', () => {
    const stopped = deadlines(
      input({
        classification: {
          significant: false,
          notSignificantReason: 'One laptop, no data',
          personalDataBreach: false,
          gdprRisk: null,
        },
      }),
      new Date('2026-06-20T00:00:00Z'),
    )
    expect(stopped.map((d) => d.status)).toEqual(['stopped', 'stopped'])
    expect(stopped[0]).toMatchObject({ stoppedReason: 'One laptop, no data' })
    expect(stopped[0].stoppedRule?.en).toContain('§2 no. 11 BSIG')
    expect(deadlines(input({ regime: { ...important, category: 'none' } }), new Date())).toEqual([])
  })

  it('before triage the clocks run provisionally from awareness; late ones are overdue', () => {
    const d = byKind(
      deadlines(
        input({ classification: { significant: null, personalDataBreach: null, gdprRisk: null } }),
        new Date('2026-06-11T09:00:00Z'),
      ),
    )
    expect(d['nis2-early-warning']).toMatchObject({ status: 'overdue', provisional: true })
    expect(d['nis2-notification']).toMatchObject({ status: 'open', provisional: true })
  })

  it('§32(1) no. 3: the intermediate report only when the BSI asks, due when it says', () => {
    const d = byKind(
      deadlines(
        input({ bsiRequest: { requestedAt: '2026-06-12T08:00:00.000Z', dueAt: '2026-06-19T08:00:00.000Z' } }),
        new Date('2026-06-12T09:00:00Z'),
      ),
    )
    expect(d['nis2-intermediate']).toMatchObject({ dueAt: '2026-06-19T08:00:00.000Z', status: 'open' })
  })

  it('§32(1) no. 4: the final report one calendar month after the notification was sent; a sent report is done', () => {
    const reports = [
      sent('nis2-early-warning', '2026-06-10T20:00:00.000Z'),
      sent('nis2-notification', '2026-06-12T08:00:00.000Z'),
    ]
    const d = byKind(
      deadlines(input({ reports, closedAt: '2026-06-20T08:00:00.000Z' }), new Date('2026-06-25T00:00:00Z')),
    )
    expect(d['nis2-early-warning']).toMatchObject({ status: 'done', doneAt: '2026-06-10T20:00:00.000Z' })
    expect(d['nis2-final-report']).toMatchObject({
      dueAt: '2026-07-12T08:00:00.000Z',
      status: 'open',
      slot: 'nis2-month',
    })
  })

  it('§32(2): still ongoing after a month, a progress report instead, the final report one month after closing', () => {
    const reports = [sent('nis2-notification', '2026-06-12T08:00:00.000Z')]
    const ongoing = byKind(deadlines(input({ reports }), new Date('2026-07-13T00:00:00Z')))
    expect(ongoing['nis2-progress-report']).toMatchObject({
      dueAt: '2026-07-12T08:00:00.000Z',
      status: 'overdue',
    })
    expect(ongoing['nis2-final-report']).toBeUndefined()
    const progress = [...reports, sent('nis2-progress-report', '2026-07-10T08:00:00.000Z')]
    const closed = byKind(
      deadlines(
        input({ reports: progress, closedAt: '2026-08-31T10:00:00.000Z' }),
        new Date('2026-09-01T00:00:00Z'),
      ),
    )
    expect(closed['nis2-progress-report'].status).toBe('done')
    // 31 August + one month: September has no 31st, so its last day (EU rule).
    expect(closed['nis2-final-report']).toMatchObject({
      dueAt: '2026-09-30T10:00:00.000Z',
      slot: 'nis2-after-close',
      status: 'open',
    })
  })

  it('a correction is a new entry and does not move when the report was first sent', () => {
    const reports = [
      sent('nis2-early-warning', '2026-06-10T20:00:00.000Z'),
      sent('nis2-early-warning', '2026-06-12T20:00:00.000Z', {
        id: 'c',
        correctionOf: 'nis2-early-warning-2026-06-10T20:00:00.000Z',
      }),
    ]
    expect(
      byKind(deadlines(input({ reports }), new Date('2026-06-13T00:00:00Z')))['nis2-early-warning'].doneAt,
    ).toBe('2026-06-10T20:00:00.000Z')
  })
})

describe('GDPR clocks (Art. 33, 34)', () => {
  const gdpr = (over: Partial<ClockInput['classification']>) =>
    byKind(
      deadlines(
        input({
          regime: { ...important, category: 'none' },
          classification: { significant: false, personalDataBreach: true, gdprRisk: 'risk', ...over },
        }),
        new Date('2026-06-10T10:00:00Z'),
      ),
    )

  it('Art. 33(1): the authority within 72 h; no data subjects without a high risk', () => {
    const d = gdpr({})
    expect(d['gdpr-authority']).toMatchObject({ dueAt: '2026-06-13T08:00:00.000Z', status: 'open' })
    expect(d['gdpr-data-subjects']).toBeUndefined()
  })

  it('Art. 33(5): unlikely to result in a risk stops the authority clock with the reason recorded', () => {
    const d = gdpr({ gdprRisk: 'unlikely', notNotifyingReason: 'Encrypted backup tape, key not lost' })
    expect(d['gdpr-authority']).toMatchObject({
      status: 'stopped',
      stoppedReason: 'Encrypted backup tape, key not lost',
    })
    expect(d['gdpr-authority'].stoppedRule?.en).toContain('Art. 33(5)')
  })

  it('Art. 34(1): a high risk adds the people affected; an exception of Art. 34(3) stops it', () => {
    expect(gdpr({ gdprRisk: 'high', art34Exception: 'none' })['gdpr-data-subjects'].status).toBe('open')
    const ex = gdpr({ gdprRisk: 'high', art34Exception: 'protected', art34Reason: 'AES-256, key safe' })[
      'gdpr-data-subjects'
    ]
    expect(ex).toMatchObject({ status: 'stopped', stoppedReason: 'AES-256, key safe' })
    expect(ex.stoppedRule?.en).toContain('Art. 34(3)(a)')
  })
})

describe('DORA clocks (Art. 19(4) DORA)', () => {
  const dora: ClockInput['regime'] = {
    category: 'essential',
    trustServiceProvider: false,
    doraFinancialEntity: true,
  }

  it('initial 4 h after classification as major, at most 24 h after awareness; no NIS2 clocks', () => {
    const early = byKind(deadlines(input({ regime: dora }), new Date('2026-06-10T10:00:00Z')))
    expect(early['dora-initial'].dueAt).toBe('2026-06-10T13:00:00.000Z')
    expect(early['nis2-early-warning']).toBeUndefined()
    const late = byKind(
      deadlines(
        input({
          regime: dora,
          classification: {
            significant: true,
            personalDataBreach: false,
            gdprRisk: null,
            classifiedAt: '2026-06-11T06:00:00.000Z',
          },
        }),
        new Date(),
      ),
    )
    expect(late['dora-initial'].dueAt).toBe('2026-06-11T08:00:00.000Z')
  })

  it('intermediate 72 h after the initial notification, final one month after the intermediate report', () => {
    const reports = [
      sent('dora-initial', '2026-06-10T12:00:00.000Z'),
      sent('dora-intermediate', '2026-06-12T12:00:00.000Z'),
    ]
    const d = byKind(deadlines(input({ regime: dora, reports }), new Date('2026-06-13T00:00:00Z')))
    expect(d['dora-intermediate']).toMatchObject({ dueAt: '2026-06-13T12:00:00.000Z', status: 'done' })
    expect(d['dora-final']).toMatchObject({ dueAt: '2026-07-12T12:00:00.000Z', status: 'open' })
  })
})

describe('time: UTC computation, display in the organisation time zone, across daylight saving', () => {
  it('29 March 2026 (clocks go forward): 24 h stay 24 h, the wall clock moves an hour', () => {
    const d = byKind(
      deadlines(input({ awareAt: '2026-03-28T09:00:00.000Z' }), new Date('2026-03-28T10:00:00Z')),
    )
    expect(d['nis2-early-warning'].dueAt).toBe('2026-03-29T09:00:00.000Z')
    expect(localTime('2026-03-28T09:00:00.000Z', BERLIN, 'en')).toBe('2026-03-28 10:00 CET')
    expect(localTime(d['nis2-early-warning'].dueAt, BERLIN, 'en')).toBe('2026-03-29 11:00 CEST')
  })

  it('25 October 2026 (clocks go back): 72 h stay 72 h, the wall clock moves back an hour', () => {
    const d = byKind(
      deadlines(input({ awareAt: '2026-10-24T08:00:00.000Z' }), new Date('2026-10-24T10:00:00Z')),
    )
    expect(d['nis2-notification'].dueAt).toBe('2026-10-27T08:00:00.000Z')
    expect(localTime('2026-10-24T08:00:00.000Z', BERLIN, 'de')).toBe('24.10.2026, 10:00 MESZ')
    expect(localTime(d['nis2-notification'].dueAt, BERLIN, 'de')).toBe('27.10.2026, 09:00 MEZ')
  })

  it('months keep the wall-clock time across a change and take the last day when the day is missing', () => {
    // 10:00 CET on 15 March → 10:00 CEST on 15 April (one hour less in UTC).
    expect(addCalendarMonths('2026-03-15T09:00:00.000Z', 1, BERLIN)).toBe('2026-04-15T08:00:00.000Z')
    // 00:30 on 1 March in Berlin is still 28 February in UTC: the month is counted in Berlin.
    expect(addCalendarMonths('2026-02-28T23:30:00.000Z', 1, BERLIN)).toBe('2026-03-31T22:30:00.000Z')
    expect(addCalendarMonths('2026-01-31T09:00:00.000Z', 1, BERLIN)).toBe('2026-02-28T09:00:00.000Z')
    expect(addCalendarMonths('2026-09-25T08:00:00.000Z', 1, BERLIN)).toBe('2026-10-25T09:00:00.000Z')
  })

  it('reminders at 50 % and 90 % of the period', () => {
    expect(reminderMarks({ startAt: '2026-06-10T08:00:00.000Z', dueAt: '2026-06-11T08:00:00.000Z' })).toEqual(
      {
        at50: '2026-06-10T20:00:00.000Z',
        at90: '2026-06-11T05:36:00.000Z',
      },
    )
  })

  it('clocks in words', () => {
    const now = new Date('2026-06-10T10:00:00Z')
    expect(clockWords({ status: 'open', dueAt: '2026-06-10T15:12:00Z' }, now, 'en')).toBe('due in 5 h 12 min')
    expect(clockWords({ status: 'open', dueAt: '2026-06-10T15:12:00Z' }, now, 'de')).toBe(
      'fällig in 5 Std. 12 Min.',
    )
    expect(
      clockWords(
        { status: 'done', dueAt: '2026-06-10T15:00:00Z', doneAt: '2026-06-10T12:00:00Z' },
        now,
        'en',
      ),
    ).toBe('sent 3 h early')
    expect(clockWords({ status: 'overdue', dueAt: '2026-06-10T08:00:00Z' }, now, 'en')).toBe('2 h late')
    expect(
      clockWords(
        { status: 'done', dueAt: '2026-06-10T08:00:00Z', doneAt: '2026-06-12T09:00:00Z' },
        now,
        'en',
      ),
    ).toBe('sent 2 d 1 h late')
  })
})

describe('a new incident', () => {
  const now = new Date('2026-06-10T10:00:00Z')
  it('needs awareAt with a time zone, not in the future; names the field', () => {
    expect(
      validateNewIncident({ title: 'Ransomware on file server', awareAt: '2026-06-10T09:30:00+02:00' }, now)
        .awareAt,
    ).toBe('2026-06-10T07:30:00.000Z')
    for (const [awareAt, msg] of [
      ['2026-06-10T09:30:00', 'time zone'],
      ['2026-06-11T09:30:00Z', 'future'],
      ['yesterday', 'time zone'],
    ])
      expect(() => validateNewIncident({ title: 'Ransomware', awareAt }, now)).toThrow(
        expect.objectContaining({ fields: { awareAt: expect.stringContaining(msg) } }),
      )
    expect(() => validateNewIncident({ awareAt: '2026-06-10T09:30:00Z' }, now)).toThrow(
      expect.objectContaining({ fields: { title: expect.any(String) } }),
    )
  })
})

describe('the management review package counts incidents since the last review (ISO/IEC 27001 9.3.2 d)', () => {
  it('counts significant, personal data, open and late ones in the window', async () => {
    const { buildManagementPackage } = await import('../../../functions/domain/reviews/package.js')
    const rec = (id: string, data: Record<string, unknown>) => ({ id, createdAt: '', updatedAt: '', data })
    const p = buildManagementPackage({
      now: new Date('2026-12-01T00:00:00Z'),
      since: '2026-01-01T00:00:00.000Z',
      reviews: [],
      obligationDecisions: [],
      nonconformities: [],
      projects: [],
      risks: [],
      objectives: [],
      tasks: [],
      incidents: [
        rec('INC-1', {
          title: 'Ransomware',
          awareAt: '2026-03-01T08:00:00.000Z',
          classification: { significant: true, personalDataBreach: false },
          timeline: [{ what: 'escalated' }],
        }),
        rec('INC-2', {
          title: 'Lost laptop',
          awareAt: '2026-05-01T08:00:00.000Z',
          classification: { significant: false, personalDataBreach: true },
          closedAt: '2026-05-03T08:00:00.000Z',
          timeline: [],
        }),
        rec('INC-0', {
          title: 'Before the window',
          awareAt: '2025-12-01T08:00:00.000Z',
          classification: { significant: true },
          timeline: [],
        }),
      ],
    })
    const s = p.sections.find((x) => x.id === 'incidents')!
    expect(s.counts).toEqual({ total: 2, significant: 1, personalData: 1, open: 1, late: 1 })
    expect(s.lines[0].en).toContain('2 security incidents since 2026-01-01')
    expect(s.lines[1].en).toBe('INC-1: Ransomware (2026-03-01)')
  })
})
