import { describe, expect, it } from 'vitest'
import { evaluateForm } from '../../../functions/domain/forms/index.js'
import { form, opts, page, q, TODAY } from './helpers.js'

describe('visibleIf', () => {
  const def = form([
    page('one', [
      q('hasSuppliers', 'yes-no'),
      q('supplierCount', 'number', { visibleIf: "hasSuppliers = 'yes'" }),
      q('bigSupplier', 'text', { visibleIf: 'supplierCount > 10' }),
    ]),
  ])

  it('shows a question when its condition holds and hides it otherwise', async () => {
    const shown = await evaluateForm(def, { hasSuppliers: 'yes' }, TODAY)
    expect(shown.questions.supplierCount.visible).toBe(true)
    const hidden = await evaluateForm(def, { hasSuppliers: 'no' }, TODAY)
    expect(hidden.questions.supplierCount).toEqual({
      visible: false,
      enabled: false,
      required: false,
      answered: false,
    })
  })

  it('collapses a chain: hiding a question hides what depends on its answer', async () => {
    const answers = { hasSuppliers: 'yes', supplierCount: 20, bigSupplier: 'Acme' }
    const open = await evaluateForm(def, answers, TODAY)
    expect(open.questions.bigSupplier.visible).toBe(true)
    const closed = await evaluateForm(def, { ...answers, hasSuppliers: 'no' }, TODAY)
    expect(closed.questions.supplierCount.visible).toBe(false)
    expect(closed.questions.bigSupplier.visible).toBe(false)
  })

  it('drops answers to hidden questions from the cleaned answers and does not require them', async () => {
    const r = await evaluateForm(def, { hasSuppliers: 'no', supplierCount: 20, bigSupplier: 'Acme' }, TODAY)
    expect(r.cleanedAnswers).toEqual({ hasSuppliers: 'no' })
    expect(r.errors).toEqual({})
    expect(r.valid).toBe(true)
  })

  it('hides whole pages and sections, with their questions', async () => {
    const d = form([
      page('start', [q('kind', 'single-choice', { options: opts('a', 'b') })]),
      page('only-a', [q('x', 'text')], { visibleIf: "kind = 'a'" }),
      {
        id: 'mixed',
        title: { en: 'Mixed', de: 'Gemischt' },
        sections: [
          { id: 's-a', visibleIf: "kind = 'a'", questions: [q('y', 'text')] },
          { id: 's-b', visibleIf: "kind = 'b'", questions: [q('z', 'text')] },
        ],
      },
    ])
    const r = await evaluateForm(d, { kind: 'b', x: 'dropped', y: 'dropped', z: 'kept' }, TODAY)
    expect(r.visiblePages).toEqual(['start', 'mixed'])
    expect(r.pages['only-a'].visible).toBe(false)
    expect(r.questions.x.visible).toBe(false)
    expect(r.questions.y.visible).toBe(false)
    expect(r.questions.z.visible).toBe(true)
    expect(r.cleanedAnswers).toEqual({ kind: 'b', z: 'kept' })
  })

  it('reads multiple-choice answers with `in`', async () => {
    const d = form([
      page('one', [
        q('services', 'multiple-choice', { options: opts('cloud', 'onprem') }),
        q('cloudProvider', 'text', { visibleIf: "'cloud' in services" }),
      ]),
    ])
    expect(
      (await evaluateForm(d, { services: ['onprem', 'cloud'] }, TODAY)).questions.cloudProvider.visible,
    ).toBe(true)
    expect((await evaluateForm(d, { services: ['onprem'] }, TODAY)).questions.cloudProvider.visible).toBe(
      false,
    )
  })

  it('offers $today to expressions', async () => {
    const d = form([page('one', [q('due', 'date'), q('late', 'text', { visibleIf: 'due < $today' })])])
    expect((await evaluateForm(d, { due: '2025-03-01' }, TODAY)).questions.late.visible).toBe(true)
    expect((await evaluateForm(d, { due: '2025-04-01' }, TODAY)).questions.late.visible).toBe(false)
  })

  it('treats a condition that breaks at run time as true and reports it', async () => {
    const d = form([page('one', [q('a', 'text'), q('b', 'text', { visibleIf: 'a > 5' })])])
    const r = await evaluateForm(d, { a: 'text, not a number' }, TODAY)
    expect(r.questions.b.visible).toBe(true)
    expect(r.expressionFailures).toHaveLength(1)
    expect(r.expressionFailures[0].path).toBe('pages[0].questions[1].visibleIf')
  })
})

