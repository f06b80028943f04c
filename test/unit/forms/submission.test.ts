import { describe, expect, it } from 'vitest'
import { AppError } from '../../../functions/domain/errors.js'
import { evaluateForm, findDecision, validateSubmission } from '../../../functions/domain/forms/index.js'
import { loadFormDefinitions } from '../../../functions/forms/load.js'
import { form, page, q, TODAY, t } from './helpers.js'

const registry = await loadFormDefinitions()
const onboarding = registry.require('sample-onboarding')
const approval = registry.require('approval')

const completeOnboarding = {
  orgName: 'Stadtwerke Beispiel GmbH',
  sector: 'energy',
  employees: 120,
  turnover: 30_000_000,
  kritis: 'yes',
  kritisFacility: 'Kraftwerk Nord',
  importance: { availability: 'high', confidentiality: 'medium', integrity: 'high' },
  contactName: 'Erika Mustermann',
  contactEmail: 'erika@example.com',
  confirmation: { name: 'Erika Mustermann', at: '2025-03-27T09:00:00.000Z' },
}

describe('validateSubmission', () => {
  it('returns the cleaned answers with the form id and version', async () => {
    const s = await validateSubmission(onboarding, completeOnboarding, TODAY)
    expect(s.formId).toBe('sample-onboarding')
    expect(s.version).toBe(1)
    expect(s.answers.kritisFacility).toBe('Kraftwerk Nord')
    expect(s.computed).toEqual({ sizeClass: 'medium' })
  })

  it('drops answers to hidden questions instead of storing them', async () => {
    const answers = { ...completeOnboarding, sector: 'other', employees: 10, turnover: 100_000 }
    const s = await validateSubmission(onboarding, answers, TODAY)
    expect(s.answers).not.toHaveProperty('kritis')
    expect(s.answers).not.toHaveProperty('kritisFacility')
    expect(s.answers).not.toHaveProperty('importance')
    expect(s.computed.sizeClass).toBe('small')
  })

  it('throws validationError naming each failing field, in the language asked for', async () => {
    const answers = { ...completeOnboarding, contactEmail: 'not an email', employees: -1, role: 'admin' }
    const err = await validateSubmission(onboarding, answers, { ...TODAY, lang: 'de' }).catch((e) => e)
    expect(err).toBeInstanceOf(AppError)
    expect(err.code).toBe('validation_failed')
    expect(err.fields).toEqual({
      'answers.role': 'Dies ist keine Frage dieses Formulars',
      'answers.employees': 'Geben Sie eine Zahl zwischen 0 und 10.000.000 ein',
      'answers.contactEmail':
        'Geben Sie eine E-Mail-Adresse im richtigen Format ein, zum Beispiel name@example.com',
    })
  })

  it('records the server time on acknowledgements when asked', async () => {
    const at = new Date('2025-03-27T12:00:00.000Z')
    const s = await validateSubmission(onboarding, completeOnboarding, { ...TODAY, acknowledgedAt: at })
    expect(s.answers.confirmation).toEqual({ name: 'Erika Mustermann', at: '2025-03-27T12:00:00.000Z' })
  })

  it('approval: a rejection without a comment is refused, with a comment accepted', async () => {
    const refused = await validateSubmission(approval, { decision: { outcome: 'reject' } }).catch((e) => e)
    expect(refused.fields).toEqual({ 'answers.decision.comment': 'Enter a comment explaining your decision' })
    const s = await validateSubmission(approval, {
      decision: { outcome: 'reject', comment: 'Budget missing' },
    })
    expect(s.answers).toEqual({ decision: { outcome: 'reject', comment: 'Budget missing' } })
    expect(findDecision(approval, s.answers)).toEqual({
      questionId: 'decision',
      answer: { outcome: 'reject', comment: 'Budget missing' },
    })
  })

  it('findDecision is undefined for a form without a decision', () => {
    expect(findDecision(onboarding, completeOnboarding)).toBeUndefined()
  })
})

describe('languages', () => {
  it('every built-in message exists in English and German and they differ', async () => {
    const d = form([
      page('one', [
        q('a', 'text'),
        q('b', 'number', { min: 1, max: 3 }),
        q('c', 'date', { min: 'today' }),
        q('d', 'decision'),
        q('e', 'evidence'),
        q('f', 'acknowledgement', { statement: t('ok') }),
        q('g', 'money'),
      ]),
    ])
    const r = await evaluateForm(d, { b: 9, c: '2020-01-01', d: { outcome: 'reject' }, g: 1.234 }, TODAY)
    expect(Object.keys(r.errors).sort()).toEqual(['a', 'b', 'c', 'd.comment', 'e', 'f', 'g'])
    for (const m of Object.values(r.errors)) {
      expect(m.en.length).toBeGreaterThan(5)
      expect(m.de.length).toBeGreaterThan(5)
      expect(m.de).not.toBe(m.en)
    }
  })
})

describe('caching', () => {
  it('compiles a definition once per object and per identical id@version', async () => {
    const a = form([page('one', [q('x', 'text', { visibleIf: 'true' })])])
    const copy = JSON.parse(JSON.stringify(a))
    const changed = { ...copy, pages: [page('one', [q('x', 'text', { visibleIf: 'false' })])] }
    expect((await evaluateForm(a, {}, TODAY)).questions.x.visible).toBe(true)
    expect((await evaluateForm(copy, {}, TODAY)).questions.x.visible).toBe(true)
    // same id@version but different content: compiled afresh, not served stale
    expect((await evaluateForm(changed, {}, TODAY)).questions.x.visible).toBe(false)
  })
})
