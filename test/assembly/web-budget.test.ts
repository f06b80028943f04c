import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildWeb,
  measureWeb,
  QUICK_CHECK,
  routePages,
  WEB_BUDGET,
  type WebBundle,
} from '../support/web-bundle.js'

/**
 * The web app's first download, checked on a production build (what the web bucket
 * receives): the goals of issue 15 as a budget that fails the build when a change makes a
 * first visit heavier. `npm run bench:web` prints the same figures as a table.
 */
const kB = (bytes: number) => bytes / 1000
let out: string
let web: WebBundle

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'ismsflow-web-budget-'))
  await buildWeb(out)
  web = measureWeb(out)
})

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true })
})

const text = (files: string[]) => files.map((f) => readFileSync(join(out, f), 'utf8')).join('\n')

describe('the first download of the web app (issue 15)', () => {
  it(`signed out, the sign-in page needs at most ${WEB_BUDGET.initialKb} kB of gzipped JavaScript`, () => {
    const visit = web.firstVisit('/')
    expect(kB(visit.gzip)).toBeLessThanOrEqual(WEB_BUDGET.initialKb)
  })

  it(`signed in, the inbox needs at most ${WEB_BUDGET.initialKb} kB, in English and in German`, () => {
    const inbox = web.hasRoute('/inbox') ? '/inbox' : '/'
    for (const locale of ['en', 'de'] as const) {
      const visit = web.firstVisit(`${inbox} (${locale})`, { page: inbox, signedIn: true, locale })
      expect(kB(visit.gzip), visit.label).toBeLessThanOrEqual(WEB_BUDGET.initialKb)
    }
  })

  it(`every page opened directly (a link in a mail) needs at most ${WEB_BUDGET.initialKb} kB, in English and German`, () => {
    const over = [...routePages().keys()].flatMap((path) =>
      (['en', 'de'] as const)
        .map((locale) => web.firstVisit(`${path} (${locale})`, { page: path, signedIn: true, locale }))
        .filter((v) => kB(v.gzip) > WEB_BUDGET.initialKb)
        .map((v) => `${v.label}: ${kB(v.gzip).toFixed(1)} kB`),
    )
    expect(over).toEqual([])
  })

  it(`the public quick check needs at most ${WEB_BUDGET.quickCheckKb} kB with JSONata, in English and in German`, () => {
    for (const locale of ['en', 'de'] as const) {
      const visit = web.firstVisit(`/quick-check (${locale})`, { ...QUICK_CHECK, locale })
      expect(kB(visit.gzip), visit.label).toBeLessThanOrEqual(WEB_BUDGET.quickCheckKb)
    }
  })

  it('zod stays out of the first download and of the quick check; JSONata comes only for forms with expressions', () => {
    // (their own texts mark them: zod's error class, a JSONata error code)
    const signedIn = text(web.firstVisit('/ signed in', { page: '/', signedIn: true }).files)
    const quickCheck = text(web.firstVisit('/quick-check', { page: '/quick-check' }).files)
    expect(signedIn.includes('ZodError'), 'zod in the first download').toBe(false)
    expect(quickCheck.includes('ZodError'), 'zod in the quick check').toBe(false)
    expect(signedIn.includes('S0201') || quickCheck.includes('S0201'), 'JSONata loaded up front').toBe(false)
  })

  it('every page is a lazy chunk of its own, outside the first download', () => {
    const initial = new Set(web.chunks.filter((c) => c.initial).map((c) => c.name))
    const pages = [...new Set(routePages().values())]
    expect(pages.filter((p) => initial.has(p) || !web.chunks.some((c) => c.name === p))).toEqual([])
  })

  it('the first download holds its English texts and no German; German comes only for German readers', () => {
    // (the minifier may write a text as a template literal)
    const has = (code: string, text: string) =>
      new RegExp(`"shell\\.nav\\.inbox":["\`]${text}["\`]`).test(code)
    const first = text(web.firstVisit('/').files)
    expect(has(first, 'Inbox'), 'English in the first download').toBe(true)
    expect(first.includes('Posteingang'), 'German in the first download').toBe(false)
    expect(has(text(web.firstVisit('/ (de)', { locale: 'de' }).files), 'Posteingang')).toBe(true)
  })

  it('source maps are built, but the code does not point browsers at them', () => {
    const assets = readdirSync(join(out, 'assets'))
    const scripts = assets.filter((f) => f.endsWith('.js'))
    expect(assets.some((f) => f.endsWith('.js.map'))).toBe(true)
    const pointing = scripts.filter((f) => text([`assets/${f}`]).includes('sourceMappingURL='))
    expect(pointing).toEqual([])
    expect(existsSync(join(out, 'index.html'))).toBe(true)
  })
})
