import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_USERS } from '../../infra/local/seed/index.js'
import { axeViolations, type E2E, openInbox, signIn, startE2E } from './support/harness.js'

const NAV = ['Home', /^Inbox \(\d+\)$/, 'Assessments', 'Risks', 'Certification', 'Reviews', 'Workflows']

describe('web shell', () => {
  let e2e: E2E
  beforeAll(async () => {
    e2e = await startE2E()
  })
  afterAll(async () => e2e?.close())

  for (const [role, email, name, org, auditLog] of [
    ['iso', 'iso@demo.ismsflow.test', 'Ines Sommer', 'Nordlicht Maschinenbau GmbH', true],
    ['management', 'management@demo.ismsflow.test', 'Martin Brandt', 'Nordlicht Maschinenbau GmbH', true],
    ['member', 'member@demo.ismsflow.test', 'Mia Keller', 'Nordlicht Maschinenbau GmbH', false],
    ['auditor', 'auditor@demo.ismsflow.test', 'Anton Richter', 'Nordlicht Maschinenbau GmbH', true],
  ] as const) {
    it(`the ${role} signs in and sees the shell`, async () => {
      const { page, errors } = await e2e.newPage()
      await signIn(page, email)
      const nav = page.getByRole('navigation', { name: 'Main' })
      await nav.getByRole('link', { name: /^Inbox \(\d+\)$/ }).waitFor()
      for (const item of NAV)
        await expect(nav.getByRole('link', { name: item, exact: true }).isVisible()).resolves.toBe(true)
      expect(await nav.getByRole('link', { name: 'Audit log' }).count()).toBe(auditLog ? 1 : 0)
      // The first screen is the home page of the person's roles.
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Home')
      expect(new URL(page.url()).pathname).toBe('/home')
      await expect(page.getByRole('banner').textContent()).resolves.toContain(`Signed in as ${name}`)
      await expect(page.getByRole('main').textContent()).resolves.toContain(org)
      expect(await page.title()).toBe('Home · ismsflow')
      expect(DEMO_USERS.find((u) => u.email === email)).toBeDefined()
      expect(errors).toEqual([])
    })
  }

  it("management's inbox, one click from the first screen, shows what waits for the role, with the count in the navigation", async () => {
    const { page, errors } = await e2e.newPage()
    await signIn(page, 'management@demo.ismsflow.test')
    await openInbox(page)
    // "Waiting for me": the role's unclaimed approvals and what is assigned to the person.
    const waiting = (await (await page.request.get('/api/tasks?view=waiting')).json()) as {
      items: { kind: string; title: { en: string } }[]
      total: number
    }
    const approvals = waiting.items.filter((x) => /approval/.test(x.kind))
    expect(approvals.length).toBeGreaterThanOrEqual(3)
    const rows = page.getByRole('main').getByRole('table').getByRole('row')
    await rows.nth(1).waitFor()
    for (const a of approvals) await page.getByRole('link', { name: a.title.en }).waitFor()
    expect(await page.getByTestId('inbox-empty').count()).toBe(0)
    // The count is part of the link's accessible name.
    const inbox = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Inbox/ })
    await page.getByRole('link', { name: `Inbox (${waiting.total})`, exact: true }).waitFor()
    expect(await inbox.getAttribute('aria-current')).toBe('page')
    expect(await axeViolations(page)).toEqual([])
    expect(errors).toEqual([])
  })

  it("the ISO's inbox shows the yearly re-assessment waiting for the ISO role", async () => {
    const { page, errors } = await e2e.newPage()
    await signIn(page, 'iso@demo.ismsflow.test')
    await openInbox(page)
    await page.getByRole('link', { name: /^Yearly re-assessment/ }).waitFor()
    const name = await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /^Inbox/ })
      .textContent()
    expect(name).toMatch(/^Inbox \(\d+\)$/)
    expect(errors).toEqual([])
  })

  it('navigates between areas without a reload and focuses the heading; Back works', async () => {
    const { page, errors } = await e2e.newPage()
    await signIn(page, 'member@demo.ismsflow.test')
    await page.evaluate(() => {
      ;(window as unknown as { marker: boolean }).marker = true
    })
    await page.getByRole('link', { name: 'Risks', exact: true }).click()
    await page.waitForURL('**/risks')
    // (while the page's chunk loads, the route's title stands in the heading's place)
    await page.getByRole('heading', { level: 1, name: 'Risk register' }).waitFor()
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1')
    expect(await page.evaluate(() => (window as unknown as { marker?: boolean }).marker)).toBe(true)
    expect(await page.title()).toBe('Risks · ismsflow')
    await page.goBack()
    await page.waitForURL((u) => u.pathname === '/home')
    await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor()
    expect(errors).toEqual([])
  })

  it('the ISO switches organisation and the page follows', async () => {
    const { page } = await e2e.newPage()
    await signIn(page, 'iso@demo.ismsflow.test')
    await page.goto('/organisation')
    // First the organisation the ISO joined first.
    await page.getByText('nordlicht', { exact: true }).waitFor()
    await page.getByLabel('Organisation').selectOption({ label: 'Hafenstadt Logistik AG' })
    await page.getByRole('button', { name: 'Switch' }).click()
    await page.getByText('hafenstadt', { exact: true }).waitFor()
    await expect(page.getByRole('main').textContent()).resolves.toContain('Hafenstadt Logistik AG')
    // The choice survives a reload (cookie).
    await page.reload()
    await page.getByText('hafenstadt', { exact: true }).waitFor()
  })

  it('shows one generic error for a wrong password and moves focus to it', async () => {
    const { page } = await e2e.newPage()
    await page.goto('/')
    await page.getByLabel('E-mail address').fill('auditor@demo.ismsflow.test')
    await page.getByLabel('Password').fill('wrong')
    await page.getByRole('button', { name: 'Sign in' }).click()
    const alert = page.getByRole('alert')
    await alert.waitFor()
    await expect(alert.textContent()).resolves.toContain('The e-mail address or password is not correct.')
    expect(await page.evaluate(() => document.activeElement?.className)).toContain('error-summary')
  })

  it('has no serious accessibility violations on the sign-in page and in the shell (axe-core)', async () => {
    const { page } = await e2e.newPage()
    await page.goto('/')
    await page.getByLabel('E-mail address').waitFor()
    expect(await axeViolations(page)).toEqual([])
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('alert').waitFor()
    expect(await axeViolations(page)).toEqual([])
    await signIn(page, 'auditor@demo.ismsflow.test')
    expect(await axeViolations(page)).toEqual([])
    await page.goto('/audit')
    await page.getByRole('table').waitFor()
    expect(await axeViolations(page)).toEqual([])
  })
})
