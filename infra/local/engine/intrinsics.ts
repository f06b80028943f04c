import { createHash, randomUUID } from 'node:crypto'
import type { StatesError } from './errors.js'
import {
  failure,
  type IntrinsicName,
  type IntrinsicNode,
  PREFIX,
  parseIntrinsic,
} from './intrinsic-parser.js'

/**
 * The evaluator of the Amazon States Language's intrinsic functions, as AWS evaluates them in
 * JSONPath mode, over the tree `intrinsic-parser.ts` builds. Path arguments are resolved
 * through a callback, so this module knows nothing about inputs, the context object or
 * variables.
 */

export {
  INTRINSIC_FUNCTIONS,
  type IntrinsicCall,
  type IntrinsicName,
  type IntrinsicNode,
  isIntrinsic,
  parseIntrinsic,
} from './intrinsic-parser.js'

/** ArrayRange may produce at most this many items. */
const MAX_RANGE_ITEMS = 1000
/** Base64Encode, Base64Decode and Hash accept inputs of at most this many characters. */
const MAX_CODEC_INPUT = 10_000

/**
 * Evaluates an intrinsic function expression such as `States.Format('Hi {}', $.name)`.
 * Path arguments (`$.a.b`, `$`, `$$.Execution.Id`, `$var`) are passed verbatim to
 * `resolvePath`, which returns their value (or throws its own error for a missing path).
 *
 * @throws StatesError `States.IntrinsicFailure` for syntax errors, unknown functions, wrong
 *   argument counts or types, and out-of-range values, with a cause naming the function.
 */
export function evaluateIntrinsic(expr: string, resolvePath: (path: string) => unknown): unknown {
  return evaluateNode(parseIntrinsic(expr), resolvePath)
}

function evaluateNode(node: IntrinsicNode, resolvePath: (path: string) => unknown): unknown {
  switch (node.kind) {
    case 'string':
    case 'literal':
      return node.value
    case 'path':
      return resolvePath(node.path)
    case 'call': {
      const args = node.args.map((arg) => evaluateNode(arg, resolvePath))
      return FUNCTIONS[node.name](new Args(node.name, args, node.args))
    }
  }
}

/** Evaluated arguments of one call, with type checks that name the function and position. */
class Args {
  constructor(
    readonly fn: IntrinsicName,
    readonly values: unknown[],
    readonly nodes: IntrinsicNode[],
  ) {}

  get length(): number {
    return this.values.length
  }

  fail(message: string): StatesError {
    return failure(`${PREFIX}${this.fn}: ${message}`)
  }

  private wrong(i: number, expected: string): StatesError {
    return this.fail(`argument ${i + 1} must be ${expected}, but was ${describe(this.values[i])}`)
  }

  any(i: number): unknown {
    return this.values[i]
  }

  string(i: number): string {
    const v = this.values[i]
    if (typeof v !== 'string') throw this.wrong(i, 'a string')
    return v
  }

  number(i: number): number {
    const v = this.values[i]
    if (typeof v !== 'number' || !Number.isFinite(v)) throw this.wrong(i, 'a number')
    return v
  }

  integer(i: number): number {
    const v = this.values[i]
    if (typeof v !== 'number' || !Number.isInteger(v)) throw this.wrong(i, 'an integer')
    return v
  }

  boolean(i: number): boolean {
    const v = this.values[i]
    if (typeof v !== 'boolean') throw this.wrong(i, 'a boolean')
    return v
  }

  array(i: number): unknown[] {
    const v = this.values[i]
    if (!Array.isArray(v)) throw this.wrong(i, 'an array')
    return v
  }

  object(i: number): Record<string, unknown> {
    const v = this.values[i]
    if (!isPlainObject(v)) throw this.wrong(i, 'a JSON object')
    return v
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** A short description of a value for error causes: its JSON type and (truncated) text. */
function describe(v: unknown): string {
  if (v === undefined) return 'missing'
  const type =
    v === null
      ? 'null'
      : Array.isArray(v)
        ? 'an array'
        : typeof v === 'object'
          ? 'an object'
          : `a ${typeof v}`
  if (v === null) return 'null'
  const text = JSON.stringify(v)
  return `${type} (${text.length > 80 ? `${text.slice(0, 77)}...` : text})`
}

/** Java's Math.round: half-up towards positive infinity (−1.5 → −1), never −0. */
const javaRound = (x: number) => Math.floor(x + 0.5) + 0

/** Structural JSON equality (object key order does not matter). */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]))
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a)
    return (
      keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]))
    )
  }
  return false
}

/** A key equal for structurally equal JSON values (object keys sorted). */
function canonicalKey(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalKey).join(',')}]`
  if (isPlainObject(v)) {
    const keys = Object.keys(v).sort()
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalKey(v[k])}`).join(',')}}`
  }
  return JSON.stringify(v)
}

/** How States.Format renders a value: strings bare, objects `{a=1, b=[x, y]}`, others as JSON. */
function formatValue(v: unknown): string {
  if (typeof v === 'string') return v
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`
  if (isPlainObject(v)) {
    return `{${Object.entries(v)
      .map(([k, item]) => `${k}=${formatValue(item)}`)
      .join(', ')}}`
  }
  return JSON.stringify(v) ?? 'null'
}

