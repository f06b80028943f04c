import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, toIsoDate } from '../../functions/domain/risk/calendar.js'
import { axeViolations, type E2E, signIn, startE2E } from './support/harness.js'

/**
 * TISAX depth in the browser (issue 17.10): the project form takes the modules and the
 * prototype-protection labels (which scope ISA chapter 8), the control page the maturity 0–5
 * against the target 3, the additional requirements the level asks for and the organisation's
 * own control title; refusals name the field; English and German; no axe violations.
 */
/** The ISO serves two organisations: work in Hafenstadt, whichever the session started in. */
async function toHafenstadt(page: Page, switchLabel: string) {
  const org = page.getByLabel('Organisation')
  if (!(await org.inputValue()).includes('hafenstadt')) {
    await org.selectOption({ label: 'Hafenstadt Logistik AG' })
    await page.getByRole('button', { name: switchLabel }).click()
    await page
      .getByText(/Hafenstadt Logistik AG\.$/)
      .first()
      .waitFor()
  }
}

describe('TISAX depth in the browser', () => {
  let e2e: E2E
  beforeAll(async () => {
    e2e = await startE2E()
  })
  afterAll(async () => e2e?.close())

  it('the ISO starts a TISAX project for test vehicles and records a control’s maturity and additional requirements', async () => {
    const { page, errors } = await e2e.newPage()
    // The ISO works at Hafenstadt: its demo TISAX project names its labels.
    await signIn(page, 'iso@demo.ismsflow.test')
    await toHafenstadt(page, 'Switch')
    await page.getByRole('link', { name: 'Certification', exact: true }).click()
    await page.getByRole('link', { name: 'TISAX AL3 label (prototype transports)' }).click()
    await page.getByRole('heading', { level: 1, name: 'TISAX AL3 label (prototype transports)' }).waitFor()
    expect(await page.getByTestId('prototype-labels').textContent()).toBe(
      'Prototype parts and components, Prototype vehicles',
    )
    expect(await axeViolations(page)).toEqual([])

    // A new project: TISAX AL3 with prototype protection for test vehicles.
    await page.getByRole('link', { name: 'All certification projects' }).click()
    await page.getByLabel('TISAX', { exact: true }).check()
    await page.getByLabel('Audit date').fill(addDays(toIsoDate(new Date()), 240))
    await page.getByLabel('TISAX assessment level').selectOption('AL3')
    await page.getByLabel('Information security', { exact: true }).check()
    await page.getByLabel('Prototype protection', { exact: true }).check()
    await page.getByRole('group', { name: /Which prototype protection labels/ }).waitFor()
    await page.getByLabel('Test vehicles', { exact: true }).check()
    expect(await axeViolations(page)).toEqual([])
    await page.getByLabel('Name of the project (optional)').fill('TISAX test vehicles e2e')
    await page.getByRole('button', { name: 'Create project' }).click()
    await page.getByRole('heading', { level: 1, name: 'TISAX test vehicles e2e' }).waitFor()
    expect(await page.getByTestId('prototype-labels').textContent()).toBe('Test vehicles')
    const projectUrl = new URL(page.url()).pathname

    // Chapter 8 holds what test vehicles need: 8.2, 8.3 and 8.4, not the site security of 8.1.
    await page.goto(`${projectUrl}/soa`)
    await page.getByRole('heading', { level: 1, name: 'Statement of Applicability' }).waitFor()
    await page.locator('li[data-control="8.4.1"]').waitFor()
    const ids = await page
      .locator('li[data-control]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-control') ?? ''))
    const sections = [...new Set(ids.filter((x) => x.startsWith('8.')).map((x) => x.slice(0, 3)))].sort()
    expect(sections).toEqual(['8.2', '8.3', '8.4'])

    // The control 1.1.1: implemented below the target maturity is refused, naming the field.
    await page.goto(`${projectUrl}/soa/1.1.1`)
    await page.getByRole('heading', { level: 2, name: 'Decide this control' }).waitFor()
    await page
      .getByLabel('Justification', { exact: true })
      .fill('The OEMs whose test vehicles we move require the TISAX label.')
    await page.getByLabel('Contractual requirement').check()
    await page.getByLabel('How far is it implemented?').selectOption({ label: 'Implemented' })
    await page.getByLabel('Who owns it?').selectOption({ label: 'Ines Sommer' })
    await page.getByLabel('Maturity reached (optional)').selectOption('2')
    await page.getByRole('button', { name: 'Save the decision' }).click()
    await page
      .getByRole('alert')
      .getByRole('link', { name: /^Maturity: is below the target maturity 3/ })
      .click()
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('d-maturity')
    expect(await axeViolations(page)).toEqual([])

    // Maturity 4, both additional requirements (AL3), and the organisation's own title.
    await page.getByLabel('Maturity reached (optional)').selectOption('4')
    await page
      .getByLabel('Additional requirements for high protection needs (optional)')
      .selectOption({ label: 'Met' })
    await page
      .getByLabel('Additional requirements for very high protection needs (optional)')
      .selectOption({ label: 'Partly met' })
    await page
      .getByLabel('Your title for the control (optional)')
      .fill('Information security policies (our copy)')
    await page.getByRole('button', { name: 'Save the decision' }).click()
    await page.getByText('The decision is saved.').waitFor()
    const decision = page.getByTestId('decision')
    expect(await page.getByTestId('maturity').textContent()).toBe('4 – Predictable (target 3)')
    expect(await decision.textContent()).toContain(
      'Additional requirements for very high protection needsPartly met',
    )
    await page
      .getByRole('heading', { level: 1, name: /^1\.1\.1 Information security policies \(our copy\)/ })
      .waitFor()
    expect(await axeViolations(page)).toEqual([])
    // The browser logs the deliberate 400 of the refused maturity; nothing else.
    expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([])
    expect(errors).toHaveLength(1)

    // The same control in German.
    const de = await e2e.newPage({ locale: 'de-DE' })
    await signIn(de.page, 'iso@demo.ismsflow.test')
    await toHafenstadt(de.page, 'Wechseln')
    await de.page.goto(`${projectUrl}/soa/1.1.1`)
    await de.page.getByRole('heading', { level: 2, name: 'Dieses Control entscheiden' }).waitFor()
    expect(await de.page.getByTestId('maturity').textContent()).toBe('4 – Vorhersagbar (Ziel 3)')
    expect(await de.page.getByTestId('decision').textContent()).toContain(
      'Zusätzliche Anforderungen bei hohem SchutzbedarfErfüllt',
    )
    await de.page.getByLabel('Erreichter Reifegrad (optional)').waitFor()
    expect(await axeViolations(de.page)).toEqual([])
    expect(de.errors).toEqual([])
  }, 180_000)
})
