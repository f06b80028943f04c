import { describe, expect, it } from 'vitest'
import {
  acceptanceDates,
  appetiteProblems,
  DEFAULT_RISK_APPETITE,
  mayAccept,
  mayDecide,
  scoreRisk,
  withinAppetite,
} from '../../../functions/domain/risk/index.js'

const appetite = DEFAULT_RISK_APPETITE
const board = { userId: 'u-ceo', roles: ['management'] }
const boardWithRight = { userId: 'u-cfo', roles: ['management'], acceptAboveAppetite: true }

describe('risk appetite', () => {
  it('compares levels by their order in the matrix', () => {
    expect(withinAppetite('low', appetite)).toBe(true)
    expect(withinAppetite('medium', appetite)).toBe(true)
    expect(withinAppetite(scoreRisk(3, 4), appetite)).toBe(false)
  })

  it('validates the level against the matrix', () => {
    expect(appetiteProblems({ maxAcceptableLevel: 'high' })).toEqual({})
    expect(appetiteProblems({ maxAcceptableLevel: 'huge' })).toEqual({
      maxAcceptableLevel: 'must be one of low, medium, high, critical',
    })
    expect(appetiteProblems({ maxAcceptableLevel: 'low', acceptanceMonths: 0 })).toHaveProperty(
      'acceptanceMonths',
    )
  })
})

describe('mayAccept', () => {
  it('lets any management member accept within appetite', () => {
    expect(mayAccept({ residual: 'medium', appetite, decider: board })).toEqual({ allowed: true })
  })

  it('needs the right to accept above appetite', () => {
    const refused = mayAccept({ residual: 'high', appetite, decider: board })
    expect(refused).toMatchObject({ allowed: false, code: 'above_appetite' })
    if (!refused.allowed) expect(refused.reason.de).toMatch(/Risikobereitschaft/)
    expect(mayAccept({ residual: 'critical', appetite, decider: boardWithRight })).toEqual({ allowed: true })
  })

  it('never lets anyone outside management accept', () => {
    expect(
      mayAccept({
        residual: 'low',
        appetite,
        decider: { userId: 'u-iso', roles: ['iso'], acceptAboveAppetite: true },
      }),
    ).toMatchObject({
      allowed: false,
      code: 'not_management',
    })
  })
})

describe('mayDecide (four eyes)', () => {
  it('refuses the requester and earlier approvers', () => {
    expect(mayDecide({ requesterId: 'u-iso', deciderId: 'u-iso' })).toMatchObject({
      allowed: false,
      code: 'four_eyes_requester',
    })
    expect(
      mayDecide({ requesterId: 'u-iso', earlierApproverIds: ['u-ceo'], deciderId: 'u-ceo' }),
    ).toMatchObject({
      allowed: false,
      code: 'four_eyes_earlier_approver',
    })
    expect(mayDecide({ requesterId: 'u-iso', earlierApproverIds: ['u-ceo'], deciderId: 'u-cfo' })).toEqual({
      allowed: true,
    })
  })
})

describe('acceptanceDates', () => {
  it('expires after the configured months and reopens 30 days before', () => {
    expect(acceptanceDates('2026-03-15')).toEqual({ expiresOn: '2027-03-15', reapprovalOn: '2027-02-13' })
    expect(acceptanceDates('2024-02-29', { acceptanceMonths: 12, reapprovalLeadDays: 30 }).expiresOn).toBe(
      '2025-02-28',
    )
  })
})
