import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fileTransport } from '../../../functions/mail/index.js'
import { createMailer } from '../../../functions/mail/mailer.js'
import { apiHarness, type SignedIn, scanAll } from './support.js'

type Harness = Awaited<ReturnType<typeof apiHarness>>

/** The .eml files of a harness, oldest first. */
const mails = (h: Harness) => {
  const dir = h.deps.config.mailDir
  let names: string[] = []
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.eml'))
      .sort()
  } catch {}
  return names.map((n) => readFileSync(join(dir, n), 'utf8'))
}
/** The one-time link in the newest message to `email` (quoted-printable soft breaks undone). */
const linkIn = (h: Harness, email: string, path: 'invitations' | 'reset-password') => {
  const mail = mails(h)
    .filter((m) => m.includes(`To: ${email}`) || m.includes(`<${email}>`))
    .at(-1)
  if (!mail) throw new Error(`no mail to ${email}`)
  const flat = mail.replace(/=\r?\n/g, '')
  const m = new RegExp(`/${path}/([A-Za-z0-9_-]{43})`).exec(flat)
  if (!m) throw new Error(`no ${path} link in the mail to ${email}`)
  return m[1]
}
const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0]

describe('setting up an installation without the demo', () => {
  let h: Harness
  beforeAll(async () => {
    h = await apiHarness({ seed: false })
  })
  afterAll(async () => h.close())

  it('offers set-up once: 400 naming fields, 201 signed in as ISO, then 409 for good', async () => {
    expect(await (await h.request('/api/setup')).json()).toEqual({ needed: true })
    const bad = await h.request('/api/setup', {
      method: 'POST',
      body: { orgName: 'A', name: '', email: 'nope', password: 'short' },
    })
    expect(bad.status).toBe(400)
    expect(Object.keys((await bad.json()).error.fields).sort()).toEqual([
      'email',
      'name',
      'orgName',
      'password',
    ])

    const res = await h.request('/api/setup', {
      method: 'POST',
      body: {
        orgName: 'Acme Präzision GmbH',
        name: 'Ada Admin',
        email: ' Ada@Acme.Example ',
        password: 'correct horse battery',
      },
    })
    expect(res.status).toBe(201)
    const body = await res.json()
    expect(body.organisation.name).toBe('Acme Präzision GmbH')
    expect(body.organisation.id).toMatch(/^acme-prazision-gmbh-[a-z0-9]{6}$/)
    expect(body.principal).toMatchObject({
      email: 'ada@acme.example',
      orgId: body.organisation.id,
      roles: ['iso'],
    })
    const me = await h.request('/api/orgs/current', { headers: { cookie: cookieOf(res) } })
    expect((await me.json()).roles).toEqual(['iso'])

    const again = await h.request('/api/setup', {
      method: 'POST',
      body: {
        orgName: 'Evil Corp',
        name: 'Eve',
        email: 'eve@evil.example',
        password: 'correct horse battery',
      },
    })
    expect(again.status).toBe(409)
    expect(await (await h.request('/api/setup')).json()).toEqual({ needed: false })
    expect((await h.signIn('ada@acme.example', 'correct horse battery')).body.principal.roles).toEqual([
      'iso',
    ])
  })
})