describe('enableIf and requiredIf', () => {
  it('a disabled question keeps its answer and is not required', async () => {
    const d = form([page('one', [q('locked', 'yes-no'), q('reason', 'text', { enableIf: "locked = 'no'" })])])
    const r = await evaluateForm(d, { locked: 'yes', reason: 'kept' }, TODAY)
    expect(r.questions.reason).toEqual({ visible: true, enabled: false, required: false, answered: true })
    expect(r.cleanedAnswers.reason).toBe('kept')
    const empty = await evaluateForm(d, { locked: 'yes' }, TODAY)
    expect(empty.errors).toEqual({})
  })

  it('requiredIf decides whether an empty answer is an error', async () => {
    const d = form([
      page('one', [q('employees', 'number'), q('dpo', 'text', { requiredIf: 'employees >= 20' })]),
    ])
    expect((await evaluateForm(d, { employees: 25 }, TODAY)).errors.dpo?.code).toBe('required')
    const small = await evaluateForm(d, { employees: 5 }, TODAY)
    expect(small.questions.dpo.required).toBe(false)
    expect(small.valid).toBe(true)
  })

  it('requiredIf false on a page makes its questions optional; enableIf false disables them', async () => {
    const d = form([
      page('one', [q('draft', 'yes-no')]),
      page('two', [q('a', 'text'), q('b', 'text')], {
        requiredIf: "draft = 'no'",
        enableIf: "draft != 'frozen'",
      }),
    ])
    const r = await evaluateForm(d, { draft: 'yes' }, TODAY)
    expect(r.questions.a.required).toBe(false)
    expect(r.questions.a.enabled).toBe(true)
    expect(r.valid).toBe(true)
    expect((await evaluateForm(d, { draft: 'no' }, TODAY)).errors.a?.code).toBe('required')
  })

  it('optional questions (required: false) are never required', async () => {
    const d = form([page('one', [q('a', 'text', { required: false })])])
    const r = await evaluateForm(d, {}, TODAY)
    expect(r.questions.a.required).toBe(false)
    expect(r.valid).toBe(true)
  })
})

describe('computed values', () => {
  const def = form(
    [
      page('one', [q('employees', 'number'), q('turnover', 'money', { required: false })]),
      page('large', [q('ceo', 'text')], { visibleIf: "size = 'large'" }),
      page('end', [q('note', 'text', { required: false })]),
    ],
    {
      computed: [
        { id: 'size', expression: "employees >= 250 or turnover > 50000000 ? 'large' : 'small'" },
        { id: 'perHead', expression: 'turnover / employees' },
        { id: 'summary', expression: "size & ' (' & $string(employees) & ')'" },
      ],
    },
  )

  it('computes values from the answers and returns them', async () => {
    const r = await evaluateForm(def, { employees: 300, turnover: 60_000_000 }, TODAY)
    expect(r.computed).toEqual({ size: 'large', perHead: 200_000, summary: 'large (300)' })
  })

  it('uses computed values in conditions', async () => {
    expect((await evaluateForm(def, { employees: 300 }, TODAY)).visiblePages).toEqual(['one', 'large', 'end'])
    expect((await evaluateForm(def, { employees: 10 }, TODAY)).visiblePages).toEqual(['one', 'end'])
  })

  it('leaves out a computed value that yields nothing', async () => {
    const r = await evaluateForm(def, { employees: 10 }, TODAY)
    expect(r.computed).toEqual({ size: 'small', summary: 'small (10)' })
  })

  it('computes from visible answers only', async () => {
    const d = form(
      [page('one', [q('show', 'yes-no'), q('amount', 'number', { visibleIf: "show = 'yes'" })])],
      { computed: [{ id: 'double', expression: 'amount * 2' }] },
    )
    expect((await evaluateForm(d, { show: 'yes', amount: 4 }, TODAY)).computed).toEqual({ double: 8 })
    expect((await evaluateForm(d, { show: 'no', amount: 4 }, TODAY)).computed).toEqual({})
  })
})

describe('progress', () => {
  const def = form([
    page('one', [q('kind', 'single-choice', { options: opts('short', 'long') })]),
    page('extra', [q('e1', 'text'), q('e2', 'text'), q('e3', 'text')], { visibleIf: "kind = 'long'" }),
    page('end', [q('last', 'text'), q('maybe', 'text', { required: false })]),
  ])

  it('counts only visible pages, so it stays right when a page appears or goes', async () => {
    const short = await evaluateForm(def, { kind: 'short' }, TODAY)
    expect(short.progress).toEqual({ answered: 1, total: 2, percent: 50 })
    const long = await evaluateForm(def, { kind: 'long', e1: 'x' }, TODAY)
    expect(long.progress).toEqual({ answered: 2, total: 5, percent: 40 })
    const done = await evaluateForm(def, { kind: 'short', e1: 'hidden', last: 'x' }, TODAY)
    expect(done.progress).toEqual({ answered: 2, total: 2, percent: 100 })
  })

  it('counts an optional question once it is answered, and never reaches 100 % with an error', async () => {
    const r = await evaluateForm(def, { kind: 'short', last: 'x', maybe: 'y' }, TODAY)
    expect(r.progress).toEqual({ answered: 3, total: 3, percent: 100 })
    const bad = await evaluateForm(def, { kind: 9, last: 'x' }, TODAY)
    expect(bad.progress.percent).toBe(50)
  })

  it('reports per-page state for a task list', async () => {
    const r = await evaluateForm(def, { kind: 'long', e1: 'x', e2: 'y', e3: 'z' }, TODAY)
    expect(r.pages.extra).toEqual({
      visible: true,
      enabled: true,
      total: 3,
      answered: 3,
      errors: 0,
      complete: true,
    })
    expect(r.pages.end).toMatchObject({ total: 1, answered: 0, errors: 1, complete: false })
  })

  it('is 100 % for a form with nothing to answer', async () => {
    const d = form([page('one', [q('a', 'text', { required: false })])])
    expect((await evaluateForm(d, {}, TODAY)).progress).toEqual({ answered: 0, total: 0, percent: 100 })
  })
})
