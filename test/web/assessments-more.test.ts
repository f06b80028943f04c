import { Hono } from 'hono'
import { flushSync, mount, unmount } from 'svelte'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { DecisionRow } from '../../functions/domain/contracts/obligations.js'
import { locale } from '../../web/src/lib/i18n/index.js'
import Assessments from '../../web/src/pages/assessments/Assessments.svelte'
import { serveApp, type TestServer } from './support/server.js'

/**
 * The obligation assessments page (web/src/pages/assessments/Assessments.svelte), mounted as
 * the app mounts it, against an API that pages the decisions as `GET /api/assessments` does
 * (`limit`, `cursor`, `total`): the total is shown, "Show more" reads the next page by its
 * cursor, says in a polite status how many it added, keeps the focus while there is more and
 * puts it on the first added decision when the last page is in.
 */
const TOTAL = 73

const row = (n: number): DecisionRow => ({
  id: `d-${n}`,
  version: 1,
  sequence: n,
  title: `Decision ${n}`,
  summary: '',
  decidedAt: new Date(Date.UTC(2024, 0, n)).toISOString(),
  rulesVersion: '1',
  outcome: {
    nis2: { category: 'not-covered', en: 'not covered', de: 'nicht betroffen' },
    kritis: false,
    dpo: false,
    tisax: { relevant: false, level: null },
  },
  current: n === TOTAL,
  previousDecisionId: n > 1 ? `d-${n - 1}` : null,
  supersededBy: n < TOTAL ? `d-${n + 1}` : null,
  reviewedBy: { userId: 'u-iso', name: 'Ida Iso', at: '2024-01-01T00:00:00.000Z' },
  reviewOutcome: 'confirm',
  acknowledgedBy: {
    userId: 'u-m',
    name: 'Max Manager',
    at: '2024-01-01T00:00:00.000Z',
    typedName: 'Max Manager',
  },
  adjustments: 0,
  followUps: { total: 0, open: 0, done: 0 },
  reassessAt: '2025-01-01',
})
/** Newest first, as the API orders them. */
const decisions = Array.from({ length: TOTAL }, (_, i) => row(TOTAL - i))
/** The queries the page sent. */
const asked: { limit?: string; cursor?: string }[] = []
/** Answer the next page with a server error once. */
let failNext = false

const app = new Hono().get('/api/assessments', (c) => {
  const limit = Number(c.req.query('limit') ?? 50)
  const cursor = c.req.query('cursor')
  asked.push({ limit: c.req.query('limit'), cursor })
  if (cursor && failNext) {
    failNext = false
    return c.json({ error: { code: 'internal', message: 'Broken.' } }, 500)
  }
  const from = cursor ? Number(cursor.replace('after-', '')) : 0
  const items = decisions.slice(from, from + limit)
  const next = from + limit < TOTAL ? { cursor: `after-${from + limit}` } : {}
  return c.json({ items, ...next, total: TOTAL, inProgress: [] })
})

let server: TestServer
let page: ReturnType<typeof mount> | undefined
beforeAll(async () => {
  server = await serveApp(app, '/assessments')
})
afterEach(async () => {
  if (page) unmount(page)
  page = undefined
  document.body.innerHTML = ''
  asked.length = 0
  await locale.set('en')
})
afterAll(() => server.close())

const decisionRows = () => [...document.querySelectorAll('tbody tr')]
const moreButton = () =>
  [...document.querySelectorAll('button')].find((b) =>
    /more decisions|Weitere Entscheidungen/.test(b.textContent ?? ''),
  )
/** The "Show more" button, which must be there. */
const theMoreButton = () => {
  const button = moreButton()
  if (!button) throw new Error('no "Show more decisions" button')
  return button
}
const status = () => document.querySelector('[data-testid="table-more-status"]')
const count = () => document.querySelector('p.count')?.textContent?.trim()

async function open() {
  page = mount(Assessments, { target: document.body })
  await vi.waitFor(() => expect(decisionRows()).toHaveLength(50))
}

describe('obligation assessments page: more than one page of decisions', () => {
  it('shows 50 of 73, reads the rest by cursor with "Show more", announces it, and keeps the focus sensible', async () => {
    await open()
    expect(asked).toEqual([{ limit: '50', cursor: undefined }])
    expect(count()).toBe('Showing 50 of 73 decisions.')
    const button = theMoreButton()
    expect(button.textContent?.trim()).toBe('Show more decisions')
    // A live region that is there before anything is said (screen readers ignore regions that appear with their text).
    expect(status()?.getAttribute('role')).toBe('status')
    expect(status()?.textContent).toBe('')

    button.focus()
    button.click()
    // Busy, not disabled, so the keyboard focus is not dropped while the page loads.
    flushSync()
    expect(button.getAttribute('aria-disabled')).toBe('true')
    expect(button.hasAttribute('disabled')).toBe(false)
    expect(document.activeElement).toBe(button)
    await vi.waitFor(() => expect(decisionRows()).toHaveLength(TOTAL))
    expect(asked[1]).toEqual({ limit: '50', cursor: 'after-50' })
    await vi.waitFor(() => expect(status()?.textContent).toBe('23 more entries shown: 73 of 73.'))
    expect(count()).toBe('Showing 73 of 73 decisions.')
    // The last page is in: the button is gone, the focus is on the first decision it added.
    expect(moreButton()).toBeUndefined()
    await vi.waitFor(() => expect(document.activeElement?.textContent).toContain('Decision 23 of'))
    expect(document.activeElement?.tagName).toBe('A')
    expect(decisionRows()[50]?.contains(document.activeElement)).toBe(true)
    // Every decision can be compared now, not only the first page's.
    expect(document.querySelectorAll('#compare-a option')).toHaveLength(TOTAL)
  })

  it('in German: the count, the button and the announcement', async () => {
    await locale.set('de')
    await open()
    await vi.waitFor(() => expect(count()).toBe('50 von 73 Entscheidungen werden gezeigt.'))
    const button = theMoreButton()
    expect(button.textContent?.trim()).toBe('Weitere Entscheidungen anzeigen')
    button.click()
    await vi.waitFor(() => expect(status()?.textContent).toBe('23 weitere Einträge angezeigt: 73 von 73.'))
  })

  it('a failed "Show more" keeps the first page and the button, says so, and the next try goes on', async () => {
    await open()
    failNext = true
    const button = theMoreButton()
    button.focus()
    button.click()
    await vi.waitFor(() =>
      expect(document.querySelector('[role="alert"]')?.textContent).toContain('could not be loaded'),
    )
    expect(decisionRows()).toHaveLength(50)
    expect(status()?.textContent).toBe('')
    expect(document.activeElement).toBe(moreButton())
    theMoreButton().click()
    await vi.waitFor(() => expect(decisionRows()).toHaveLength(TOTAL))
    expect(document.querySelector('[role="alert"]')).toBeNull()
  })
})
