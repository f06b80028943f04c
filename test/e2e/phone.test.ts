import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, type E2E, signIn, startE2E } from './support/harness.js'
import { settle, signedInPaths } from './support/pages.js'

/** Phone widths the app must fit without horizontal scrolling. */
const WIDTHS = [360, 390]

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

    const paths = await signedInPaths(page)
    expect(paths.length).toBeGreaterThan(25)

    const failures: string[] = []
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 800 })
      for (const path of paths) {
        await page.goto(path)
        try {
          await settle(page)
        } catch (err) {
          // Name the page that did not settle, then go on with the others.
          failures.push(
            `${width}px ${path}: did not settle (${err instanceof Error ? err.message.split('\n')[0] : err})`,
          )
          for (const e of errors.splice(0)) failures.push(`${width}px ${path}: ${e}`)
          continue
        }
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
    // (the menu opens with the search box, then the organisation switcher)
    await page.keyboard.press('Tab')
    expect(['header-search', 'org-switch']).toContain(await page.evaluate(() => document.activeElement?.id))
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
    // Focus moves once the page's code has arrived and it is shown (its chunk loads lazily).
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.tagName), { timeout: 10_000 })
      .toBe('H1')
    expect(await axeViolations(page)).toEqual([])
    expect(errors).toEqual([])
  })
})