/** Small deterministic PRNG (mulberry32) for MathRandom with a seed. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const BASE64_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** True for standard base64 text; padding is optional (as Java's basic decoder accepts). */
function isBase64(s: string): boolean {
  let end = s.length
  if (s.endsWith('==')) end -= 2
  else if (s.endsWith('=')) end -= 1
  for (let i = 0; i < end; i++) if (!BASE64_CHARS.includes(s[i])) return false
  return end % 4 !== 1
}

const HASH_ALGORITHMS: Record<string, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
}

const FUNCTIONS: Record<IntrinsicName, (args: Args) => unknown> = {
  Format(args) {
    const template = args.string(0)
    const first = args.nodes[0]
    const pieces = first.kind === 'string' ? first.pieces : template.split('{}')
    const placeholders = pieces.length - 1
    if (placeholders !== args.length - 1) {
      throw args.fail(
        `the template has ${placeholders} placeholder${placeholders === 1 ? '' : 's'} {} but ${args.length - 1} value${args.length === 2 ? ' was' : 's were'} given`,
      )
    }
    let out = pieces[0]
    for (let i = 1; i < pieces.length; i++) out += formatValue(args.any(i)) + pieces[i]
    return out
  },

  StringToJson(args) {
    const text = args.string(0)
    if (text.trim() === '') return null
    try {
      const value = JSON.parse(text)
      return Object.is(value, -0) ? 0 : value
    } catch {
      throw args.fail(`argument 1 is not valid JSON text: ${describe(text)}`)
    }
  },

  JsonToString(args) {
    return JSON.stringify(args.any(0))
  },

  Array(args) {
    return [...args.values]
  },

  ArrayPartition(args) {
    const array = args.array(0)
    const size = args.integer(1)
    if (size <= 0) throw args.fail(`the chunk size must be a positive integer, but was ${size}`)
    const chunks: unknown[][] = []
    for (let i = 0; i < array.length; i += size) chunks.push(array.slice(i, i + size))
    return chunks
  },

  ArrayContains(args) {
    const array = args.array(0)
    const wanted = args.any(1)
    return array.some((item) => jsonEqual(item, wanted))
  },

  ArrayRange(args) {
    const start = args.integer(0)
    const end = args.integer(1)
    const step = args.integer(2)
    if (step === 0) throw args.fail('the step must not be 0')
    const count = (step > 0 ? end >= start : end <= start) ? Math.floor((end - start) / step) + 1 : 0
    if (count > MAX_RANGE_ITEMS) {
      throw args.fail(`the range would have ${count} items; at most ${MAX_RANGE_ITEMS} are allowed`)
    }
    return Array.from({ length: count }, (_, i) => start + i * step)
  },

  ArrayGetItem(args) {
    const array = args.array(0)
    const index = args.integer(1)
    if (index < 0 || index >= array.length) {
      throw args.fail(`index ${index} is out of bounds for an array of length ${array.length}`)
    }
    return array[index]
  },

  ArrayLength(args) {
    return args.array(0).length
  },

  ArrayUnique(args) {
    const seen = new Set<string>()
    return args.array(0).filter((item) => {
      const key = canonicalKey(item)
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
  },

  Base64Encode(args) {
    const text = args.string(0)
    if (text.length > MAX_CODEC_INPUT) {
      throw args.fail(`the input has ${text.length} characters; at most ${MAX_CODEC_INPUT} are allowed`)
    }
    return Buffer.from(text, 'utf8').toString('base64')
  },

  Base64Decode(args) {
    const text = args.string(0)
    if (text.length > MAX_CODEC_INPUT) {
      throw args.fail(`the input has ${text.length} characters; at most ${MAX_CODEC_INPUT} are allowed`)
    }
    if (!isBase64(text)) throw args.fail(`argument 1 is not valid base64: ${describe(text)}`)
    return Buffer.from(text, 'base64').toString('utf8')
  },

  Hash(args) {
    const data = args.string(0)
    const algorithm = args.string(1)
    const nodeName = Object.hasOwn(HASH_ALGORITHMS, algorithm) ? HASH_ALGORITHMS[algorithm] : undefined
    if (!nodeName) {
      throw args.fail(
        `unsupported algorithm '${algorithm}'; use one of ${Object.keys(HASH_ALGORITHMS).join(', ')}`,
      )
    }
    if (data.length > MAX_CODEC_INPUT) {
      throw args.fail(`the input has ${data.length} characters; at most ${MAX_CODEC_INPUT} are allowed`)
    }
    return createHash(nodeName).update(data, 'utf8').digest('hex')
  },

  JsonMerge(args) {
    const left = args.object(0)
    const right = args.object(1)
    if (args.boolean(2)) throw args.fail('deep merge (true) is not supported; pass false for a shallow merge')
    return { ...left, ...right }
  },

  MathRandom(args) {
    const start = javaRound(args.number(0))
    const end = javaRound(args.number(1))
    if (end < start) throw args.fail(`the end (${end}) must not be less than the start (${start})`)
    const random = args.length === 3 ? seededRandom(args.integer(2)) : Math.random
    return start + Math.floor(random() * (end - start))
  },

  MathAdd(args) {
    return javaRound(args.number(0)) + javaRound(args.number(1))
  },

  StringSplit(args) {
    const text = args.string(0)
    const delimiters = new Set(args.string(1))
    const tokens: string[] = []
    let token = ''
    for (const c of text) {
      if (delimiters.has(c)) {
        if (token) tokens.push(token)
        token = ''
      } else {
        token += c
      }
    }
    if (token) tokens.push(token)
    return tokens
  },

  UUID() {
    return randomUUID()
  },
}
