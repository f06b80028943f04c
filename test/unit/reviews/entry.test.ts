import { describe, expect, it } from 'vitest'
import { AppError, ValidationError } from '../../../functions/domain/errors.js'
import {
  cadenceOf,
  type EntryContext,
  nextEntryId,
  type ReviewEntry,
  resolveEntry,
} from '../../../functions/domain/reviews/index.js'
import { parseReviewTemplates } from '../../../functions/domain/schedules/index.js'
import templatesJson from '../../../workflows/reviews/templates.json' with { type: 'json' }

const templates = parseReviewTemplates(templatesJson)
const now = new Date('2026-02-10T12:00:00Z')
const ctx = (extra: Partial<EntryContext> = {}): EntryContext => ({
  templates,
  formExists: (id) => id.startsWith('review-'),
  members: new Map([
    ['iso-1', ['iso']],
    ['aud-1', ['auditor']],
  ]),
  others: [],
  now,
  ...extra,
})

/** The field errors of a call that must fail. */
const fieldsOf = (fn: () => unknown): Record<string, string> => {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(AppError)
    expect(err).toBeInstanceOf(ValidationError)
    return (err as AppError).fields ?? {}
  }
  throw new Error('expected a validation error')
}

describe('resolveEntry', () => {
  it('fills an entry from its template: form, cadence, roles, due and grace days, Europe/Berlin', () => {
    const e = resolveEntry({ kind: 'risk-review' }, ctx())
    expect(e).toMatchObject({
      kind: 'risk-review',
      title: { en: 'Risk review' },
      formId: 'review-risk-review',
      expression: 'cron(0 9 1 1,4,7,10 ? *)',
      timeZone: 'Europe/Berlin',
      performerRole: 'iso',
      managementSignOff: true,
      dueAfterDays: 30,
      escalationGraceDays: 7,
      enabled: true,
      createdAt: now.toISOString(),
    })
  })

  it('turns a cadence into cron on the template day and time, and canonicalises the zone', () => {
    expect(resolveEntry({ kind: 'risk-review', cadence: 'yearly' }, ctx()).expression).toBe(
      'cron(0 9 1 1 ? *)',
    )
    expect(resolveEntry({ kind: 'obligation-reassessment', cadence: 'quarterly' }, ctx()).expression).toBe(
      'cron(0 9 15 1,4,7,10 ? *)',
    )
    expect(resolveEntry({ kind: 'risk-review', timeZone: 'europe/london' }, ctx()).timeZone).toBe(
      'Europe/London',
    )
    expect(cadenceOf('monthly', 'cron(0 9 1 11 ? *)')).toBe('cron(0 9 1 * ? *)')
  })

  it('names each bad field at once', () => {
    const fields = fieldsOf(() =>
      resolveEntry(
        {
          kind: 'risk-review',
          expression: 'cron(0 9 32 * ? *)',
          timeZone: 'Mars/Base',
          formId: 'nope',
          ownerId: 'x',
        },
        ctx(),
      ),
    )
    expect(Object.keys(fields).sort()).toEqual(['expression', 'formId', 'ownerId', 'timeZone'])
    expect(fields.expression).toMatch(/day-of-month/)
    expect(fields.timeZone).toMatch(/not a known IANA time zone/)
    expect(fields.formId).toBe('form nope does not exist')
    expect(fields.ownerId).toBe('is not a member of this organisation')
  })

  it('refuses an unknown kind, one-off and too frequent schedules, an auditor as owner, cadence with expression', () => {
    expect(fieldsOf(() => resolveEntry({ kind: 'holiday' }, ctx())).kind).toMatch(
      /^must be one of risk-review/,
    )
    expect(
      fieldsOf(() => resolveEntry({ kind: 'risk-review', expression: 'at(2030-01-01T09:00:00)' }, ctx()))
        .expression,
    ).toMatch(/must repeat/)
    expect(
      fieldsOf(() => resolveEntry({ kind: 'risk-review', expression: 'rate(1 hour)' }, ctx())).expression,
    ).toMatch(/more often than once a day/)
    expect(resolveEntry({ kind: 'risk-review', expression: 'rate(1 day)' }, ctx()).expression).toBe(
      'rate(1 day)',
    )
    expect(fieldsOf(() => resolveEntry({ kind: 'risk-review', ownerId: 'aud-1' }, ctx())).ownerId).toMatch(
      /perform/,
    )
    expect(
      fieldsOf(() =>
        resolveEntry({ kind: 'risk-review', cadence: 'yearly', expression: 'cron(0 9 1 1 ? *)' }, ctx()),
      ).cadence,
    ).toMatch(/not both/)
    expect(
      fieldsOf(() => resolveEntry({ kind: 'risk-review', expression: 'cron(0 9 1 1 ? 2020)' }, ctx()))
        .expression,
    ).toBe('has no future occurrence')
  })

  it('refuses a review of the same kind on the same occurrence, not one of another kind or a disabled one', () => {
    const other: ReviewEntry = resolveEntry({ kind: 'risk-review' }, ctx())
    const fields = fieldsOf(() =>
      resolveEntry(
        { kind: 'risk-review', expression: 'cron(0 9 1 1 ? *)' },
        ctx({ others: [{ id: 'risk-review', entry: other }] }),
      ),
    )
    expect(fields.expression).toBe(
      'collides with the risk-review risk-review at 2027-01-01T08:00:00.000Z; pick another day or time',
    )
    expect(() =>
      resolveEntry(
        { kind: 'risk-review', expression: 'cron(30 9 1 1,4,7,10 ? *)' },
        ctx({ others: [{ id: 'a', entry: other }] }),
      ),
    ).not.toThrow()
    expect(() =>
      resolveEntry(
        { kind: 'policy-review', expression: other.expression },
        ctx({ others: [{ id: 'a', entry: other }] }),
      ),
    ).not.toThrow()
    expect(() =>
      resolveEntry(
        { kind: 'risk-review' },
        ctx({ others: [{ id: 'a', entry: { ...other, enabled: false } }] }),
      ),
    ).not.toThrow()
  })

  it('updates keep stored fields, clear with null and never change the kind', () => {
    const base = resolveEntry({ kind: 'risk-review', ownerId: 'iso-1', startDate: '2026-03-01' }, ctx())
    const later = new Date('2026-05-01T00:00:00Z')
    const upd = resolveEntry(
      { managementSignOff: false, startDate: null },
      ctx({ existing: base, now: later }),
    )
    expect(upd).toMatchObject({ ownerId: 'iso-1', managementSignOff: false, createdAt: base.createdAt })
    expect(upd.startDate).toBeUndefined()
    expect(resolveEntry({ ownerId: null }, ctx({ existing: base })).ownerId).toBeUndefined()
    expect(fieldsOf(() => resolveEntry({ kind: 'policy-review' }, ctx({ existing: base }))).kind).toMatch(
      /cannot change/,
    )
  })

  it('drops reminders that fall before the occurrence when the due days shrink', () => {
    expect(resolveEntry({ kind: 'risk-review', dueAfterDays: 10 }, ctx()).reminderDaysBefore).toEqual([1])
  })
})

describe('nextEntryId', () => {
  it('uses the kind, then numbers', () => {
    expect(nextEntryId('risk-review', new Set())).toBe('risk-review')
    expect(nextEntryId('risk-review', new Set(['risk-review', 'risk-review-2']))).toBe('risk-review-3')
  })
})
