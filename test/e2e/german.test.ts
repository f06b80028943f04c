import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { englishOnlyTexts, englishOnPage } from './support/english-only.js'
import { axeViolations, type E2E, signIn, startE2E } from './support/harness.js'
import { settle, signedInPaths } from './support/pages.js'

const group = (page: Page, name: string) => page.getByRole('group', { name })
const choose = (page: Page, question: string, option: string) =>
  group(page, question).getByLabel(option, { exact: true }).check()
const next = (page: Page) => page.getByRole('button', { name: 'Weiter', exact: true }).click()
const onPage = (page: Page, text: string) => page.getByText(text).first().waitFor()

/** The quick check in German for a small vehicle-parts maker (NIS2, DPO and TISAX reasons with references). */
async function quickCheckInGerman(page: Page) {
  await onPage(page, 'In welchen dieser Sektoren')
  await choose(page, 'In welchen dieser Sektoren', 'Verarbeitendes Gewerbe')
  await next(page)
  await onPage(page, 'Herstellung von Kraftwagen')
  await page.getByLabel('Herstellung von Kraftwagen').check()
  await next(page)
  await onPage(page, 'Ist eine der gewählten Tätigkeiten nur ein vernachlässigbarer Teil')
  await choose(page, 'Ist eine der gewählten Tätigkeiten nur ein vernachlässigbarer Teil', 'Nein')
  await next(page)
  await onPage(page, 'Wie viele Beschäftigte hatte Ihr Unternehmen')
  await page.getByLabel('Wie viele Beschäftigte hatte Ihr Unternehmen').fill('80')
  await page.getByLabel('Wie hoch war Ihr Jahresumsatz?').fill('15000000')
  await page.getByLabel('Wie hoch war Ihre Bilanzsumme?').fill('12000000')
  await next(page)
  for (const q of [
    'Hält ein anderes Unternehmen mehr als 50 %',
    'Hält Ihr Unternehmen 25–50 %',
    'Gehört Ihre Organisation zur öffentlichen Verwaltung?',
  ]) {
    await onPage(page, q)
    await choose(page, q, 'Nein')
    await next(page)
  }
  await onPage(page, 'Wie viele Personen arbeiten regelmäßig')
  await page.getByLabel('Wie viele Personen arbeiten regelmäßig').fill('25')
  for (const q of [
    'Ist Ihre Organisation eine sonstige öffentliche Stelle?',
    'Ist die umfangreiche, regelmäßige und systematische Überwachung',
    'Ist die umfangreiche Verarbeitung sensibler Daten',
    'Erfordert eine Ihrer Verarbeitungen eine Datenschutz-Folgenabschätzung?',
    'Verarbeiten Sie personenbezogene Daten geschäftsmäßig',
  ])
    await choose(page, q, 'Nein')
  await next(page)
  await onPage(page, 'Arbeiten Sie für Automobilhersteller oder deren Zulieferer?')
  await choose(page, 'Arbeiten Sie für Automobilhersteller oder deren Zulieferer?', 'Ja')
  await next(page)
  await onPage(page, 'Wie vertraulich sind die Informationen')
  await choose(page, 'Wie vertraulich sind die Informationen', 'Streng vertraulich')
  await choose(page, 'Welche Verfügbarkeit fordern Ihre Automobilkunden', 'Keine besondere Anforderung')
  await choose(page, 'Gehen Sie mit Prototypenteilen', 'Nein')
  await choose(page, 'Verarbeiten Sie personenbezogene Daten im Auftrag von Automobilkunden?', 'Nein')
  await next(page)
  await page.getByRole('button', { name: 'Ergebnis anzeigen' }).click()
  await page.getByRole('heading', { level: 1, name: 'Ihr Ergebnis des Schnellchecks' }).waitFor()
}

describe('German: no English on German pages', () => {
  let e2e: E2E
  const english = englishOnlyTexts()
  beforeAll(async () => {
    e2e = await startE2E()
  })
  afterAll(async () => e2e?.close())

  it('knows the English-only texts of the catalogue', () => {
    expect(english.exact).toContain('Certification task')
    expect(english.exact).not.toContain('ismsflow')
    expect(english.exact.length).toBeGreaterThan(500)
  })

  it('the anonymous quick check is German throughout, with German legal references', {
    timeout: 180_000,
  }, async () => {
    const { page, errors } = await e2e.newPage({ locale: 'de-DE' })
    await page.goto('/quick-check')
    await page.getByRole('heading', { level: 1, name: 'Schnellcheck: Welche Pflichten gelten?' }).waitFor()
    expect(await englishOnPage(page, english)).toEqual([])
    await quickCheckInGerman(page)
    const main = (await page.getByRole('main').textContent()) ?? ''
    expect(main).toMatch(/§ \d+ Abs\. \d+/)
    expect(main).not.toMatch(/\bGDPR\b|\bsentence\b|EU recommendation|\(\d+\)\(/)
    expect(await englishOnPage(page, english)).toEqual([])
    expect(await axeViolations(page)).toEqual([])
    expect(errors).toEqual([])
  })

  it('the ISO walks every signed-in page in German without an English catalogue text', {
    timeout: 600_000,
  }, async () => {
    const { page, errors } = await e2e.newPage({ locale: 'de-DE' })
    await signIn(page, 'iso@demo.ismsflow.test')
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).waitFor()
    const failures: string[] = []
    for (const path of await signedInPaths(page)) {
      await page.goto(path)
      await settle(page)
      expect(await page.getAttribute('html', 'lang')).toBe('de')
      // The mail page shows the messages as sent, each in its recipient's language (English
      // for English speakers): their text is content, not the page's own words.
      const shown = await englishOnPage(page, english)
      for (const text of path === '/mail' ? shown.filter((x) => !/\(in “Hello /.test(x)) : shown)
        failures.push(`${path}: ${text}`)
      for (const e of errors.splice(0)) failures.push(`${path}: ${e}`)
    }
    expect(failures).toEqual([])
  })
})
