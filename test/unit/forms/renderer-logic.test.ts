import { describe, expect, it } from 'vitest'
import { evaluateForm, parseFormDefinition } from '../../../functions/domain/forms/index.js'
import { loadFormDefinitions } from '../../../functions/forms/load.js'
import { createAutosave } from '../../../web/src/lib/forms/autosave.js'
import { answerLines } from '../../../web/src/lib/forms/format.js'
import {
  fieldId,
  locationFromSearch,
  nextStep,
  pageErrors,
  previousStep,
  resolveStep,
  urlFor,
} from '../../../web/src/lib/forms/navigation.js'
import { formatNumberInput, parseNumberInput } from '../../../web/src/lib/forms/number-input.js'
import { flattenMessages } from '../../../web/src/lib/i18n/flatten.js'
import * as areas from '../../../web/src/lib/i18n/messages/index.js'
import { catalogue } from '../../../web/src/lib/i18n/translate.js'
import { form, opts, page, q, TODAY, t } from './helpers.js'

// The catalogues as the app loads them (web/build/messages.ts).
catalogue.en = flattenMessages(areas, 'en')
catalogue.de = flattenMessages(areas, 'de')

const registry = await loadFormDefinitions()
const onboarding = registry.require('sample-onboarding')
const page1 = { orgName: 'Acme', sector: 'energy', employees: 60 }

describe('renderer navigation', () => {
  it('reads and writes the step in the URL, keeping other parameters', () => {
    expect(locationFromSearch('?task=7&page=nis2&change=1')).toEqual({
      step: { kind: 'page', pageId: 'nis2' },
      returnToCheck: true,
    })
    expect(locationFromSearch('?check=1').step).toEqual({ kind: 'check' })
    expect(locationFromSearch('').step).toBeUndefined()
    expect(
      urlFor('https://x.test/tasks/7?tab=form&page=a', { step: { kind: 'check' }, returnToCheck: false }),
    ).toBe('/tasks/7?tab=form&check=1')
    expect(
      urlFor('https://x.test/tasks/7', { step: { kind: 'page', pageId: 'contact' }, returnToCheck: true }),
    ).toBe('/tasks/7?page=contact&change=1')
  })

  it('Continue goes to the next visible page, skipping a hidden conditional page', async () => {
    const shown = await evaluateForm(onboarding, page1, TODAY)
    expect(nextStep(onboarding, shown, 'organisation', { returnToCheck: false, hasCheck: true })).toEqual({
      step: { kind: 'page', pageId: 'nis2' },
      returnToCheck: false,
    })
    const skipped = await evaluateForm(onboarding, { ...page1, sector: 'other', employees: 5 }, TODAY)
    expect(nextStep(onboarding, skipped, 'organisation', { returnToCheck: false, hasCheck: true })).toEqual({
      step: { kind: 'page', pageId: 'contact' },
      returnToCheck: false,
    })
  })

  it('after a Change link, Continue returns to the check page unless the change opened a page to answer', async () => {
    const complete = await evaluateForm(
      onboarding,
      {
        ...page1,
        sector: 'other',
        employees: 5,
        contactName: 'E',
        contactEmail: 'e@x.de',
        confirmation: { name: 'Erika', at: '2025-03-27T10:00:00Z' },
      },
      TODAY,
    )
    expect(nextStep(onboarding, complete, 'organisation', { returnToCheck: true, hasCheck: true })).toEqual({
      step: { kind: 'check' },
      returnToCheck: false,
    })
    const opened = await evaluateForm(onboarding, { ...complete.cleanedAnswers, sector: 'energy' }, TODAY)
    expect(nextStep(onboarding, opened, 'organisation', { returnToCheck: true, hasCheck: true })).toEqual({
      step: { kind: 'page', pageId: 'nis2' },
      returnToCheck: true,
    })
  })

  it('without a check page, Continue on the last page submits', async () => {
    const ev = await evaluateForm(onboarding, page1, TODAY)
    expect(nextStep(onboarding, ev, 'confirm', { returnToCheck: false, hasCheck: false })).toBe('submit')
  })

  it('Back goes to the previous visible page; none before the first', async () => {
    const ev = await evaluateForm(onboarding, { ...page1, sector: 'other', employees: 5 }, TODAY)
    expect(previousStep(onboarding, ev, { kind: 'page', pageId: 'contact' })).toEqual({
      kind: 'page',
      pageId: 'organisation',
    })
    expect(previousStep(onboarding, ev, { kind: 'check' })).toEqual({ kind: 'page', pageId: 'confirm' })
    expect(previousStep(onboarding, ev, { kind: 'page', pageId: 'organisation' })).toBeUndefined()
  })

  it('resolves a hidden page in the URL to the visible page before it, and resumes at the first open page', async () => {
    const ev = await evaluateForm(onboarding, { ...page1, sector: 'other', employees: 5 }, TODAY)
    expect(resolveStep(onboarding, ev, { kind: 'page', pageId: 'nis2' }, true)).toEqual({
      kind: 'page',
      pageId: 'organisation',
    })
    expect(resolveStep(onboarding, ev, undefined, true)).toEqual({ kind: 'page', pageId: 'contact' })
    // the check page only once everything is answered
    expect(resolveStep(onboarding, ev, { kind: 'check' }, true)).toEqual({ kind: 'page', pageId: 'contact' })
  })

  it('lists a page’s errors in question order with the ids of their fields', async () => {
    const approval = registry.require('approval')
    const ev = await evaluateForm(approval, { decision: { outcome: 'reject' } }, TODAY)
    expect(pageErrors(approval, ev, 'decision').map(([k]) => k)).toEqual(['decision.comment'])
    expect(fieldId('decision.comment')).toBe('f-decision-comment')
    expect(fieldId('employees')).toBe('f-employees')
  })
})

