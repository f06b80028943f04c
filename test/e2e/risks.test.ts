import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, type E2E, openInbox, startE2E } from './support/harness.js'
import { signedInAs } from './support/visitors.js'

const DAY = 86_400_000
const TITLE = 'Tampered firmware updates for the CNC machines'

/** The count in one cell of a heat map (by its caption), likelihood row and impact column. */
async function cellCount(
  page: Page,
  caption: 'Inherent risk' | 'Residual risk',
  likelihood: number,
  impact: number,
) {
  const table = page.locator('table', { has: page.locator('caption', { hasText: caption }) })
  const row = table.locator('tbody tr').nth(5 - likelihood)
  return Number(
    await row
      .locator('td')
      .nth(impact - 1)
      .locator('.count')
      .textContent(),
  )
}

/** Completes the task form on the task page: continue, check the answers, submit. */
async function submitTask(page: Page) {
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByRole('heading', { level: 1, name: 'Check your answers before sending' }).waitFor()
  await page.getByRole('button', { name: 'Submit answers' }).click()
  await page.getByRole('heading', { level: 1, name: 'Task completed' }).waitFor()
}

describe('risk register and treatment approval in the browser', () => {
  let e2e: E2E
  beforeAll(async () => {
    e2e = await startE2E()
  })
  afterAll(async () => e2e?.close())

  it('the ISO submits a plan, management approves with a comment, the measure owner completes it, the heat map moves', async () => {
    // The ISO (first in Hafenstadt) switches to Nordlicht and opens the register.
    const iso = await signedInAs(e2e, 'iso')
    await iso.page.getByRole('link', { name: 'Risks', exact: true }).click()
    await iso.page.getByLabel('Organisation').selectOption({ label: 'Nordlicht Maschinenbau GmbH' })
    await iso.page.getByRole('button', { name: 'Switch' }).click()
    await iso.page.getByRole('link', { name: 'Ransomware on the OT network of the press shop' }).waitFor()
    await iso.page.getByRole('heading', { level: 1, name: 'Risk register' }).waitFor()
    expect(await iso.page.locator('caption', { hasText: 'Inherent risk' }).count()).toBe(1)
    const residualBefore = {
      from: await cellCount(iso.page, 'Residual risk', 4, 3),
      to: await cellCount(iso.page, 'Residual risk', 2, 3),
    }
    expect(await axeViolations(iso.page)).toEqual([])

    // A new risk: the form refuses nothing filled in, with a summary that links to the fields.
    await iso.page.getByRole('link', { name: 'Add a risk' }).click()
    await iso.page.getByRole('heading', { level: 1, name: 'Add a risk' }).waitFor()
    await iso.page.getByRole('button', { name: 'Add the risk' }).click()
    const summary = iso.page.getByRole('alert').filter({ hasText: 'There is a problem' })
    await summary.waitFor()
    await expect(summary.textContent()).resolves.toContain('Enter a title')
    await iso.page.getByLabel('Title').fill(TITLE)
    await iso.page.getByLabel('Category').selectOption({ label: 'Suppliers' })
    await iso.page
      .getByLabel('Affected assets and processes')
      .fill('CNC machining centres\nFirmware update server')
    await iso.page.getByLabel('Risk owner').selectOption({ label: 'Martin Brandt' })
    await iso.page.getByRole('group', { name: 'Likelihood' }).getByLabel('4 – Likely').check()
    await iso.page.getByRole('group', { name: 'Impact' }).getByLabel('3 – Moderate').check()
    await iso.page.getByRole('button', { name: 'Add the risk' }).click()
    await iso.page.waitForURL(/\/risks\/R-\d{3}$/)
    const riskPath = new URL(iso.page.url()).pathname
    await iso.page.getByRole('heading', { level: 1, name: new RegExp(TITLE) }).waitFor()

    // The treatment plan: mitigate with one measure for Mia Keller.
    await iso.page.getByRole('link', { name: 'Add a treatment plan' }).click()
    await iso.page.getByLabel(/^Mitigate/).check()
    await iso.page.getByLabel('Target likelihood').selectOption({ label: '2 – Unlikely' })
    await iso.page
      .getByLabel('Justification', { exact: true })
      .fill('Signed firmware and an update allow-list stop tampered images.')
    await iso.page.getByRole('button', { name: 'Add a measure' }).click()
    await iso.page
      .getByLabel('Measure', { exact: true })
      .fill('Install only signed firmware through the update server')
    await iso.page.getByLabel('Owner', { exact: true }).selectOption({ label: 'Mia Keller' })
    await iso.page
      .getByLabel('Due', { exact: true })
      .fill(new Date(e2e.stack.clock.nowMs() + 30 * DAY).toISOString().slice(0, 10))
    await iso.page.getByRole('button', { name: 'Save the plan' }).click()
    await iso.page.waitForURL((u) => u.pathname === riskPath)
    await iso.page.getByRole('button', { name: 'Submit for management approval' }).click()
    await iso.page.getByRole('status').filter({ hasText: 'Submitted.' }).waitFor()
    await iso.page.getByRole('cell', { name: 'Waiting for management' }).waitFor()
    // Untreated, the new risk counts with its inherent values in the residual map too.
    await iso.page.getByRole('link', { name: 'Back to the risk register' }).click()
    await iso.page.getByRole('link', { name: TITLE }).waitFor()
    expect(await cellCount(iso.page, 'Residual risk', 4, 3)).toBe(residualBefore.from + 1)
    expect(iso.errors).toEqual([])

    // Management decides on the risk page, on the frozen snapshot.
    const mgmt = await signedInAs(e2e, 'management')
    await mgmt.page.goto(riskPath)
    await mgmt.page.getByRole('heading', { name: 'Your decision on round 1' }).waitFor()
    const panel = await mgmt.page.locator('.decide').textContent()
    expect(panel).toContain('This is the first round')
    expect(panel).toContain('Install only signed firmware through the update server')
    expect(panel).toContain('High (12)')
    expect(panel).toContain('Medium (6)')
    expect(await axeViolations(mgmt.page)).toEqual([])
    await mgmt.page.getByLabel('Approve').check()
    await mgmt.page.getByLabel('Comment').fill('Approved. Coordinate the change with the machine supplier.')
    await mgmt.page.getByRole('button', { name: 'Record the decision' }).click()
    await mgmt.page.getByRole('status').filter({ hasText: 'Your approval was recorded.' }).waitFor()
    await mgmt.page.getByText('Treatment approved').first().waitFor()
    await mgmt.page.getByText('Approved. Coordinate the change with the machine supplier.').waitFor()
    expect(mgmt.errors).toEqual([])

    // The measure owner finds the task in the inbox and completes it.
    const member = await signedInAs(e2e, 'member')
    await openInbox(member.page)
    await member.page
      .getByRole('link', { name: /Implement measure for risk R-\d{3}: Install only signed firmware/ })
      .click()
    await member.page.waitForURL(/\/tasks\//)
    await member.page.getByRole('heading', { level: 1, name: 'What was done' }).waitFor()
    expect(await member.page.getByRole('main').textContent()).toContain(
      'Install only signed firmware through the update server',
    )
    await member.page
      .getByLabel('What was implemented?')
      .fill('Update server enforces signatures since Monday; old images removed.')
    await submitTask(member.page)
    expect(member.errors).toEqual([])

    // The ISO verifies the treatment (the task opens from the risk page) and sets the achieved residual risk.
    await iso.page.goto(riskPath)
    const verify = iso.page.getByRole('link', { name: /Verify the treatment of risk/ })
    await verify.waitFor()
    await verify.click()
    await iso.page.waitForURL(/\/tasks\//)
    // A task for the ISO role: claimed first, so that others see someone works on it.
    await iso.page.getByRole('button', { name: 'Claim this task' }).click()
    await iso.page.getByRole('heading', { level: 1, name: 'Achieved residual risk' }).waitFor()
    expect(await iso.page.getByLabel('Residual likelihood').inputValue()).toBe('2')
    await iso.page
      .getByLabel('How did you verify the measures?')
      .fill('Tried to install an unsigned image: refused and logged.')
    await submitTask(iso.page)

    // The risk is treated and the residual heat map moved: the risk went from 4×3 to 2×3.
    await iso.page.goto(riskPath)
    await iso.page.getByText('Treated', { exact: true }).first().waitFor()
    await iso.page.goto('/risks')
    await iso.page.getByRole('link', { name: TITLE }).waitFor()
    expect(await cellCount(iso.page, 'Residual risk', 4, 3)).toBe(residualBefore.from)
    expect(await cellCount(iso.page, 'Residual risk', 2, 3)).toBe(residualBefore.to + 1)
    expect(iso.errors).toEqual([])
  })
})
