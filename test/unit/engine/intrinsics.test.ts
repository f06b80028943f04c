import { describe, expect, it } from 'vitest'
import { StatesError } from '../../../infra/local/engine/errors.js'
import { evaluateIntrinsic, isIntrinsic, parseIntrinsic } from '../../../infra/local/engine/intrinsics.js'

const input = { a: { b: 'B' }, n: 3, list: [1, 2, 3], text: 'hello' }

/** Resolves only the few paths these tests use; records every path it is asked for. */
function resolver(seen: string[] = []) {
  return (path: string): unknown => {
    seen.push(path)
    if (path === '$') return input
    if (path === '$.a') return input.a
    if (path === '$.a.b') return 'B'
    if (path === '$.n') return 3
    if (path === '$.list') return input.list
    if (path === '$.text') return input.text
    if (path === '$.template') return 'x={} y={}'
    return `<${path}>`
  }
}

const evaluate = (expr: string) => evaluateIntrinsic(expr, resolver())

/** The StatesError an evaluation throws (fails the test when nothing is thrown). */
function failureOf(expr: string): StatesError {
  try {
    evaluate(expr)
  } catch (error) {
    expect(error).toBeInstanceOf(StatesError)
    return error as StatesError
  }
  throw new Error(`expected ${expr} to fail`)
}

describe('isIntrinsic', () => {
  it('recognises States.<Name>( calls', () => {
    expect(isIntrinsic("States.Format('{}', $.a)")).toBe(true)
    expect(isIntrinsic('States.UUID()')).toBe(true)
    expect(isIntrinsic('States.Array ($.a)')).toBe(true)
    expect(isIntrinsic('States.NoSuchFunction()')).toBe(true)
  })

  it('rejects paths, plain strings and names without a call', () => {
    expect(isIntrinsic('$.a')).toBe(false)
    expect(isIntrinsic('States.Format')).toBe(false)
    expect(isIntrinsic('States.(1)')).toBe(false)
    expect(isIntrinsic(' States.UUID()')).toBe(false)
    expect(isIntrinsic('states.UUID()')).toBe(false)
    expect(isIntrinsic('')).toBe(false)
  })
})

describe('parseIntrinsic', () => {
  it('builds a tree of calls, literals and paths', () => {
    expect(parseIntrinsic("States.Array(1, 'x', $.a, true, null, States.UUID())")).toEqual({
      kind: 'call',
      name: 'Array',
      args: [
        { kind: 'literal', value: 1 },
        { kind: 'string', value: 'x', pieces: ['x'] },
        { kind: 'path', path: '$.a' },
        { kind: 'literal', value: true },
        { kind: 'literal', value: null },
        { kind: 'call', name: 'UUID', args: [] },
      ],
    })
  })

  it('returns the same tree for the same text (cached)', () => {
    expect(parseIntrinsic('States.Array($.x)')).toBe(parseIntrinsic('States.Array($.x)'))
  })
})

