import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { totpCode } from '../../functions/api/auth/totp.js'
import { DEMO_PASSWORD } from '../../infra/local/seed/index.js'
import { axeViolations, type E2E, signIn, startE2E } from './support/harness.js'

describe('two-step sign-in (TOTP) on the account page and at sign-in', () => {
  let e2e: E2E
  beforeAll(async () => {
    e2e = await startE2E()
  })
  afterAll(async () => e2e?.close())

  it('sets up with the QR code, shows the recovery codes once, then sign-in asks for the code', async () => {
    const { page, errors } = await e2e.newPage()
    await signIn(page, 'auditor@demo.ismsflow.test')
    await page.goto('/account')
    await page.getByRole('heading', { level: 2, name: 'Two-step sign-in' }).waitFor()
    await page.getByRole('button', { name: 'Set up two-step sign-in' }).click()
    await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor()
    expect(await axeViolations(page)).toEqual([])
    // What the app would read from the QR code: the key, shown in groups too.
    const secret = ((await page.locator('.totp-key').textContent()) ?? '').replace(/\s+/g, '')
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)

    // A wrong code is named; the right one turns it on and shows the recovery codes once.
    await page.getByLabel('Code from the app').fill('12345')
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click()
    await page.getByRole('alert').getByText('Enter the six-digit code the app shows now').waitFor()
    await page.getByLabel('Code from the app').fill(totpCode(secret, e2e.stack.deps.now()))
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click()
    await page.getByRole('heading', { level: 3, name: 'Your recovery codes' }).waitFor()
    const codes = await page.locator('.recovery-codes code').allTextContents()
    expect(codes).toHaveLength(10)
    await page.getByText('Two-step sign-in is on. Recovery codes left: 10.').waitFor()
    expect(await axeViolations(page)).toEqual([])

    // Signing in again: the password, then the code of the app's next step.
    await page.getByRole('button', { name: 'Sign out', exact: true }).click()
    await page.getByLabel('E-mail address').fill('auditor@demo.ismsflow.test')
    await page.getByLabel(/^Password$/).fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    const code = page.getByLabel('Code from your authenticator app')
    await code.waitFor()
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('code')
    expect(await axeViolations(page)).toEqual([])
    await code.fill(totpCode(secret, new Date(e2e.stack.deps.now().getTime() + 30_000)))
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('navigation').first().waitFor()

    // A recovery code instead, once.
    await page.getByRole('button', { name: 'Sign out', exact: true }).click()
    await page.getByLabel('E-mail address').fill('auditor@demo.ismsflow.test')
    await page.getByLabel(/^Password$/).fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByLabel('Code from your authenticator app').fill(codes[0])
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('navigation').first().waitFor()
    await page.goto('/account')
    await page.getByText('Two-step sign-in is on. Recovery codes left: 9.').waitFor()
    // The failed request the wrong sign-in code would log is not part of this journey.
    expect(errors.filter((e) => !e.includes('status of 401'))).toEqual([])
  })

  it('says so in German on the account page', async () => {
    const { page, errors } = await e2e.newPage({ locale: 'de-DE' })
    await signIn(page, 'member@demo.ismsflow.test')
    await page.goto('/account')
    await page.getByRole('heading', { level: 2, name: 'Anmeldung in zwei Schritten' }).waitFor()
    await page.getByRole('button', { name: 'Anmeldung in zwei Schritten einrichten' }).click()
    await page.getByRole('img', { name: 'QR-Code für Ihre Authenticator-App' }).waitFor()
    expect(await axeViolations(page)).toEqual([])
    expect(errors).toEqual([])
  })
})
