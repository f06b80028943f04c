import { describe, expect, it } from 'vitest'
import {
  fieldMessage,
  type MilestoneView,
  milestoneStates,
  position,
  timelineRange,
} from '../../../web/src/pages/certification/cert-logic.js'

const m = (over: Partial<MilestoneView>): MilestoneView => ({
  id: 'x',
  title: { en: 'X', de: 'X' },
  clause: '',
  phase: 'preparation',
  performerRole: 'iso',
  start: '2026-01-01',
  due: '2026-02-01',
  status: 'ready',
  slackDays: 3,
  critical: false,
  late: false,
  atRisk: false,
  ...over,
})

describe('certification page logic', () => {
  it('writes a milestone state out in words, the most pressing first', () => {
    expect(milestoneStates(m({ status: 'done', doneOn: '2026-01-20' }))).toEqual([
      { key: 'state.done', params: { date: '2026-01-20' } },
    ])
    expect(milestoneStates(m({ status: 'done', doneOn: '2026-02-03', late: true }))[0].key).toBe(
      'state.doneLate',
    )
    expect(milestoneStates(m({ atRisk: true, critical: true })).map((s) => s.key)).toEqual([
      'state.atRisk',
      'state.critical',
      'state.ready',
    ])
    expect(milestoneStates(m({ late: true, atRisk: false, status: 'waiting' })).map((s) => s.key)).toEqual([
      'state.late',
      'state.waiting',
    ])
  })

  it('places dates on the timeline between its first start and the audit, surveillance left out', () => {
    const range = timelineRange(
      [
        m({ start: '2026-01-01', due: '2026-02-01' }),
        m({ id: 's', phase: 'surveillance', start: '2027-05-01', due: '2027-05-03' }),
      ],
      '2026-01-15',
      '2026-03-01',
    )
    expect(range).toMatchObject({ from: '2026-01-01', to: '2026-03-01' })
    expect(range.shown.map((x) => x.id)).toEqual(['x'])
    expect(position('2026-01-01', range.from, range.to)).toBe(0)
    expect(position('2026-03-01', range.from, range.to)).toBe(100)
    expect(position('2026-01-30', range.from, range.to)).toBeCloseTo(49.15, 1)
    expect(position('2027-01-01', range.from, range.to)).toBe(100)
  })

  it('words known server messages in German and leaves others as they are', () => {
    expect(fieldMessage('explain why the control is excluded', 'de')).toBe(
      'begründen Sie, warum das Control ausgeschlossen wird',
    )
    expect(fieldMessage('"R-9" is not a risk of this organisation', 'de')).toBe(
      '„R-9“ ist kein Risiko dieser Organisation',
    )
    expect(fieldMessage('must not be in the past', 'en')).toBe('must not be in the past')
    expect(fieldMessage('something new', 'de')).toBe('something new')
  })
})
