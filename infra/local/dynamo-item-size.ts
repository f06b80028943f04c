import { createRequire } from 'node:module'

/**
 * dynalite's `itemSize` (db/index.js, dynalite 4.0.0): the size it counts of a stored item, for
 * a page's 1 MB limit and its consumed capacity. The same number, worked out without allocating.
 *
 * Why: dynalite's own takes `Object.keys` of the item and of each attribute value, a closure per
 * `reduce`, and a `Big` (an object and an array of digits) for each number, once or twice for
 * every item a Query reads: ~80 KB of garbage per inbox request of the 50-client benchmark, 6 %
 * of what the request allocated (an allocation profile of the app under that load).
 *
 * It counts as dynalite does, quirks included: a string by its UTF-16 length, a number by its
 * significant digits and exponent as big.js 6 parses them (`Big`'s `c` and `e`), binary by its
 * decoded bytes, a map's attribute names by their length. An attribute value it does not know
 * (no known type, a number that is not a numeric string) makes it give the item to dynalite's
 * own function, which answers (or throws) as before.
 */

const require = createRequire(import.meta.url)
/** dynalite's db module (untyped CommonJS): its `itemSize`, for what this one does not count itself. */
interface DynaliteSizes {
  itemSize(item: Item, compress?: boolean, addMetaSize?: boolean, rangeKey?: string): number
}
const db: DynaliteSizes = require('dynalite/db')

/** A stored item (or a map's value): attribute names and DynamoDB attribute values (JSON). */
type Item = Record<string, unknown>

/** big.js 6's test of a numeric string (`NUMERIC` in big.js). */
const NUMERIC = /^-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i

/** Whether a value is an item or a map's value (an object, not an array). */
const isItem = (v: unknown): v is Item => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Not a value this module counts: the item goes to dynalite's `itemSize`. */
const UNKNOWN = -1

/**
 * dynalite's `itemSize(item, compress, addMetaSize, rangeKey)`: the same number, computed
 * without allocating (except for binary values, decoded as dynalite decodes them).
 */
export function itemSize(item: Item, compress?: boolean, addMetaSize?: boolean, rangeKey?: string): number {
  const size = isItem(item) ? attributesSize(item, compress === true, rangeKey) : UNKNOWN
  if (size === UNKNOWN) return db.itemSize(item, compress, addMetaSize, rangeKey)
  if (!addMetaSize) return size
  const rangeKeySize =
    compress && rangeKey !== undefined && Object.hasOwn(item, rangeKey) ? valueSize(item[rangeKey], false) : 0
  return 2 + size + (1 + Math.floor((1 + size) / 3072)) * (18 + rangeKeySize)
}

/** The sum dynalite's `itemSize` reduces (its `rangeKey` left out when compressed), or `UNKNOWN`. */
function attributesSize(item: Item, compress: boolean, rangeKey: string | undefined): number {
  let sum = 0
  for (const attr in item) {
    if (!Object.hasOwn(item, attr)) continue
    const compressed = compress && attr !== rangeKey
    const size = valueSize(item[attr], compressed)
    if (size === UNKNOWN) return UNKNOWN
    if (compress && attr === rangeKey) continue
    sum += size + (compress ? 1 : attr.length)
  }
  return sum
}

/** dynalite's `valSizeWithStorage`: an attribute value's size, with its storage overhead when compressed. */
function valueSize(value: unknown, compress: boolean): number {
  if (typeof value !== 'object' || value === null) return UNKNOWN
  let type: string | undefined
  for (const key in value) {
    if (Object.hasOwn(value, key)) {
      type = key
      break
    }
  }
  if (type === undefined) return UNKNOWN
  const val: unknown = Reflect.get(value, type)
  const size = plainSize(val, type, compress)
  if (size === UNKNOWN || !compress) return size
  switch (type) {
    case 'S':
      return size + (size < 128 ? 1 : size < 16384 ? 2 : 3)
    case 'B':
    case 'N':
      return size + 1
    case 'SS':
    case 'BS':
    case 'NS':
      return Array.isArray(val) ? size + val.length + 1 : UNKNOWN
    case 'NULL':
      return 0
    case 'BOOL':
      return 1
    default:
      // 'L' and 'M'.
      return size
  }
}

/** dynalite's `valSize`: a value's size by its type, or `UNKNOWN`. */
function plainSize(val: unknown, type: string, compress: boolean): number {
  switch (type) {
    case 'S':
      return typeof val === 'string' ? val.length : UNKNOWN
    case 'B':
      return typeof val === 'string' ? Buffer.from(val, 'base64').length : UNKNOWN
    case 'N':
      return typeof val === 'string' ? numberSize(val) : UNKNOWN
    case 'SS':
    case 'BS':
    case 'NS': {
      if (!Array.isArray(val)) return UNKNOWN
      let sum = 0
      for (const x of val) {
        const size = plainSize(x, type === 'SS' ? 'S' : type === 'NS' ? 'N' : 'B', compress)
        if (size === UNKNOWN) return UNKNOWN
        sum += size
      }
      return sum
    }
    case 'NULL':
    case 'BOOL':
      return 1
    case 'L': {
      if (!Array.isArray(val)) return UNKNOWN
      let sum = 3
      for (const x of val) {
        const size = valueSize(x, compress)
        if (size === UNKNOWN) return UNKNOWN
        sum += 1 + size
      }
      return sum
    }
    case 'M': {
      if (!isItem(val)) return UNKNOWN
      let keys = 0
      for (const key in val) if (Object.hasOwn(val, key)) keys++
      const size = attributesSize(val, compress, undefined)
      return size === UNKNOWN ? UNKNOWN : 3 + keys + size
    }
    default:
      return UNKNOWN
  }
}

/**
 * dynalite's size of a number: from `new Big(val)`'s digits `c` (no leading or trailing zeros)
 * and exponent `e`, found here by reading the string as big.js's `parse` reads it.
 */
function numberSize(n: string): number {
  if (!NUMERIC.test(n)) return UNKNOWN // big.js throws: dynalite's own function does
  const negative = n.charCodeAt(0) === 45 // '-'
  const start = negative ? 1 : 0
  let expAt = n.length
  for (let k = start; k < n.length; k++) {
    const c = n.charCodeAt(k)
    if (c === 101 || c === 69) {
      expAt = k
      break
    }
  }
  // The mantissa's digits (the point left out), as big.js's string without sign, point and exponent.
  let digits = 0
  let beforePoint = -1
  let firstNonZero = -1
  let lastNonZero = -1
  for (let k = start; k < expAt; k++) {
    const c = n.charCodeAt(k)
    if (c === 46) {
      beforePoint = digits
      continue
    }
    if (c !== 48 && firstNonZero < 0) firstNonZero = digits
    if (c !== 48) lastNonZero = digits
    digits++
  }
  if (firstNonZero < 0) return 1 // zero: `c` is [0]
  // big.js: the point's index (or the digits' count), plus the exponent written.
  let e = beforePoint >= 0 ? beforePoint : digits
  if (expAt < n.length) e += +n.slice(expAt + 1)
  const exponent = e - firstNonZero - 1
  const count = lastNonZero - firstNonZero + 1
  return 1 + Math.ceil(count / 2) + (count % 2 || exponent % 2 ? 0 : 1) + (negative ? 1 : 0)
}
