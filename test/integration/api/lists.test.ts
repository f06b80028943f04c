import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashPassword } from '../../../functions/api/auth/password.js'
import { REVIEW, type ReviewCycle } from '../../../functions/domain/reviews/index.js'
import { ensureListIndexed } from '../../../functions/store/list-index.js'
import { DEMO_PASSWORD } from '../../../infra/local/seed/index.js'
import { forgetLists } from '../../support/list-index.js'
import { apiHarness, type SignedIn } from './support.js'

type Row = {
  id: string
  entryId?: string
  status?: string
  subject?: { en: string }
  lastResult?: { id: string } | null
  missed?: number
  title?: string
  category?: string
  ownerId?: string
  residual?: { score: number }
  inherent?: { likelihood: number; impact: number }
}
type Body = { items: Row[]; total: number; cursor?: string; error?: { fields: Record<string, string> } }

/**
 * The lists read through the list index (functions/store/list-index.ts): one page by a key
 * condition, a cursor, totals from counters kept on write, filters served by key, a backfill
 * for records from before the index, and never another organisation's records.
 */
describe('lists read a page through the list index', () => {
  let h: Awaited<ReturnType<typeof apiHarness>>
  let iso: SignedIn
  let member: SignedIn
  let hafenIso: SignedIn
  let hafenMember: SignedIn
  const actor = { userId: 'test' }

  const get = async (path: string, auth: SignedIn, org = 'nordlicht') => {
    const res = await h.request(path, { auth, headers: { 'x-org-id': org } })
    const body: Body = await res.json()
    return { status: res.status, body }
  }
  /** Every row of a list, following the cursors, and the totals each page answered. */
  const pages = async (path: string, auth: SignedIn, org = 'nordlicht') => {
    const rows: Row[] = []
    const totals = new Set<number>()
    let cursor: string | undefined
    let reads = 0
    do {
      const sep = path.includes('?') ? '&' : '?'
      const page = await get(
        `${path}${cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ''}`,
        auth,
        org,
      )
      expect(page.status).toBe(200)
      rows.push(...page.body.items)
      totals.add(page.body.total)
      cursor = page.body.cursor
      reads++
    } while (cursor && reads < 100)
    return { rows, totals: [...totals] }
  }

  const cycle = (i: number, over: Partial<ReviewCycle>): ReviewCycle => {
    const at = new Date(Date.UTC(2031, 0, 1) + i * 86_400_000).toISOString()
    return {
      entryId: 'list-test-entry',
      kind: 'risk-review',
      title: { en: `List test ${i}`, de: `Listentest ${i}` },
      formId: 'risk-review',
      status: 'completed',
      scheduledAt: at,
      dueAt: at,
      period: { from: at.slice(0, 10), to: at.slice(0, 10) },
      trigger: 'schedule',
      performer: { role: 'iso' },
      actions: [],
      occurrenceId: `nordlicht_list-test-entry_${i}`,
      rounds: 1,
      signOff: { required: false, history: [] },
      ...over,
    }
  }

  beforeAll(async () => {
    h = await apiHarness()
    ;[iso, member, hafenIso, hafenMember] = await Promise.all([
      h.signIn('iso@demo.ismsflow.test'),
      h.signIn('member@demo.ismsflow.test'),
      h.signIn('iso@demo.ismsflow.test'),
      h.signIn('member@hafenstadt.ismsflow.test'),
    ])
    const org = h.deps.records.forOrg('nordlicht')
    const memberId = member.body.principal.userId
    // 25 cycles of one entry: completed, missed and open ones, some the member performs.
    for (let i = 0; i < 25; i++)
      await org.create(
        REVIEW,
        `list-test-entry_${String(i).padStart(2, '0')}`,
        cycle(i, {
          status: i % 5 === 0 ? 'missed' : i % 7 === 0 ? 'open' : 'completed',
          performer: i % 3 === 0 ? { userId: memberId } : { role: 'iso' },
        }),
        { actor },
      )
    // One cycle changes status afterwards (the counters follow the write).
    const moved = await org.require<ReviewCycle>(REVIEW, 'list-test-entry_07')
    await org.update(REVIEW, moved.id, { ...moved.data, status: 'completed' }, { actor, expectedVersion: 1 })
    for (let i = 0; i < 30; i++)
      await h.deps.notifications.enqueue('nordlicht', `list-test-${i}`, {
        kind: 'info',
        to: { role: 'iso' },
        subject: { en: `Notice ${i}`, de: `Hinweis ${i}` },
        body: { en: 'Body', de: 'Text' },
      })
    h.advance(1000)
    await h.deps.notifications.enqueue('hafenstadt', 'list-test-hafen', {
      kind: 'info',
      to: { role: 'iso' },
      subject: { en: 'Hafenstadt notice', de: 'Hafenstadt-Hinweis' },
      body: { en: 'Body', de: 'Text' },
    })
  })
  afterAll(async () => h?.close())

  it('pages the notifications newest first with their total, each organisation its own', async () => {
    const truth = (await h.deps.records.forOrg('nordlicht').all<{ createdAt: string }>('notification'))
      .map((r) => ({ id: r.id, createdAt: r.data.createdAt }))
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1))
    expect(truth.length).toBeGreaterThanOrEqual(30)
    const first = await get('/api/notifications?limit=10', iso)
    expect(first.body.items).toHaveLength(10)
    expect(first.body.total).toBe(truth.length)
    expect(typeof first.body.cursor).toBe('string')
    const { rows, totals } = await pages('/api/notifications?limit=7', iso)
    expect(totals).toEqual([truth.length])
    expect(rows.map((r) => r.id)).toEqual(truth.map((r) => r.id))
    // The other organisation's ISO sees its own outbox only; its member may not read one.
    const theirs = await pages('/api/notifications?limit=50', hafenIso, 'hafenstadt')
    expect(theirs.rows.map((r) => r.subject?.en)).toContain('Hafenstadt notice')
    expect(theirs.rows.some((r) => r.subject?.en.startsWith('Notice '))).toBe(false)
    expect((await get('/api/notifications', hafenMember, 'hafenstadt')).status).toBe(403)
    expect((await get('/api/notifications', hafenMember, 'nordlicht')).status).toBe(403)
    // A cursor that is not ours starts over; a bad limit names the field.
    expect((await get('/api/notifications?limit=5&cursor=nonsense', iso)).body.items).toHaveLength(5)
    expect((await get('/api/notifications?limit=0', iso)).body.error?.fields).toHaveProperty('limit')
  })

  it('pages the review cycles by entry and status from the index, with totals from the counters', async () => {
    const all = await h.deps.records.forOrg('nordlicht').all<ReviewCycle>(REVIEW)
    const newest = (xs: typeof all) =>
      xs
        .sort((a, b) =>
          a.data.scheduledAt < b.data.scheduledAt ? 1 : a.data.scheduledAt > b.data.scheduledAt ? -1 : 0,
        )
        .map((r) => r.id)
    const everything = await pages('/api/reviews?limit=6', iso)
    expect(everything.totals).toEqual([all.length])
    expect(everything.rows.map((r) => r.id)).toEqual(newest([...all]))
    const mine = all.filter((r) => r.data.entryId === 'list-test-entry')
    const byEntry = await pages('/api/reviews?entry=list-test-entry&limit=4', iso)
    expect(byEntry.totals).toEqual([25])
    expect(byEntry.rows.map((r) => r.id)).toEqual(newest([...mine]))
    const missed = await pages('/api/reviews?entry=list-test-entry&status=missed&limit=2', iso)
    expect(missed.totals).toEqual([5])
    expect(missed.rows.every((r) => r.status === 'missed')).toBe(true)
    const completed = mine.filter((r) => r.data.status === 'completed').length
    expect((await get('/api/reviews?entry=list-test-entry&status=completed', iso)).body.total).toBe(completed)
    expect((await get('/api/reviews?status=open&entry=list-test-entry', iso)).body.total).toBe(
      mine.filter((r) => r.data.status === 'open').length,
    )
    expect((await get('/api/reviews?status=sleeping', iso)).body.error?.fields).toHaveProperty('status')
  })

  it('shows a member the cycles they or their role perform, and another organisation none', async () => {
    const memberId = member.body.principal.userId
    const all = await h.deps.records.forOrg('nordlicht').all<ReviewCycle>(REVIEW)
    const visible = all.filter(
      (r) =>
        r.data.performer.userId === memberId ||
        (!r.data.performer.userId && r.data.performer.role === 'member'),
    )
    const seen = await pages('/api/reviews?limit=3', member)
    expect(seen.totals).toEqual([visible.length])
    expect(new Set(seen.rows.map((r) => r.id))).toEqual(new Set(visible.map((r) => r.id)))
    expect(seen.rows.filter((r) => r.entryId === 'list-test-entry')).toHaveLength(9)
    // Hafenstadt's member sees nothing of Nordlicht's, whichever organisation the header names.
    const theirs = await pages('/api/reviews?entry=list-test-entry', hafenMember, 'hafenstadt')
    expect(theirs.rows).toEqual([])
    expect(theirs.totals).toEqual([0])
    expect((await get('/api/reviews', hafenMember, 'nordlicht')).status).toBe(403)
  })

  it('shows each programme entry its last result, current cycle and missed count from the index', async () => {
    const res = await get('/api/reviews/programme', iso)
    expect(res.status).toBe(200)
    const org = h.deps.records.forOrg('nordlicht')
    const cycles = await org.all<ReviewCycle>(REVIEW)
    for (const e of res.body.items) {
      const mine = cycles.filter((c) => c.data.entryId === e.id).sort((a, b) => (a.id < b.id ? 1 : -1))
      expect(e.lastResult?.id ?? null).toBe(mine.find((c) => c.data.status === 'completed')?.id ?? null)
      expect(e.missed).toBe(mine.filter((c) => c.data.status === 'missed').length)
    }
  })

  it('pages the risk register in every sort, filtered by key, with totals; a member sees theirs only', async () => {
    const memberId = member.body.principal.userId
    for (let i = 0; i < 24; i++) {
      const res = await h.request('/api/risks', {
        method: 'POST',
        auth: iso,
        headers: { 'x-org-id': 'nordlicht' },
        body: {
          title: `List risk ${String.fromCharCode(65 + ((i * 7) % 24))} ${i}`,
          description: 'Written by the lists test.',
          category: i % 3 === 0 ? 'personnel' : 'cyber',
          assets: ['Mailboxes'],
          threat: 'Phishing',
          vulnerability: 'Training',
          ownerId: i % 4 === 0 ? memberId : 'demo-management',
          likelihood: 1 + (i % 5),
          impact: 1 + ((i * 3) % 5),
          controlIds: [],
          obligationRefs: [],
        },
      })
      expect(res.status).toBe(201)
    }
    const truth = (await get('/api/risks?limit=200', iso)).body.items
    const all = await pages('/api/risks?limit=7', iso)
    expect(all.totals).toEqual([truth.length])
    expect(all.rows.map((r) => r.id)).toEqual(truth.map((r) => r.id))
    const scores = all.rows.map((r) => r.residual?.score ?? -1)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
    const byId = await pages('/api/risks?sort=id&limit=5', iso)
    const ids = byId.rows.map((r) => Number(r.id.slice(2)))
    expect(ids).toEqual([...ids].sort((a, b) => a - b))
    const byTitleDesc = (await pages('/api/risks?sort=title&order=desc&limit=9', iso)).rows
    const titles = byTitleDesc
      .map((r) => (r.title ?? '').toLowerCase())
      .filter((x) => x.startsWith('list risk'))
    expect(titles).toEqual([...titles].sort().reverse())
    const personnel = await pages('/api/risks?category=personnel&limit=3', iso)
    expect(personnel.rows.length).toBe(truth.filter((r) => r.category === 'personnel').length)
    expect(personnel.totals).toEqual([personnel.rows.length])
    expect(personnel.rows.every((r) => r.category === 'personnel')).toBe(true)
    // A member's register: the risks they own or hold a measure of.
    const theirs = await pages('/api/risks?limit=4', member)
    expect(theirs.rows.length).toBeGreaterThanOrEqual(6)
    expect(theirs.totals).toEqual([theirs.rows.length])
    const listRisks = theirs.rows.filter((r) => (r.title ?? '').startsWith('List risk'))
    expect(listRisks).toHaveLength(6)
    expect(listRisks.every((r) => r.ownerId === memberId)).toBe(true)
    // Another organisation's member: nothing of Nordlicht's, and no way in.
    const hafen = await pages('/api/risks?limit=50', hafenMember, 'hafenstadt')
    expect(hafen.rows.some((r) => (r.title ?? '').startsWith('List risk'))).toBe(false)
    expect((await get('/api/risks', hafenMember, 'nordlicht')).status).toBe(403)
    expect((await get('/api/risks?limit=500', iso)).body.error?.fields).toHaveProperty('limit')
  })

  it('keeps a risk with many measure owners in one transaction; the heat maps count as the register lists', async () => {
    // Fourteen members, each owning one measure: a risk's entries must stay within one write.
    const owners: string[] = []
    for (let i = 0; i < 14; i++) {
      const id = `list-owner-${i}`
      await h.deps.identity.createUser({
        id,
        email: `${id}@demo.ismsflow.test`,
        name: `Owner ${i}`,
        ...(i === 13 ? { passwordHash: await hashPassword(DEMO_PASSWORD) } : {}),
      })
      await h.deps.identity.addMembership({ userId: id, orgId: 'nordlicht', roles: ['member'] })
      owners.push(id)
    }
    const created = await h.request('/api/risks', {
      method: 'POST',
      auth: iso,
      headers: { 'x-org-id': 'nordlicht' },
      body: {
        title: 'Many hands risk',
        description: 'Fourteen measure owners.',
        category: 'cyber',
        assets: ['Plant'],
        threat: 'Sabotage',
        vulnerability: 'Remote access',
        ownerId: 'demo-management',
        likelihood: 5,
        impact: 5,
        controlIds: [],
        obligationRefs: [],
      },
    })
    expect(created.status).toBe(201)
    const risk: { id: string; version: number } = (await created.json()).risk
    const due = new Date(h.deps.now().getTime() + 60 * 86_400_000).toISOString().slice(0, 10)
    const plan = await h.request(`/api/risks/${risk.id}/plan`, {
      method: 'PUT',
      auth: iso,
      headers: { 'x-org-id': 'nordlicht' },
      body: {
        expectedVersion: risk.version,
        option: 'mitigate',
        targetLikelihood: 2,
        targetImpact: 5,
        justification: 'Every plant locks its own remote access.',
        measures: owners.map((ownerId, i) => ({
          id: `m${i}`,
          description: `Plant ${i}`,
          ownerId,
          dueDate: due,
        })),
      },
    })
    expect(plan.status, await plan.clone().text()).toBe(200)
    const stored = await h.deps.records.forOrg('nordlicht').require<{ status: string }>('risk', risk.id)
    expect(stored.data.status).toBe('treatment-planned')
    // The last measure owner's register holds the risk (their own stream).
    const last = await h.signIn(`${owners[13]}@demo.ismsflow.test`)
    const theirs = await get('/api/risks', last)
    expect(theirs.body.items.map((r) => r.id)).toEqual([risk.id])
    expect(theirs.body.total).toBe(1)
    // The heat maps: the counters agree with the register, cell by cell, closed risks left out.
    const rows = (await pages('/api/risks?limit=50', iso)).rows
    const maps = await h.request('/api/risks/heatmap', { auth: iso, headers: { 'x-org-id': 'nordlicht' } })
    const body: {
      total: number
      inherent: { cells: { likelihood: number; impact: number; count: number; riskIds: string[] }[] }
    } = await maps.json()
    expect(body.total).toBe(rows.length)
    for (const cell of body.inherent.cells) {
      const inCell = rows.filter(
        (r) => r.inherent?.likelihood === cell.likelihood && r.inherent?.impact === cell.impact,
      )
      expect(cell.count).toBe(inCell.length)
      expect(cell.riskIds.length).toBe(Math.min(20, inCell.length))
      for (const id of cell.riskIds) expect(inCell.map((r) => r.id)).toContain(id)
    }
    expect(body.inherent.cells.find((c) => c.likelihood === 5 && c.impact === 5)?.riskIds).toContain(risk.id)
    // Another organisation's heat map counts none of Nordlicht's.
    const hafen = await h.request('/api/risks/heatmap', {
      auth: hafenIso,
      headers: { 'x-org-id': 'hafenstadt' },
    })
    const hafenBody: { inherent: { cells: { riskIds: string[] }[] } } = await hafen.json()
    expect(hafenBody.inherent.cells.flatMap((c) => c.riskIds)).not.toContain(risk.id)
  })

  it('builds the index once for records written before it, with the same pages and totals', async () => {
    const org = h.deps.records.forOrg('nordlicht')
    const before = await pages('/api/reviews?limit=10', iso)
    // Forget the index as an older version would have left it: no entries, counters, marker or stamps.
    const entries = () => org.sideRange({ from: 'LIX#review@', to: 'LIX#review@\uffff', limit: 100 })
    expect((await entries()).items.length).toBeGreaterThan(50)
    await forgetLists(h.deps, 'nordlicht', [REVIEW])
    expect((await entries()).items).toEqual([])
    expect(await ensureListIndexed(org, REVIEW, { recheck: true })).toBe(true)
    expect(await ensureListIndexed(org, REVIEW, { recheck: true })).toBe(false)
    const after = await pages('/api/reviews?limit=10', iso)
    expect(after).toEqual(before)
    expect((await get('/api/reviews?entry=list-test-entry&status=missed', iso)).body.total).toBe(5)
  })
})
