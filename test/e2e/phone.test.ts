import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, type E2E, signIn, startE2E } from './support/harness.js'

/** Phone widths the app must fit without horizontal scrolling. */
const WIDTHS = [360, 390]

/** Every signed-in route of the app's router (`web/src/routes.ts`), read from its source. */
function signedInRoutes(): string[] {
  const source = readFileSync(resolve('web/src/routes.ts'), 'utf8')
  const entries = source.match(/\{[^{}]*path: '[^']+'[^{}]*\}/g) ?? []
  return entries.filter((e) => !/public: true/.test(e)).map((e) => /path: '([^']+)'/.exec(e)![1])
}

/** Waits until the page has its heading and nothing is loading any more. */
async function settle(page: Page) {
  await page.waitForLoadState('networkidle')
  await page.locator('main h1').first().waitFor()
  await page.waitForFunction(
    () => !/Loading…|Wird geladen…/.test(document.querySelector('main')?.textContent ?? ''),
  )
}

const get = async <T>(page: Page, path: string): Promise<T> => {
  const res = await page.request.get(path)
  if (!res.ok()) throw new Error(`${path} answered ${res.status()}`)
  return (await res.json()) as T
}

describe('phones (360 and 390 px)', () => {
  let e2e: E2E
  beforeAll(async () => {
    e2e = await startE2E()
  })
  afterAll(async () => e2e?.close())

  it('no signed-in page of the router scrolls sideways, errs or fails axe', {
    timeout: 900_000,
  }, async () => {
    const { page, errors } = await e2e.newPage()
    await signIn(page, 'iso@demo.ismsflow.test')

    // One real record for each route parameter, from the demo organisation.
    type Items<T> = { items: T[] }
    const tasks = await get<Items<{ id: string; kind: string; status: string }>>(
      page,
      '/api/tasks?view=all&limit=200',
    )
    const open = (kind: string) => tasks.items.find((x) => x.kind === kind && x.status === 'open')!.id
    const [assessments, projects, cycles, runs] = await Promise.all([
      get<Items<{ id: string }>>(page, '/api/assessments'),
      get<Items<{ id: string }>>(page, '/api/certification/projects'),
      get<Items<{ id: string }>>(page, '/api/reviews'),
      get<Items<{ id: string; workflow: string }>>(page, '/api/workflows'),
    ])
    const project = projects.items[0].id
    const run = (workflow: string) => runs.items.find((r) => r.workflow === workflow)!.id
    const samples: Record<string, string[]> = {
      '/tasks/:id': [
        open('approval'),
        open('risk-approval'),
        open('review'),
        open('obligation-follow-up'),
      ].map((id) => `/tasks/${id}`),
      '/assessments/task/:taskId': [`/assessments/task/${open('obligation-questionnaire')}`],
      '/assessments/:id': [`/assessments/${assessments.items[0].id}`],
      '/risks/:id': ['/risks/R-001', '/risks/R-002'],
      '/risks/:id/edit': ['/risks/R-002/edit'],
      '/risks/:id/plan': ['/risks/R-002/plan'],
      '/certification/:id': [`/certification/${project}`],
      '/certification/:id/soa': [`/certification/${project}/soa`],
      '/certification/:id/soa/:controlId': [`/certification/${project}/soa/A.5.1`],
      '/certification/:id/evidence-index': [`/certification/${project}/evidence-index`],
      '/reviews/programme/:id': ['/reviews/programme/risk-review'],
      '/reviews/:id': [`/reviews/${cycles.items[0].id}`],
      '/incidents/:id': ['/incidents/INC-DEMO-001', '/incidents/INC-DEMO-002'],
      '/workflows/:id': [
        'approval',
        'questionnaire',
        'obligation-assessment',
        'periodic-review',
        'certification',
      ].map((w) => `/workflows/${run(w)}`),
    }
    const paths = signedInRoutes().flatMap((route) => {
      if (!route.includes(':')) return [route]
      expect(samples[route], `a sample for ${route}`).toBeDefined()
      return samples[route]
    })
    expect(paths.length).toBeGreaterThan(25)

    const failures: string[] = []
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 800 })
      for (const path of paths) {
        await page.goto(path)
        await settle(page)
        const { scrollWidth, innerWidth } = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
        }))
        if (scrollWidth > innerWidth) failures.push(`${width}px ${path}: ${scrollWidth}px wide`)
        for (const v of await axeViolations(page)) failures.push(`${width}px ${path}: ${v}`)
        for (const e of errors.splice(0)) failures.push(`${width}px ${path}: ${e}`)
        if (process.env.E2E_VERBOSE) console.log(width, path, failures.length)
      }
    }
    expect(failures).toEqual([])
  })

  it('the header folds behind a menu button: aria-expanded, Escape closes, the organisation switcher is reachable', async () => {
    const { page, errors } = await e2e.newPage()
    await signIn(page, 'iso@demo.ismsflow.test')
    await page.setViewportSize({ width: 360, height: 740 })
    const menu = page.getByRole('button', { name: 'Menu' })
    expect(await menu.getAttribute('aria-expanded')).toBe('false')
    expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false)
    expect(await page.getByLabel('Organisation').isVisible()).toBe(false)

    await menu.click()
    expect(await menu.getAttribute('aria-expanded')).toBe('true')
    expect(await page.getByLabel('Organisation').isVisible()).toBe(true)
    // Keyboard: Tab moves from the button into the menu; Escape closes it and focus returns.
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('org-switch')
    await page.keyboard.press('Escape')
    expect(await menu.getAttribute('aria-expanded')).toBe('false')
    expect(await page.evaluate(() => document.activeElement?.className)).toContain('menu-button')

    // Switching organisation from the menu.
    await menu.click()
    await page.getByLabel('Organisation').selectOption({ label: 'Hafenstadt Logistik AG' })
    await page.getByRole('button', { name: 'Switch' }).click()
    await page.getByRole('main').getByText('Hafenstadt Logistik AG').first().waitFor()

    // Following a link closes the menu and moves focus to the page's heading.
    if ((await menu.getAttribute('aria-expanded')) !== 'true') await menu.click()
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Risks' }).click()
    await page.waitForURL('**/risks')
    expect(await menu.getAttribute('aria-expanded')).toBe('false')
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1')
    expect(await axeViolations(page)).toEqual([])
    expect(errors).toEqual([])
  })
})
