import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Client, startTestStack } from '../../support/stack.js'

type Row = {
  id: string
  orgId: string
  kind: string
  status: string
  candidateRole?: string
  claimedBy?: string
}
const ids = (rows: Row[]) => rows.map((r) => r.id).sort()

describe('the inbox: everything that waits for me', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let mgmt: Client
  let hafen: Client

  beforeAll(async () => {
    t = await startTestStack()
    iso = await t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht')
    mgmt = await t.signIn('management@demo.ismsflow.test')
    hafen = await t.signIn('member@hafenstadt.ismsflow.test')
    // The demo's workflows open their tasks a moment after the start.
    await t.eventually(async () => (await mgmt.get('/api/tasks?view=unclaimed')).body.total >= 3)
  })
  afterAll(async () => t?.close())

  it('answers mine and unclaimed-for-my-roles together by default, with the total', async () => {
    const [byDefault, waiting, mine, unclaimed] = await Promise.all(
      ['/api/tasks', '/api/tasks?view=waiting', '/api/tasks?view=mine', '/api/tasks?view=unclaimed'].map(
        (p) => mgmt.get(p),
      ),
    )
    expect(byDefault.status).toBe(200)
    expect(ids(byDefault.body.items)).toEqual(ids(waiting.body.items))
    expect(ids(waiting.body.items)).toEqual(ids([...mine.body.items, ...unclaimed.body.items]))
    expect(waiting.body.total).toBe(waiting.body.items.length)
    // Management's approvals are all there, first.
    const approvals = (waiting.body.items as Row[]).filter((r) => /approval/.test(r.kind))
    expect(approvals.length).toBeGreaterThanOrEqual(3)
    expect(approvals.every((r) => r.candidateRole === 'management')).toBe(true)
    expect(
      (waiting.body.items as Row[]).slice(0, approvals.length).every((r) => /approval/.test(r.kind)),
    ).toBe(true)
  })

  it('shows the ISO the yearly re-assessment, and keeps a task there once it is claimed', async () => {
    const waiting = (await iso.get('/api/tasks?view=waiting')).body.items as Row[]
    const reassessment = waiting.find((r) => r.kind === 'obligation-questionnaire')!
    expect(reassessment).toMatchObject({ status: 'open', candidateRole: 'iso', orgId: 'nordlicht' })
    const review = waiting.find((r) => r.kind === 'review' && r.status === 'open' && !r.claimedBy)!
    expect((await iso.post(`/api/tasks/${review.id}/claim`)).status).toBe(200)
    const after = (await iso.get('/api/tasks')).body.items as Row[]
    expect(after.find((r) => r.id === review.id)).toMatchObject({ status: 'claimed', claimedBy: iso.userId })
    expect(after.length).toBe(waiting.length)
  })

  it('counts with limit=1 (the navigation) and filters within the view', async () => {
    const all = (await mgmt.get('/api/tasks?view=waiting')).body
    const one = (await mgmt.get('/api/tasks?view=waiting&scope=org&limit=1')).body
    expect(one.items).toHaveLength(1)
    expect(one.total).toBe(all.total)
    const approvals = (await mgmt.get('/api/tasks?view=waiting&kind=approval')).body.items as Row[]
    expect(approvals.length).toBeGreaterThan(0)
    expect(approvals.every((r) => r.kind === 'approval')).toBe(true)
  })

  it('refuses an unknown view, naming the field', async () => {
    const res = await mgmt.get('/api/tasks?view=everything')
    expect(res.status).toBe(400)
    expect(res.body.error.fields).toHaveProperty('view')
  })

  it("never shows another organisation's tasks: not by default, not by naming the organisation", async () => {
    const nordlicht = ids((await iso.get('/api/tasks?view=all&limit=200')).body.items)
    const own = (await hafen.get('/api/tasks')).body.items as Row[]
    expect(own.every((r) => r.orgId === 'hafenstadt')).toBe(true)
    expect(own.some((r) => nordlicht.includes(r.id))).toBe(false)
    const named = await hafen.call('GET', '/api/tasks?view=waiting', undefined, { 'x-org-id': 'nordlicht' })
    expect(named.status).toBe(403)
    const allScope = (await hafen.get('/api/tasks?view=waiting&scope=all')).body.items as Row[]
    expect(allScope.every((r) => r.orgId === 'hafenstadt')).toBe(true)
    // A Nordlicht task opened by id from Hafenstadt is not found.
    expect((await hafen.get(`/api/tasks/${nordlicht[0]}`)).status).toBe(404)
    // The ISO of both sees both organisations' waiting tasks with "All organisations".
    const isoAll = (await iso.get('/api/tasks?view=waiting&scope=all')).body.items as Row[]
    expect(new Set(isoAll.map((r) => r.orgId))).toEqual(new Set(['nordlicht', 'hafenstadt']))
  })
})
