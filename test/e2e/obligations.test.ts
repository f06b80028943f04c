import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, type E2E, signIn, startE2E } from './support/harness.js'

/** Words of the quick check in each language (questions from the questionnaire definition). */
const WORDS = {
  en: {
    title: 'Quick check: which obligations apply?',
    signInLink: 'do the quick check (no sign-in needed)',
    continue: 'Continue',
    submit: 'See the result',
    yes: 'Yes',
    no: 'No',
    sectors: 'In which of these sectors',
    manufacturing: 'Manufacturing',
    activity: 'Manufacture of motor vehicles',
    negligible: 'Is any of the activities you chose only a negligible part',
    employees: 'How many staff did your company have',
    turnover: 'What was your annual turnover?',
    balance: 'What was your balance sheet total?',
    linked: 'Does another company hold more than 50 %',
    partners: 'Does your company hold 25–50 %',
    publicAdministration: 'Is your organisation part of the public administration?',
    persons: 'How many people regularly work with personal data',
    dataQuestions: [
      'Is your organisation another public body?',
      'Is large-scale, regular and systematic monitoring',
      'Is large-scale processing of sensitive data',
      'Does any of your processing need a data protection impact assessment?',
      'Do you process personal data as a business',
    ],
    automotive: 'Do you work for car makers or their suppliers?',
    confidentiality: 'How confidential is the information',
    strictly: 'Strictly confidential',
    availability: 'What availability do your automotive customers require',
    noRequirement: 'No special requirement',
    prototypes: 'Do you handle prototype parts',
    autoData: 'Do you process personal data on behalf of automotive customers?',
    result: 'Your quick check result',
    category: 'important entity',
    german: 'wichtige Einrichtung',
    tisax: 'relevant, assessment level AL3',
    reason: 'BSIG',
  },
  de: {
    title: 'Schnellcheck: Welche Pflichten gelten?',
    signInLink: 'zum Schnellcheck (ohne Anmeldung)',
    continue: 'Weiter',
    submit: 'Ergebnis anzeigen',
    yes: 'Ja',
    no: 'Nein',
    sectors: 'In welchen dieser Sektoren',
    manufacturing: 'Verarbeitendes Gewerbe',
    activity: 'Herstellung von Kraftwagen',
    negligible: 'Ist eine der gewählten Tätigkeiten nur ein vernachlässigbarer Teil',
    employees: 'Wie viele Beschäftigte hatte Ihr Unternehmen',
    turnover: 'Wie hoch war Ihr Jahresumsatz?',
    balance: 'Wie hoch war Ihre Bilanzsumme?',
    linked: 'Hält ein anderes Unternehmen mehr als 50 %',
    partners: 'Hält Ihr Unternehmen 25–50 %',
    publicAdministration: 'Gehört Ihre Organisation zur öffentlichen Verwaltung?',
    persons: 'Wie viele Personen arbeiten regelmäßig',
    dataQuestions: [
      'Ist Ihre Organisation eine sonstige öffentliche Stelle?',
      'Ist die umfangreiche, regelmäßige und systematische Überwachung',
      'Ist die umfangreiche Verarbeitung sensibler Daten',
      'Erfordert eine Ihrer Verarbeitungen eine Datenschutz-Folgenabschätzung?',
      'Verarbeiten Sie personenbezogene Daten geschäftsmäßig',
    ],
    automotive: 'Arbeiten Sie für Automobilhersteller oder deren Zulieferer?',
    confidentiality: 'Wie vertraulich sind die Informationen',
    strictly: 'Streng vertraulich',
    availability: 'Welche Verfügbarkeit fordern Ihre Automobilkunden',
    noRequirement: 'Keine besondere Anforderung',
    prototypes: 'Gehen Sie mit Prototypenteilen',
    autoData: 'Verarbeiten Sie personenbezogene Daten im Auftrag von Automobilkunden?',
    result: 'Ihr Ergebnis des Schnellchecks',
    category: 'wichtige Einrichtung',
    german: 'wichtige Einrichtung',
    tisax: 'relevant, Prüfniveau AL3',
    reason: 'BSIG',
  },
} as const

