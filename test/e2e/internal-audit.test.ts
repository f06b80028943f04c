import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, toIsoDate } from '../../functions/domain/risk/calendar.js'
import { axeViolations, type E2E, startE2E } from './support/harness.js'
import { signedInAs } from './support/visitors.js'

const focusedId = (page: import('playwright-core').Page) =>
  page.evaluate(() => document.activeElement?.id ?? '')
const focusedClass = (page: import('playwright-core').Page) =>
  page.evaluate(() => document.activeElement?.className ?? '')

describe('internal audit in the browser: finding → corrective action → effectiveness', () => {
  let e2e: E2E

  beforeAll(async () => {
    e2e = await startE2E()
  })
  afterAll(async () => e2e?.close())

  it('the ISO records a nonconformity, its owner records what was done, the ISO checks it effective', async () => {
    const iso = await signedInAs(e2e, 'iso')
    await iso.page.getByRole('link', { name: 'Internal audits' }).first().click()
    await iso.page.getByRole('heading', { level: 1, name: 'Internal audits' }).waitFor()
    await iso.page.getByRole('table', { name: 'Areas audited per year of the cycle' }).waitFor()
    await iso.page.getByText('Every clause and Annex A theme is audited in this cycle.').waitFor()
    expect(await axeViolations(iso.page)).toEqual([])

    await iso.page
      .getByRole('link', { name: /^IA-\d{4}-01$/ })
      .last()
      .waitFor()
    const planned = iso.page.getByRole('rowheader', { name: /Annex A: people, physical and technological/ })
    await planned.getByRole('link').click()
    await iso.page
      .getByRole('heading', { level: 1, name: /Annex A: people, physical and technological/ })
      .waitFor()

    // Nothing entered: the summary takes focus, names the fields and links to them.
    await iso.page.getByRole('button', { name: 'Record the finding' }).click()
    const summary = iso.page.getByRole('alert').filter({ hasText: 'There is a problem' })
    await summary.waitFor()
    expect(await focusedClass(iso.page)).toContain('error-summary')
    await summary.getByRole('link', { name: 'Say what was found' }).click()
    expect(await focusedId(iso.page)).toBe('finding-description')
    expect(await axeViolations(iso.page)).toEqual([])

    const due = addDays(toIsoDate(e2e.stack.clock.now()), 30)
    await iso.page.getByLabel('Major').check()
    await iso.page.getByLabel('Area', { exact: true }).selectOption('A.8')
    await iso.page.getByLabel('Clause or control (optional)').fill('A.8.8')
    await iso.page.getByLabel('What was found').fill('Critical patches on the file server were 60 days late.')
    await iso.page.getByLabel('What will be done').fill('Monthly patch window with a report to the ISO')
    await iso.page.getByLabel('Who does it').selectOption({ label: 'Mia Keller' })
    await iso.page.getByLabel('By when').fill(due)
    await iso.page.getByRole('button', { name: 'Record the finding' }).click()
    await iso.page.getByText('Finding F1 recorded.').waitFor()
    await iso.page
      .getByRole('heading', { level: 3, name: /F1: Nonconformity \(Major\) — A\.8 A\.8\.8/ })
      .waitFor()

    // The owner sees only their own actions and records what was done.
    const member = await signedInAs(e2e, 'member')
    await member.page.goto('/audits')
    await member.page.getByRole('heading', { level: 2, name: 'Your corrective actions' }).waitFor()
    const row = member.page.getByRole('row').filter({ hasText: 'Critical patches on the file server' })
    await row.getByRole('button', { name: 'Record what was done' }).click()
    await member.page
      .getByLabel('What was done')
      .fill('Patch window every second Tuesday, agreed with production.')
    await member.page.getByRole('button', { name: 'Save what was done' }).click()
    const memberSummary = member.page.getByRole('alert').filter({ hasText: 'There is a problem' })
    await memberSummary.getByRole('link', { name: 'Say why it happened' }).click()
    expect(await focusedId(member.page)).toBe('impl-root-cause')
    await member.page.getByLabel('Root cause').fill('No patch window had been agreed with production.')
    await member.page.getByRole('button', { name: 'Save what was done' }).click()
    await member.page.getByText('Saved. The ISO checks whether it was effective.').waitFor()
    await row.getByText('Done, waiting for the effectiveness check').waitFor()
    expect(await axeViolations(member.page)).toEqual([])

    // The ISO checks the effectiveness: the action closes.
    await iso.page.reload()
    await iso.page.getByRole('button', { name: 'Check the effectiveness: F1' }).click()
    await iso.page.getByLabel('Yes, effective: close it').check()
    await iso.page
      .getByLabel('What you checked')
      .fill('Sampled the last two patch days: all servers patched.')
    await iso.page.getByRole('button', { name: 'Save the check' }).click()
    await iso.page.getByText('Check saved.').waitFor()
    const f1 = iso.page.getByRole('region', { name: /F1: Nonconformity/ })
    await f1.getByText('Closed', { exact: true }).waitFor()
    expect(await f1.textContent()).toContain('effective — Sampled the last two patch days')
    expect(await axeViolations(iso.page)).toEqual([])

    // The refused submissions above answer 400 (the browser logs them); nothing else went wrong.
    expect(iso.errors.filter((e) => !/status of 400/.test(e))).toEqual([])
    expect(member.errors.filter((e) => !/status of 400/.test(e))).toEqual([])
  })
})
