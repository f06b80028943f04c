import { describe, expect, it } from 'vitest'
import { AppError } from '../../../functions/domain/errors.js'
import { validateSubmission } from '../../../functions/domain/forms/index.js'
import { parseReviewTemplates, reviewTemplate } from '../../../functions/domain/schedules/templates.js'
import { loadFormDefinitions } from '../../../functions/forms/load.js'
import templatesJson from '../../../workflows/reviews/templates.json' with { type: 'json' }

/**
 * Exercises and technical checks on the review programme (issue 17.9): each template names
 * its controls and the BSIG duty, and each form's `followUpNeeded` rule makes follow-up
 * actions required when the result calls for them.
 */
const templates = parseReviewTemplates(templatesJson)
const today = '2026-06-15'

async function submit(formId: string, answers: Record<string, unknown>) {
  const form = (await loadFormDefinitions()).require(formId)
  return validateSubmission(form, answers, { today })
}

async function fieldsOf(formId: string, answers: Record<string, unknown>) {
  try {
    await submit(formId, answers)
  } catch (err) {
    if (err instanceof AppError) return Object.keys(err.fields ?? {})
    throw err
  }
  throw new Error('expected the answers to be refused')
}

const result = { summary: 'Done as planned.' }

describe('exercise and technical-check templates', () => {
  it.each([
    ['bcdr-exercise', ['ISO/IEC 27001:2022 A.5.29', 'ISO/IEC 27001:2022 A.5.30', '§ 30 Abs. 2 Nr. 3 BSIG']],
    ['backup-restore-test', ['ISO/IEC 27001:2022 A.8.13', '§ 30 Abs. 2 Nr. 3 BSIG']],
    ['vulnerability-scan', ['ISO/IEC 27001:2022 A.8.8']],
    ['penetration-test', ['ISO/IEC 27001:2022 A.8.8']],
    ['asset-inventory-review', ['ISO/IEC 27001:2022 A.5.9']],
  ])('%s references %j', (kind, refs) => {
    expect(reviewTemplate(templates, kind).references).toEqual(expect.arrayContaining(refs))
  })
})

describe('backup restore test form', () => {
  const passed = {
    testedOn: '2026-06-10',
    systemsTested: 'ERP database from the nightly backup',
    restoreSucceeded: 'yes',
    dataComplete: 'yes',
    rtoHours: 8,
    restoreHours: 5,
    rpoMet: 'yes',
    ...result,
  }

  it('a restore within its objectives needs no follow-up', async () => {
    const s = await submit('review-backup-restore-test', passed)
    expect(s.computed.followUpNeeded).toBe(false)
  })

  it.each([
    ['a failed restore', { restoreSucceeded: 'no' }],
    ['incomplete data', { dataComplete: 'not-sure' }],
    ['a restore slower than the objective', { restoreHours: 9 }],
    ['data loss beyond the objective', { rpoMet: 'no' }],
  ])('%s needs a follow-up action, named answers.actions', async (_, change) => {
    expect(await fieldsOf('review-backup-restore-test', { ...passed, ...change })).toEqual([
      'answers.actions',
    ])
    const s = await submit('review-backup-restore-test', {
      ...passed,
      ...change,
      actions: 'Fix the backup job',
      actionsAssignee: 'member',
    })
    expect(s.computed.followUpNeeded).toBe(true)
  })

  it('names each missing result field', async () => {
    expect(await fieldsOf('review-backup-restore-test', { rtoHours: -1 })).toEqual(
      expect.arrayContaining([
        'answers.testedOn',
        'answers.restoreSucceeded',
        'answers.rtoHours',
        'answers.restoreHours',
        'answers.summary',
      ]),
    )
  })
})

describe('vulnerability scan and penetration test forms', () => {
  const scan = {
    scannedOn: '2026-06-05',
    scope: 'Office network, DMZ',
    complete: 'yes',
    findingsCritical: 0,
    findingsHigh: 0,
    findingsMedium: 12,
    ...result,
  }
  it('no open critical or high findings: no follow-up needed', async () => {
    expect((await submit('review-vulnerability-scan', scan)).computed.followUpNeeded).toBe(false)
  })
  it('an open high finding or an incomplete scan needs a follow-up action', async () => {
    expect(await fieldsOf('review-vulnerability-scan', { ...scan, findingsHigh: 1 })).toEqual([
      'answers.actions',
    ])
    expect(await fieldsOf('review-vulnerability-scan', { ...scan, complete: 'no' })).toEqual([
      'answers.actions',
    ])
  })

  const pentest = {
    testedOn: '2026-06-01',
    tester: 'Hanse Security GmbH',
    independent: 'yes',
    scope: 'Supplier portal, grey box',
    findingsCritical: 0,
    findingsHigh: 0,
    findingsMedium: 3,
    retested: 'yes',
    ...result,
  }
  it('a tester who is not independent, or a critical finding, needs a follow-up action', async () => {
    expect((await submit('review-penetration-test', pentest)).computed.followUpNeeded).toBe(false)
    expect(await fieldsOf('review-penetration-test', { ...pentest, independent: 'no' })).toEqual([
      'answers.actions',
    ])
    expect(await fieldsOf('review-penetration-test', { ...pentest, findingsCritical: 2 })).toEqual([
      'answers.actions',
    ])
  })
})

describe('continuity exercise and asset inventory forms', () => {
  const exercise = {
    heldOn: '2026-05-20',
    exerciseType: 'tabletop',
    scenario: 'Ransomware encrypts the ERP',
    participants: 'Management, IT, production',
    objectivesMet: 'yes',
    plansNeedChanges: 'no',
    ...result,
  }
  it('a missed recovery objective or a plan change needs a follow-up action', async () => {
    expect((await submit('review-bcdr-exercise', exercise)).computed.followUpNeeded).toBe(false)
    expect(await fieldsOf('review-bcdr-exercise', { ...exercise, objectivesMet: 'not-sure' })).toEqual([
      'answers.actions',
    ])
    expect(await fieldsOf('review-bcdr-exercise', { ...exercise, plansNeedChanges: 'yes' })).toEqual([
      'answers.actions',
    ])
    expect(await fieldsOf('review-bcdr-exercise', { ...exercise, exerciseType: 'party' })).toEqual([
      'answers.exerciseType',
    ])
  })

  const inventory = {
    inventoryLocation: 'CMDB',
    assetsTotal: 412,
    assetsAdded: 23,
    assetsRetired: 9,
    withoutOwner: 0,
    unclassified: 0,
    ...result,
  }
  it('assets without an owner or a classification need a follow-up action', async () => {
    expect((await submit('review-asset-inventory-review', inventory)).computed.followUpNeeded).toBe(false)
    expect(await fieldsOf('review-asset-inventory-review', { ...inventory, withoutOwner: 3 })).toEqual([
      'answers.actions',
    ])
    expect(await fieldsOf('review-asset-inventory-review', { ...inventory, unclassified: 1 })).toEqual([
      'answers.actions',
    ])
  })
})
