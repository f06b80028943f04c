import { StatesError } from './errors.js'

/**
 * The parser of the Amazon States Language's intrinsic functions (`States.Format(...)` and
 * the other 17): a small hand-written recursive-descent parser that turns an expression into
 * a tree, checking syntax, names, argument counts and nesting. `intrinsics.ts` evaluates it.
 */

/** One argument (or the whole expression) of an intrinsic function call, as parsed. */
export type IntrinsicNode =
  | { kind: 'call'; name: IntrinsicName; args: IntrinsicNode[] }
  /** A quoted literal: `value` is the unescaped text; `pieces` splits it at unescaped `{}` (for Format). */
  | { kind: 'string'; value: string; pieces: string[] }
  | { kind: 'literal'; value: number | boolean | null }
  /** A JSONPath (`$.a`, `$`), context path (`$$.Execution.Id`) or variable (`$x.y`), unresolved. */
  | { kind: 'path'; path: string }

/** A parsed intrinsic function call. */
export type IntrinsicCall = Extract<IntrinsicNode, { kind: 'call' }>

/** Names of the 18 intrinsic functions, without the `States.` prefix, with their argument counts. */
const ARITY = {
  Format: [1, Number.POSITIVE_INFINITY],
  StringToJson: [1, 1],
  JsonToString: [1, 1],
  Array: [0, Number.POSITIVE_INFINITY],
  ArrayPartition: [2, 2],
  ArrayContains: [2, 2],
  ArrayRange: [3, 3],
  ArrayGetItem: [2, 2],
  ArrayLength: [1, 1],
  ArrayUnique: [1, 1],
  Base64Encode: [1, 1],
  Base64Decode: [1, 1],
  Hash: [2, 2],
  JsonMerge: [3, 3],
  MathRandom: [2, 3],
  MathAdd: [2, 2],
  StringSplit: [2, 2],
  UUID: [0, 0],
} as const satisfies Record<string, readonly [number, number]>

/** The name of an intrinsic function without its `States.` prefix, e.g. `Format`. */
export type IntrinsicName = keyof typeof ARITY

/** The intrinsic function names without the `States.` prefix. */
export const INTRINSIC_FUNCTIONS = Object.keys(ARITY) as IntrinsicName[]

/** AWS allows up to 10 nested intrinsic function calls in one field. */
const MAX_NESTING = 10
/** The prefix of every intrinsic function's name. */
export const PREFIX = 'States.'