describe('organisations, invitations, people and accounts', () => {
  let h: Harness
  let iso: SignedIn
  let member: SignedIn
  let hafenMember: SignedIn
  beforeAll(async () => {
    h = await apiHarness()
    ;[iso, member, hafenMember] = await Promise.all([
      h.signIn('iso@demo.ismsflow.test'),
      h.signIn('member@demo.ismsflow.test'),
      h.signIn('member@hafenstadt.ismsflow.test'),
    ])
  })
  afterAll(async () => h.close())

  const nordlicht = { 'x-org-id': 'nordlicht' }
  /** Whether the session still stands: GET /api/session names a principal (null for nobody). */
  const signedIn = async (auth: SignedIn) =>
    (await (await h.request('/api/session', { auth })).json()).principal !== null
  const invite = (auth: SignedIn, body: unknown, headers = nordlicht) =>
    h.request('/api/orgs/current/invitations', { method: 'POST', auth, body, headers })

  it('the demo installation needs no set-up: 409', async () => {
    expect(await (await h.request('/api/setup')).json()).toEqual({ needed: false })
    const res = await h.request('/api/setup', {
      method: 'POST',
      body: { orgName: 'Other', name: 'X', email: 'x@example.org', password: 'correct horse battery' },
    })
    expect(res.status).toBe(409)
  })

  it('an ISO creates a client organisation and is its ISO at once (switcher and "All organisations" inbox)', async () => {
    const res = await h.request('/api/orgs', { method: 'POST', auth: iso, body: { name: 'Küstenwerft KG' } })
    expect(res.status).toBe(201)
    const org = await res.json()
    expect(Object.keys(org).sort()).toEqual(['id', 'name'])
    const session = await (await h.request('/api/session', { auth: iso })).json()
    expect(session.principal.memberships).toContainEqual({
      orgId: org.id,
      orgName: 'Küstenwerft KG',
      roles: ['iso'],
    })
    const inbox = await h.request('/api/tasks?scope=all', { auth: iso })
    expect(inbox.status).toBe(200)
    const current = await h.request('/api/orgs/current', { auth: iso, headers: { 'x-org-id': org.id } })
    expect((await current.json()).roles).toEqual(['iso'])
    const audit = await (await h.request('/api/audit', { auth: iso, headers: { 'x-org-id': org.id } })).json()
    expect(audit.items.map((i: { action: string }) => i.action)).toEqual(
      expect.arrayContaining(['organisation.create', 'membership.create']),
    )
    expect(
      (await h.request('/api/orgs', { method: 'POST', auth: member, body: { name: 'Mine' } })).status,
    ).toBe(403)
    const bad = await h.request('/api/orgs', { method: 'POST', auth: iso, body: { name: ' ' } })
    expect((await bad.json()).error.fields).toHaveProperty('name')
  })

  it('validates invitations: roles outside the four, e-mail, unknown fields → 400; only the ISO invites', async () => {
    const before = await scanAll(h)
    const res = await invite(iso, { email: 'x@example.org', roles: ['admin'] })
    expect(res.status).toBe(400)
    expect((await res.json()).error.fields).toHaveProperty(['roles.0'])
    expect((await invite(iso, { email: 'x@example.org', roles: [] })).status).toBe(400)
    expect((await invite(iso, { email: 'not-an-address', roles: ['member'] })).status).toBe(400)
    expect((await invite(iso, { email: 'x@example.org', roles: ['member'], extra: 1 })).status).toBe(400)
    expect((await invite(member, { email: 'x@example.org', roles: ['member'] })).status).toBe(403)
    expect(await scanAll(h)).toEqual(before)
  })

  it('invites by e-mail (link, hashed at rest), shows the invitation, accepts once (double click = one account)', async () => {
    const res = await invite(iso, {
      email: 'Neu.Kollegin@Nordlicht.Example',
      roles: ['member', 'auditor'],
      name: 'Nora Neu',
    })
    expect(res.status).toBe(201)
    const inv = await res.json()
    expect(inv).toMatchObject({
      email: 'neu.kollegin@nordlicht.example',
      roles: ['member', 'auditor'],
      status: 'pending',
      mail: { status: 'sent' },
    })
    expect(inv).not.toHaveProperty('tokenHash')
    const token = linkIn(h, 'neu.kollegin@nordlicht.example', 'invitations')
    expect(JSON.stringify(await scanAll(h))).not.toContain(token)
    // The same person cannot be invited twice while the first invitation is open.
    expect((await invite(iso, { email: 'neu.kollegin@nordlicht.example', roles: ['member'] })).status).toBe(
      409,
    )

    const shown = await (await h.request(`/api/invitations/${token}`)).json()
    expect(shown).toMatchObject({
      organisation: { id: 'nordlicht', name: 'Nordlicht Maschinenbau GmbH' },
      inviter: { name: 'Ines Sommer' },
      roles: ['member', 'auditor'],
      account: 'new',
    })
    const missing = await h.request(`/api/invitations/${token}/accept`, { method: 'POST', body: {} })
    expect(Object.keys((await missing.json()).error.fields).sort()).toEqual(['name', 'password'])

    const accept = () =>
      h.request(`/api/invitations/${token}/accept`, {
        method: 'POST',
        body: { name: 'Nora Neu', password: 'a long new password' },
      })
    const [first, second] = await Promise.all([accept(), accept()])
    expect([first.status, second.status]).toEqual([200, 200])
    const [a, b] = [await first.json(), await second.json()]
    expect(a.userId).toBe(b.userId)
    expect(a.principal).toMatchObject({ orgId: 'nordlicht', roles: ['member', 'auditor'] })
    const users = (await scanAll(h)).filter(
      (i) => i.kind === 'user' && i.email === 'neu.kollegin@nordlicht.example',
    )
    expect(users).toHaveLength(1)
    const signedIn = await h.signIn('neu.kollegin@nordlicht.example', 'a long new password')
    expect(signedIn.body.principal.orgId).toBe('nordlicht')

    // Used: 410 for the page and for a late accept; the double-click grace is over after 10 minutes.
    expect((await h.request(`/api/invitations/${token}`)).status).toBe(410)
    h.advance(11 * 60_000)
    const late = await accept()
    expect(late.status).toBe(410)
    expect((await late.json()).error.code).toBe('gone')
    // Now a member: inviting again is a 409.
    expect((await invite(iso, { email: 'neu.kollegin@nordlicht.example', roles: ['member'] })).status).toBe(
      409,
    )
    const people = await (
      await h.request('/api/orgs/current/members', { auth: iso, headers: nordlicht })
    ).json()
    expect(
      people.items.find((p: { email: string }) => p.email === 'neu.kollegin@nordlicht.example'),
    ).toMatchObject({
      name: 'Nora Neu',
      roles: ['member', 'auditor'],
      lastSignInAt: expect.any(String),
    })
  })

  it('answers 410 for revoked, expired and unknown links, 400 for malformed ones; resend makes a new link', async () => {
    const inv = await (await invite(iso, { email: 'revoked@example.org', roles: ['member'] })).json()
    const oldToken = linkIn(h, 'revoked@example.org', 'invitations')
    const resent = await h.request(`/api/orgs/current/invitations/${inv.id}/resend`, {
      method: 'POST',
      auth: iso,
      headers: nordlicht,
      body: {},
    })
    expect(resent.status, await resent.clone().text()).toBe(200)
    const token = linkIn(h, 'revoked@example.org', 'invitations')
    expect(token).not.toBe(oldToken)
    expect((await h.request(`/api/invitations/${oldToken}`)).status).toBe(410)
    expect((await h.request(`/api/invitations/${token}`)).status).toBe(200)
    const revoked = await h.request(`/api/orgs/current/invitations/${inv.id}`, {
      method: 'DELETE',
      auth: iso,
      headers: nordlicht,
      body: {},
    })
    expect((await revoked.json()).status).toBe('revoked')
    expect((await h.request(`/api/invitations/${token}`)).status).toBe(410)
    const acceptRevoked = await h.request(`/api/invitations/${token}/accept`, {
      method: 'POST',
      body: { name: 'R', password: 'a long new password' },
    })
    expect(acceptRevoked.status).toBe(410)

    await invite(iso, { email: 'late@example.org', roles: ['member'] })
    const lateToken = linkIn(h, 'late@example.org', 'invitations')
    h.advance(7 * 24 * 3_600_000 + 60_000)
    expect((await h.request(`/api/invitations/${lateToken}`)).status).toBe(410)
    // Sessions last 12 hours: sign in again after a week.
    ;[iso, member, hafenMember] = await Promise.all([
      h.signIn('iso@demo.ismsflow.test'),
      h.signIn('member@demo.ismsflow.test'),
      h.signIn('member@hafenstadt.ismsflow.test'),
    ])

    expect((await h.request(`/api/invitations/${'A'.repeat(43)}`)).status).toBe(410)
    expect((await h.request('/api/invitations/short')).status).toBe(400)
  })

  it('someone with an account signs in first, then accepting adds the membership (409 when a member already)', async () => {
    const res = await invite(iso, { email: 'member@hafenstadt.ismsflow.test', roles: ['auditor'] })
    expect(res.status).toBe(201)
    const token = linkIn(h, 'member@hafenstadt.ismsflow.test', 'invitations')
    expect((await (await h.request(`/api/invitations/${token}`)).json()).account).toBe('existing')
    const anonymous = await h.request(`/api/invitations/${token}/accept`, { method: 'POST', body: {} })
    expect(anonymous.status).toBe(401)
    const wrongPerson = await h.request(`/api/invitations/${token}/accept`, {
      method: 'POST',
      body: {},
      auth: member,
    })
    expect(wrongPerson.status).toBe(403)
    const ok = await h.request(`/api/invitations/${token}/accept`, {
      method: 'POST',
      body: {},
      auth: hafenMember,
    })
    expect(ok.status, await ok.clone().text()).toBe(200)
    const session = await (await h.request('/api/session', { auth: hafenMember })).json()
    expect(session.principal.memberships.map((m: { orgId: string }) => m.orgId).sort()).toEqual([
      'hafenstadt',
      'nordlicht',
    ])
    // Leave Nordlicht again for the cross-tenant cases below.
    const removed = await h.request(`/api/orgs/current/members/${hafenMember.body.principal.userId}`, {
      method: 'DELETE',
      auth: iso,
      headers: nordlicht,
      body: {},
    })
    expect(removed.status).toBe(200)
  })

  it('keeps the last ISO: demoting or removing them is a 409 naming why', async () => {
    const created = await (
      await h.request('/api/orgs', { method: 'POST', auth: iso, body: { name: 'Solo GmbH' } })
    ).json()
    const headers = { 'x-org-id': created.id }
    const me = iso.body.principal.userId
    const demote = await h.request(`/api/orgs/current/members/${me}/roles`, {
      method: 'PUT',
      auth: iso,
      headers,
      body: { roles: ['member'] },
    })
    expect(demote.status).toBe(409)
    expect((await demote.json()).error.message).toContain('last information security officer')
    const remove = await h.request(`/api/orgs/current/members/${me}`, {
      method: 'DELETE',
      auth: iso,
      headers,
      body: {},
    })
    expect(remove.status).toBe(409)
    expect((await remove.json()).error.message).toContain('last information security officer')
  })

  it('changes roles and removes a member: their open tasks go back to the role queue, the audit log names it', async () => {
    const memberId = member.body.principal.userId
    const changed = await h.request(`/api/orgs/current/members/${memberId}/roles`, {
      method: 'PUT',
      auth: iso,
      headers: nordlicht,
      body: { roles: ['member', 'management'] },
    })
    expect(changed.status).toBe(200)
    expect((await (await h.request('/api/session', { auth: member })).json()).principal.roles).toEqual([
      'member',
      'management',
    ])
    const bad = await h.request(`/api/orgs/current/members/${memberId}/roles`, {
      method: 'PUT',
      auth: iso,
      headers: nordlicht,
      body: { roles: ['owner'] },
    })
    expect(bad.status).toBe(400)
    expect(
      (
        await h.request(`/api/orgs/current/members/${memberId}/roles`, {
          method: 'PUT',
          auth: member,
          headers: nordlicht,
          body: { roles: ['iso'] },
        })
      ).status,
    ).toBe(403)

    // A task the member claimed.
    const task = await h.deps.taskStore.createFromToken(
      {
        orgId: 'nordlicht',
        kind: 'questionnaire',
        title: { en: 'Supplier questionnaire', de: 'Lieferantenfragebogen' },
        formId: 'x',
        candidateRole: 'member',
        priority: 1,
        excludedUserIds: [],
        context: {},
        delegations: [],
        workflow: { name: 'test', executionArn: 'arn:test', stateName: 'Ask' },
      },
      'token-for-people-test',
      { userId: 'system:test' },
    )
    await h.deps.taskStore.transition(
      task,
      { status: 'claimed', claimedBy: memberId },
      { userId: memberId },
      'task.claim',
    )

    const removed = await h.request(`/api/orgs/current/members/${memberId}`, {
      method: 'DELETE',
      auth: iso,
      headers: nordlicht,
      body: {},
    })
    expect(removed.status).toBe(200)
    expect((await removed.json()).requeuedTasks).toEqual([task.id])
    const after = await h.deps.taskStore.require('nordlicht', task.id)
    expect(after.data).toMatchObject({ status: 'open', candidateRole: 'member' })
    expect(after.data.claimedBy).toBeUndefined()
    const audit = (await (await h.request('/api/audit?limit=50', { auth: iso, headers: nordlicht })).json())
      .items as {
      action: string
      note?: string
    }[]
    expect(audit.find((a) => a.action === 'membership.remove')?.note).toContain('Mia Keller')
    expect(audit.find((a) => a.action === 'task.requeue')?.note).toContain('Mia Keller')
    expect(audit.map((a) => a.action)).toContain('membership.roles')
    // The removed person has no access any more.
    expect((await h.request('/api/orgs/current', { auth: member, headers: nordlicht })).status).toBe(403)
  })

  it('cross-tenant: an ISO of another organisation gets 404 for Nordlicht people and invitations; members get 403', async () => {
    // Hafenstadt's member becomes the ISO of a new client organisation, and only there.
    const client = await (
      await h.request('/api/orgs', { method: 'POST', auth: iso, body: { name: 'Client One' } })
    ).json()
    const inv = await (
      await invite(
        iso,
        { email: 'member@hafenstadt.ismsflow.test', roles: ['iso'] },
        { 'x-org-id': client.id },
      )
    ).json()
    expect(inv.mail.status).toBe('sent')
    const token = linkIn(h, 'member@hafenstadt.ismsflow.test', 'invitations')
    expect(
      (await h.request(`/api/invitations/${token}/accept`, { method: 'POST', body: {}, auth: hafenMember }))
        .status,
    ).toBe(200)
    const headers = { 'x-org-id': client.id }
    const nordInv = await (
      await invite(iso, { email: 'someone@nordlicht.example', roles: ['member'] })
    ).json()
    const auditorId = (await h.signIn('auditor@demo.ismsflow.test')).body.principal.userId
    const before = await scanAll(h)
    const statuses = [
      (
        await h.request(`/api/orgs/current/members/${auditorId}/roles`, {
          method: 'PUT',
          auth: hafenMember,
          headers,
          body: { roles: ['member'] },
        })
      ).status,
      (
        await h.request(`/api/orgs/current/members/${auditorId}`, {
          method: 'DELETE',
          auth: hafenMember,
          headers,
          body: {},
        })
      ).status,
      (
        await h.request(`/api/orgs/current/invitations/${nordInv.id}/resend`, {
          method: 'POST',
          auth: hafenMember,
          headers,
          body: {},
        })
      ).status,
      (
        await h.request(`/api/orgs/current/invitations/${nordInv.id}`, {
          method: 'DELETE',
          auth: hafenMember,
          headers,
          body: {},
        })
      ).status,
    ]
    expect(statuses).toEqual([404, 404, 404, 404])
    expect(await scanAll(h)).toEqual(before)
    const list = await (
      await h.request('/api/orgs/current/invitations', { auth: hafenMember, headers })
    ).json()
    expect(JSON.stringify(list)).not.toContain('someone@nordlicht.example')
    const members = await (
      await h.request('/api/orgs/current/members', { auth: hafenMember, headers })
    ).json()
    expect(JSON.stringify(members)).not.toContain('auditor@demo')
    // Naming Nordlicht is refused outright; in Hafenstadt the person is a member: 403.
    expect(
      (await h.request('/api/orgs/current/members', { auth: hafenMember, headers: nordlicht })).status,
    ).toBe(403)
    expect(
      (
        await h.request('/api/orgs/current/members', {
          auth: hafenMember,
          headers: { 'x-org-id': 'hafenstadt' },
        })
      ).status,
    ).toBe(403)
    expect(
      (
        await h.request('/api/orgs/current/mail', {
          auth: hafenMember,
          headers: { 'x-org-id': 'hafenstadt' },
        })
      ).status,
    ).toBe(403)
  })

  it('lists the mail sent about the organisation to its ISO, with one-time links shortened', async () => {
    const res = await h.request('/api/orgs/current/mail?limit=5', { auth: iso, headers: nordlicht })
    expect(res.status).toBe(200)
    const { items, transport } = await res.json()
    expect(transport).toBe('file')
    expect(items[0]).toMatchObject({ kind: 'invitation', status: 'sent' })
    const text = items.map((i: { text: string }) => i.text).join('\n')
    expect(text).toContain('/invitations/…')
    expect(text).not.toMatch(/\/invitations\/[A-Za-z0-9_-]{43}/)
  })

  it('account: profile, password change (needs the current one, ends other sessions), sign out everywhere', async () => {
    const other = await h.signIn('management@demo.ismsflow.test')
    const me = await h.signIn('management@demo.ismsflow.test')
    const profile = await h.request('/api/account', {
      method: 'PATCH',
      auth: me,
      body: { name: 'Martin B.', language: 'de', digest: false },
    })
    expect(await profile.json()).toMatchObject({ name: 'Martin B.', language: 'de', digest: false })
    expect(
      (await h.request('/api/account', { method: 'PATCH', auth: me, body: { language: 'fr' } })).status,
    ).toBe(400)
    const wrong = await h.request('/api/account/password', {
      method: 'POST',
      auth: me,
      body: { currentPassword: 'not it', newPassword: 'a brand new password' },
    })
    expect(wrong.status).toBe(400)
    expect((await wrong.json()).error.fields).toEqual({ currentPassword: 'is not correct' })
    const ok = await h.request('/api/account/password', {
      method: 'POST',
      auth: me,
      body: { currentPassword: 'demo1234!', newPassword: 'a brand new password' },
    })
    expect(ok.status).toBe(204)
    expect(await signedIn(me)).toBe(true)
    expect(await signedIn(other)).toBe(false)
    const third = await h.signIn('management@demo.ismsflow.test', 'a brand new password')
    const everywhere = await h.request('/api/account/sign-out-everywhere', {
      method: 'POST',
      auth: me,
      body: {},
    })
    expect((await everywhere.json()).ended).toBe(2)
    expect(await signedIn(me)).toBe(false)
    expect(await signedIn(third)).toBe(false)
  })

  it('forgot password: the same answer for any address, a one-time link by mail, rate-limited', async () => {
    const ask = (email: string, ip = '192.0.2.10') =>
      h.request(
        '/api/password-reset',
        { method: 'POST', body: { email } },
        { incoming: { socket: { remoteAddress: ip } } },
      )
    const known = await ask('Auditor@Demo.Ismsflow.Test')
    const unknown = await ask('nobody@demo.ismsflow.test')
    expect([known.status, unknown.status]).toEqual([202, 202])
    expect(await known.json()).toEqual(await unknown.json())
    const token = linkIn(h, 'auditor@demo.ismsflow.test', 'reset-password')
    expect(await (await h.request(`/api/password-reset/${token}`)).json()).toMatchObject({
      purpose: 'password-reset',
    })
    const short = await h.request(`/api/password-reset/${token}`, {
      method: 'POST',
      body: { password: 'short' },
    })
    expect((await short.json()).error.fields).toHaveProperty('password')
    const reset = await h.request(`/api/password-reset/${token}`, {
      method: 'POST',
      body: { password: 'reset to something long' },
    })
    expect(reset.status).toBe(200)
    expect((await reset.json()).principal.email).toBe('auditor@demo.ismsflow.test')
    expect(
      (
        await h.request(`/api/password-reset/${token}`, {
          method: 'POST',
          body: { password: 'reset to something long' },
        })
      ).status,
    ).toBe(410)
    expect((await h.request(`/api/password-reset/${token}`)).status).toBe(410)
    await h.signIn('auditor@demo.ismsflow.test', 'reset to something long')

    const statuses: number[] = []
    for (let i = 0; i < 21; i++) statuses.push((await ask(`flood${i}@example.org`, '192.0.2.99')).status)
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(202))
    expect(statuses[20]).toBe(429)
  })
})

