/**
 * Natural order for identifiers that mix text and numbers: control ids (`A.5.3` before
 * `A.5.29`, TISAX `1.2.10` after `1.2.9`), measure and task numbers. Runs of digits compare
 * as numbers, the text between them case-insensitively; strings that are still equal are
 * ordered exactly, so the order is total and stable.
 */

const PARTS = /(\d+)|(\D+)/g

const isDigits = (s: string) => s.charCodeAt(0) >= 48 && s.charCodeAt(0) <= 57

/** Compares two digit runs as numbers without converting them (ids may exceed safe integers). */
function compareNumbers(x: string, y: string): number {
  const nx = x.replace(/^0+(?=\d)/, '')
  const ny = y.replace(/^0+(?=\d)/, '')
  if (nx.length !== ny.length) return nx.length - ny.length
  return nx < ny ? -1 : nx > ny ? 1 : 0
}

/**
 * Compares two strings in natural order: negative when `a` comes first, 0 only when equal.
 *
 * @example ['A.5.29', 'A.5.3', 'A.8.1'].sort(naturalCompare) // ['A.5.3', 'A.5.29', 'A.8.1']
 */
export function naturalCompare(a: string, b: string): number {
  if (a === b) return 0
  const pa = a.match(PARTS) ?? []
  const pb = b.match(PARTS) ?? []
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]
    const y = pb[i]
    const dx = isDigits(x)
    const dy = isDigits(y)
    if (dx !== dy) return dx ? -1 : 1 // numbers before text
    const c = dx ? compareNumbers(x, y) : x.toLowerCase().localeCompare(y.toLowerCase(), 'en')
    if (c !== 0) return c
  }
  if (pa.length !== pb.length) return pa.length - pb.length
  return a < b ? -1 : 1 // same in natural order (case, leading zeros): exact order decides
}