type Words = (typeof WORDS)['en' | 'de']

const group = (page: Page, name: string) => page.getByRole('group', { name })
const choose = (page: Page, question: string, option: string) =>
  group(page, question).getByLabel(option, { exact: true }).check()
const next = (page: Page, w: Words) => page.getByRole('button', { name: w.continue, exact: true }).click()
/** Waits for the page whose question (or heading) contains `text`. */
const onPage = (page: Page, text: string) => page.getByText(text).first().waitFor()

/** The example vehicle-parts maker of obligations.md: 80 staff, €15M / €12M, strictly confidential OEM data. */
async function fillVehiclePartsMaker(page: Page, w: Words) {
  await onPage(page, w.sectors)
  await choose(page, w.sectors, w.manufacturing)
  await next(page, w)
  await onPage(page, w.activity)
  await page.getByLabel(w.activity).check()
  await next(page, w)
  await onPage(page, w.negligible)
  await choose(page, w.negligible, w.no)
  await next(page, w)
  await onPage(page, w.employees)
  await page.getByLabel(w.employees).fill('80')
  await page.getByLabel(w.turnover).fill('15000000')
  await page.getByLabel(w.balance).fill('12000000')
  await next(page, w)
  await onPage(page, w.linked)
  await choose(page, w.linked, w.no)
  await next(page, w)
  await onPage(page, w.partners)
  await choose(page, w.partners, w.no)
  await next(page, w)
  await onPage(page, w.publicAdministration)
  await choose(page, w.publicAdministration, w.no)
  await next(page, w)
  await onPage(page, w.persons)
  await page.getByLabel(w.persons).fill('25')
  for (const q of w.dataQuestions) await choose(page, q, w.no)
  await next(page, w)
  await onPage(page, w.automotive)
  await choose(page, w.automotive, w.yes)
  await next(page, w)
  await onPage(page, w.confidentiality)
  await choose(page, w.confidentiality, w.strictly)
  await choose(page, w.availability, w.noRequirement)
  await choose(page, w.prototypes, w.no)
  await choose(page, w.autoData, w.no)
  await next(page, w)
  await page.getByRole('button', { name: w.submit }).click()
}

/** Answers of a small company outside every regime: the quickest questionnaire to decide. */
const SMALL_COMPANY = {
  sectors: ['none'],
  employees: 12,
  annualTurnover: 1_500_000,
  balanceSheet: 900_000,
  linkedExists: 'no',
  partnerExists: 'no',
  publicAdministration: 'no',
  personsProcessing: 4,
  otherPublicBody: 'no',
  monitoring: 'no',
  specialCategories: 'no',
  dpia: 'no',
  commercialTransfer: 'no',
  automotiveBusiness: 'no',
}

/** The API as the signed-in browser calls it (its cookies, its CSRF token), in Nordlicht. */
async function apiOf(page: Page) {
  const session: { csrfToken: string } = await (await page.request.get('/api/session')).json()
  const headers = { 'x-org-id': 'nordlicht', 'x-csrf-token': session.csrfToken }
  return {
    get: async <T>(path: string) => {
      const res = await page.request.get(path, { headers })
      expect(res.status(), `GET ${path}`).toBe(200)
      const body: T = await res.json()
      return body
    },
    post: async (path: string, data: unknown) => {
      const res = await page.request.post(path, { headers, data })
      expect(res.status(), `POST ${path}: ${await res.text()}`).toBeLessThan(300)
    },
  }
}

type Api = Awaited<ReturnType<typeof apiOf>>
type Listed = { total: number; inProgress: { stage: string; taskId: string }[] }

/** Waits until the assessment in progress is at `stage`; answers its task id. */
async function taskAt(api: Api, stage: string): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const list = await api.get<Listed>('/api/assessments?limit=1')
    const open = list.inProgress.find((p) => p.stage === stage)
    if (open) return open.taskId
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`no assessment reached ${stage}`)
}

