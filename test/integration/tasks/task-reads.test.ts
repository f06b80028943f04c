import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compareTasks, isOpen, mayView, mayWork, type Task } from '../../../functions/domain/tasks.js'
import type { TaskRecord } from '../../../functions/store/tasks.js'
import { MINIMAL_SEED } from '../../../infra/local/seed/index.js'
import { type Client, startTestStack } from '../../support/stack.js'
import { forgetTaskIndex } from '../../support/task-index.js'

const DAY = 86_400_000
const SUBJECT = { type: 'probe', id: 'P-1' }
const actor = { userId: 'system:workflow' }

/**
 * The task store's reads by key (subject, kind, holder, due window, counters) answer exactly
 * what a filter over every task of the organisation would, across more entries than one read
 * takes, and never a task of another organisation that has the same subject, kind and people.
 */
describe('tasks read by key instead of the whole organisation', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let member: Client
  let start: number
  const store = () => t.stack.deps.taskStore
  const ids = (recs: TaskRecord[]) => recs.map((r) => r.id)
  /** What a filter over every task of the organisation answers (the old way), in inbox order. */
  const filtered = async (orgId: string, keep: (t: Task) => boolean) =>
    (await store().list(orgId)).filter((r) => keep(r.data)).map((r) => r.id)

  /** A task written through the store as the human-task step writes it. */
  const make = (orgId: string, over: Partial<Task> & { n: number }) => {
    const { n, ...rest } = over
    return store().createFromToken(
      {
        orgId,
        kind: 'probe-kind',
        title: { en: `Probe ${n}`, de: `Probe ${n}` },
        formId: 'approval',
        priority: n % 10,
        excludedUserIds: [],
        context: {},
        workflow: {
          name: 'ismsflow-questionnaire',
          executionArn: `arn:aws:states:eu-central-1:000000000000:execution:ismsflow-questionnaire:probe-${orgId}-${n % 7}`,
          stateName: 'Ask',
        },
        delegations: [],
        candidateRole: 'member',
        ...rest,
      },
      randomBytes(24).toString('hex'),
      actor,
    )
  }
  const close = (rec: TaskRecord) => store().transition(rec, { status: 'cancelled' }, actor, 'task.cancelled')

  beforeAll(async () => {
    t = await startTestStack({ seedSteps: MINIMAL_SEED })
    member = await t.signIn('member@demo.ismsflow.test')
    start = t.stack.clock.nowMs()
    const due = (days: number, minutes = 0) => new Date(start + days * DAY + minutes * 60_000).toISOString()
    // Both organisations: the same subject, kind, role and person ids, open and closed.
    for (const orgId of ['nordlicht', 'hafenstadt']) {
      const made = []
      for (let n = 0; n < 6; n++)
        made.push(
          await make(orgId, {
            n,
            subject: SUBJECT,
            dueAt: due(20, n),
            ...(n % 2 ? { assigneeUserId: 'demo-member', candidateRole: undefined } : {}),
          }),
        )
      await close(made[0])
      await close(made[1])
      // One overdue, one due at the edges of the window below.
      await make(orgId, { n: 100, dueAt: due(-2), assigneeUserId: 'demo-member', candidateRole: undefined })
      await make(orgId, { n: 101, dueAt: due(10, -1) })
      await make(orgId, { n: 102, dueAt: due(11, 1) })
    }
    // More tasks due in the window than one read of the index takes (200), some of them closed.
    for (let n = 0; n < 210; n += 15)
      await Promise.all(
        Array.from({ length: 15 }, (_, i) =>
          make('nordlicht', {
            n: 200 + n + i,
            kind: 'probe-bulk',
            dueAt: due(10, n + i),
            ...(i % 5 === 0 ? { assigneeUserId: 'demo-iso', candidateRole: undefined } : {}),
          }).then((rec) => (i === 7 ? close(rec) : rec)),
        ),
      )
    for (let n = 0; n < 20; n++)
      await make('hafenstadt', { n: 200 + n, kind: 'probe-bulk', dueAt: due(10, n) })
  })
  afterAll(async () => t?.close())

  it('by subject, kind and holder: the organisation’s own tasks, every one, no other organisation’s', async () => {
    for (const orgId of ['nordlicht', 'hafenstadt']) {
      const about = await store().forSubject(orgId, SUBJECT.type, SUBJECT.id)
      expect(ids(about)).toEqual(await filtered(orgId, (x) => x.subject?.id === SUBJECT.id))
      expect(about).toHaveLength(6)
      expect(about.every((r) => r.orgId === orgId && r.data.orgId === orgId)).toBe(true)

      const kinds = await store().openOfKinds(orgId, ['probe-kind', 'probe-bulk'])
      expect(ids(kinds)).toEqual(
        await filtered(orgId, (x) => isOpen(x) && (x.kind === 'probe-kind' || x.kind === 'probe-bulk')),
      )
      expect(kinds.every((r) => r.data.orgId === orgId)).toBe(true)

      const held = await store().heldBy(orgId, 'demo-member')
      expect(ids(held).sort()).toEqual(
        (
          await filtered(
            orgId,
            (x) => isOpen(x) && (x.assigneeUserId === 'demo-member' || x.claimedBy === 'demo-member'),
          )
        ).sort(),
      )
    }
    // Past the first read of a stream: all 196 open bulk tasks (210, 14 closed), not one page of them.
    expect((await store().openOfKinds('nordlicht', ['probe-bulk'])).length).toBe(196)
    expect((await store().openOfKinds('hafenstadt', ['probe-bulk'])).length).toBe(20)
  })

  it('by due window: the open tasks due in it, for the organisation and for what one person may see', async () => {
    const window = {
      from: new Date(start + 10 * DAY).toISOString(),
      to: new Date(start + 11 * DAY).toISOString(),
    }
    const inWindow = (x: Task) => isOpen(x) && !!x.dueAt && x.dueAt >= window.from && x.dueAt <= window.to
    const all = await store().openDue('nordlicht', window)
    expect(ids(all)).toEqual(await filtered('nordlicht', inWindow))
    expect(all.length).toBe(196)
    // In inbox order, and none from just outside the window.
    expect([...all].sort((a, b) => compareTasks(a.data, b.data))).toEqual(all)
    expect(all.some((r) => r.data.title.en === 'Probe 101' || r.data.title.en === 'Probe 102')).toBe(false)
    expect((await store().openDue('hafenstadt', window)).every((r) => r.data.orgId === 'hafenstadt')).toBe(
      true,
    )
    expect((await store().openDue('hafenstadt', window)).length).toBe(20)

    // A member: what they may view (assigned to them, their role's queue, asked for by them).
    const viewer = { userId: 'demo-member', roles: ['member'] }
    const wide = {
      from: new Date(start - 5 * DAY).toISOString(),
      to: new Date(start + 30 * DAY).toISOString(),
    }
    const theirs = await store().openDue('nordlicht', wide, viewer)
    const expected = await filtered(
      'nordlicht',
      (x) => isOpen(x) && !!x.dueAt && x.dueAt >= wide.from && x.dueAt <= wide.to && mayView(x, viewer),
    )
    expect(ids(theirs).sort()).toEqual([...expected].sort())
    expect(theirs.some((r) => r.data.assigneeUserId === 'demo-iso')).toBe(false)
    expect(theirs.every((r) => r.data.orgId === 'nordlicht')).toBe(true)
  })

  it('counts from counters and the overdue range: the same numbers as counting every task', async () => {
    const now = new Date(t.stack.clock.nowMs())
    for (const orgId of ['nordlicht', 'hafenstadt']) {
      const every = (await store().list(orgId)).map((r) => r.data)
      const open = every.filter(isOpen)
      expect(await store().counts(orgId, now)).toEqual({
        all: every.length,
        open: open.length,
        overdue: open.filter((x) => x.dueAt && x.dueAt < now.toISOString()).length,
      })
      const worker = { userId: 'demo-member', roles: ['member'] }
      const mine = open.filter((x) => mayWork(x, worker))
      expect(await store().counts(orgId, now, worker)).toEqual({
        all: mine.length,
        open: mine.length,
        overdue: mine.filter((x) => x.dueAt && x.dueAt < now.toISOString()).length,
      })
    }
  })

  it('the calendar shows the member’s open tasks due in its window, none of another organisation or person', async () => {
    const from = new Date(start + 19 * DAY).toISOString().slice(0, 10)
    const to = new Date(start + 22 * DAY).toISOString().slice(0, 10)
    const res = await member.get(`/api/calendar?from=${from}&to=${to}`)
    expect(res.status).toBe(200)
    const probes = res.body.items.filter((i: { title: { en: string } }) => i.title.en.startsWith('Probe'))
    const expected = (await store().forSubject('nordlicht', SUBJECT.type, SUBJECT.id)).filter((r) =>
      isOpen(r.data),
    )
    expect(probes.map((i: { id: string }) => i.id).sort()).toEqual(ids(expected).sort())
    expect(probes.every((i: { orgId: string }) => i.orgId === 'nordlicht')).toBe(true)
  })

  it('an organisation indexed by an older version gets the new lists once, with the same answers', async () => {
    const before = {
      about: ids(await store().forSubject('nordlicht', SUBJECT.type, SUBJECT.id)),
      kinds: ids(await store().openOfKinds('nordlicht', ['probe-kind'])),
      counts: await store().counts('nordlicht', new Date(start)),
    }
    // As an installation from before these lists: no entries, no counters, no mark, tasks not stamped.
    await forgetTaskIndex(t.stack.deps, 'nordlicht')
    expect(await store().forSubject('nordlicht', SUBJECT.type, SUBJECT.id)).toEqual([])
    expect(await store().rebuildIndex('nordlicht')).toBe(true)
    expect(ids(await store().forSubject('nordlicht', SUBJECT.type, SUBJECT.id))).toEqual(before.about)
    expect(ids(await store().openOfKinds('nordlicht', ['probe-kind']))).toEqual(before.kinds)
    expect(await store().counts('nordlicht', new Date(start))).toEqual(before.counts)
    expect(await store().rebuildIndex('nordlicht')).toBe(false)
  })
})
