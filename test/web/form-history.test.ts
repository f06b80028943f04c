import { beforeEach, describe, expect, it } from 'vitest'
import { FormHistory } from '../../web/src/lib/forms/form-history.svelte.js'
import { DEFAULT_URL_NAMES } from '../../web/src/lib/forms/navigation.js'
import { openPage } from './support/server.js'

/**
 * A form's step in the address bar and the browser's history
 * (web/src/lib/forms/form-history.svelte.ts), in a page with a real History.
 */
const ORIGIN = 'http://forms.test'
const options = { syncUrl: true, urlNames: DEFAULT_URL_NAMES }
const page = (id: string) => ({ step: { kind: 'page' as const, pageId: id }, returnToCheck: false })
const here = () => location.pathname + location.search

/** Back in the browser, settled once its popstate has been dispatched. */
async function browserBack() {
  const popped = new Promise((resolve) => addEventListener('popstate', resolve, { once: true }))
  history.back()
  await popped
}

beforeEach(() => {
  openPage(`${ORIGIN}/tasks/t-1?tab=form`)
  history.replaceState(null, '', location.href)
})

describe('FormHistory', () => {
  it('starts at the step the address names', () => {
    history.replaceState(null, '', '/tasks/t-1?page=contact&change=1')
    const h = new FormHistory(options)
    expect(h.location).toEqual({ step: { kind: 'page', pageId: 'contact' }, returnToCheck: true })
    expect(h.backIsBrowserBack).toBe(false)
  })

  it('a step moved on to is a new history entry; its Back is then the browser Back', () => {
    const h = new FormHistory(options)
    const length = history.length
    h.push(page('about'))
    expect(here()).toBe('/tasks/t-1?tab=form&page=about')
    expect(history.length).toBe(length + 1)
    expect(h.backIsBrowserBack).toBe(true)
    h.push({ step: { kind: 'check' }, returnToCheck: false })
    expect(here()).toBe('/tasks/t-1?tab=form&check=1')
    expect(h.hrefFor(page('about'))).toBe('/tasks/t-1?tab=form&page=about')
    expect(h.pageOf('/tasks/t-1?page=contact')).toBe('contact')
  })

  it('replace shows a step in place of the current entry, without a new one', () => {
    const h = new FormHistory(options)
    const length = history.length
    h.replace(page('hidden-before'))
    expect(here()).toBe('/tasks/t-1?tab=form&page=hidden-before')
    expect(history.length).toBe(length)
    expect(h.backIsBrowserBack).toBe(false)
  })

  it('the browser Back brings the earlier step back, and tells the form', async () => {
    const h = new FormHistory(options)
    const popped: string[] = []
    const stop = h.listen(() =>
      popped.push(h.location.step?.kind === 'page' ? h.location.step.pageId : 'none'),
    )
    h.push(page('one'))
    h.push(page('two'))
    await browserBack()
    expect(h.location.step).toEqual({ kind: 'page', pageId: 'one' })
    expect(popped).toEqual(['one'])
    // One entry pushed before this one: the Back link still is the browser Back.
    expect(h.backIsBrowserBack).toBe(true)
    await browserBack()
    expect(h.location.step).toBeUndefined()
    expect(h.backIsBrowserBack).toBe(false)
    stop()
    h.push(page('three'))
    await browserBack()
    expect(popped).toEqual(['one', 'none'])
  })

  it('a reload keeps how deep the form is in the history', () => {
    const first = new FormHistory(options)
    first.push(page('one'))
    first.push(page('two'))
    const reloaded = new FormHistory(options)
    expect(reloaded.location.step).toEqual({ kind: 'page', pageId: 'two' })
    expect(reloaded.backIsBrowserBack).toBe(true)
  })

  it('without syncUrl the form keeps its step to itself: no address, no history', () => {
    const h = new FormHistory({ ...options, syncUrl: false })
    const length = history.length
    const before = here()
    h.push(page('one'))
    expect(h.location.step).toEqual({ kind: 'page', pageId: 'one' })
    expect(here()).toBe(before)
    expect(history.length).toBe(length)
    expect(h.hrefFor(page('one'))).toBe('#')
    expect(h.backIsBrowserBack).toBe(false)
  })
})
