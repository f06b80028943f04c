import { Hono } from 'hono'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { locale } from '../../web/src/lib/i18n/index.js'
import { RiskDetailPage } from '../../web/src/pages/risks/risk-detail.svelte.js'
import { serveApp, type TestServer } from './support/server.js'

/**
 * The risk page's state and actions (web/src/pages/risks/risk-detail.svelte.ts) against a
 * small API that answers as `/api/risks/:id` does: the ISO's submission and management's
 * decision, each waited for until the workflow records it, and the problems of refusals.
 */
type Json = Record<string, unknown>

/** What the test's API holds: one risk, its open tasks and decisions. */
interface State {
  version: number
  openTasks: Json[]
  decisions: Json[]
  /** Reads left before the "workflow" opens the approval task after a submission. */
  opensAfter: number
  /** The answer to the next write, when it is refused. */
  refuse?: { status: 400 | 409; body: Json }
  writes: { path: string; body: Json }[]
  /** The workflow working on the risk, and the risk's status. */
  execution: { arn: string } | null
  status: string
  /** Reads of the risk so far. */
  reads: number
}
const fresh = (): State => ({
  version: 3,
  openTasks: [],
  decisions: [],
  opensAfter: -1,
  writes: [],
  execution: null,
  status: 'assessed',
  reads: 0,
})
const state = fresh()

const view = () => ({
  risk: { id: 'R-7', title: 'Ransomware on the file server', version: state.version, status: state.status },
  execution: state.execution,
  names: { 'u-iso': 'Ida Iso' },
  openTasks: state.openTasks,
  decisions: state.decisions,
  rounds: state.openTasks.length ? [{ round: 1, status: 'pending' }] : [],
  measures: [],
  plan: { option: 'mitigate', justification: '', measures: [] },
})

const app = new Hono()
  .get('/api/risks/R-7', (c) => {
    state.reads++
    if (state.opensAfter > 0 && --state.opensAfter === 0)
      state.openTasks = [{ id: 't-1', kind: 'risk-approval', excludedUserIds: [] }]
    return c.json(view())
  })
  .get('/api/risks/R-404', (c) => c.json({ error: { code: 'not_found', message: 'No such risk.' } }, 404))
  .post('/api/risks/R-7/:action', async (c) => {
    const body = await c.req.json<Json>()
    state.writes.push({ path: c.req.param('action'), body })
    const refused = state.refuse
    state.refuse = undefined
    if (refused) return c.json(refused.body, refused.status)
    if (c.req.param('action') === 'submit') {
      state.opensAfter = 2
      return c.json({ resubmitted: false })
    }
    state.decisions = [{ taskId: body.taskId, outcome: body.outcome, comment: body.comment }]
    state.openTasks = []
    return c.json({ ok: true })
  })

let server: TestServer
beforeAll(async () => {
  server = await serveApp(app, '/risks/R-7')
})
afterAll(() => server.close())
afterEach(async () => {
  Object.assign(state, fresh(), { refuse: undefined })
  await locale.set('en')
})

/** A page as RiskDetail.svelte makes it, once its risk is loaded. */
async function openPage(id = 'R-7') {
  const page = new RiskDetailPage(id, () => locale.current)
  await vi.waitFor(() => expect(page.detail.status).not.toBe('loading'))
  return page
}

const submitEvent = () => new SubmitEvent('submit', { cancelable: true })

