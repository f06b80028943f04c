/**
 * The web app's download (issue 15, "a small first download"): builds the app as
 * `npm run build:web` does (into a temporary folder, with a manifest) and prints every
 * JavaScript chunk raw and gzipped, then the JavaScript of first visits against the goals.
 * Run: `npm run bench:web`. The budget test (`test/assembly/web-budget.test.ts`) checks the same.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  buildWeb,
  type FirstVisit,
  measureWeb,
  QUICK_CHECK,
  routePages,
  WEB_BUDGET,
} from '../support/web-bundle.js'

const kb = (bytes: number) => Number((bytes / 1000).toFixed(1))
const out = mkdtempSync(join(tmpdir(), 'ismsflow-web-'))
try {
  await buildWeb(out)
  const web = measureWeb(out)
  const inboxPath = web.hasRoute('/inbox') ? '/inbox' : '/'

  console.log('\nJavaScript chunks (kB; "first" = loaded on every first paint)')
  console.table(
    web.chunks.map((c) => ({
      chunk: c.name,
      file: c.file,
      'raw kB': kb(c.raw),
      'gzip kB': kb(c.gzip),
      first: c.initial ? 'yes' : '',
    })),
  )
  const visits: [FirstVisit, number][] = [
    [web.firstVisit('/ signed out (sign-in page)'), WEB_BUDGET.initialKb],
    [
      web.firstVisit(`${inboxPath} signed in (inbox)`, { page: inboxPath, signedIn: true }),
      WEB_BUDGET.initialKb,
    ],
    [
      web.firstVisit(`${inboxPath} signed in, German`, { page: inboxPath, signedIn: true, locale: 'de' }),
      WEB_BUDGET.initialKb,
    ],
    // The quick check's questionnaire has conditions: it fetches JSONata as soon as it shows.
    [web.firstVisit('/quick-check (public)', QUICK_CHECK), WEB_BUDGET.quickCheckKb],
    [web.firstVisit('/quick-check, German', { ...QUICK_CHECK, locale: 'de' }), WEB_BUDGET.quickCheckKb],
  ]
  // Every other page opened directly (a link in a mail): the heaviest, in German.
  const heaviest = [...routePages().keys()]
    .map((path) =>
      web.firstVisit(`${path} signed in, German (heaviest page)`, {
        page: path,
        signedIn: true,
        locale: 'de',
      }),
    )
    .sort((a, b) => b.gzip - a.gzip)[0]
  visits.push([heaviest, WEB_BUDGET.initialKb])
  console.log('\nFirst visit: initial JavaScript (kB) against the goals of issue 15')
  console.table(
    visits.map(([v, goal]) => ({
      visit: v.label,
      files: v.files.length,
      'raw kB': kb(v.raw),
      'gzip kB': kb(v.gzip),
      'goal gzip kB': `≤ ${goal}`,
      met: v.gzip <= goal * 1000 ? 'yes' : 'NO',
    })),
  )
} finally {
  rmSync(out, { recursive: true, force: true })
}
