import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, type E2E, signIn, startE2E } from './support/harness.js'

describe('an incident’s record in the browser: evidence, a risk from the lessons learned, the register as Excel', () => {
  let e2e: E2E
  beforeAll(async () => {
    e2e = await startE2E()
  })
  afterAll(async () => e2e?.close())

  it('the ISO adds evidence, drafts a risk from the lessons learned and downloads the register as Excel', async () => {
    const { page, errors } = await e2e.newPage()
    await signIn(page, 'iso@demo.ismsflow.test')
    await page.goto('/incidents/INC-DEMO-001')
    await page
      .getByRole('heading', { level: 1, name: /Phishing: mailbox of the purchasing department/ })
      .waitFor()
    await page.getByRole('heading', { level: 2, name: 'Evidence' }).waitFor()
    expect(await axeViolations(page)).toEqual([])

    // Evidence: a text file through the evidence store, then downloadable from the page.
    await page.getByLabel('Add an evidence file').setInputFiles({
      name: 'mail-trace.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Message trace: 1,200 mails sent from purchasing@ between 09:12 and 18:40\n'),
    })
    await page.getByRole('button', { name: 'Upload the file' }).click()
    await page.getByText('mail-trace.txt is added as evidence.').waitFor({ timeout: 60_000 })
    const file = page.getByRole('link', { name: 'mail-trace.txt' })
    const [download] = await Promise.all([page.waitForEvent('download'), file.click()])
    expect(download.suggestedFilename()).toBe('mail-trace.txt')
    expect(readFileSync(await download.path(), 'utf8')).toContain('Message trace')

    // A draft risk from the lessons learned, linked both ways.
    await page.getByRole('button', { name: 'Create a draft risk from the lessons learned' }).click()
    const riskLink = page.getByRole('link', {
      name: /^Risk R-\d+ in the register, drafted from these lessons learned$/,
    })
    await riskLink.waitFor({ timeout: 60_000 })
    expect(
      await page.getByRole('button', { name: 'Create a draft risk from the lessons learned' }).count(),
    ).toBe(0)
    expect(await axeViolations(page)).toEqual([])
    await riskLink.click()
    await page.getByRole('heading', { level: 1, name: /Lesson from INC-DEMO-001/ }).waitFor()
    const back = page.getByRole('link', { name: /^INC-DEMO-001: Phishing/ })
    await back.waitFor()
    expect(await axeViolations(page)).toEqual([])

    // The register as Excel, through the download helper.
    await page.goto('/incidents')
    await page.getByRole('heading', { level: 1 }).first().waitFor()
    const xlsxLink = page.getByRole('link', { name: 'Download as Excel (XLSX)' })
    const [xlsx] = await Promise.all([page.waitForEvent('download'), xlsxLink.click()])
    expect(xlsx.suggestedFilename()).toBe('incident-register-nordlicht.xlsx')
    expect(
      readFileSync(await xlsx.path())
        .subarray(0, 2)
        .toString('latin1'),
    ).toBe('PK')
    expect(await axeViolations(page)).toEqual([])
    expect(errors).toEqual([])
  })
})
