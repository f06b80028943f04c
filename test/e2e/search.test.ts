import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, type E2E, signIn, startE2E } from './support/harness.js'
import { settle } from './support/pages.js'

const TYPES = [
  { heading: 'Risks', href: /\/risks\/R-\d+$/ },
  { heading: 'Controls', href: /\/certification\/[^/]+\/soa\/A\.\d+\.\d+$/ },
  { heading: 'Tasks', href: /\/tasks\/[^/]+$/ },
  { heading: 'Reviews', href: /\/reviews\/[^/]+$/ },
  { heading: 'Incidents', href: /\/incidents\/INC-[^/]+$/ },
]

describe('search from the header', () => {
  let e2e: E2E
  beforeAll(async () => {
    e2e = await startE2E()
  })
  afterAll(async () => e2e?.close())

  it('finds risks, controls, tasks, reviews and incidents, grouped under headings, and opens one of each', {
    timeout: 300_000,
  }, async () => {
    const { page, errors } = await e2e.newPage()
    await signIn(page, 'iso@demo.ismsflow.test')
    const box = page.getByRole('search').getByLabel('Search')
    await box.fill('Ransomware')
    await box.press('Enter')
    await page.getByRole('heading', { name: 'Results for “Ransomware”', level: 1 }).waitFor()
    // The count is announced in a status region.
    await page
      .getByRole('status')
      .getByText(/^\d+ results: Risks \d+, Controls \d+, Tasks \d+, Reviews \d+, Incidents \d+\.$/)
      .waitFor()
    for (const { heading } of TYPES)
      await page
        .getByRole('heading', { name: new RegExp(`^${heading} \\(\\d+ results?\\)`), level: 2 })
        .waitFor()
    expect(await axeViolations(page)).toEqual([])

    for (const { heading, href } of TYPES) {
      // Keyboard: the "Results by type" links lead to each group.
      const section = page.getByRole('region', { name: new RegExp(`^${heading} `) })
      const link = section.getByRole('link').first()
      expect(await link.getAttribute('href')).toMatch(href)
      await link.focus()
      await page.keyboard.press('Enter')
      await page.waitForURL(href)
      await settle(page)
      expect(errors, `${heading}: ${await page.url()}`).toEqual([])
      await page.goBack()
      await page.getByRole('heading', { name: 'Results for “Ransomware”', level: 1 }).waitFor()
      await section.waitFor()
    }

    // The jump list leads to a group's heading.
    await page
      .getByRole('navigation', { name: 'Results by type' })
      .getByRole('link', { name: /^Incidents/ })
      .click()
    expect(page.url()).toMatch(/#search-incident$/)

    // German: headings and the announcement follow the language; nothing found says so.
    await page.getByRole('button', { name: 'Deutsch' }).click()
    await page.getByRole('heading', { name: /^Risiken/, level: 2 }).waitFor()
    expect(await page.getByRole('heading', { level: 2 }).allInnerTexts()).toEqual(
      ['Risiken', 'Controls', 'Aufgaben', 'Überprüfungen', 'Vorfälle'].map((type) =>
        expect.stringMatching(new RegExp(`^${type} \\(\\d+ Ergebnis(se)?\\)$`)),
      ),
    )
    expect(
      await page
        .getByRole('status')
        .filter({ hasText: /Ergebnis|result|Nichts|Nothing/ })
        .textContent(),
    ).toMatch(
      /^\d+ Ergebnis(se)?: Risiken \d+, Controls \d+, Aufgaben \d+, Überprüfungen \d+, Vorfälle \d+\.$/,
    )
    expect(await axeViolations(page)).toEqual([])
    const suche = page.getByRole('search').getByLabel('Suche')
    await suche.fill('zzqx')
    await suche.press('Enter')
    await page
      .getByRole('status')
      .filter({ hasText: /Ergebnis|result|Nichts|Nothing/ })
      .getByText('Nichts gefunden für „zzqx“.')
      .waitFor()
    expect(await axeViolations(page)).toEqual([])
    await page.getByRole('button', { name: 'English' }).click()
    expect(errors).toEqual([])
  })

  it('a member finds only what they may see; on a 360 px phone nothing scrolls sideways', async () => {
    const { page, errors } = await e2e.newPage()
    await signIn(page, 'member@demo.ismsflow.test')
    await page.setViewportSize({ width: 360, height: 740 })
    await page.getByRole('button', { name: 'Menu' }).click()
    const box = page.getByRole('search').getByLabel('Search')
    await box.fill('backup')
    await box.press('Enter')
    await page.getByRole('heading', { name: 'Results for “backup”', level: 1 }).waitFor()
    await page
      .getByRole('status')
      .getByText(/results?:/)
      .waitFor()
    // The member owns A.8.13 and is assigned to the ransomware incident.
    await page.getByRole('heading', { name: /^Controls/, level: 2 }).waitFor()
    await page.getByRole('heading', { name: /^Incidents/, level: 2 }).waitFor()
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
    }))
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth)
    expect(await axeViolations(page)).toEqual([])
    // The ISO's risk review is not the member's to see.
    await page.getByRole('button', { name: 'Menu' }).click()
    await box.fill('risk review')
    await box.press('Enter')
    await page.getByRole('heading', { name: 'Results for “risk review”', level: 1 }).waitFor()
    await page
      .getByRole('status')
      .filter({ hasText: /results?:|Nothing found/ })
      .waitFor()
    expect(await page.getByRole('heading', { name: /^Reviews/, level: 2 }).count()).toBe(0)
    expect(errors).toEqual([])
  })
})
