import type { Component } from 'svelte'
import { textsReady } from './i18n/texts.js'

/** A page component: it takes no props (its route's params come from `routeParams()`). */
export type Page = Component<Record<string, never>>
/** A page's module, loaded on first use: `() => import('./pages/Inbox.svelte')`. */
export type PageLoader = () => Promise<{ default: Page }>

const loaded = new WeakMap<PageLoader, Page>()
const loading = new WeakMap<PageLoader, Promise<Page>>()

/**
 * The page component of `load`: the component itself once loaded (so a page shown before
 * renders at once, with no loading state), else the promise of it. A failed load is
 * forgotten, so the next attempt fetches again.
 */
export function loadPage(load: PageLoader): Page | Promise<Page> {
  const page = loaded.get(load)
  if (page) return page
  let pending = loading.get(load)
  if (!pending) {
    pending = load().then(
      async (module) => {
        // The page's texts in the reader's language came with it or are on their way.
        await textsReady()
        loaded.set(load, module.default)
        return module.default
      },
      (err: unknown) => {
        loading.delete(load)
        throw err
      },
    )
    loading.set(load, pending)
  }
  return pending
}