describe('RiskDetailPage', () => {
  it('loads the risk and names the document after it; people by the names the record holds', async () => {
    const page = await openPage()
    expect(page.detail.status).toBe('ready')
    expect(page.view?.risk.id).toBe('R-7')
    expect(document.title).toBe('R-7 Ransomware on the file server · ismsflow')
    expect(page.nameOf('u-iso')).toBe('Ida Iso')
    expect(page.nameOf(undefined)).toBe('—')
    expect(page.decisionTask).toBeUndefined()
    expect(page.pending).toBeUndefined()
  })

  it('a risk that does not exist fails with 404 (the page says "not found")', async () => {
    const page = await openPage('R-404')
    expect(page.detail.status).toBe('failed')
    expect(page.detail.error).toMatchObject({ status: 404 })
    expect(page.view).toBeUndefined()
  })

  it('the ISO submits the plan with the version read; the page waits until the approval task is open', async () => {
    const page = await openPage()
    await page.submitPlan()
    expect(state.writes).toEqual([{ path: 'submit', body: { expectedVersion: 3 } }])
    expect(page.notice).toBe('Submitted. Management has been asked to decide.')
    expect(page.decisionTask?.id).toBe('t-1')
    expect(page.pending?.round).toBe(1)
    expect(page.busy).toBe(false)
    expect(page.problem).toBeUndefined()
  })

  it('a refused submission lists the fields the server names, in the reader language', async () => {
    const page = await openPage()
    state.refuse = {
      status: 400,
      body: {
        error: {
          code: 'validation_failed',
          message: 'Invalid.',
          fields: { title: 'is required', 'plan.measures.0.dueDate': 'must not be in the past' },
        },
      },
    }
    await page.submitPlan()
    expect(page.problem).toBe('Some things need to be fixed first.')
    expect(page.problems[0]).toBe('Title: is required')
    expect(page.problems[1]).toMatch(/: must not be in the past$/)
    expect(page.notice).toBeUndefined()
    expect(page.busy).toBe(false)

    await locale.set('de')
    state.refuse = {
      status: 400,
      body: { error: { code: 'validation_failed', message: 'Invalid.', fields: { title: 'is required' } } },
    }
    await page.submitPlan()
    expect(page.problem).toBe('Zuerst muss etwas korrigiert werden.')
    expect(page.problems).toEqual(['Titel: ist erforderlich'])
  })

  it('a conflict (someone changed the risk meanwhile) shows the server message', async () => {
    const page = await openPage()
    state.refuse = {
      status: 409,
      body: { error: { code: 'conflict', message: 'The risk was changed meanwhile.' } },
    }
    await page.submitPlan()
    expect(page.problem).toBe('The risk was changed meanwhile.')
    expect(page.problems).toEqual([])
  })

  it('management must choose an outcome, and comment unless approving: nothing is sent until then', async () => {
    state.openTasks = [{ id: 't-1', kind: 'risk-approval', excludedUserIds: [] }]
    const page = await openPage()
    await page.decide(submitEvent())
    expect(page.problem).toBe('Choose whether you approve, request changes or reject.')
    page.outcome = 'reject'
    page.comment = '   '
    await page.decide(submitEvent())
    expect(page.problem).toBe('Enter a comment to request changes or to reject.')
    expect(state.writes).toEqual([])
  })

  it('a decision is recorded: the form is cleared and the page waits until the decision is listed', async () => {
    state.openTasks = [{ id: 't-1', kind: 'risk-approval', excludedUserIds: [] }]
    const page = await openPage()
    page.outcome = 'request-changes'
    page.comment = '  Name an owner for the backup test.  '
    const event = submitEvent()
    await page.decide(event)
    expect(event.defaultPrevented).toBe(true)
    expect(state.writes).toEqual([
      {
        path: 'decision',
        body: { taskId: 't-1', outcome: 'request-changes', comment: 'Name an owner for the backup test.' },
      },
    ])
    expect(page.notice).toBe('Your request for changes was sent to the ISO.')
    expect(page.outcome).toBe('')
    expect(page.comment).toBe('')
    expect(page.view?.decisions).toHaveLength(1)
    expect(page.decisionTask).toBeUndefined()
  })

  it('opened while the workflow is between two steps, the page reads again until the next task is there', async () => {
    // The measure owner just finished: the verification task comes with the third read.
    Object.assign(state, { status: 'approved', execution: { arn: 'arn:x' }, opensAfter: 3 })
    const page = await openPage()
    expect(page.view?.openTasks).toEqual([])
    await vi.waitFor(() => expect(page.view?.openTasks).toHaveLength(1), { timeout: 5000 })
    expect(state.reads).toBe(3)
    // With the task there, the page stops asking.
    await new Promise((resolve) => setTimeout(resolve, 600))
    expect(state.reads).toBe(3)
    page.close()
  })

  it('an acceptance waiting for its date, or a page left, is not read again', async () => {
    Object.assign(state, { status: 'accepted', execution: { arn: 'arn:x' } })
    const accepted = await openPage()
    await new Promise((resolve) => setTimeout(resolve, 600))
    expect(state.reads).toBe(1)
    accepted.close()
    Object.assign(state, { status: 'approved', reads: 0 })
    const left = await openPage()
    left.close()
    await new Promise((resolve) => setTimeout(resolve, 1000))
    expect(state.reads).toBe(1)
  })
})
