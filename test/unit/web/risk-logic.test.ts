import { describe, expect, it } from 'vitest'
import { MOVING_READS_MS, workflowMoving } from '../../../web/src/pages/risks/risk-logic.js'

const arn = { arn: 'arn:aws:states:eu-central-1:000000000000:execution:ismsflow-risk-treatment:x' }

describe('workflowMoving: the risk page reads again while the next task is on its way', () => {
  it('is moving when the workflow runs and nobody has a task of it yet', () => {
    // The measure owner just finished: the verification task is a moment away.
    expect(workflowMoving({ risk: { status: 'approved' }, execution: arn, openTasks: [] })).toBe(true)
    // Submitted: the approval task is a moment away.
    expect(workflowMoving({ risk: { status: 'in-approval' }, execution: arn, openTasks: [] })).toBe(true)
  })

  it('is not moving with an open task, without a workflow, or while an acceptance waits for its date', () => {
    expect(workflowMoving({ risk: { status: 'approved' }, execution: arn, openTasks: [{}] })).toBe(false)
    expect(workflowMoving({ risk: { status: 'treated' }, execution: null, openTasks: [] })).toBe(false)
    expect(workflowMoving({ risk: { status: 'accepted' }, execution: arn, openTasks: [] })).toBe(false)
    expect(workflowMoving(undefined)).toBe(false)
  })

  it('asks a bounded number of times, within half a minute', () => {
    expect(MOVING_READS_MS.length).toBeLessThanOrEqual(10)
    expect(MOVING_READS_MS.reduce((a, b) => a + b, 0)).toBeLessThan(30_000)
  })
})
