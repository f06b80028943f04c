/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, `undefined` members
 * left out, numbers in JavaScript's shortest form (−0 written 0). For the plain data we hash
 * (strings, finite numbers, booleans, null, arrays, objects) this matches RFC 8785 (JCS), so the
 * same value gives the same text, and hence the same hash, in every browser and on the server.
 * Throws on values JSON cannot carry faithfully (non-finite numbers, functions, undefined in arrays).
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$')
}

function write(value: unknown, path: string): string {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${path} is not a finite number`)
      return Object.is(value, -0) ? '0' : JSON.stringify(value)
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value.map((v, i) => {
          if (v === undefined) throw new TypeError(`${path}[${i}] is undefined`)
          return write(v, `${path}[${i}]`)
        })}]`
      }
      const proto = Object.getPrototypeOf(value)
      if (proto !== Object.prototype && proto !== null) throw new TypeError(`${path} is not a plain object`)
      const entries = Object.keys(value)
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${write((value as Record<string, unknown>)[k], `${path}.${k}`)}`)
      return `{${entries.join(',')}}`
    }
    default:
      throw new TypeError(`${path} cannot be written as JSON (${typeof value})`)
  }
}