describe('evaluateIntrinsic: syntax', () => {
  it('evaluates nested calls inside out', () => {
    expect(
      evaluate("States.Format('{}-{}', States.ArrayLength(States.Array(1, 2, 3)), States.MathAdd($.n, 2))"),
    ).toBe('3-5')
  })

  it("unescapes \\' \\{ \\} \\\\ and keeps escaped braces out of the placeholders", () => {
    expect(evaluate(String.raw`States.Format('a \{\} b {} \'q\' \\', $.a.b)`)).toBe("a {} b B 'q' \\")
    expect(evaluate(String.raw`States.StringSplit('a\'b', '\'')`)).toEqual(['a', 'b'])
    expect(evaluate(String.raw`States.Array('\{}')`)).toEqual(['{}'])
  })

  it('rejects other escapes and unterminated strings', () => {
    expect(failureOf(String.raw`States.Array('a\nb')`).causeText).toContain("invalid escape '\\n'")
    expect(failureOf("States.Array('abc)").causeText).toContain('unterminated string literal')
  })

  it('reads numbers, booleans and null', () => {
    expect(evaluate('States.Array(1, -2, 1.5, 2e3, -0, 0.25E-1, true, false, null)')).toEqual([
      1,
      -2,
      1.5,
      2000,
      0,
      0.025,
      true,
      false,
      null,
    ])
    expect(Object.is((evaluate('States.Array(-0)') as number[])[0], 0)).toBe(true)
  })

  it('rejects malformed numbers and bare words', () => {
    expect(failureOf('States.Array(1.)').causeText).toContain('invalid number')
    expect(failureOf('States.Array(12abc)').causeText).toContain('invalid number')
    expect(failureOf('States.Array(truex)').causeText).toContain("unexpected 't'")
    expect(failureOf('States.Array(.5)').causeText).toContain("unexpected '.'")
  })

  it('passes paths verbatim to the resolver: $, $$, variables, brackets and filters', () => {
    const seen: string[] = []
    const result = evaluateIntrinsic(
      "States.Array($, $$.Execution.Id, $var.x, $['a b'], $.l[?(@.b == 'x, y)')], $.a.b)",
      resolver(seen),
    )
    expect(seen).toEqual(['$', '$$.Execution.Id', '$var.x', "$['a b']", "$.l[?(@.b == 'x, y)')]", '$.a.b'])
    expect(result).toEqual([
      input,
      '<$$.Execution.Id>',
      '<$var.x>',
      "<$['a b']>",
      "<$.l[?(@.b == 'x, y)')]>",
      'B',
    ])
  })

  it('allows spaces around arguments and before the parenthesis', () => {
    expect(evaluate("  States.Array (  1 ,\t$.n ,  'a b'  )  ")).toEqual([1, 3, 'a b'])
    expect(evaluate('States.Array()')).toEqual([])
  })

  it('names syntax errors with their position', () => {
    expect(failureOf('States.Array(1, 2').causeText).toMatch(/missing '\)' to close States\.Array\(/)
    expect(failureOf('States.Array(1 2)').causeText).toContain("expected ',' or ')' but found '2'")
    expect(failureOf('States.Array(1))').causeText).toContain("unexpected ')' after the closing ')'")
    expect(failureOf('States.Array(1,)').causeText).toContain("unexpected ')'")
    expect(failureOf('States.Array($.a[0)').causeText).toContain("unbalanced ']' in path")
    expect(failureOf('States.Frobnicate(1)').causeText).toContain("unknown function 'States.Frobnicate'")
    expect(failureOf('States.Frobnicate(1)').causeText).toContain('at position 7')
    expect(failureOf('States.Frobnicate(1)').error).toBe('States.IntrinsicFailure')
  })

  it('allows 10 nested calls but not 11', () => {
    const nest = (n: number) => 'States.Array('.repeat(n) + ')'.repeat(n)
    expect(() => evaluate(nest(10))).not.toThrow()
    expect(failureOf(nest(11)).causeText).toContain('more than 10 nested')
  })

  it('checks argument counts when parsing', () => {
    expect(failureOf('States.ArrayGetItem($.list)').causeText).toContain(
      'States.ArrayGetItem takes 2 arguments, but 1 was given',
    )
    expect(failureOf('States.UUID(1)').causeText).toContain('States.UUID takes 0 arguments, but 1 was given')
    expect(failureOf('States.MathRandom(1)').causeText).toContain('takes 2 to 3 arguments')
    expect(failureOf('States.Format()').causeText).toContain('takes at least 1 argument')
  })
})

describe('evaluateIntrinsic: functions', () => {
  it('Format: renders values as AWS does and counts placeholders', () => {
    expect(evaluate("States.Format('{} {} {} {}', null, 1.5, true, States.Array(1, 'a'))")).toBe(
      'null 1.5 true [1, a]',
    )
    expect(evaluate('States.Format($.template, 1, 2)')).toBe('x=1 y=2')
    expect(failureOf("States.Format('{} {}', 1)").causeText).toContain(
      '2 placeholders {} but 1 value was given',
    )
    expect(failureOf('States.Format(1)').causeText).toContain('States.Format: argument 1 must be a string')
  })

  it('StringToJson / JsonToString', () => {
    expect(evaluate("States.StringToJson('  ')")).toBeNull()
    expect(evaluate(String.raw`States.StringToJson('\{"a":[1]\}')`)).toEqual({ a: [1] })
    expect(failureOf("States.StringToJson('nope')").causeText).toContain('not valid JSON text')
    expect(evaluate('States.JsonToString($.a)')).toBe('{"b":"B"}')
  })

  it('ArrayPartition, ArrayContains, ArrayGetItem, ArrayLength, ArrayUnique', () => {
    expect(evaluate('States.ArrayPartition($.list, 2)')).toEqual([[1, 2], [3]])
    expect(failureOf('States.ArrayPartition($.list, 0)').causeText).toContain('positive integer')
    expect(
      evaluate(
        'States.ArrayContains(States.Array(States.StringToJson(\'\\{"x":1,"y":2\\}\')), States.StringToJson(\'\\{"y":2,"x":1\\}\'))',
      ),
    ).toBe(true)
    expect(evaluate('States.ArrayGetItem($.list, 2)')).toBe(3)
    expect(failureOf('States.ArrayGetItem($.list, 3)').causeText).toContain('out of bounds')
    expect(failureOf('States.ArrayGetItem($.list, 1.5)').causeText).toContain('must be an integer')
    expect(failureOf("States.ArrayLength('abc')").causeText).toContain(
      'States.ArrayLength: argument 1 must be an array, but was a string ("abc")',
    )
    expect(
      evaluate(
        "States.ArrayUnique(States.Array(1, 1, 'a', 'a', null, null, States.Array(1), States.Array(1)))",
      ),
    ).toEqual([1, 'a', null, [1]])
  })

  it('ArrayRange: both directions, step 0 and the 1000-item limit', () => {
    expect(evaluate('States.ArrayRange(5, 1, -2)')).toEqual([5, 3, 1])
    expect(evaluate('States.ArrayRange(5, 1, 2)')).toEqual([])
    expect((evaluate('States.ArrayRange(0, 999, 1)') as number[]).length).toBe(1000)
    expect(failureOf('States.ArrayRange(0, 1000, 1)').causeText).toContain('1001 items; at most 1000')
    expect(failureOf('States.ArrayRange(0, 10, 0)').causeText).toContain('step must not be 0')
  })

  it('Base64Encode / Base64Decode with UTF-8, validity and the 10,000-character limit', () => {
    expect(evaluate("States.Base64Encode('Grüße')")).toBe('R3LDvMOfZQ==')
    expect(evaluate("States.Base64Decode('R3LDvMOfZQ==')")).toBe('Grüße')
    expect(evaluate("States.Base64Decode('R3LDvMOfZQ')")).toBe('Grüße')
    expect(failureOf("States.Base64Decode('not base64!')").causeText).toContain('not valid base64')
    const long = `'${'A'.repeat(10_004)}'`
    expect(failureOf(`States.Base64Decode(${long})`).causeText).toContain('10004 characters; at most 10000')
  })

  it('Hash: the five algorithms only', () => {
    expect(evaluate("States.Hash('abc', 'SHA-1')")).toBe('a9993e364706816aba3e25717850c26c9cd0d89d')
    expect(failureOf("States.Hash('abc', 'sha1')").causeText).toContain("unsupported algorithm 'sha1'")
  })

  it('JsonMerge: shallow only', () => {
    const merge =
      'States.JsonMerge(States.StringToJson(\'\\{"a":\\{"x":1\\},"b":1\\}\'), States.StringToJson(\'\\{"a":\\{"y":2\\}\\}\'), false)'
    expect(evaluate(merge)).toEqual({ a: { y: 2 }, b: 1 })
    expect(failureOf('States.JsonMerge($.a, $.a, true)').causeText).toContain(
      'deep merge (true) is not supported',
    )
    expect(failureOf('States.JsonMerge($.list, $.a, false)').causeText).toContain('must be a JSON object')
  })

  it('MathRandom: integers in [start, end), repeatable with a seed', () => {
    for (let i = 0; i < 50; i++) {
      const n = evaluate('States.MathRandom(1, 4)') as number
      expect(Number.isInteger(n) && n >= 1 && n < 4).toBe(true)
    }
    expect(evaluate('States.MathRandom(1, 1000, 42)')).toBe(evaluate('States.MathRandom(1, 1000, 42)'))
    expect(failureOf('States.MathRandom(5, 1)').causeText).toContain('must not be less than the start')
  })

  it('MathAdd rounds like Java and rejects non-numbers', () => {
    expect(evaluate('States.MathAdd(-1.5, 0)')).toBe(-1)
    expect(Object.is(evaluate('States.MathAdd(-0.4, 0)'), 0)).toBe(true)
    expect(failureOf("States.MathAdd('1', 2)").causeText).toContain('must be a number')
  })

  it('StringSplit: delimiter characters as a set, empty tokens dropped', () => {
    expect(evaluate("States.StringSplit('a,,b;c', ',;')")).toEqual(['a', 'b', 'c'])
    expect(evaluate("States.StringSplit('abc', '')")).toEqual(['abc'])
  })

  it('UUID: a version 4 UUID, different each time', () => {
    const a = evaluate('States.UUID()') as string
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(evaluate('States.UUID()')).not.toBe(a)
  })

  it('lets resolver errors through unchanged', () => {
    const missing = new StatesError('States.Runtime', 'no such path')
    expect(() =>
      evaluateIntrinsic('States.Array($.nope)', () => {
        throw missing
      }),
    ).toThrow(missing)
  })
})
