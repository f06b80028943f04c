import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type E2E, openInbox, signIn, startE2E } from './support/harness.js'

describe('English and German', () => {
  let e2e: E2E
  beforeAll(async () => {
    e2e = await startE2E()
  })
  afterAll(async () => e2e?.close())

  it('the German switch changes the UI text, the lang attribute and the title, and is remembered', async () => {
    const { page, errors } = await e2e.newPage()
    await signIn(page, 'management@demo.ismsflow.test')
    await openInbox(page)
    expect(await page.getAttribute('html', 'lang')).toBe('en')
    await page.getByRole('button', { name: 'Deutsch' }).click()
    const nav = page.getByRole('navigation', { name: 'Hauptnavigation' })
    await nav.waitFor()
    await nav.getByRole('link', { name: /^Posteingang \(\d+\)$/ }).waitFor()
    for (const item of [
      /^Posteingang \(\d+\)$/,
      'Bewertungen',
      'Risiken',
      'Zertifizierung',
      'Überprüfungen',
      'Abläufe',
    ])
      expect(await nav.getByRole('link', { name: item, exact: true }).count()).toBe(1)
    expect(await page.getAttribute('html', 'lang')).toBe('de')
    expect(await page.title()).toBe('Posteingang · ismsflow')
    await expect(page.getByRole('banner').textContent()).resolves.toContain('Angemeldet als Martin Brandt')
    await expect(page.getByRole('main').textContent()).resolves.toContain('Meine Rollen – nicht übernommen')
    expect(await page.getByRole('button', { name: 'Deutsch' }).getAttribute('aria-pressed')).toBe('true')

    await page.reload()
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).waitFor()
    expect(await page.getAttribute('html', 'lang')).toBe('de')

    await page.getByRole('button', { name: 'English' }).click()
    await page.getByRole('navigation', { name: 'Main' }).waitFor()
    expect(await page.title()).toBe('Inbox · ismsflow')
    expect(errors).toEqual([])
  })

  it('the sign-in page follows a German browser and shows German errors', async () => {
    const { page } = await e2e.newPage({ locale: 'de-DE' })
    await page.goto('/')
    await page.getByRole('heading', { name: 'Bei ismsflow anmelden' }).waitFor()
    expect(await page.getAttribute('html', 'lang')).toBe('de')
    await page.getByRole('button', { name: 'Anmelden' }).click()
    const alert = page.getByRole('alert')
    await alert.waitFor()
    await expect(alert.textContent()).resolves.toContain('Geben Sie Ihre E-Mail-Adresse ein')
    await signIn(page, 'member@demo.ismsflow.test')
    const nav = page.getByRole('navigation', { name: 'Hauptnavigation' })
    expect(await nav.getByRole('link', { name: /^Posteingang/ }).count()).toBe(1)
    await page.getByRole('heading', { level: 1, name: 'Start' }).waitFor()
  })
})