describe('answers on the check page', () => {
  const def = parseFormDefinition(
    form([
      page('one', [
        q('sc', 'single-choice', { options: [{ value: 'a', label: t('Apple', 'Apfel') }, ...opts('b')] }),
        q('yn', 'yes-no', { notSure: true }),
        q('n', 'number', { unit: t('employees', 'Beschäftigte') }),
        q('m', 'money'),
        q('d', 'date'),
        q('mx', 'matrix', {
          rows: [{ id: 'c', label: t('Confidentiality', 'Vertraulichkeit') }],
          scale: opts('low', 'high'),
        }),
        q('ev', 'evidence'),
        q('dec', 'decision'),
        q('cat', 'catalogue', { catalogue: 'acts', multiple: true }),
      ]),
    ]),
  )
  const question = (id: string) => def.pages[0].questions!.find((x) => x.id === id)!

  it('shows labels, numbers, money and dates in the reader’s language', () => {
    expect(answerLines(question('sc'), 'a', 'de')).toEqual(['Apfel'])
    expect(answerLines(question('yn'), 'not-sure', 'en')).toEqual(["I'm not sure"])
    expect(answerLines(question('yn'), 'yes', 'de')).toEqual(['Ja'])
    expect(answerLines(question('n'), 1234.5, 'de')).toEqual(['1.234,5 Beschäftigte'])
    expect(answerLines(question('m'), 1500, 'en')).toEqual(['€1,500.00'])
    expect(answerLines(question('d'), '2025-03-27', 'de')).toEqual(['27. März 2025'])
    expect(answerLines(question('mx'), { c: 'high' }, 'de')).toEqual(['Vertraulichkeit: high (de)'])
    expect(answerLines(question('ev'), [{ kind: 'file', fileId: 'x', name: 'scan.pdf' }], 'en')).toEqual([
      'File: scan.pdf',
    ])
    expect(answerLines(question('dec'), { outcome: 'request-changes', comment: 'Add costs' }, 'de')).toEqual([
      'Änderungen anfordern',
      'Add costs',
    ])
    expect(
      answerLines(question('cat'), ['x1'], 'en', { acts: [{ id: 'x1', label: t('Electricity') }] }),
    ).toEqual(['Electricity'])
  })

  it('gives no lines for an empty answer (the page says "Not provided")', () => {
    expect(answerLines(question('sc'), undefined, 'en')).toEqual([])
    expect(answerLines(question('ev'), [], 'en')).toEqual([])
  })
})

