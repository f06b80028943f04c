import type { MessageKey } from './i18n/index.js'
import type { PageLoader } from './lazy-page.js'
import { matchPath } from './route-match.js'
import type { Role } from './types.js'

/** One page of the app, registered in `web/src/routes.ts`. */
export interface RouteDef {
  /** `/risks` or `/risks/:id`. */
  path: string
  /** Loads the page component (a lazy `import()`); it reads its params with `routeParams()`. */
  page: PageLoader
  /** Message key of the page title (`<title>` and usually the `<h1>`). */
  title: MessageKey
  /** Message key of the navigation entry; omit to keep the page out of the menu. */
  nav?: MessageKey
  /** Only people with one of these roles in the current organisation see the entry and the page. */
  roles?: Role[]
  /** Also shown to people who are not signed in (in the public frame), e.g. the quick check. */
  public?: boolean
}

/** The matched route and its params. */
export interface Match {
  route: RouteDef
  params: Record<string, string>
}

/**
 * A tiny history-API router: `router.path` is reactive, `router.navigate()` pushes, and
 * same-origin `<a href>` clicks are handled without a reload once `start()` ran.
 */
class Router {
  path = $state(typeof location === 'undefined' ? '/' : location.pathname)
  /** Increases on every in-app navigation (not on the first load), so pages can move focus. */
  navigations = $state(0)

  /** Finds the route for the current path. */
  match(routes: RouteDef[]): Match | undefined {
    for (const route of routes) {
      const params = matchPath(route.path, this.path)
      if (params) return { route, params }
    }
    return undefined
  }

  /** Goes to an in-app path. */
  navigate(to: string, options: { replace?: boolean } = {}) {
    const url = new URL(to, location.href)
    if (url.origin !== location.origin) {
      location.assign(url.href)
      return
    }
    if (options.replace) history.replaceState(null, '', url.pathname + url.search + url.hash)
    else history.pushState(null, '', url.pathname + url.search + url.hash)
    this.path = url.pathname
    this.navigations++
  }

  /** Listens to Back/Forward and to link clicks (call once). */
  start() {
    addEventListener('popstate', () => {
      this.path = location.pathname
      this.navigations++
    })
    document.addEventListener('click', (event) => {
      if (
        event.defaultPrevented ||
        event.button !== 0 ||
        event.metaKey ||
        event.ctrlKey ||
        event.shiftKey ||
        event.altKey
      )
        return
      const a = event.target instanceof Element ? event.target.closest('a') : null
      if (!a?.href || a.target || a.hasAttribute('download') || a.getAttribute('href')?.startsWith('#'))
        return
      const url = new URL(a.href)
      if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return
      event.preventDefault()
      if (url.pathname !== this.path || url.search !== location.search)
        this.navigate(url.pathname + url.search + url.hash)
    })
  }
}

/** The app's router. */
export const router = new Router()

/** The first screen after sign-in: the home page of the person's roles. */
export const HOME = '/home'

const RETURN_KEY = 'ismsflow.afterSignIn'

/** Remembers an in-app path to return to once the person has signed in (e.g. an invitation). */
export function returnAfterSignIn(path: string) {
  try {
    sessionStorage.setItem(RETURN_KEY, path)
  } catch {
    // Storage unavailable: the person opens the link again after signing in.
  }
}

/** The remembered path (once), or undefined. */
export function takeReturnPath(): string | undefined {
  try {
    const path = sessionStorage.getItem(RETURN_KEY) ?? undefined
    sessionStorage.removeItem(RETURN_KEY)
    return path?.startsWith('/') && !path.startsWith('//') ? path : undefined
  } catch {
    return undefined
  }
}