describe('an invitation whose e-mail cannot be sent', () => {
  let h: Harness
  beforeAll(async () => {
    // An SMTP server that is not there: the .eml is written, the sending fails.
    h = await apiHarness({ config: { mailTransport: 'smtp', smtpUrl: 'smtp://127.0.0.1:9' } })
  })
  afterAll(async () => h.close())

  it('stays visible as "not sent" and is retried with resend', async () => {
    const iso = await h.signIn('iso@demo.ismsflow.test')
    const headers = { 'x-org-id': 'nordlicht' }
    const res = await h.request('/api/orgs/current/invitations', {
      method: 'POST',
      auth: iso,
      headers,
      body: { email: 'offline@example.org', roles: ['member'] },
    })
    expect(res.status).toBe(201)
    const inv = await res.json()
    expect(inv.mail.status).toBe('failed')
    const listed = await (await h.request('/api/orgs/current/invitations', { auth: iso, headers })).json()
    expect(listed.items.find((i: { id: string }) => i.id === inv.id).mail.status).toBe('failed')
    // The mail server is back (here: the file transport).
    h.deps.mail = createMailer({
      transport: fileTransport({ dir: h.deps.config.mailDir }),
      from: h.deps.config.mailFrom,
      records: h.deps.records,
    })
    const retried = await h.request(`/api/orgs/current/invitations/${inv.id}/resend`, {
      method: 'POST',
      auth: iso,
      headers,
      body: {},
    })
    expect((await retried.json()).mail.status).toBe('sent')
  })
})
