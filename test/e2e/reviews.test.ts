import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { validateIcs } from '../../functions/domain/calendar/index.js'
import { instantToLocal } from '../../functions/domain/schedules/index.js'
import { axeViolations, type E2E, signIn, startE2E } from './support/harness.js'

const focusedId = (page: import('playwright-core').Page) =>
  page.evaluate(() => document.activeElement?.id ?? '')
const focusedClass = (page: import('playwright-core').Page) =>
  page.evaluate(() => document.activeElement?.className ?? '')

describe('periodic reviews in the browser', () => {
  let e2e: E2E

  beforeAll(async () => {
    e2e = await startE2E()
  })
  afterAll(async () => e2e?.close())

  it('the ISO adds a review to the programme; it fires on its schedule into the inbox and the calendar, and the .ics feed validates', async () => {
    const { page, errors } = await e2e.newPage()
    await signIn(page, 'iso@demo.ismsflow.test')
    await page.getByRole('link', { name: 'Reviews' }).first().click()
    await page.getByRole('heading', { level: 1, name: 'Reviews' }).waitFor()
    if (!(await page.getByRole('table', { name: /Hafenstadt/ }).count())) {
      await page.getByLabel('Organisation').selectOption({ label: 'Hafenstadt Logistik AG' })
      await page.getByRole('button', { name: 'Switch' }).click()
    }
    await page.getByRole('table', { name: 'Review programme of Hafenstadt Logistik AG' }).waitFor()
    await page.getByRole('rowheader', { name: /Access rights review/ }).waitFor()
    expect(await axeViolations(page)).toEqual([])

    // A bad schedule: the error summary takes focus, names the field and links to it; nothing is added.
    await page.getByLabel('Supplier review').check()
    await page.getByLabel('On a schedule expression').check()
    await page.getByLabel('Schedule expression', { exact: true }).fill('cron(0 9 32 * ? *)')
    await page.getByLabel('Who performs it?').selectOption({ label: 'Ines Sommer' })
    await page.getByRole('button', { name: 'Add the review' }).click()
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' })
    await summary.waitFor()
    expect(await focusedClass(page)).toContain('error-summary')
    const link = summary.getByRole('link', { name: /^Schedule: day-of-month/ })
    await link.click()
    expect(await focusedId(page)).toBe('entry-expression')
    expect(await page.getByRole('rowheader', { name: /Supplier review/ }).count()).toBe(0)

    // Due two minutes from now, every day (Europe/Berlin wall clock).
    const at = new Date(Math.ceil((e2e.stack.clock.nowMs() + 120_000) / 60_000) * 60_000)
    const local = instantToLocal(at.getTime(), 'Europe/Berlin')
    await page
      .getByLabel('Schedule expression', { exact: true })
      .fill(`cron(${local.minute} ${local.hour} * * ? *)`)
    await page.getByRole('button', { name: 'Add the review' }).click()
    await page.waitForURL(/\/reviews\/programme\/supplier-review/)
    await page.getByRole('heading', { level: 1, name: 'Supplier review' }).waitFor()
    await page.getByText('The review is in the programme and scheduled.').waitFor()
    const main = await page.getByRole('main').textContent()
    expect(main).toMatch(/every day at \d\d:\d\d \(Europe\/Berlin\)/)
    expect(main).toContain('Next due')
    expect(await axeViolations(page)).toEqual([])

    // The schedule fires: the review opens in the ISO's inbox.
    await e2e.stack.clock.advance(at.getTime() - e2e.stack.clock.nowMs() + 5_000)
    await e2e.stack.scheduler.idle()
    const reviewTask = page.getByRole('link', { name: 'Supplier review' })
    for (let i = 0; i < 40 && (await reviewTask.count()) === 0; i++) {
      await page.goto('/')
      await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor()
      await page.waitForTimeout(250)
    }
    await reviewTask.first().waitFor()

    // …and in the calendar, with its due date.
    await page.goto('/calendar')
    await page.getByRole('heading', { level: 1, name: 'Calendar' }).waitFor()
    // The open cycle (due in 30 days) and the planned occurrences of the following days.
    const calendarItem = page.locator('a[href^="/reviews/supplier-review_"]', { hasText: 'Supplier review' })
    await calendarItem.first().waitFor()
    expect(await page.locator('a[href="/reviews/programme/supplier-review"]').count()).toBeGreaterThan(0)
    expect(await axeViolations(page)).toEqual([])

    // The personal feed: created here, shown once, valid iCalendar with the review in it.
    await page.getByRole('button', { name: 'Create my calendar link' }).click()
    const url = await page.getByLabel('Your calendar link').inputValue()
    expect(url).toMatch(/\/api\/calendar\/feed\/[A-Za-z0-9_-]{43}\.ics$/)
    const res = await fetch(url)
    expect(res.status).toBe(200)
    const ics = await res.text()
    expect(validateIcs(ics).errors).toEqual([])
    expect(ics).toContain('SUMMARY:Hafenstadt Logistik AG: Supplier review')

    // The review page shows the open cycle; the ISO's organisations are on one calendar.
    await calendarItem.first().click()
    await page.getByRole('heading', { level: 1, name: /Supplier review/ }).waitFor()
    expect(await page.getByRole('main').textContent()).toContain('Open')
    // The browser logs the deliberate 400 of the bad schedule; nothing else.
    expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([])
  }, 120_000)

  it('shows Nordlicht’s programme: the last risk review signed off, one open and one missed review, and the package', async () => {
    const { page, errors } = await e2e.newPage({ locale: 'de-DE' })
    await signIn(page, 'management@demo.ismsflow.test')
    await page.goto('/reviews')
    await page.getByRole('heading', { level: 1, name: 'Überprüfungen' }).waitFor()
    const programme = page.getByRole('table', { name: /Überprüfungsprogramm/ })
    const row = programme
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: /Risikoüberprüfung/ }) })
    await row.getByText('Freigegeben').waitFor()
    expect(await row.textContent()).toMatch(/Offen|Überfällig/)
    await programme
      .getByRole('row')
      .filter({ hasText: 'Lieferantenbewertung' })
      .getByText('Versäumt: 1')
      .waitFor()
    await page.getByRole('link', { name: /Eingabepaket/ }).click()
    await page.getByRole('heading', { level: 1, name: 'Eingabepaket der Managementbewertung' }).waitFor()
    await page
      .getByRole('heading', { level: 2, name: /Stand der Maßnahmen aus früheren Managementbewertungen/ })
      .waitFor()
    // a) reads last year's management review: its four actions, all done.
    const previous = page.getByRole('region', {
      name: /Stand der Maßnahmen aus früheren Managementbewertungen/,
    })
    expect(await previous.textContent()).toContain(
      '4 Maßnahmen aus früheren Managementbewertungen: 4 erledigt, 0 offen (0 überfällig).',
    )
    expect(await previous.textContent()).not.toContain('Noch keine Daten')
    expect(await axeViolations(page)).toEqual([])
    expect(errors).toEqual([])
  }, 60_000)
})
