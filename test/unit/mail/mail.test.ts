import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  composeMail,
  fileTransport,
  type MailKind,
  type MailParams,
  redactLinks,
  renderMail,
} from '../../../functions/mail/index.js'

const title = { en: 'Approve risk treatment R-7', de: 'Risikobehandlung R-7 genehmigen' }
const link = 'https://isms.example.org/tasks/abc'
const SAMPLES: { [K in MailKind]: MailParams[K] } = {
  invitation: {
    orgName: 'Nordlicht',
    inviterName: 'Ines Sommer',
    roles: ['member', 'auditor'],
    link: 'https://isms.example.org/invitations/tok',
    expiresOn: '2026-12-13',
  },
  'password-reset': { link: 'https://isms.example.org/reset-password/tok', expiresInHours: 2 },
  'set-password': {
    orgName: 'Nordlicht',
    link: 'https://isms.example.org/reset-password/tok',
    expiresInHours: 168,
  },
  'task-assigned': { orgName: 'Nordlicht', title, link, dueOn: '2026-12-24' },
  'task-due': { orgName: 'Nordlicht', title, link, dueOn: '2026-12-07', tomorrow: true },
  'task-overdue': { orgName: 'Nordlicht', title, link, dueOn: '2026-12-01', escalated: false },
  'approval-decided': { orgName: 'Nordlicht', title, link, decision: 'approved' },
  'weekly-digest': {
    orgName: 'Nordlicht',
    open: 3,
    overdue: 1,
    link: 'https://isms.example.org/',
    accountLink: 'https://isms.example.org/account',
  },
}

describe('mail texts', () => {
  it('every message exists in English and German, with plain text, HTML and its link', () => {
    for (const kind of Object.keys(SAMPLES) as MailKind[]) {
      const en = renderMail(kind, SAMPLES[kind] as never, 'en', 'Mia')
      const de = renderMail(kind, SAMPLES[kind] as never, 'de', 'Mia')
      expect(en.subject, kind).not.toBe(de.subject)
      expect(en.text.startsWith('Hello Mia,'), kind).toBe(true)
      expect(de.text.startsWith('Hallo Mia,'), kind).toBe(true)
      const l = (SAMPLES[kind] as { link: string }).link
      for (const m of [en, de]) {
        expect(m.text, kind).toContain(l)
        expect(m.html, kind).toContain(`href="${l}"`)
      }
      expect(de.html).toContain('<html lang="de">')
    }
  })

  it('says the right thing in each language', () => {
    expect(renderMail('invitation', SAMPLES.invitation, 'en').text).toContain(
      'Ines Sommer invites you to work with Nordlicht on ismsflow (role: member and auditor).',
    )
    expect(renderMail('invitation', SAMPLES.invitation, 'de').text).toContain(
      'Ines Sommer lädt Sie ein, bei Nordlicht in ismsflow mitzuarbeiten (Rolle: Mitglied und Auditor/in).',
    )
    expect(renderMail('invitation', SAMPLES.invitation, 'de').text).toContain('bis zum 13. Dezember 2026')
    expect(renderMail('task-due', SAMPLES['task-due'], 'en').subject).toBe(
      'Due tomorrow: Approve risk treatment R-7',
    )
    expect(renderMail('task-due', SAMPLES['task-due'], 'de').subject).toBe(
      'Morgen fällig: Risikobehandlung R-7 genehmigen',
    )
    expect(renderMail('task-overdue', { ...SAMPLES['task-overdue'], escalated: true }, 'de').subject).toBe(
      'Eskaliert: Risikobehandlung R-7 genehmigen',
    )
    expect(renderMail('approval-decided', SAMPLES['approval-decided'], 'de').text).toContain(
      'wurde genehmigt',
    )
    expect(renderMail('password-reset', SAMPLES['password-reset'], 'de').subject).toBe(
      'Ihr Passwort für ismsflow zurücksetzen',
    )
  })

  it('escapes HTML in names and titles', () => {
    const m = renderMail(
      'task-assigned',
      { ...SAMPLES['task-assigned'], title: { en: '<script>x</script>', de: 'a & b' } },
      'en',
      '<b>Eve</b>',
    )
    expect(m.html).not.toContain('<script>')
    expect(m.html).toContain('&lt;b&gt;Eve&lt;/b&gt;')
  })

  it('shortens one-time links for the mail log', () => {
    expect(
      redactLinks('open https://x.example/invitations/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde now'),
    ).toBe('open https://x.example/invitations/… now')
  })
})

describe('the .eml files', () => {
  it('are RFC 5322 multipart/alternative messages named <time>-<id>.eml', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mail-test-'))
    const t = fileTransport({ dir, now: () => new Date('2026-12-06T10:00:00Z') })
    const m = renderMail('invitation', SAMPLES.invitation, 'de', 'Jörg Groß')
    const sent = await t.send(
      { to: { email: 'joerg@example.org', name: 'Jörg Groß' }, ...m, kind: 'invitation' },
      'ismsflow <no-reply@isms.example.org>',
    )
    const [name] = readdirSync(dir)
    expect(name).toMatch(/^2026-12-06T10-00-00-000Z-[0-9a-f-]{36}\.eml$/)
    expect(sent.file).toBe(join(dir, name))
    const raw = readFileSync(join(dir, name), 'utf8')
    expect(raw).toMatch(/^Content-Type: multipart\/alternative/m)
    expect(raw).toMatch(/^From: ismsflow <no-reply@isms\.example\.org>$/m)
    expect(raw).toMatch(/^Message-ID: <[0-9a-f-]{36}@isms\.example\.org>$/m)
    expect(raw).toMatch(/^X-Ismsflow-Kind: invitation$/m)
    expect(raw).toMatch(/^Subject: Einladung zu Nordlicht in ismsflow$/m)
    expect(raw).toMatch(/^To: =\?UTF-8\?Q\?J=C3=B6rg_Gro=C3=9F\?= <joerg@example.org>$/m)
    expect(raw).toContain('Content-Type: text/plain; charset=utf-8')
    expect(raw).toContain('Content-Type: text/html; charset=utf-8')
  })

  it('compose gives the same raw bytes SES would send', async () => {
    const { raw, messageId } = await composeMail(
      { to: { email: 'a@example.org' }, subject: 'Hi', text: 'x', html: '<p>x</p>', kind: 'test' },
      'no-reply@example.org',
    )
    expect(raw.toString()).toContain(`Message-ID: <${messageId}>`)
  })
})