/**
 * One assessment through the API as people do it: the ISO fills the questionnaire and
 * confirms the result, management acknowledges with its typed name; waits for the record.
 */
async function decideThroughApi(iso: Api, management: Api, recorded: number) {
  await iso.post(`/api/tasks/${await taskAt(iso, 'obligation-questionnaire')}/complete`, {
    answers: SMALL_COMPANY,
  })
  await iso.post(`/api/tasks/${await taskAt(iso, 'obligation-review')}/complete`, {
    answers: { judgementsOpen: ['none'], outcome: 'confirm' },
  })
  await management.post(`/api/tasks/${await taskAt(iso, 'obligation-acknowledgement')}/complete`, {
    answers: { acknowledgement: { name: 'Martin Brandt', at: new Date().toISOString() } },
  })
  for (let i = 0; i < 600; i++) {
    if ((await iso.get<Listed>('/api/assessments?limit=1')).total === recorded) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`decision ${recorded} was not recorded`)
}

describe('obligations quick check in the browser', () => {
  let e2e: E2E
  beforeAll(async () => {
    e2e = await startE2E()
  }, 120_000)
  afterAll(async () => e2e?.close())

  for (const lang of ['en', 'de'] as const) {
    it(`an anonymous visitor does the quick check in ${lang === 'en' ? 'English' : 'German'} and sees the category and its reasons`, async () => {
      const w = WORDS[lang]
      const { page, errors } = await e2e.newPage({ locale: lang === 'en' ? 'en-GB' : 'de-DE' })
      // From the sign-in page, without signing in.
      await page.goto('/')
      await page.getByRole('link', { name: w.signInLink }).click()
      await page.getByRole('heading', { level: 1, name: w.title }).waitFor()
      expect(new URL(page.url()).pathname).toBe('/quick-check')
      expect(await page.getAttribute('html', 'lang')).toBe(lang)
      expect(await axeViolations(page)).toEqual([])

      await fillVehiclePartsMaker(page, w)

      await page.getByRole('heading', { level: 1, name: w.result }).waitFor()
      const main = page.getByRole('main')
      await expect(page.getByTestId('nis2-category').textContent()).resolves.toBe(w.category)
      const text = (await main.textContent()) ?? ''
      expect(text).toContain(w.german)
      expect(text).toContain(w.tisax)
      // Reasons with their legal references, and the registration deadline.
      const reasons = main.getByRole('list', { name: lang === 'en' ? 'Reasons' : 'Gründe' })
      expect(await reasons.count()).toBeGreaterThan(3)
      expect(await reasons.first().textContent()).toContain(w.reason)
      expect(text).toMatch(
        lang === 'en' ? /within 3 months of the decision/ : /innerhalb von 3 Monaten nach der Entscheidung/,
      )
      expect(await axeViolations(page)).toEqual([])

      // Printed, navigation and buttons are hidden; the result stays.
      await page.emulateMedia({ media: 'print' })
      expect(
        await page
          .getByRole('button', {
            name: lang === 'en' ? 'Print or save as PDF' : 'Drucken oder als PDF speichern',
          })
          .isVisible(),
      ).toBe(false)
      expect(await page.getByTestId('nis2-category').isVisible()).toBe(true)
      await page.emulateMedia({ media: 'screen' })
      expect(errors).toEqual([])
    }, 120_000)
  }

  it('signed in, the ISO sees Nordlicht’s decisions, the re-assessment in progress and a recorded decision', async () => {
    const { page, errors } = await e2e.newPage()
    await signIn(page, 'iso@demo.ismsflow.test')
    const org = page.getByRole('combobox', { name: 'Organisation' })
    if ((await org.inputValue()) !== 'nordlicht') {
      await org.selectOption('nordlicht')
      await page.getByRole('button', { name: 'Switch' }).click()
      await page.getByText('You are now working in Nordlicht Maschinenbau GmbH.').waitFor()
    }
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Assessments' }).click()
    await page.getByRole('heading', { level: 1, name: 'Obligation assessments' }).waitFor()
    await page.getByRole('heading', { name: 'In progress' }).waitFor()
    const row = page.getByRole('row', { name: /Decision 1 of/ })
    await row.waitFor()
    expect(await row.textContent()).toContain('AL3')
    expect(await axeViolations(page)).toEqual([])
    await row.getByRole('link').click()
    await page.getByRole('heading', { level: 1, name: /Decision 1 of/ }).waitFor()
    // The registration with the BSI is shown beside the decision (its own workflow), not as a follow-up.
    await page.getByRole('heading', { level: 2, name: 'Registration with the BSI (§ 33 BSIG)' }).waitFor()
    const text = (await page.getByRole('main').textContent()) ?? ''
    expect(text).toContain('Martin Brandt')
    expect(text).toContain('wichtige Einrichtung')
    expect(await axeViolations(page)).toEqual([])
    expect(errors).toEqual([])
  }, 120_000)

  it('with more than 50 decisions (recorded through the API), the ISO sees "50 of 52" and shows the rest with the keyboard', async () => {
    const { page, errors } = await e2e.newPage()
    await signIn(page, 'iso@demo.ismsflow.test')
    const manager = await e2e.newPage()
    await signIn(manager.page, 'management@demo.ismsflow.test')
    const [iso, management] = await Promise.all([apiOf(page), apiOf(manager.page)])
    // Nordlicht has one decision and this year's re-assessment open: finish it, then 50 more.
    const seeded = (await iso.get<Listed>('/api/assessments?limit=1')).total
    expect(seeded).toBe(1)
    const target = 52
    for (let n = seeded + 1; n <= target; n++) {
      if (n > seeded + 1) await iso.post('/api/assessments', {})
      await decideThroughApi(iso, management, n)
    }

    await page.goto('/assessments')
    await page.getByRole('heading', { level: 1, name: 'Obligation assessments' }).waitFor()
    await page.getByText('Showing 50 of 52 decisions.').waitFor()
    const table = page.getByRole('table', { name: 'Recorded obligation decisions, newest first' })
    const rows = table.locator('tbody tr')
    expect(await rows.count()).toBe(50)
    expect(await rows.first().textContent()).toContain('Decision 52 of')
    const more = page.getByRole('button', { name: 'Show more decisions' })
    expect(await axeViolations(page)).toEqual([])

    // Keyboard only: focus the button, press Enter.
    await more.focus()
    await page.keyboard.press('Enter')
    await page.getByText('Showing 52 of 52 decisions.').waitFor()
    expect(await rows.count()).toBe(52)
    // Said politely to screen readers; the button is gone, the focus is on the first decision it added.
    await expect(
      page.getByRole('status').filter({ hasText: 'more entries shown' }).textContent(),
    ).resolves.toBe('2 more entries shown: 52 of 52.')
    expect(await more.count()).toBe(0)
    const focused = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '')
    expect(focused).toMatch(/^Decision 2 of/)
    expect(await rows.nth(51).textContent()).toContain('Decision 1 of')
    expect(await axeViolations(page)).toEqual([])

    // In German, the same count in management's words; Hafenstadt sees none of Nordlicht's decisions.
    const german = await e2e.newPage({ locale: 'de-DE' })
    await signIn(german.page, 'management@demo.ismsflow.test')
    await german.page.goto('/assessments')
    await german.page.getByText('50 von 52 Entscheidungen werden gezeigt.').waitFor()
    await german.page.getByRole('button', { name: 'Weitere Entscheidungen anzeigen' }).waitFor()
    const hafenstadt = await page.request.get('/api/assessments', { headers: { 'x-org-id': 'hafenstadt' } })
    const theirs: Listed = await hafenstadt.json()
    expect(theirs.total).toBe(0)
    expect(errors).toEqual([])
    expect(german.errors).toEqual([])
  }, 900_000)
})
