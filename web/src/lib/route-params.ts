import { createContext } from 'svelte'

/**
 * The params of the shown route's path (`/risks/:id` → `params.id`), current while the path
 * changes within the route. `RoutePage` provides them; a page reads them while it initialises:
 *
 * @example
 * const route = routeParams()
 * const path = $derived(`/api/risks/${encodeURIComponent(route.params.id)}`)
 */
export interface RouteParams {
  readonly params: Readonly<Record<string, string>>
}

const [get, set] = createContext<RouteParams>()

/** The shown route's params, for a page (call it while the page initialises). */
export const routeParams = get
/** Gives the page below the route's params (`RoutePage` does this). */
export const provideRouteParams = set