describe('number input', () => {
  it('reads English and German numbers', () => {
    expect(parseNumberInput('1,200', 'en')).toBe(1200)
    expect(parseNumberInput('1.200', 'de')).toBe(1200)
    expect(parseNumberInput('1.5', 'en')).toBe(1.5)
    expect(parseNumberInput('1,5', 'de')).toBe(1.5)
    expect(parseNumberInput('1,5', 'en')).toBe(1.5)
    expect(parseNumberInput('1.234.567,89 €', 'de')).toBe(1234567.89)
    expect(parseNumberInput('1,234,567.89', 'en')).toBe(1234567.89)
    expect(parseNumberInput(' -3 ', 'en')).toBe(-3)
    expect(parseNumberInput('12 000', 'de')).toBe(12000)
  })

  it('refuses what is not a number', () => {
    for (const s of ['', 'abc', '1.2.3', '1,2,3', '1e5', '--1', '12a'])
      expect(parseNumberInput(s, 'en'), s).toBeUndefined()
  })

  it('shows numbers for editing without grouping', () => {
    expect(formatNumberInput(1234.5, 'de')).toBe('1234,5')
    expect(formatNumberInput(1234.5, 'en')).toBe('1234.5')
  })
})

describe('autosave', () => {
  /** Manual timers: `run()` fires what is due. */
  function manualTimers() {
    const due: (() => void)[] = []
    return {
      timers: {
        setTimeout: (fn: () => void) => {
          due.push(fn)
          return due.length - 1
        },
        clearTimeout: (h: unknown) => {
          due[h as number] = () => {}
        },
      },
      run: () => {
        const fns = due.splice(0)
        for (const fn of fns) fn()
      },
    }
  }

  it('saves once after the last of several quick changes', async () => {
    const saved: number[] = []
    const statuses: string[] = []
    const { timers, run } = manualTimers()
    const autosave = createAutosave<number>({
      save: (v) => void saved.push(v),
      timers,
      onStatus: (s) => statuses.push(s),
    })
    autosave.schedule(1)
    autosave.schedule(2)
    autosave.schedule(3)
    run()
    await autosave.flush()
    expect(saved).toEqual([3])
    expect(statuses.at(-1)).toBe('saved')
  })

  it('reports a failure and saves again on flush', async () => {
    let fail = true
    const saved: number[] = []
    const { timers, run } = manualTimers()
    const autosave = createAutosave<number>({
      save: (v) => {
        if (fail) throw new Error('offline')
        saved.push(v)
      },
      timers,
    })
    autosave.schedule(7)
    run()
    await autosave.flush()
    expect(autosave.status).toBe('failed')
    fail = false
    await autosave.flush()
    expect(saved).toEqual([7])
    expect(autosave.status).toBe('saved')
  })

  it('saves a change made during a save right after it, and nothing after cancel', async () => {
    const saved: number[] = []
    let release: () => void = () => {}
    const { timers, run } = manualTimers()
    const autosave = createAutosave<number>({
      save: (v) =>
        new Promise<void>((resolve) => {
          saved.push(v)
          release = resolve
        }),
      timers,
    })
    autosave.schedule(1)
    run()
    autosave.schedule(2)
    const flushed = autosave.flush()
    release()
    await Promise.resolve()
    release()
    await flushed
    expect(saved).toEqual([1, 2])
    autosave.cancel()
    autosave.schedule(3)
    run()
    await autosave.flush()
    expect(saved).toEqual([1, 2])
  })
})
