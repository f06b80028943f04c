import { describe, expect, it } from 'vitest'
import { evaluateForm } from '../../../functions/domain/forms/index.js'
import { form, opts, page, q, TODAY, t } from './helpers.js'

const catalogues = {
  'nis2-activities': [
    { id: 'energy.electricity', label: t('Electricity') },
    { id: 'health.provider', label: t('Healthcare provider') },
  ],
}

/** Evaluates one question (id `a`) with one answer; returns its error code and cleaned value. */
async function one(question: Record<string, unknown>, answer: unknown) {
  const r = await evaluateForm(
    form([page('one', [{ ...q('a', 'text'), ...question }])]),
    { a: answer },
    {
      ...TODAY,
      catalogues,
    },
  )
  const errors = Object.fromEntries(Object.entries(r.errors).map(([k, m]) => [k, m.code]))
  return { errors, value: r.cleanedAnswers.a, messages: r.errors }
}

describe('answer types', () => {
  it('single choice: one of the options', async () => {
    const question = { type: 'single-choice', options: opts('a', 'b') }
    expect((await one(question, 'b')).value).toBe('b')
    expect((await one(question, 'c')).errors).toEqual({ a: 'not_an_option' })
    expect((await one(question, ['a'])).errors).toEqual({ a: 'not_an_option' })
  })

  it('multiple choice: options only, each once, within min/max, returned in option order', async () => {
    const question = { type: 'multiple-choice', options: opts('x', 'y', 'z'), minSelected: 2, maxSelected: 2 }
    expect((await one(question, ['z', 'x'])).value).toEqual(['x', 'z'])
    expect((await one(question, ['x'])).errors).toEqual({ a: 'selection_count' })
    expect((await one(question, ['x', 'y', 'z'])).errors).toEqual({ a: 'selection_count' })
    expect((await one(question, ['x', 'q'])).errors).toEqual({ a: 'not_an_option' })
    expect((await one(question, ['x', 'x'])).errors).toEqual({ a: 'malformed' })
    expect((await one(question, 'x')).errors).toEqual({ a: 'not_an_option' })
  })

  it("yes/no: 'not-sure' only when offered", async () => {
    expect((await one({ type: 'yes-no' }, 'no')).value).toBe('no')
    expect((await one({ type: 'yes-no' }, 'not-sure')).errors).toEqual({ a: 'not_an_option' })
    expect((await one({ type: 'yes-no', notSure: true }, 'not-sure')).value).toBe('not-sure')
    expect((await one({ type: 'yes-no' }, true)).errors).toEqual({ a: 'not_an_option' })
  })

  it('number: a finite number, whole if asked, within min and max', async () => {
    const question = { type: 'number', min: 1, max: 5, integer: true }
    expect((await one(question, 3)).value).toBe(3)
    expect((await one(question, '3')).errors).toEqual({ a: 'not_a_number' })
    expect((await one(question, 2.5)).errors).toEqual({ a: 'not_an_integer' })
    const tooBig = await one(question, 6)
    expect(tooBig.errors).toEqual({ a: 'out_of_range' })
    expect(tooBig.messages.a.en).toBe('Enter a number between 1 and 5')
    expect(tooBig.messages.a.de).toBe('Geben Sie eine Zahl zwischen 1 und 5 ein')
    expect((await one({ type: 'number', min: 1000 }, 5)).messages.a.de).toBe(
      'Geben Sie eine Zahl ab 1.000 ein',
    )
  })

  it('money: euros with at most two decimals, within bounds', async () => {
    const question = { type: 'money', min: 0, max: 1_000_000 }
    expect((await one(question, 1234.5)).value).toBe(1234.5)
    expect((await one(question, 0.1 + 0.2)).value).toBeCloseTo(0.3)
    expect((await one(question, 10.005)).errors).toEqual({ a: 'too_many_decimals' })
    const high = await one(question, 2_000_000)
    expect(high.messages.a.en).toBe('Enter an amount between €0.00 and €1,000,000.00')
    expect(high.messages.a.de).toBe('Geben Sie einen Betrag zwischen 0,00\u00a0€ und 1.000.000,00\u00a0€ ein')
    expect((await one(question, Number.NaN)).errors).toEqual({ a: 'not_a_number' })
  })

  it('text: trimmed, within lengths, matching the pattern with its own message', async () => {
    const question = {
      type: 'text',
      minLength: 3,
      maxLength: 6,
      pattern: { regex: '^[A-Z]+$', message: t('Use capital letters', 'Großbuchstaben verwenden') },
    }
    expect((await one(question, '  ABC  ')).value).toBe('ABC')
    expect((await one(question, 'AB')).errors).toEqual({ a: 'too_short' })
    expect((await one(question, 'ABCDEFG')).errors).toEqual({ a: 'too_long' })
    const bad = await one(question, 'abc')
    expect(bad.messages.a).toEqual({
      code: 'pattern',
      en: 'Use capital letters',
      de: 'Großbuchstaben verwenden',
    })
    expect((await one(question, 42)).errors).toEqual({ a: 'not_text' })
    expect((await one({ type: 'text' }, 'x'.repeat(501))).errors).toEqual({ a: 'too_long' })
  })

  it('long text: up to 10 000 characters by default', async () => {
    expect((await one({ type: 'long-text' }, 'line 1\nline 2')).value).toBe('line 1\nline 2')
    expect((await one({ type: 'long-text' }, 'x'.repeat(10_001))).errors).toEqual({ a: 'too_long' })
  })

  it('date: a real yyyy-mm-dd date within bounds, today included', async () => {
    expect((await one({ type: 'date' }, '2024-02-29')).value).toBe('2024-02-29')
    expect((await one({ type: 'date' }, '2025-02-29')).errors).toEqual({ a: 'invalid_date' })
    expect((await one({ type: 'date' }, '27/03/2025')).errors).toEqual({ a: 'invalid_date' })
    expect((await one({ type: 'date', max: 'today' }, '2025-03-27')).value).toBe('2025-03-27')
    const future = await one({ type: 'date', max: 'today' }, '2025-03-28')
    expect(future.messages.a.en).toBe('The date must be today or in the past')
    const early = await one({ type: 'date', min: '2025-01-01' }, '2024-12-31')
    expect(early.messages.a.en).toBe('The date must be on or after 1 January 2025')
    expect(early.messages.a.de).toBe('Das Datum muss am oder nach dem 1. Januar 2025 liegen')
  })

  it('catalogue: ids of the named catalogue, single or multiple', async () => {
    expect((await one({ type: 'catalogue', catalogue: 'nis2-activities' }, 'health.provider')).value).toBe(
      'health.provider',
    )
    expect((await one({ type: 'catalogue', catalogue: 'nis2-activities' }, 'space.ground')).errors).toEqual({
      a: 'not_an_option',
    })
    const multi = { type: 'catalogue', catalogue: 'nis2-activities', multiple: true }
    expect((await one(multi, ['health.provider', 'energy.electricity'])).value).toEqual([
      'energy.electricity',
      'health.provider',
    ])
  })

  it('catalogue: refuses to evaluate an answer without the catalogue', async () => {
    const d = form([page('one', [q('a', 'catalogue', { catalogue: 'missing' })])])
    await expect(evaluateForm(d, { a: 'x' }, TODAY)).rejects.toThrow("catalogue 'missing' was not passed")
  })

  it('matrix: known rows, scale values, every row when required (errors per row)', async () => {
    const question = {
      type: 'matrix',
      rows: [
        { id: 'c', label: t('Confidentiality', 'Vertraulichkeit') },
        { id: 'i', label: t('Integrity', 'Integrität') },
      ],
      scale: opts('low', 'high'),
    }
    expect((await one(question, { i: 'low', c: 'high' })).value).toEqual({ c: 'high', i: 'low' })
    const partial = await one(question, { c: 'high' })
    expect(partial.errors).toEqual({ 'a.i': 'required' })
    expect(partial.messages['a.i'].de).toBe('Wählen Sie eine Antwort für „Integrität“ aus')
    expect((await one(question, { c: 'medium', i: 'low' })).errors).toEqual({ 'a.c': 'not_an_option' })
    expect((await one(question, { x: 'low' })).errors).toEqual({ a: 'malformed' })
    expect((await one({ ...question, required: false }, { c: 'high' })).value).toEqual({ c: 'high' })
  })

  it('evidence: links with http(s) addresses, file references, accepted kinds, at most maxItems', async () => {
    const good = [
      { kind: 'link', url: ' https://wiki.example.com/policy ', title: 'Policy' },
      { kind: 'file', fileId: 'f_123', name: 'scan.pdf', size: 1000, contentType: 'application/pdf' },
    ]
    expect((await one({ type: 'evidence' }, good)).value).toEqual([
      { kind: 'link', url: 'https://wiki.example.com/policy', title: 'Policy' },
      good[1],
    ])
    const js = await one({ type: 'evidence' }, [{ kind: 'link', url: 'javascript:alert(1)' }])
    expect(js.messages.a.en).toBe('Evidence 1: enter a web address starting with https:// or http://')
    expect((await one({ type: 'evidence', accept: ['link'] }, [good[1]])).errors).toEqual({
      a: 'invalid_evidence',
    })
    expect(
      (await one({ type: 'evidence' }, [{ kind: 'file', fileId: '../etc/passwd', name: 'x' }])).errors,
    ).toEqual({
      a: 'invalid_evidence',
    })
    expect((await one({ type: 'evidence', maxItems: 1 }, good)).errors).toEqual({ a: 'invalid_evidence' })
    expect(
      (await one({ type: 'evidence' }, [{ kind: 'link', url: 'https://x.org', extra: 1 }])).errors,
    ).toEqual({
      a: 'malformed',
    })
  })

  it('acknowledgement: a typed name and an ISO timestamp', async () => {
    const question = { type: 'acknowledgement', statement: t('I have read the policy') }
    const at = '2025-03-27T09:30:00.000Z'
    expect((await one(question, { name: ' Ada Lovelace ', at })).value).toEqual({ name: 'Ada Lovelace', at })
    expect((await one(question, { name: 'A', at })).errors).toEqual({ a: 'required' })
    expect((await one(question, { name: 'Ada Lovelace', at: 'yesterday' })).errors).toEqual({
      a: 'invalid_acknowledgement',
    })
    expect((await one(question, { name: 'Ada Lovelace', at, admin: true })).errors).toEqual({
      a: 'malformed',
    })
  })

  it('acknowledgement with a signer: the typed name must be the signer’s, ignoring case and spaces', async () => {
    const definition = form([
      page('one', [{ ...q('a', 'text'), type: 'acknowledgement', statement: t('I have read the decision') }]),
    ])
    const at = '2025-03-27T09:30:00.000Z'
    const sign = (name: string) =>
      evaluateForm(definition, { a: { name, at } }, { ...TODAY, signerName: 'Martin Brandt' })
    for (const name of ['Martin Brandt', 'martin brandt', '  MARTIN   Brandt ', 'MartinBrandt']) {
      const r = await sign(name)
      expect(r.errors, name).toEqual({})
      expect(r.cleanedAnswers.a).toEqual({ name: name.trim(), at })
    }
    const wrong = await sign('Someone Else')
    expect(wrong.errors.a).toEqual({
      code: 'invalid_acknowledgement',
      en: 'Type your own name as it is shown in ismsflow: Martin Brandt',
      de: 'Geben Sie Ihren eigenen Namen so ein, wie er in ismsflow steht: Martin Brandt',
    })
    expect((await sign('Martin Brandt-Schmidt')).errors.a?.code).toBe('invalid_acknowledgement')
  })

  it('decision: an offered outcome; a comment is required to reject or request changes', async () => {
    const question = { type: 'decision' }
    expect((await one(question, { outcome: 'approve' })).value).toEqual({ outcome: 'approve' })
    expect((await one(question, { outcome: 'approve', comment: ' fine ' })).value).toEqual({
      outcome: 'approve',
      comment: 'fine',
    })
    for (const outcome of ['reject', 'request-changes']) {
      const r = await one(question, { outcome, comment: '  ' })
      expect(r.errors).toEqual({ 'a.comment': 'comment_required' })
      expect(r.messages['a.comment'].de).toBe('Geben Sie einen Kommentar zu Ihrer Entscheidung ein')
    }
    expect((await one(question, { comment: 'no outcome' })).errors).toEqual({ a: 'required' })
    expect((await one(question, { outcome: 'maybe' })).errors).toEqual({ a: 'not_an_option' })
    expect(
      (
        await one(
          { type: 'decision', outcomes: ['approve', 'reject'] },
          { outcome: 'request-changes', comment: 'x' },
        )
      ).errors,
    ).toEqual({ a: 'not_an_option' })
  })

  it('required answers: empty strings, arrays and objects count as not given, with type-specific messages', async () => {
    expect((await one({ type: 'text' }, '   ')).messages.a).toEqual({
      code: 'required',
      en: 'Enter an answer',
      de: 'Geben Sie eine Antwort ein',
    })
    expect((await one({ type: 'multiple-choice', options: opts('x') }, [])).messages.a.en).toBe(
      'Select at least one option',
    )
    expect((await one({ type: 'decision' }, {})).messages.a.en).toBe('Select a decision')
    expect(
      (await one({ type: 'text', requiredMessage: t('Enter your name', 'Geben Sie Ihren Namen ein') }, null))
        .messages.a.de,
    ).toBe('Geben Sie Ihren Namen ein')
  })

  it('reports answers to questions the form does not have', async () => {
    const r = await evaluateForm(
      form([page('one', [q('a', 'text')])]),
      { a: 'x', admin: true, __proto__x: 1 },
      TODAY,
    )
    expect(Object.keys(r.errors)).toEqual(['admin', '__proto__x'])
    expect(r.errors.admin.code).toBe('unknown_question')
    expect(r.cleanedAnswers).toEqual({ a: 'x' })
    expect(r.valid).toBe(false)
  })

  it('reports a "__proto__" key without touching any prototype', async () => {
    const answers = JSON.parse('{"a":"x","__proto__":{"polluted":true}}')
    const r = await evaluateForm(form([page('one', [q('a', 'text')])]), answers, TODAY)
    expect(Object.keys(r.errors)).toEqual(['__proto__'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('refuses answers that are not an object', async () => {
    await expect(
      evaluateForm(form([page('one', [q('a', 'text')])]), [] as never, TODAY),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      fields: { answers: 'must be an object of answers by question id' },
    })
  })
})
