/**
 * Matches a path against a pattern with `:params` (`/risks/:id`). Returns the decoded
 * params, or undefined when the path does not match. Trailing slashes are ignored.
 */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const split = (p: string) => p.split('/').filter(Boolean)
  const want = split(pattern)
  const got = split(path)
  if (want.length !== got.length) return undefined
  const params: Record<string, string> = {}
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) {
      try {
        params[want[i].slice(1)] = decodeURIComponent(got[i])
      } catch {
        return undefined
      }
    } else if (want[i] !== got[i]) return undefined
  }
  return params
}
