import { describe, expect, it } from 'vitest'
import {
  additionalRequirements,
  parseTisaxCatalogue,
  severityProblem,
  soaEntryProblems,
  TARGET_MATURITY,
  tisaxControlIds,
} from '../../../functions/domain/certification/index.js'
import tisaxJson from '../../../workflows/catalogues/tisax.json' with { type: 'json' }

/** TISAX depth (issue 17.10): maturity 0–5 with target 3, additional requirements by level, prototype labels, own titles. */
const catalogue = parseTisaxCatalogue(tisaxJson)
const entry = {
  controlId: '1.1.1',
  applicable: true,
  justification: 'Our OEM customers require the TISAX label.',
  inclusionReasons: ['contractual'],
  status: 'implemented',
  ownerId: 'iso',
}
const isKnownControl = () => true
const al = (level: 'AL2' | 'AL3') => ({
  isKnownControl,
  tisax: { needs: additionalRequirements(level), targetMaturity: TARGET_MATURITY },
})

describe('TISAX: what separates AL2 from AL3', () => {
  it('AL2 asks for the additional requirements for high protection needs, AL3 also for very high', () => {
    expect(additionalRequirements('AL2')).toEqual(['high'])
    expect(additionalRequirements('AL3')).toEqual(['high', 'very-high'])
    expect(soaEntryProblems({ ...entry, additionalRequirements: { high: 'met' } }, al('AL2'))).toEqual({})
    expect(
      soaEntryProblems(
        { ...entry, additionalRequirements: { high: 'met', 'very-high': 'partly' } },
        al('AL2'),
      ),
    ).toEqual({ 'additionalRequirements.very-high': 'applies to very high protection needs (AL3) only' })
    expect(
      soaEntryProblems(
        { ...entry, additionalRequirements: { high: 'met', 'very-high': 'partly' } },
        al('AL3'),
      ),
    ).toEqual({})
    expect(
      soaEntryProblems({ ...entry, additionalRequirements: { high: 'sort of' } }, al('AL3')),
    ).toHaveProperty(['additionalRequirements.high'])
  })
})

describe('TISAX maturity 0–5, target 3', () => {
  it('takes 0 to 5; an implemented control below 3 is not implemented; ISO 27001 entries have no maturity', () => {
    expect(soaEntryProblems({ ...entry, maturity: 4 }, al('AL2'))).toEqual({})
    expect(soaEntryProblems({ ...entry, maturity: 6 }, al('AL2'))).toEqual({ maturity: 'must be 0 to 5' })
    expect(soaEntryProblems({ ...entry, maturity: 2 }, al('AL2'))).toEqual({
      maturity: 'is below the target maturity 3: the control is not implemented yet',
    })
    expect(soaEntryProblems({ ...entry, status: 'partial', maturity: 2 }, al('AL2'))).toEqual({})
    expect(soaEntryProblems({ ...entry, controlId: 'A.5.1', maturity: 3 })).toEqual({
      maturity: 'applies to TISAX controls only',
    })
  })

  it('keeps the organisation’s own control title, at most 300 characters', () => {
    expect(soaEntryProblems({ ...entry, officialTitle: 'Information security policies' }, al('AL2'))).toEqual(
      {},
    )
    expect(soaEntryProblems({ ...entry, officialTitle: 'x'.repeat(301) }, al('AL2'))).toHaveProperty(
      'officialTitle',
    )
  })
})

describe('Stage 1 finds areas of concern (ISO/IEC 17021-1), not nonconformities', () => {
  const template = {
    milestones: [{ id: 'stage-1', findings: 'areas-of-concern' as const }, { id: 'stage-2' }],
  }
  it('a finding of a milestone marked areas-of-concern is one, and only such a finding is', () => {
    expect(severityProblem(template, 'stage-1', 'minor')).toMatch(/areas of concern, not nonconformities/)
    expect(severityProblem(template, 'stage-1', 'area-of-concern')).toBeUndefined()
    expect(severityProblem(template, 'stage-2', 'area-of-concern')).toMatch(/only a Stage 1 audit/)
    expect(severityProblem(template, 'internal-audit', 'major')).toBeUndefined()
  })
})

describe('prototype-protection labels', () => {
  const chapter8 = (labels: Parameters<typeof tisaxControlIds>[2]) =>
    [
      ...new Set(tisaxControlIds(catalogue, ['prototype-protection'], labels).map((id) => id.slice(0, 3))),
    ].sort()
  // ENX assessment objectives (TISAX Participant Handbook): every label needs the organisational
  // requirements (8.2) and the handling of vehicles, components and parts (8.3: transport, parking
  // and storage); parts and vehicles add physical security (8.1), test vehicles their own
  // requirements (8.4: camouflage, test grounds, test drives), events and shootings 8.5.
  it('scope chapter 8 by label: parts and vehicles 8.1–8.3, test vehicles 8.2–8.4, events 8.2, 8.3 and 8.5', () => {
    expect(chapter8(['parts'])).toEqual(['8.1', '8.2', '8.3'])
    expect(chapter8(['vehicles'])).toEqual(['8.1', '8.2', '8.3'])
    expect(chapter8(['test-vehicles'])).toEqual(['8.2', '8.3', '8.4'])
    expect(chapter8(['events'])).toEqual(['8.2', '8.3', '8.5'])
    expect(chapter8(['test-vehicles', 'events'])).toEqual(['8.2', '8.3', '8.4', '8.5'])
    // Transport, parking and storage (8.3.1, 8.3.2) are asked of every label.
    for (const label of ['parts', 'vehicles', 'test-vehicles', 'events'] as const)
      expect(tisaxControlIds(catalogue, ['prototype-protection'], [label])).toEqual(
        expect.arrayContaining(['8.3.1', '8.3.2']),
      )
    expect(chapter8([])).toEqual(['8.1', '8.2', '8.3', '8.4', '8.5'])
    // Other modules are not affected by the labels.
    expect(tisaxControlIds(catalogue, ['information-security'], ['events'])).toEqual(
      tisaxControlIds(catalogue, ['information-security']),
    )
  })
})
