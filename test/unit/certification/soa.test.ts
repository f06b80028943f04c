import { describe, expect, it } from 'vitest'
import {
  evidenceExpiresOn,
  evidenceFresh,
  implementedWithFreshEvidence,
  justificationMissing,
  soaEntryProblems,
  validateSoaEntry,
} from '../../../functions/domain/certification/index.js'
import { type AppError, ValidationError } from '../../../functions/domain/errors.js'

const evidence = {
  id: 'e1',
  title: 'Backup restore test report',
  date: '2026-01-15',
  fileRef: 'files/restore-2026-01.pdf',
  freshnessMonths: 12,
}
const applicable = {
  controlId: 'A.8.13',
  applicable: true,
  justification: 'Backups keep production able to restart after ransomware.',
  inclusionReasons: ['risk-treatment', 'contractual'],
  riskIds: ['R-7'],
  status: 'implemented',
  ownerId: 'u-it',
  evidence: [evidence],
}

describe('soaEntryProblems', () => {
  it('accepts a complete applicable entry and an excluded one with a reason', () => {
    expect(soaEntryProblems(applicable)).toEqual({})
    expect(
      soaEntryProblems({
        controlId: 'A.7.12',
        applicable: false,
        status: 'not-applicable',
        justification: 'Fully remote company; no own premises or cabling.',
      }),
    ).toEqual({})
  })

  it('requires a justification to exclude a control, and status not-applicable', () => {
    expect(
      soaEntryProblems({
        controlId: 'A.7.12',
        applicable: false,
        status: 'partial',
        inclusionReasons: ['legal'],
      }),
    ).toEqual({
      justification: 'explain why the control is excluded',
      status: 'must be not-applicable for an excluded control',
      inclusionReasons: 'an excluded control has no inclusion reasons',
    })
  })

  it('requires a reason, an owner and a consistent status for an applicable control', () => {
    expect(soaEntryProblems({ controlId: 'A.5.1', applicable: true, status: 'not-applicable' })).toEqual({
      justification: 'explain why the control is included (risks treated, requirement, or business need)',
      inclusionReasons: 'give at least one reason: risk-treatment, legal, contractual or business',
      status: 'an applicable control cannot be not-applicable',
      ownerId: 'an applicable control needs an owner',
    })
    expect(soaEntryProblems({ ...applicable, riskIds: [] })).toEqual({
      riskIds: 'link the risks this control treats',
    })
    expect(soaEntryProblems({ ...applicable, inclusionReasons: ['legal', 'legal'] })).toEqual({
      inclusionReasons: 'names a reason twice',
    })
    expect(soaEntryProblems({ ...applicable, inclusionReasons: ['because'] })).toHaveProperty([
      'inclusionReasons.0',
    ])
  })

  it('requires a justification to include a control, except one flagged by the migration (6.1.3 d)', () => {
    expect(soaEntryProblems({ ...applicable, justification: '' })).toEqual({
      justification: 'explain why the control is included (risks treated, requirement, or business need)',
    })
    expect(soaEntryProblems({ ...applicable, justification: '   ' })).toHaveProperty('justification')
    // Decided before the rule: flagged, not filled; other changes (status, evidence) still pass.
    const legacy = { ...applicable, justification: '', justificationMissing: true }
    expect(soaEntryProblems(legacy)).toEqual({})
    expect(soaEntryProblems({ ...legacy, status: 'partial' })).toEqual({})
    expect(justificationMissing(validateSoaEntry(legacy))).toBe(true)
    expect(justificationMissing(validateSoaEntry(applicable))).toBe(false)
    // The flag marks an included control without a justification only.
    expect(soaEntryProblems({ ...legacy, justification: 'Now given.' })).toEqual({
      justificationMissing: 'marks an included control without a justification only',
    })
    expect(soaEntryProblems({ ...applicable, justificationMissing: false })).toHaveProperty(
      'justificationMissing',
    )
  })

  it('checks the control id against the catalogue (or a given one)', () => {
    expect(soaEntryProblems({ ...applicable, controlId: 'A.5.38' })).toEqual({
      controlId: '"A.5.38" is not a control of the catalogue',
    })
    expect(
      soaEntryProblems({ ...applicable, controlId: '1.3.1' }, { isKnownControl: (id) => id === '1.3.1' }),
    ).toEqual({})
  })

  it('checks evidence items field by field', () => {
    const fields = soaEntryProblems(
      {
        ...applicable,
        evidence: [
          { ...evidence, fileRef: undefined },
          { ...evidence, id: 'e2', url: 'https://wiki.example/backup' },
          { ...evidence, id: 'e3', fileRef: undefined, url: 'javascript:alert(1)' },
          { ...evidence, id: 'e1', date: '2026-09-01' },
          { ...evidence, id: 'e5', freshnessMonths: 0 },
        ],
      },
      { today: '2026-03-01' },
    )
    expect(fields).toEqual({
      'evidence.0.url': 'give a link or a file',
      'evidence.1.fileRef': 'give either a link or a file, not both',
      'evidence.2.url': 'must be an http(s) link',
      'evidence.4.freshnessMonths': 'must be at least 1',
    })
    expect(
      soaEntryProblems(
        { ...applicable, evidence: [evidence, { ...evidence, date: '2026-09-01' }] },
        { today: '2026-03-01' },
      ),
    ).toEqual({
      'evidence.1.id': '"e1" is used by another evidence item',
      'evidence.1.date': 'must not be in the future',
    })
  })

  it('throws a 400 naming the fields', () => {
    try {
      validateSoaEntry({ controlId: 'A.7.12', applicable: false, status: 'not-applicable' })
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError)
      expect((err as AppError).fields).toEqual({ justification: 'explain why the control is excluded' })
    }
    expect(validateSoaEntry(applicable).evidence[0]!.freshnessMonths).toBe(12)
  })
})

describe('evidence freshness', () => {
  it('is fresh from its date until the day before it expires', () => {
    expect(evidenceExpiresOn(evidence)).toBe('2027-01-15')
    expect(evidenceFresh(evidence, '2026-01-15')).toBe(true)
    expect(evidenceFresh(evidence, '2027-01-14')).toBe(true)
    expect(evidenceFresh(evidence, '2027-01-15')).toBe(false)
    expect(evidenceFresh(evidence, '2026-01-14')).toBe(false)
  })

  it('clamps month ends and honours short rules', () => {
    expect(evidenceExpiresOn({ date: '2026-08-31', freshnessMonths: 6 })).toBe('2027-02-28')
    expect(evidenceFresh({ date: '2026-01-15', freshnessMonths: 3 }, '2026-04-15')).toBe(false)
  })

  it('counts a control as done only when implemented with fresh evidence', () => {
    const entry = validateSoaEntry(applicable)
    expect(implementedWithFreshEvidence(entry, '2026-06-01')).toBe(true)
    expect(implementedWithFreshEvidence(entry, '2027-02-01')).toBe(false)
    expect(implementedWithFreshEvidence({ ...entry, status: 'partial' }, '2026-06-01')).toBe(false)
  })
})
