import { describe, expect, it } from 'vitest'
import { lessonsRiskFields } from '../../../functions/domain/incidents/index.js'
import { DEFAULT_RISK_MATRIX, validateRisk } from '../../../functions/domain/risk/index.js'

describe('lessonsRiskFields', () => {
  const incident = {
    title: 'Phishing: mailbox taken over',
    description: 'A stolen password; 1,200 mails with fake bank details.',
    affected: 'Microsoft 365 mail',
    lessonsLearned: 'MFA was missing on shared mailboxes.',
    classification: { significant: true, personalDataBreach: false, gdprRisk: null },
  }

  it('drafts an identified risk in the middle of the matrix, owned by who made it, naming the incident', () => {
    const f = lessonsRiskFields(incident, 'INC-2026-1A2B3C4D', {
      ownerId: 'demo-iso',
      scale: { likelihood: 5, impact: 5 },
      lang: 'en',
    })
    expect(f).toMatchObject({
      title: 'Lesson from INC-2026-1A2B3C4D: Phishing: mailbox taken over',
      status: 'identified',
      ownerId: 'demo-iso',
      likelihood: 3,
      impact: 3,
      category: 'information-security',
      assets: ['Microsoft 365 mail'],
    })
    expect(f.description).toContain('Lessons learned: MFA was missing on shared mailboxes.')
    // The register's own rules accept it.
    expect(validateRisk(f, DEFAULT_RISK_MATRIX).status).toBe('identified')
  })

  it('German texts; a personal data breach is a privacy risk; long titles are cut to the register’s limit', () => {
    const f = lessonsRiskFields(
      {
        ...incident,
        title: 'x'.repeat(400),
        classification: { ...incident.classification, personalDataBreach: true },
      },
      'INC-1',
      { ownerId: 'u', scale: { likelihood: 4, impact: 3 }, lang: 'de' },
    )
    expect(f.title.startsWith('Erkenntnis aus INC-1: ')).toBe(true)
    expect(f.title).toHaveLength(200)
    expect(f.category).toBe('privacy')
    expect([f.likelihood, f.impact]).toEqual([2, 2])
    expect(f.description).toContain('Erkenntnisse: ')
  })
})
