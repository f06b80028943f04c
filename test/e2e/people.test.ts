import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, type E2E, startE2E } from './support/harness.js'

/** The invitation link in the newest .eml to `email` (quoted-printable soft breaks undone). */
function linkFromMail(mailDir: string, email: string): string {
  const files = readdirSync(mailDir)
    .filter((n) => n.endsWith('.eml'))
    .sort()
  const mail = files
    .map((n) => readFileSync(join(mailDir, n), 'utf8'))
    .filter((m) => m.includes(email))
    .at(-1)
  if (!mail) throw new Error(`no .eml to ${email} in ${mailDir}`)
  const m = /https?:\/\/[^\s"<>]+\/invitations\/[A-Za-z0-9_-]{43}/.exec(mail.replace(/=\r?\n/g, ''))
  if (!m) throw new Error('no invitation link in the message')
  return new URL(m[0]).pathname
}

describe('first steps without the demo (ISMSFLOW_DEMO=off)', () => {
  let e2e: E2E
  beforeAll(async () => {
    e2e = await startE2E({ seed: false })
  })
  afterAll(async () => e2e?.close())

  it('sets up an organisation, invites a colleague by e-mail, and the colleague joins from the link', async () => {
    // The ISO's first visit: "Set up ismsflow".
    const iso = await e2e.newPage()
    await iso.page.goto('/')
    await iso.page.getByRole('heading', { name: 'Set up ismsflow' }).waitFor()
    expect(await axeViolations(iso.page)).toEqual([])
    // Nothing filled in: the error summary takes focus and names each field.
    await iso.page.getByRole('button', { name: 'Set up ismsflow' }).click()
    await iso.page
      .getByRole('alert')
      .getByText('Enter the name of your organisation (at least 2 characters)')
      .waitFor()
    expect(await iso.page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(
      true,
    )
    expect(await axeViolations(iso.page)).toEqual([])
    await iso.page.getByLabel('Name of your organisation').fill('Werft Süd GmbH')
    await iso.page.getByLabel('Your name').fill('Sina Stein')
    await iso.page.getByLabel('E-mail address').fill('sina@werft-sued.example')
    await iso.page.getByLabel('Password', { exact: true }).fill('eine lange Passphrase')
    await iso.page.getByRole('button', { name: 'Set up ismsflow' }).click()
    await iso.page.getByRole('navigation').first().waitFor()
    await expect(iso.page.getByRole('banner').textContent()).resolves.toContain('Werft Süd GmbH')

    // The People page: invite a colleague.
    await iso.page.getByRole('link', { name: 'People' }).click()
    await iso.page.getByRole('heading', { name: 'People', level: 1 }).waitFor()
    await iso.page.getByRole('row', { name: /Sina Stein/ }).waitFor()
    expect(await axeViolations(iso.page)).toEqual([])
    await iso.page.getByLabel('E-mail address').fill('kai@werft-sued.example')
    await iso.page.getByLabel('Name (optional)').fill('Kai Kühn')
    await iso.page.getByRole('checkbox', { name: 'Auditor' }).check()
    await iso.page.getByRole('button', { name: 'Send the invitation' }).click()
    await iso.page.getByText('The invitation to kai@werft-sued.example was sent.').waitFor()
    await iso.page
      .getByRole('row', { name: /kai@werft-sued\.example/ })
      .getByText('Sent', { exact: true })
      .waitFor()
    expect(await axeViolations(iso.page)).toEqual([])

    // The Mail page shows what the colleague received, with the link shortened.
    await iso.page.getByRole('link', { name: 'Mail' }).click()
    await iso.page.getByText('Invitation to Werft Süd GmbH on ismsflow').click()
    await iso.page.getByText(/\/invitations\/…/).waitFor()
    expect(await axeViolations(iso.page)).toEqual([])

    // The colleague opens the link from the .eml file, sets a password and is signed in.
    const link = linkFromMail(e2e.stack.mailDir, 'kai@werft-sued.example')
    const kai = await e2e.newPage()
    await kai.page.goto(link)
    await kai.page.getByRole('heading', { name: 'Join Werft Süd GmbH on ismsflow' }).waitFor()
    await kai.page.getByText('Sina Stein invites you as: Member, Auditor.').waitFor()
    expect(await axeViolations(kai.page)).toEqual([])
    await expect(kai.page.getByLabel('Your name').inputValue()).resolves.toBe('Kai Kühn')
    await kai.page.getByLabel('Password', { exact: true }).fill('kais geheimes Passwort')
    await kai.page.getByRole('button', { name: 'Accept and create my account' }).click()
    await kai.page.getByRole('heading', { name: 'You are now a member of Werft Süd GmbH.' }).waitFor()
    await kai.page.getByRole('button', { name: 'Go to your inbox' }).click()
    await kai.page.getByRole('navigation').first().waitFor()

    // Signs out, signs in with the new password, and sees the organisation.
    await kai.page.getByRole('button', { name: 'Sign out' }).click()
    await kai.page.getByRole('heading', { name: 'Sign in to ismsflow' }).waitFor()
    await kai.page.getByLabel('E-mail address').fill('kai@werft-sued.example')
    await kai.page.getByLabel(/^Password$/).fill('kais geheimes Passwort')
    await kai.page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await kai.page.getByRole('navigation').first().waitFor()
    const banner = await kai.page.getByRole('banner').textContent()
    expect(banner).toContain('Werft Süd GmbH')
    expect(banner).toContain('Kai Kühn')
    // Not an ISO: no People page.
    expect(await kai.page.getByRole('link', { name: 'People' }).count()).toBe(0)

    // The link is used: a clear page (410), in German too.
    const again = await e2e.newPage({ locale: 'de-DE' })
    await again.page.goto(link)
    await again.page.getByRole('heading', { name: 'Dieser Link funktioniert nicht mehr' }).waitFor()
    expect(await axeViolations(again.page)).toEqual([])

    // The set-up page is gone for good.
    const late = await e2e.newPage()
    await late.page.goto('/')
    await late.page.getByRole('heading', { name: 'Sign in to ismsflow' }).waitFor()

    // The ISO's own account page.
    await iso.page.goto('/account')
    await iso.page.getByRole('heading', { name: 'Your account' }).waitFor()
    await iso.page.getByRole('heading', { name: 'Change your password' }).waitFor()
    expect(await axeViolations(iso.page)).toEqual([])

    // Forgot password, from the sign-in page.
    await late.page.getByRole('link', { name: 'Forgot your password?' }).click()
    await late.page.getByLabel('E-mail address').fill('nobody@example.org')
    await late.page.getByRole('button', { name: 'Send the link' }).click()
    await late.page.getByText(/If an account uses this e-mail address/).waitFor()
    expect(await axeViolations(late.page)).toEqual([])

    for (const p of [iso, kai, again, late])
      expect(p.errors.filter((e) => !/status of 410/.test(e))).toEqual([])
  })
})
