import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import type { Config } from '../../../functions/config.js'
import { DEMO_PASSWORD } from '../../../infra/local/seed/index.js'
import { type LocalStack, startLocalStack } from '../../../infra/local/stack.js'

/** Chromium flags for a quiet, reproducible headless run. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
]

/** The browser binary: `CHROMIUM_PATH`, else `/usr/bin/chromium`; a clear error when neither exists. */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
  if (!existsSync(path))
    throw new Error(
      `No Chromium at ${path}. Install it (Debian: sudo apt-get install chromium) or set CHROMIUM_PATH to a Chromium/Chrome binary.`,
    )
  return path
}

/** A running stack with a browser: one per test file. */
export interface E2E {
  stack: LocalStack
  baseUrl: string
  browser: Browser
  /** A fresh browser context (own cookies and storage) with a page; errors are collected. */
  newPage(options?: {
    locale?: string
    /** The browser's time zone (IANA), e.g. `Europe/Berlin`; default the machine's. */
    timezoneId?: string
  }): Promise<{ context: BrowserContext; page: Page; errors: string[] }>
  close(): Promise<void>
}

/**
 * Starts the local stack (fresh temporary data folder, free ports, demo seed, built web
 * app, `options.config` over the environment's configuration) and Chromium through
 * playwright-core. Builds nothing: `npm run test:e2e` runs `build:web` first.
 */
export async function startE2E(options: { seed?: boolean; config?: Partial<Config> } = {}): Promise<E2E> {
  if (!existsSync(resolve('web/dist/index.html')))
    throw new Error('web/dist is missing: run `npm run build:web` (npm run test:e2e does).')
  const executablePath = chromiumPath()
  const dataDir = mkdtempSync(join(tmpdir(), 'ismsflow-e2e-'))
  const stack = await startLocalStack({
    dataDir,
    appPort: 0,
    dynamoPort: 0,
    sfnPort: 0,
    // `seed: false` is `ISMSFLOW_DEMO=off`: an installation nobody has set up yet.
    seed: options.seed ?? true,
    serveWeb: true,
    config: options.config,
  })
  let browser: Browser
  try {
    // Playwright gives every launch its own fresh temporary profile (--user-data-dir).
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true })
  } catch (err) {
    await stack.close()
    rmSync(dataDir, { recursive: true, force: true })
    throw err
  }
  const contexts: BrowserContext[] = []
  return {
    stack,
    baseUrl: stack.appUrl,
    browser,
    async newPage(options = {}) {
      const context = await browser.newContext({
        baseURL: stack.appUrl,
        locale: options.locale ?? 'en-GB',
        timezoneId: options.timezoneId,
      })
      contexts.push(context)
      const page = await context.newPage()
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console: ${m.text()}`)
      })
      return { context, page, errors }
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {})
      await browser.close().catch(() => {})
      await stack.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Signs in through the sign-in page and waits for the shell's navigation. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto('/')
  await page.getByLabel(/E-mail address|E-Mail-Adresse/).fill(email)
  await page.getByLabel(/^(Password|Passwort)$/).fill(password)
  await page.getByRole('button', { name: /^(Sign in|Anmelden)$/ }).click()
  await page.getByRole('navigation').first().waitFor()
}

/** Opens the inbox from the navigation (one click from the home page, the first screen). */
export async function openInbox(page: Page) {
  await page
    .getByRole('navigation', { name: /^(Main|Hauptnavigation)$/ })
    .getByRole('link', { name: /^(Inbox|Posteingang)/ })
    .click()
  await page.getByRole('heading', { level: 1, name: /^(Inbox|Posteingang)$/ }).waitFor()
}

let axeSource: string | undefined
/**
 * Runs axe-core on the page (evaluated through the DevTools protocol, so the app's CSP
 * stays on) and answers the violations of impact serious or critical.
 */
export async function axeViolations(page: Page) {
  axeSource ??= readFileSync(resolve('node_modules/axe-core/axe.min.js'), 'utf8')
  await page.evaluate(axeSource)
  const result = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<unknown> } }
    ).axe
    return (await axe.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
    })) as {
      violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[]
    }
  })
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}
