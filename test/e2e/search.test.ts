import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, type E2E, signIn, startE2E } from './support/harness.js'

describe('search from the header', () => {
  let e2e: E2E
  beforeAll(async () => {
    e2e = await startE2E()
  })
  afterAll(async () => e2e?.close())

  it('finds a demo risk by a word of its title, grouped under a heading, in English and German', async () => {
    const { page, errors } = await e2e.newPage()
    await signIn(page, 'iso@demo.ismsflow.test')
    const box = page.getByRole('search').getByLabel('Search')
    await box.fill('ransomware')
    await box.press('Enter')
    await page.getByRole('heading', { name: 'Results for “ransomware”' }).waitFor()
    await page.getByRole('heading', { name: /^Risks/, level: 2 }).waitFor()
    const link = page.getByRole('main').getByRole('link', { name: /Ransomware on the OT network/ })
    await link.waitFor()
    expect(await axeViolations(page)).toEqual([])

    await page.getByRole('button', { name: 'Deutsch' }).click()
    const suche = page.getByRole('search').getByLabel('Suche')
    await suche.fill('zzqx')
    await suche.press('Enter')
    await page.getByText('Nichts gefunden für „zzqx“.').waitFor()
    expect(await axeViolations(page)).toEqual([])

    await page.getByRole('button', { name: 'English' }).click()
    await page.goBack()
    await link.click()
    await page.waitForURL(/\/risks\/R-\d+$/)
    expect(errors).toEqual([])
  })
})
