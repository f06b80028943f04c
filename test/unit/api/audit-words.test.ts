import { describe, expect, it } from 'vitest'
import { actorWords, auditSentence } from '../../../functions/domain/audit-words.js'

describe('the audit log in plain words', () => {
  it('names people by name and ismsflow’s processes by what they are', () => {
    expect(actorWords({ userId: 'system:workflow', name: 'ismsflow-risk-treatment' })).toEqual({
      en: 'ismsflow (workflow)',
      de: 'ismsflow (Ablauf)',
    })
    expect(actorWords({ userId: 'system:seed' }).de).toBe('ismsflow (Demodaten)')
    expect(actorWords({ userId: 'u1', name: 'Old Name' }, { u1: 'Ines Sommer' }).en).toBe('Ines Sommer')
  })

  it('tells an entry as a sentence with the record’s kind and name', () => {
    expect(
      auditSentence({
        actor: { userId: 'demo-iso', name: 'Ines Sommer' },
        action: 'task.claim',
        type: 'task',
        id: 't-1',
        after: { title: { en: 'Risk review', de: 'Risikoüberprüfung' } },
      }),
    ).toEqual({
      en: 'Ines Sommer claimed the task “Risk review”.',
      de: 'Ines Sommer hat die Aufgabe „Risikoüberprüfung“ übernommen.',
    })
    expect(
      auditSentence({
        actor: { userId: 'system:workflow' },
        action: 'task.token',
        type: 'task-token',
        id: 't-1',
        after: { sealed: 'secret' },
      }).en,
    ).toBe('ismsflow (workflow) prepared a task for a workflow step.')
  })

  it('falls back on the kind of change for actions it has no sentence for', () => {
    const s = auditSentence({
      actor: { userId: 'u', name: 'Mia Keller' },
      action: 'cert-soa.seed',
      type: 'cert-soa',
      id: 'A.5.1',
    })
    expect(s).toEqual({
      en: 'Mia Keller added the SoA entry A.5.1.',
      de: 'Mia Keller hat den SoA-Eintrag A.5.1 angelegt.',
    })
    expect(
      auditSentence({
        actor: { userId: 'u', name: 'X' },
        action: 'widget.frobnicate',
        type: 'widget',
        id: 'w',
      }).en,
    ).toBe('X changed the widget.')
  })
})