const isIdentChar = (c: string) =>
  (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_'
const isDigit = (c: string) => c >= '0' && c <= '9'
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r'

/** The error of an intrinsic function that cannot be parsed or evaluated. */
export const failure = (cause: string) => new StatesError('States.IntrinsicFailure', cause)

/**
 * True when `s` is meant as an intrinsic function call: `States.` + a name + `(`.
 * Says nothing about whether the call is well-formed (`parseIntrinsic` does).
 *
 * @example isIntrinsic("States.Format('{}', $.a)") // true
 * @example isIntrinsic('$.a') // false
 */
export function isIntrinsic(s: string): boolean {
  if (typeof s !== 'string' || !s.startsWith(PREFIX)) return false
  let i = PREFIX.length
  const nameStart = i
  while (i < s.length && isIdentChar(s[i])) i++
  if (i === nameStart) return false
  while (i < s.length && isSpace(s[i])) i++
  return s[i] === '('
}

/** A recursive-descent parser over the characters of one expression. */
class Parser {
  private pos = 0
  private depth = 0
  constructor(private readonly src: string) {}

  parse(): IntrinsicCall {
    this.skipSpace()
    const call = this.call()
    this.skipSpace()
    if (this.pos < this.src.length) this.fail(`unexpected '${this.src[this.pos]}' after the closing ')'`)
    return call
  }

  private fail(message: string): never {
    throw failure(
      `Invalid intrinsic function ${JSON.stringify(this.src)}: ${message} (at position ${this.pos})`,
    )
  }

  private peek(): string {
    return this.src[this.pos] ?? ''
  }

  private skipSpace(): void {
    while (this.pos < this.src.length && isSpace(this.src[this.pos])) this.pos++
  }

  private call(): IntrinsicCall {
    if (!this.src.startsWith(PREFIX, this.pos))
      this.fail(`expected a function call starting with '${PREFIX}'`)
    this.pos += PREFIX.length
    const nameStart = this.pos
    while (this.pos < this.src.length && isIdentChar(this.src[this.pos])) this.pos++
    const bare = this.src.slice(nameStart, this.pos)
    if (!Object.hasOwn(ARITY, bare)) {
      this.pos = nameStart
      this.fail(`unknown function '${PREFIX}${bare}'`)
    }
    const name = bare as IntrinsicName
    this.skipSpace()
    if (this.peek() !== '(') this.fail(`expected '(' after ${PREFIX}${name}`)
    this.pos++
    this.depth++
    if (this.depth > MAX_NESTING) this.fail(`more than ${MAX_NESTING} nested intrinsic functions`)
    const args: IntrinsicNode[] = []
    this.skipSpace()
    if (this.peek() === ')') {
      this.pos++
    } else {
      for (;;) {
        args.push(this.argument())
        this.skipSpace()
        const c = this.peek()
        this.pos++
        if (c === ',') continue
        if (c === ')') break
        this.pos--
        this.fail(
          c === '' ? `missing ')' to close ${PREFIX}${name}(` : `expected ',' or ')' but found '${c}'`,
        )
      }
    }
    this.depth--
    const [min, max] = ARITY[name]
    if (args.length < min || args.length > max) {
      const expected =
        min === max ? `${min}` : max === Number.POSITIVE_INFINITY ? `at least ${min}` : `${min} to ${max}`
      throw failure(
        `${PREFIX}${name} takes ${expected} argument${min === 1 && max === 1 ? '' : 's'}, but ${args.length} ${args.length === 1 ? 'was' : 'were'} given in ${JSON.stringify(this.src)}`,
      )
    }
    return { kind: 'call', name, args }
  }

  private argument(): IntrinsicNode {
    this.skipSpace()
    const c = this.peek()
    if (c === "'") return this.string()
    if (c === '$') return this.path()
    if (c === '-' || isDigit(c)) return this.number()
    if (this.src.startsWith(PREFIX, this.pos)) return this.call()
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.src.startsWith(word, this.pos) && !isIdentChar(this.src[this.pos + word.length] ?? '')) {
        this.pos += word.length
        return { kind: 'literal', value }
      }
    }
    if (c === '') this.fail('missing argument')
    this.fail(
      `unexpected '${c}': an argument is a 'string', a number, true, false, null, a path starting with $ or a nested States. call`,
    )
  }

  /** `'...'` with escapes `\'`, `\{`, `\}`, `\\`; unescaped `{}` marks a Format placeholder. */
  private string(): IntrinsicNode {
    const start = this.pos
    this.pos++ // opening quote
    const pieces: string[] = []
    let piece = ''
    let value = ''
    for (;;) {
      if (this.pos >= this.src.length) {
        this.pos = start
        this.fail('unterminated string literal')
      }
      const c = this.src[this.pos]
      if (c === "'") {
        this.pos++
        break
      }
      if (c === '\\') {
        const next = this.src[this.pos + 1]
        if (next === "'" || next === '{' || next === '}' || next === '\\') {
          piece += next
          value += next
          this.pos += 2
          continue
        }
        this.fail(`invalid escape '\\${next ?? ''}' (only \\' \\{ \\} \\\\ are allowed)`)
      }
      if (c === '{' && this.src[this.pos + 1] === '}') {
        pieces.push(piece)
        piece = ''
        value += '{}'
        this.pos += 2
        continue
      }
      piece += c
      value += c
      this.pos++
    }
    pieces.push(piece)
    return { kind: 'string', value, pieces }
  }

  /** `-?digits(.digits)?([eE][+-]?digits)?`, as in JSON. */
  private number(): IntrinsicNode {
    const start = this.pos
    if (this.peek() === '-') this.pos++
    const digits = () => {
      const from = this.pos
      while (isDigit(this.peek())) this.pos++
      if (this.pos === from) this.fail('invalid number: expected a digit')
    }
    digits()
    if (this.peek() === '.') {
      this.pos++
      digits()
    }
    if (this.peek() === 'e' || this.peek() === 'E') {
      this.pos++
      if (this.peek() === '+' || this.peek() === '-') this.pos++
      digits()
    }
    if (isIdentChar(this.peek())) this.fail(`invalid number '${this.src.slice(start, this.pos + 1)}'`)
    const value = Number(this.src.slice(start, this.pos))
    return { kind: 'literal', value: Object.is(value, -0) ? 0 : value }
  }

  /**
   * A path runs to the next `,` or `)` (or space) outside brackets, parentheses and quotes,
   * so filters such as `$.a[?(@.b == 'x, y')]` stay whole.
   */
  private path(): IntrinsicNode {
    const start = this.pos
    const closers: string[] = []
    let quote = ''
    while (this.pos < this.src.length) {
      const c = this.src[this.pos]
      if (quote) {
        if (c === '\\') this.pos++
        else if (c === quote) quote = ''
      } else if (c === "'" || c === '"') {
        quote = c
      } else if (c === '[') {
        closers.push(']')
      } else if (c === '(') {
        closers.push(')')
      } else if (closers.length > 0 && c === closers[closers.length - 1]) {
        closers.pop()
      } else if (closers.length === 0 && (c === ',' || c === ')' || isSpace(c))) {
        break
      }
      this.pos++
    }
    if (quote || closers.length > 0) {
      this.pos = start
      this.fail(`unbalanced ${quote ? 'quote' : `'${closers[closers.length - 1]}'`} in path`)
    }
    return { kind: 'path', path: this.src.slice(start, this.pos) }
  }
}

const parsed = new Map<string, IntrinsicCall>()
const PARSE_CACHE_LIMIT = 1000

/**
 * Parses an intrinsic function expression into a tree (cached), checking syntax, function
 * names, argument counts and nesting depth.
 *
 * @throws StatesError `States.IntrinsicFailure` naming the problem and its position.
 */
export function parseIntrinsic(expr: string): IntrinsicCall {
  const hit = parsed.get(expr)
  if (hit) return hit
  const call = new Parser(expr).parse()
  if (parsed.size >= PARSE_CACHE_LIMIT) parsed.clear()
  parsed.set(expr, call)
  return call
}
