import { readFileSync } from 'node:fs'
import type { Page, Request } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { soaColumns } from '../../functions/api/routes/certification/views.js'
import { toCsv } from '../../functions/domain/export/csv.js'
import { registerColumns } from '../../functions/domain/risk/index.js'
import { axeViolations, type E2E, openInbox, startE2E } from './support/harness.js'
import { type LocalOidcProvider, startOidcProvider } from './support/oidc-provider.js'

const CLIENT_ID = 'ismsflow-web'
/** Martin Brandt (management at Nordlicht), linked by his subject as an accepted invitation links it. */
const MANAGER = {
  sub: '5f1c2a9e-0b6d-4c1e-9d53-2f8a7e61c0a1',
  email: 'management@demo.ismsflow.test',
  emailVerified: true,
  name: 'Martin Brandt',
}
/** Someone who set the ISO's e-mail address on their own provider account: another subject. */
const IMPOSTOR = {
  sub: '0c9e7b41-77d2-4f0a-8e36-b1d5a4f9e2c3',
  email: 'iso@demo.ismsflow.test',
  emailVerified: true,
  name: 'Not Ines',
}
/** Mia Keller (member), linked, but her provider account's e-mail is not verified. */
const UNVERIFIED = {
  sub: '8a3d6f20-1e4b-4b7c-a2d9-6c0e5b7f3d14',
  email: 'member@demo.ismsflow.test',
  emailVerified: false,
  name: 'Mia Keller',
}

/** Anton Richter (auditor), whose ID tokens live 62 s: the app refreshes them a minute before expiry. */
const SHORT_LIVED = {
  sub: 'c47e0d2b-5a91-4f3e-b8c6-93d1e2f4a705',
  email: 'auditor@demo.ismsflow.test',
  emailVerified: true,
  name: 'Anton Richter',
  idTokenSeconds: 62,
}

/** Signs in on the provider's login page (the subject is the username there). */
async function signInAtProvider(page: Page, issuer: string, sub: string) {
  await page.waitForURL((u) => u.href.startsWith(`${issuer}/interaction/`))
  await page.getByLabel('Username').fill(sub)
  await page.getByLabel('Password').fill('any password')
  await page.getByRole('button', { name: 'Sign in' }).click()
}

