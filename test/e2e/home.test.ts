import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, type E2E, signIn, startE2E } from './support/harness.js'
import { settle } from './support/pages.js'

/** Does the page scroll sideways? */
const scrollsSideways = (page: import('playwright-core').Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth)

describe('the home page, the first screen after sign-in', () => {
  let e2e: E2E
  beforeAll(async () => {
    e2e = await startE2E()
  })
  afterAll(async () => e2e?.close())

  it('management sees the decisions waiting on /home and follows the card to the task', async () => {
    const { page, errors } = await e2e.newPage()
    await signIn(page, 'management@demo.ismsflow.test')
    await page.waitForURL((u) => u.pathname === '/home')
    await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor()
    const card = page.getByRole('region', { name: 'Decisions waiting for you' })
    const waiting: { total: number } = await (
      await page.request.get('/api/tasks?view=waiting&limit=1')
    ).json()
    expect(waiting.total).toBeGreaterThanOrEqual(3)
    await card.getByText(`${waiting.total} decisions wait for you.`).waitFor()
    // The other cards of management, each with its figure in words.
    await page
      .getByRole('region', { name: 'Risks above the appetite' })
      .getByText(/^6 risks are above the appetite/)
      .waitFor()
    await page
      .getByRole('region', { name: 'Certification' })
      .getByText(/^Audit on .+, in \d+ days\.$/)
      .waitFor()
    await page
      .getByRole('region', { name: 'Significant incidents, open' })
      .getByText('1 significant incident is open.')
      .waitFor()
    // The inbox stays one click away, with its count.
    const nav = page.getByRole('navigation', { name: 'Main' })
    await nav.getByRole('link', { name: `Inbox (${waiting.total})` }).waitFor()
    expect(await nav.getByRole('link').first().textContent()).toBe('Home')
    await settle(page)
    expect(await axeViolations(page)).toEqual([])

    const title = 'Approve the information security policy v2'
    await card.getByRole('link', { name: title }).click()
    await page.waitForURL(/\/tasks\//)
    await page.getByRole('button', { name: 'Claim this task' }).waitFor()
    await page.getByText(title).first().waitFor()

    // The brand leads home again.
    await page.getByRole('link', { name: 'ismsflow', exact: true }).click()
    await page.waitForURL((u) => u.pathname === '/home')
    await card.waitFor()
    expect(errors).toEqual([])
  })

  const roles: [string, string[], string[]][] = [
    [
      'iso@demo.ismsflow.test',
      [
        'Due this week and overdue',
        'Certification',
        'Open incidents',
        'Risks above the appetite',
        'Recent activity',
      ],
      ['Diese Woche fällig und überfällig', 'Zertifizierung', 'Offene Sicherheitsvorfälle'],
    ],
    ['auditor@demo.ismsflow.test', ['Certification', 'What you can read'], ['Was Sie lesen können']],
    [
      'member@demo.ismsflow.test',
      ['Your tasks', 'Something happened?'],
      ['Ihre Aufgaben', 'Ist etwas passiert?'],
    ],
  ]
  for (const [email, english, german] of roles)
    it(`${email.split('@')[0]} sees their cards, in English and German, at 360 px without sideways scrolling`, async () => {
      const { page, errors } = await e2e.newPage()
      await signIn(page, email)
      await page.waitForURL((u) => u.pathname === '/home')
      const org = page.getByLabel('Organisation')
      if ((await org.count()) > 0 && !(await org.inputValue()).includes('nordlicht')) {
        await org.selectOption({ label: 'Nordlicht Maschinenbau GmbH' })
        await page.getByRole('button', { name: 'Switch' }).click()
      }
      for (const heading of english) await page.getByRole('heading', { level: 2, name: heading }).waitFor()
      await settle(page)
      expect(await axeViolations(page), email).toEqual([])

      if (email.startsWith('auditor'))
        await page
          .getByRole('link', { name: 'Statement of Applicability: ISO/IEC 27001 certification, Lübeck site' })
          .waitFor()
      if (email.startsWith('member')) {
        const waiting: { total: number } = await (
          await page.request.get('/api/tasks?view=waiting&limit=1')
        ).json()
        await page.getByText(`${waiting.total} tasks wait for you.`).waitFor()
        await page.getByRole('link', { name: 'Report a security incident' }).waitFor()
      }
      if (email.startsWith('iso')) {
        const due = page.getByRole('region', { name: 'Due this week and overdue' })
        await due.getByText('Nothing is overdue. 4 items are due in the next 7 days.').waitFor()
        await due.getByRole('link', { name: /^Incident notification to the BSI within 72 h/ }).waitFor()
        await page
          .getByRole('region', { name: 'Open incidents' })
          .getByText(/Next legal deadline: .+ — due in \d+ h/)
          .waitFor()
      }

      await page.getByRole('button', { name: 'Deutsch' }).click()
      for (const heading of german) await page.getByRole('heading', { level: 2, name: heading }).waitFor()
      expect(await axeViolations(page), `${email} (de)`).toEqual([])

      await page.setViewportSize({ width: 360, height: 740 })
      await settle(page)
      expect(await scrollsSideways(page), `${email} at 360 px`).toBe(false)
      expect(errors, email).toEqual([])
    })
})
