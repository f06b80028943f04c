import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, type E2E, startE2E } from './support/harness.js'
import { type LocalOidcProvider, startOidcProvider } from './support/oidc-provider.js'

const CLIENT_ID = 'ismsflow-web'

/**
 * The path of the invitation link in the newest .eml to `email` (quoted-printable soft
 * breaks undone), opened at the app's own origin: the one registered at the provider.
 */
function linkFromMail(mailDir: string, email: string): string {
  const mail = readdirSync(mailDir)
    .filter((n) => n.endsWith('.eml'))
    .sort()
    .map((n) => readFileSync(join(mailDir, n), 'utf8').replace(/=\r?\n/g, ''))
    .filter((m) => m.includes(email))
    .at(-1)
  const m = /(https?:\/\/[^\s"<>]+\/invitations\/[A-Za-z0-9_-]{43})/.exec(mail ?? '')
  if (!m) throw new Error(`no invitation link in a mail to ${email}`)
  return new URL(m[1]).pathname
}

/**
 * At the provider's login page (Cognito's managed login): e-mail and the one-time password,
 * then the new password it asks for.
 */
async function firstSignIn(page: Page, issuer: string, email: string, oneTime: string, own: string) {
  await page.waitForURL((u) => u.href.startsWith(`${issuer}/interaction/`))
  await page.getByLabel('Username').fill(email)
  await page.getByLabel('Password').fill(oneTime)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { name: 'Change password' }).waitFor()
  await page.getByLabel('New password').fill(own)
  await page.getByRole('button', { name: 'Change password' }).click()
}

describe('joining on AWS (Cognito owns passwords), against a local OpenID provider and user pool', () => {
  let provider: LocalOidcProvider
  let e2e: E2E

  beforeAll(async () => {
    provider = await startOidcProvider({ clientId: CLIENT_ID, accounts: [] })
    e2e = await startE2E({
      seed: false,
      config: {
        authMode: 'cognito',
        oidc: provider.config,
        cognitoUserPoolId: provider.userPool.userPoolId,
        cognitoEndpoint: provider.userPool.endpoint,
      },
    })
    provider.serve(e2e.baseUrl)
  })
  afterAll(async () => {
    await e2e?.close()
    await provider?.close()
  })

  it('sets up without a password here, invites a colleague, and the colleague joins through the provider', async () => {
    // The ISO's first visit: set-up asks no password; the answer is a one-time password.
    const iso = await e2e.newPage()
    await iso.page.goto('/')
    await iso.page.getByRole('heading', { level: 1, name: 'Set up ismsflow' }).waitFor()
    expect(await iso.page.getByLabel('Password').count()).toBe(0)
    expect(await axeViolations(iso.page)).toEqual([])
    await iso.page.getByLabel('Name of your organisation').fill('Werft Süd GmbH')
    await iso.page.getByLabel('Your name').fill('Sina Stein')
    await iso.page.getByLabel('E-mail address').fill('sina@werft-sued.example')
    await iso.page.getByRole('button', { name: 'Set up ismsflow' }).click()
    await iso.page.getByRole('heading', { level: 1, name: 'ismsflow is set up' }).waitFor()
    const isoOneTime = ((await iso.page.locator('.one-time-password').textContent()) ?? '').trim()
    expect(isoOneTime).toBe(provider.accountByEmail('sina@werft-sued.example')?.password)
    expect(await axeViolations(iso.page)).toEqual([])
    await iso.page.getByRole('button', { name: 'Continue to sign-in' }).click()
    await firstSignIn(
      iso.page,
      provider.issuer,
      'sina@werft-sued.example',
      isoOneTime,
      'Sinas eigenes Passwort 1',
    )
    await iso.page.getByRole('navigation', { name: 'Main' }).waitFor()
    await expect(iso.page.getByRole('banner').textContent()).resolves.toContain('Werft Süd GmbH')

    // The People page: invite a colleague; the invitation makes their sign-in at the user pool.
    await iso.page.getByRole('link', { name: 'People' }).click()
    await iso.page.getByRole('heading', { name: 'People', level: 1 }).waitFor()
    await iso.page.getByLabel('E-mail address').fill('kai@werft-sued.example')
    await iso.page.getByLabel('Name (optional)').fill('Kai Kühn')
    await iso.page.getByRole('button', { name: 'Send the invitation' }).click()
    await iso.page.getByText('The invitation to kai@werft-sued.example was sent.').waitFor()
    expect(provider.accountByEmail('kai@werft-sued.example')).toMatchObject({
      emailVerified: true,
      status: 'FORCE_CHANGE_PASSWORD',
    })
    const create = provider.userPool.requests.find(
      (r) => r.operation === 'AdminCreateUser' && r.body.Username === 'kai@werft-sued.example',
    )
    expect(create?.body.MessageAction).toBe('SUPPRESS')

    // The colleague opens the link from the .eml file: no password form of ours, a one-time password.
    const link = linkFromMail(e2e.stack.mailDir, 'kai@werft-sued.example')
    const kai = await e2e.newPage()
    await kai.page.goto(link)
    await kai.page.getByRole('heading', { name: 'Join Werft Süd GmbH on ismsflow' }).waitFor()
    await kai.page.getByText('Sina Stein invites you as: Member.').waitFor()
    expect(await kai.page.getByLabel('Password').count()).toBe(0)
    const oneTime = ((await kai.page.locator('.one-time-password').textContent()) ?? '').trim()
    expect(oneTime).toBe(provider.accountByEmail('kai@werft-sued.example')?.password)
    expect(await axeViolations(kai.page)).toEqual([])
    await kai.page.getByRole('button', { name: 'Continue to sign-in' }).click()
    await firstSignIn(kai.page, provider.issuer, 'kai@werft-sued.example', oneTime, 'Kais eigenes Passwort 1')

    // Back on the invitation page, signed in at the provider: accept, and the inbox opens.
    await kai.page.getByRole('button', { name: 'Accept the invitation' }).waitFor()
    expect(new URL(kai.page.url()).pathname).toBe(link)
    expect(await axeViolations(kai.page)).toEqual([])
    await kai.page.getByRole('button', { name: 'Accept the invitation' }).click()
    await kai.page.getByRole('navigation', { name: 'Main' }).waitFor()
    const banner = await kai.page.getByRole('banner').textContent()
    expect(banner).toContain('Werft Süd GmbH')
    expect(banner).toContain('Signed in as Kai Kühn')
    // Bound by the provider account's sub.
    const kaiSub = provider.account('kai@werft-sued.example').sub
    expect((await e2e.stack.deps.identity.userBySubject(provider.issuer, kaiSub))?.name).toBe('Kai Kühn')

    // The used link: a clear page, in German too.
    const again = await e2e.newPage({ locale: 'de-DE' })
    await again.page.goto(link)
    await again.page.getByRole('heading', { name: 'Dieser Link funktioniert nicht mehr' }).waitFor()

    expect(iso.errors).toEqual([])
    // Before accepting, Kai's sign-in is linked to nobody: the session answers 403 once.
    expect(kai.errors).toEqual([
      'console: Failed to load resource: the server responded with a status of 403 (Forbidden)',
    ])
    expect(again.errors).toEqual([
      'console: Failed to load resource: the server responded with a status of 410 (Gone)',
    ])
  })

  it('shows the invitation page on AWS in German, with the one-time password', async () => {
    // Sina invites Lea through the API, as the People page does.
    const { deps } = e2e.stack
    const sina = await deps.identity.userBySubject(
      provider.issuer,
      provider.account('sina@werft-sued.example').sub,
    )
    if (!sina) throw new Error('Sina is not linked')
    const [membership] = (await deps.identity.userWithMemberships(sina.id))?.memberships ?? []
    const { invite } = await import('../../functions/api/accounts/invitations.js')
    await invite(
      deps,
      {
        userId: sina.id,
        email: sina.email,
        name: sina.name,
        orgId: membership.orgId,
        roles: ['iso'],
        memberships: [],
      },
      { email: 'lea@werft-sued.example', roles: ['auditor'] },
    )
    const lea = await e2e.newPage({ locale: 'de-DE' })
    await lea.page.goto(linkFromMail(e2e.stack.mailDir, 'lea@werft-sued.example'))
    await lea.page.getByRole('heading', { name: 'Bei Werft Süd GmbH in ismsflow mitarbeiten' }).waitFor()
    await lea.page.getByText('Einmalpasswort', { exact: true }).waitFor()
    await lea.page.getByRole('button', { name: 'Weiter zur Anmeldung' }).waitFor()
    expect(await axeViolations(lea.page)).toEqual([])
    expect(lea.errors).toEqual([])
  })
})