describe('sign-in on AWS (Cognito), against a local OpenID provider', () => {
  let provider: LocalOidcProvider
  let e2e: E2E

  beforeAll(async () => {
    provider = await startOidcProvider({
      clientId: CLIENT_ID,
      accounts: [MANAGER, IMPOSTOR, UNVERIFIED, SHORT_LIVED],
    })
    e2e = await startE2E({ config: { authMode: 'cognito', oidc: provider.config } })
    provider.serve(e2e.baseUrl)
    const { identity } = e2e.stack.deps
    await identity.bindSubject('demo-management', provider.issuer, MANAGER.sub)
    await identity.bindSubject('demo-member', provider.issuer, UNVERIFIED.sub)
    await identity.bindSubject('demo-auditor', provider.issuer, SHORT_LIVED.sub)
  })
  afterAll(async () => {
    await e2e?.close()
    await provider?.close()
  })

  it('signs in with code + PKCE, shows the inbox, completes a task, survives a reload and signs out at the provider too', async () => {
    const { page, errors } = await e2e.newPage()
    const requests: Request[] = []
    page.on('request', (r) => requests.push(r))

    // Before sign-in: one button to the provider, no password form here.
    await page.goto('/')
    await page.getByRole('heading', { level: 1, name: 'Sign in to ismsflow' }).waitFor()
    expect(await page.getByLabel('Password').count()).toBe(0)
    expect(await axeViolations(page)).toEqual([])
    await page.getByRole('button', { name: 'Continue to sign-in' }).click()

    // The authorization request: code flow, S256 PKCE, state and nonce, our callback.
    await signInAtProvider(page, provider.issuer, MANAGER.sub)
    const authorize = new URL(requests.find((r) => r.url().startsWith(`${provider.issuer}/auth?`))!.url())
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: `${e2e.baseUrl}/auth/callback`,
      scope: 'openid email profile',
      code_challenge_method: 'S256',
    })
    for (const p of ['code_challenge', 'state', 'nonce']) expect(authorize.searchParams.get(p)).toBeTruthy()

    // Back in the app: the code is redeemed with the verifier, and the home page shows.
    await page.getByRole('navigation', { name: 'Main' }).waitFor()
    await page.waitForURL((u) => u.pathname === '/home')
    await expect(page.getByRole('banner').textContent()).resolves.toContain('Signed in as Martin Brandt')
    const tokenRequest = requests.find((r) => r.url() === `${provider.issuer}/token`)!
    const form = new URLSearchParams(tokenRequest.postData() ?? '')
    expect(form.get('grant_type')).toBe('authorization_code')
    expect(form.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43,128}$/)
    const apiCall = requests.find((r) => r.url().endsWith('/api/session'))!
    expect(await apiCall.headerValue('authorization')).toMatch(/^Bearer eyJ/)
    // Tokens live in memory only: nothing in storage or cookies.
    const stored = await page.evaluate(() =>
      JSON.stringify([{ ...localStorage }, { ...sessionStorage }, document.cookie]),
    )
    expect(stored).not.toMatch(/eyJ/)
    expect(await axeViolations(page)).toEqual([])

    // Complete a task: the manager approves the policy the ISO asked about.
    const title = 'Approve the information security policy v2'
    await openInbox(page)
    await page.getByRole('link', { name: 'My roles – unclaimed' }).click()
    await page.getByRole('link', { name: title }).click()
    await page.getByRole('button', { name: 'Claim this task' }).click()
    await page.getByRole('heading', { level: 1, name: 'Do you approve this request?' }).waitFor()
    await page.getByLabel('Approve').check()
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('heading', { level: 1, name: 'Check your answers before sending' }).waitFor()
    await page.getByRole('button', { name: 'Submit decision' }).click()
    // The engine answers the token before the page says so; a busy machine needs time.
    await page.getByRole('heading', { level: 1, name: 'Task completed' }).waitFor({ timeout: 60_000 })
    const taskPath = new URL(page.url()).pathname

    // A reload forgets the tokens; the app signs in again at the provider without asking.
    const tokensBefore = requests.filter((r) => r.url() === `${provider.issuer}/token`).length
    await page.reload()
    await page.getByRole('navigation', { name: 'Main' }).waitFor()
    await page.waitForURL((u) => u.pathname === taskPath)
    expect(requests.filter((r) => r.url() === `${provider.issuer}/token`).length).toBe(tokensBefore + 1)

    // Sign out: here and at the provider, back to the sign-in page.
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('heading', { level: 1, name: 'Sign in to ismsflow' }).waitFor()
    expect(requests.some((r) => r.url().startsWith(`${provider.issuer}/session/end`))).toBe(true)
    expect(new URL(page.url()).origin).toBe(e2e.baseUrl)
    // The provider's session ended too: signing in asks for the login again.
    await page.getByRole('button', { name: 'Continue to sign-in' }).click()
    await page.waitForURL((u) => u.href.startsWith(`${provider.issuer}/interaction/`))
    await page.getByLabel('Username').waitFor()
    expect(errors).toEqual([])
  })

  it("gives someone with another person's e-mail but another subject no memberships", async () => {
    const { page, errors } = await e2e.newPage()
    await page.goto('/')
    await page.getByRole('button', { name: 'Continue to sign-in' }).click()
    const session = page.waitForResponse((r) => r.url().endsWith('/api/session'))
    await signInAtProvider(page, provider.issuer, IMPOSTOR.sub)
    expect((await session).status()).toBe(403)
    await page
      .getByRole('heading', { level: 1, name: 'Your sign-in is not linked to an ismsflow account' })
      .waitFor()
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0)
    expect(await axeViolations(page)).toEqual([])
    expect(errors).toEqual([
      'console: Failed to load resource: the server responded with a status of 403 (Forbidden)',
    ])
  })

  it('refuses an ID token whose e-mail is not verified (401), even for a linked person', async () => {
    const { page } = await e2e.newPage()
    await page.goto('/')
    await page.getByRole('button', { name: 'Continue to sign-in' }).click()
    const session = page.waitForResponse((r) => r.url().endsWith('/api/session'))
    await signInAtProvider(page, provider.issuer, UNVERIFIED.sub)
    const answer = await session
    expect(answer.status()).toBe(401)
    expect((await answer.json()).error.fields).toEqual({ email_verified: 'must be true' })
    await page.getByRole('heading', { level: 1, name: 'Sign in to ismsflow' }).waitFor()
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0)
  })

  it('refreshes an ID token before it expires, rotating the refresh token each time', async () => {
    const { page, errors } = await e2e.newPage()
    const grants: { sent: URLSearchParams; answer?: { refresh_token?: string } }[] = []
    page.on('response', async (r) => {
      if (r.url() !== `${provider.issuer}/token` || r.request().method() !== 'POST') return
      const grant: (typeof grants)[number] = { sent: new URLSearchParams(r.request().postData() ?? '') }
      grants.push(grant)
      grant.answer = await r.json()
    })
    await page.goto('/')
    await page.getByRole('button', { name: 'Continue to sign-in' }).click()
    await signInAtProvider(page, provider.issuer, SHORT_LIVED.sub)
    await page.getByRole('navigation', { name: 'Main' }).waitFor()

    // Within a minute of expiry, the next API call refreshes first; twice in a row.
    for (const area of ['Certification', 'Reviews']) {
      await page.waitForTimeout(2500)
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: area, exact: true })
        .click()
      await page.getByRole('heading', { level: 1, name: area }).waitFor()
    }
    await expect.poll(() => grants.filter((g) => g.answer).length).toBeGreaterThanOrEqual(3)
    expect(grants[0].sent.get('grant_type')).toBe('authorization_code')
    // Each refresh sends the refresh token of the answer before and gets a new one.
    for (const [i, grant] of grants.entries()) {
      if (i === 0) continue
      expect(grant.sent.get('grant_type')).toBe('refresh_token')
      expect(grant.sent.get('refresh_token')).toBe(grants[i - 1].answer?.refresh_token)
      expect(grant.answer?.refresh_token).toMatch(/\S/)
      expect(grant.answer?.refresh_token).not.toBe(grants[i - 1].answer?.refresh_token)
    }
    await expect(page.getByRole('banner').textContent()).resolves.toContain('Signed in as Anton Richter')
    expect(errors).toEqual([])
  })

  it('downloads exports with the bearer token (no cookie): the SoA and the risk register as CSV', async () => {
    const { page, errors } = await e2e.newPage()
    const requests: Request[] = []
    page.on('request', (r) => requests.push(r))
    await page.goto('/')
    await page.getByRole('button', { name: 'Continue to sign-in' }).click()
    await signInAtProvider(page, provider.issuer, MANAGER.sub)
    const main = page.getByRole('navigation', { name: 'Main' })
    await main.waitFor()
    // No session cookie of the app's (the provider keeps its own): only the bearer token signs requests.
    expect((await page.context().cookies(e2e.baseUrl)).map((c) => c.name)).not.toContain('ismsflow_session')
    /** Clicks a download link and answers the download and the API request behind it. */
    const downloadOf = async (name: string, path: string) => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name, exact: true }).click(),
      ])
      const request = requests.find((r) => new URL(r.url()).pathname === path)
      expect(await request?.headerValue('authorization')).toMatch(/^Bearer eyJ/)
      return download
    }

    // The Statement of Applicability of the demo's ISO 27001 project.
    await main.getByRole('link', { name: 'Certification', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: 'Certification' }).waitFor()
    await page.locator('main a[href^="/certification/"]').first().click()
    const soaLink = 'Download the Statement of Applicability (CSV)'
    await page.getByRole('link', { name: soaLink }).waitFor()
    const project = new URL(page.url()).pathname.split('/')[2]
    const soa = await downloadOf(soaLink, `/api/certification/projects/${project}/exports/soa.csv`)
    expect(soa.suggestedFilename()).toMatch(/\.csv$/)
    const soaBody = readFileSync(await soa.path(), 'utf8')
    expect(soaBody.startsWith(toCsv([], soaColumns('en'), { bom: true }))).toBe(true)

    // The risk register, as shown.
    await main.getByRole('link', { name: 'Risks', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: 'Risk register' }).waitFor()
    const risks = await downloadOf('CSV', '/api/risks/export.csv')
    expect(risks.suggestedFilename()).toMatch(/^risk-register-.+-\d{4}-\d{2}-\d{2}\.csv$/)
    const riskBody = readFileSync(await risks.path(), 'utf8')
    expect(riskBody.startsWith(toCsv([], registerColumns('en'), { bom: true }))).toBe(true)
    expect(riskBody.split('\r\n').length).toBeGreaterThan(3)
    expect(await axeViolations(page)).toEqual([])
    expect(errors).toEqual([])
  })
})
