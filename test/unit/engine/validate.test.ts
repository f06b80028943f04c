import { describe, expect, it } from 'vitest'
import { ApiError } from '../../../infra/local/engine/errors.js'
import {
  definitionProblems,
  definitionsProblems,
  MAX_DEFINITION_BYTES,
  validateDefinition,
} from '../../../infra/local/engine/validate.js'

const LAMBDA = 'arn:aws:states:::lambda:invoke'
type Json = Record<string, unknown>

/** A machine whose start state is `state`, followed by a Succeed state `Done`. */
const machine = (state: Json, top: Json = {}): Json =>
  JSON.parse(
    JSON.stringify({
      ...top,
      StartAt: 'S',
      States: { S: { Next: 'Done', ...state }, Done: { Type: 'Succeed' } },
    }),
  )

/** A machine of one state `S` (which must end the execution itself). */
const single = (state: Json): Json => ({ StartAt: 'S', States: { S: state } })

/** The problems of a definition, each `CODE: message at /pointer`. */
const problems = (definition: unknown, isKnownResource?: (arn: string) => boolean) =>
  definitionProblems(definition, { isKnownResource })

/** Asserts that one of the problems contains every fragment. */
function expectAmong(definition: unknown, ...fragments: string[]) {
  const found = problems(definition)
  expect(
    found.some((p) => fragments.every((f) => p.includes(f))),
    JSON.stringify(found),
  ).toBe(true)
}

/** Asserts exactly one problem containing every fragment. */
function expectProblem(definition: unknown, ...fragments: string[]) {
  const found = problems(definition)
  expect(found, JSON.stringify(found)).toHaveLength(1)
  for (const fragment of fragments) expect(found[0]).toContain(fragment)
}

describe('validateDefinition', () => {
  it('accepts a valid definition given as text or as a value', () => {
    const definition = machine({ Type: 'Pass' })
    expect(() => validateDefinition(definition)).not.toThrow()
    expect(() => validateDefinition(JSON.stringify(definition))).not.toThrow()
  })

  it("throws InvalidDefinition with AWS's message, naming the state and the problem", () => {
    const definition = {
      StartAt: 'Bar',
      States: {
        Bar: {
          Type: 'Task',
          Resource: LAMBDA,
          Next: 'Foo',
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Done' }],
        },
        Done: { Type: 'Succeed' },
      },
    }
    let caught: unknown
    try {
      validateDefinition(definition)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ApiError)
    expect((caught as ApiError).code).toBe('InvalidDefinition')
    expect((caught as ApiError).message).toBe(
      "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: Foo at /States/Bar/Next'",
    )
  })

  it('joins several problems with ", " inside one quoted list', () => {
    const definition = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nope' }, B: { Type: 'Succeed' } } }
    expect(() => validateDefinition(definition)).toThrow(
      "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: Nope at /States/A/Next, MISSING_TRANSITION_TARGET: State \"B\" is not reachable. at /States/B'",
    )
  })
})

describe('shape and size', () => {
  it('rejects text that is not JSON and values that are not objects', () => {
    expect(problems('{"StartAt": ')[0]).toMatch(/^INVALID_JSON_DESCRIPTION: /)
    expectProblem([], 'The definition must be a JSON object at /')
  })

  it('requires StartAt and a non-empty States', () => {
    expectProblem({ States: { A: { Type: 'Succeed' } } }, 'These fields are required: [StartAt] at /')
    expectProblem({ StartAt: 'A' }, 'These fields are required: [States] at /')
    expectProblem(
      { StartAt: 'A', States: {} },
      '"States" must be a JSON object with at least one state at /States',
    )
  })

  it('rejects unknown top-level fields', () => {
    expectProblem({ ...machine({ Type: 'Pass' }), Foo: 1 }, 'Field "Foo" is not supported here at /Foo')
  })

  it('accepts up to 1 MB and rejects more, as text and as a value', () => {
    const base = machine({ Type: 'Pass' })
    const padding = MAX_DEFINITION_BYTES - JSON.stringify({ ...base, Comment: '' }).length
    const atLimit = { ...base, Comment: 'x'.repeat(padding) }
    expect(JSON.stringify(atLimit).length).toBe(MAX_DEFINITION_BYTES)
    expect(problems(atLimit)).toEqual([])
    const over = { ...base, Comment: 'é'.repeat(padding) } // 2 bytes each in UTF-8
    expect(problems(over)[0]).toMatch(/The definition is \d+ bytes, more than the limit of 1048576 bytes/)
    expect(problems(JSON.stringify(over))[0]).toContain('more than the limit')
  }, 30_000)
})

describe('transitions and reachability', () => {
  it('reports a StartAt that names no state', () => {
    const found = problems({ StartAt: 'Nope', States: { A: { Type: 'Succeed' } } })
    expect(found).toEqual(["MISSING_TRANSITION_TARGET: Missing 'StartAt' target: Nope at /StartAt"])
  })

  it('reports unreachable states and accepts states reached through Choice, Default and Catch', () => {
    expectProblem(
      { StartAt: 'A', States: { A: { Type: 'Succeed' }, Lost: { Type: 'Succeed' } } },
      'MISSING_TRANSITION_TARGET: State "Lost" is not reachable. at /States/Lost',
    )
    const reached = {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'T' }], Default: 'D' },
        T: { Type: 'Task', Resource: LAMBDA, End: true, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'F' }] },
        D: { Type: 'Succeed' },
        F: { Type: 'Fail' },
      },
    }
    expect(problems(reached)).toEqual([])
  })

  it('reports Choice, Default and Catch targets that do not exist, with their place', () => {
    const found = problems({
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.x', IsNull: true, Next: 'X1' }], Default: 'X2' },
      },
    })
    expect(found).toContain(
      "MISSING_TRANSITION_TARGET: Missing 'Next' target: X1 at /States/C/Choices/0/Next",
    )
    expect(found).toContain("MISSING_TRANSITION_TARGET: Missing 'Default' target: X2 at /States/C/Default")
    expectProblem(
      machine({ Type: 'Task', Resource: LAMBDA, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'X3' }] }),
      "Missing 'Next' target: X3 at /States/S/Catch/0/Next",
    )
  })

  it('keeps each Parallel branch and Map processor a scope of its own', () => {
    const escaping = machine({
      Type: 'Parallel',
      Branches: [{ StartAt: 'B', States: { B: { Type: 'Pass', Next: 'Done' }, Fin: { Type: 'Succeed' } } }],
    })
    const found = problems(escaping)
    expect(found).toContain(
      "MISSING_TRANSITION_TARGET: Missing 'Next' target: Done at /States/S/Branches/0/States/B/Next",
    )
    expect(found).toContain(
      'MISSING_TRANSITION_TARGET: State "Fin" is not reachable. at /States/S/Branches/0/States/Fin',
    )
  })

  it('rejects a state name used twice, even in different scopes', () => {
    expectProblem(
      machine({ Type: 'Map', ItemProcessor: { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } } }),
      'DUPLICATE_STATE_NAME: Duplicate State name: Done at /States/Done',
    )
  })

  it('requires a terminal state', () => {
    expectProblem(
      { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } } },
      'MISSING_TERMINAL_STATE',
    )
  })

  it('requires exactly one of Next and End: true, and neither on Choice/Succeed/Fail', () => {
    expectProblem(
      { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'A', End: true } } },
      'A Pass state cannot have both "Next" and "End" at /States/A',
    )
    expectAmong(single({ Type: 'Pass' }), 'A Pass state must have either "Next" or "End": true at /States/S')
    expectProblem(
      { StartAt: 'A', States: { A: { Type: 'Pass', End: false, Next: 'B' }, B: { Type: 'Succeed' } } },
      '"End" must be true',
    )
    expectAmong(
      machine({ Type: 'Succeed' }),
      'Field "Next" is not supported in a Succeed state at /States/S/Next',
    )
  })
})

describe('states', () => {
  it('requires a known Type and rejects unknown fields', () => {
    expectProblem(machine({ Type: undefined }), 'These fields are required: [Type] at /States/S')
    expectProblem(machine({ Type: 'Sleep' }), '"Sleep" is not a state Type')
    expectProblem(
      machine({ Type: 'Pass', Colour: 'red' }),
      'Field "Colour" is not supported in a Pass state at /States/S/Colour',
    )
  })

  it('rejects state names longer than 80 characters', () => {
    const long = 'n'.repeat(81)
    expectProblem(
      { StartAt: long, States: { [long]: { Type: 'Succeed' } } },
      'State names must be 1 to 80 characters',
    )
  })

  it('Task: Resource is required, must be an ARN, and may be checked against known resources', () => {
    expectProblem(machine({ Type: 'Task' }), 'These fields are required: [Resource] at /States/S')
    expectProblem(machine({ Type: 'Task', Resource: 'lambda' }), 'is not a valid resource ARN')
    const known = (arn: string) => arn === LAMBDA
    expect(problems(machine({ Type: 'Task', Resource: LAMBDA }), known)).toEqual([])
    const unknown = 'arn:aws:states:::glue:startJobRun'
    expect(problems(machine({ Type: 'Task', Resource: unknown }), known)).toEqual([
      `SCHEMA_VALIDATION_FAILED: The resource provided ${unknown} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region. at /States/S/Resource`,
    ])
  })

  it('Task: timeouts are positive integers, given once', () => {
    expectProblem(
      machine({ Type: 'Task', Resource: LAMBDA, TimeoutSeconds: 0 }),
      '"TimeoutSeconds" must be an integer of 1 or more',
    )
    expectProblem(
      machine({ Type: 'Task', Resource: LAMBDA, HeartbeatSeconds: 5, HeartbeatSecondsPath: '$.h' }),
      'can have "HeartbeatSeconds" or "HeartbeatSecondsPath", not both',
    )
  })

  it('Wait: exactly one of Seconds, SecondsPath, Timestamp, TimestampPath', () => {
    expect(problems(machine({ Type: 'Wait', SecondsPath: '$.s' }))).toEqual([])
    expectProblem(
      machine({ Type: 'Wait' }),
      'A Wait state must have exactly one of "Seconds", "SecondsPath", "Timestamp" or "TimestampPath" at /States/S',
    )
    expectProblem(
      machine({ Type: 'Wait', Seconds: 5, TimestampPath: '$.t' }),
      'not Seconds and TimestampPath',
    )
    expectProblem(
      machine({ Type: 'Wait', Seconds: -1 }),
      '"Seconds" must be a non-negative integer at /States/S/Seconds',
    )
    expectProblem(
      machine({ Type: 'Wait', Timestamp: '2026-01-31 09:00' }),
      '"Timestamp" must be an ISO 8601 timestamp',
    )
    expect(problems(machine({ Type: 'Wait', Timestamp: '2026-01-31T09:00:00.123456789Z' }))).toEqual([])
  })

  it('Fail: Error or ErrorPath, Cause or CausePath; CausePath may be an intrinsic', () => {
    expectProblem(
      single({ Type: 'Fail', Error: 'E', ErrorPath: '$.e' }),
      'can have "Error" or "ErrorPath", not both',
    )
    expect(problems(single({ Type: 'Fail', CausePath: "States.Format('x {}', $.c)" }))).toEqual([])
    expectProblem(single({ Type: 'Fail', CausePath: "States.Format('x {}', $.c" }), "missing ')'")
  })

  it('Parallel: at least one branch; Map: exactly one of ItemProcessor and Iterator', () => {
    expectProblem(
      machine({ Type: 'Parallel', Branches: [] }),
      '"Branches" must be an array with at least one branch',
    )
    expectProblem(
      machine({ Type: 'Map' }),
      'A Map state must have exactly one of "ItemProcessor" or "Iterator"',
    )
    expectProblem(
      machine({
        Type: 'Map',
        ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Succeed' } } },
        ToleratedFailurePercentage: 101,
      }),
      '"ToleratedFailurePercentage" must be an integer from 0 to 100',
    )
  })
})

describe('Choice rules', () => {
  const choice = (rule: Json) => ({
    StartAt: 'C',
    States: { C: { Type: 'Choice', Choices: [rule], Default: 'Done' }, Done: { Type: 'Succeed' } },
  })

  it('accepts nested And/Or/Not rules with typed values', () => {
    const rule = {
      And: [
        { Variable: '$.n', NumericGreaterThanEquals: 1 },
        {
          Or: [
            { Variable: '$.s', StringMatches: 'log-*.txt' },
            { Not: { Variable: '$.b', BooleanEquals: true } },
          ],
        },
        { Variable: '$.t', TimestampLessThanPath: '$.limit' },
      ],
      Next: 'Done',
    }
    expect(problems(choice(rule))).toEqual([])
  })

  it('requires Choices, a Next on each top rule and none on nested rules', () => {
    expectProblem(
      { StartAt: 'C', States: { C: { Type: 'Choice', Default: 'D' }, D: { Type: 'Succeed' } } },
      '"Choices" must be an array with at least one rule',
    )
    expectProblem(
      choice({ Variable: '$.x', IsNull: true }),
      'These fields are required: [Next] at /States/C/Choices/0',
    )
    expectProblem(
      choice({ Not: { Variable: '$.x', IsNull: true, Next: 'Done' }, Next: 'Done' }),
      'A nested Choice rule (inside And, Or or Not) cannot have "Next" at /States/C/Choices/0/Not/Next',
    )
  })

  it('requires exactly one operator, a Variable, and a value of the right type', () => {
    expectProblem(
      choice({ Variable: '$.x', Next: 'Done' }),
      'A Choice rule must have one comparison operator',
    )
    expectProblem(
      choice({ Variable: '$.x', IsNull: true, IsString: true, Next: 'Done' }),
      'exactly one operator, not IsNull and IsString',
    )
    expectProblem(
      choice({ NumericEquals: 1, Next: 'Done' }),
      'These fields are required: [Variable] (for NumericEquals)',
    )
    expectProblem(
      choice({ Variable: '$.x', NumericEquals: '1', Next: 'Done' }),
      'The value of "NumericEquals" must be a number at /States/C/Choices/0/NumericEquals',
    )
    expectProblem(
      choice({ Variable: '$.x', TimestampEquals: 'yesterday', Next: 'Done' }),
      'must be an ISO 8601 timestamp',
    )
    expectProblem(
      choice({ Variable: '$.x', StringEqualsPath: 'x', Next: 'Done' }),
      'must be a path starting with $',
    )
    expectProblem(choice({ And: [], Next: 'Done' }), '"And" must be an array with at least one rule')
  })

  it('JSONPath rules cannot use Condition; JSONata rules use only Condition', () => {
    expectAmong(
      choice({ Condition: '{% true %}', Next: 'Done' }),
      'The field "Condition" is only supported in JSONata Choice rules at /States/C/Choices/0/Condition',
    )
    const jsonata = (rule: Json) => ({ ...choice(rule), QueryLanguage: 'JSONata' })
    expect(
      problems(
        jsonata({ Condition: '{% $states.input.x > 1 %}', Next: 'Done', Assign: { y: 1 }, Output: { z: 2 } }),
      ),
    ).toEqual([])
    expectAmong(
      jsonata({ Variable: '$.x', IsNull: true, Condition: '{% true %}', Next: 'Done' }),
      'The field "IsNull" is JSONPath only',
    )
    expectProblem(jsonata({ Next: 'Done' }), 'These fields are required: [Condition] at /States/C/Choices/0')
  })
})

describe('Retry and Catch', () => {
  const task = (extra: Json) => machine({ Type: 'Task', Resource: LAMBDA, ...extra })

  it('accepts States.ALL alone and last', () => {
    const ok = task({
      Retry: [
        {
          ErrorEquals: ['States.Timeout'],
          IntervalSeconds: 2,
          MaxAttempts: 0,
          BackoffRate: 1.5,
          MaxDelaySeconds: 10,
          JitterStrategy: 'FULL',
        },
        { ErrorEquals: ['States.ALL'] },
      ],
      Catch: [
        { ErrorEquals: ['Custom'], Next: 'Done' },
        { ErrorEquals: ['States.ALL'], Next: 'Done', ResultPath: '$.error' },
      ],
    })
    expect(problems(ok)).toEqual([])
  })

  it('rejects States.ALL with other names or before another retrier/catcher', () => {
    expectProblem(
      task({ Retry: [{ ErrorEquals: ['States.ALL', 'Custom'] }] }),
      '"States.ALL" must be the only error name in its ErrorEquals at /States/S/Retry/0/ErrorEquals',
    )
    expectProblem(
      task({ Retry: [{ ErrorEquals: ['States.ALL'] }, { ErrorEquals: ['Custom'] }] }),
      'A retrier with "States.ALL" must be the last one in Retry at /States/S/Retry/0',
    )
    expectProblem(
      task({
        Catch: [
          { ErrorEquals: ['States.ALL'], Next: 'Done' },
          { ErrorEquals: ['X'], Next: 'Done' },
        ],
      }),
      'A catcher with "States.ALL" must be the last one in Catch at /States/S/Catch/0',
    )
  })

  it('checks retrier numbers, ErrorEquals and catcher Next', () => {
    expectProblem(
      task({ Retry: [{ ErrorEquals: ['E'], BackoffRate: 0.5 }] }),
      '"BackoffRate" must be a number of at least 1.0',
    )
    expectProblem(
      task({ Retry: [{ ErrorEquals: ['E'], MaxAttempts: -1 }] }),
      '"MaxAttempts" must be a non-negative integer',
    )
    expectProblem(
      task({ Retry: [{ ErrorEquals: ['E'], JitterStrategy: 'HALF' }] }),
      '"JitterStrategy" must be "FULL" or "NONE"',
    )
    expectProblem(
      task({ Retry: [{ ErrorEquals: [] }] }),
      '"ErrorEquals" must be a non-empty array of error names',
    )
    expectProblem(
      task({ Catch: [{ ErrorEquals: ['E'] }] }),
      'These fields are required: [Next] at /States/S/Catch/0',
    )
  })

  it('allows Retry and Catch only on Task, Parallel and Map', () => {
    expectProblem(machine({ Type: 'Pass', Retry: [] }), 'Field "Retry" is not supported in a Pass state')
  })
})

describe('query languages', () => {
  const jsonataPass = (extra: Json, top: Json = { QueryLanguage: 'JSONata' }) =>
    machine({ Type: 'Pass', ...extra }, top)

  it('accepts a JSONata machine with expressions and literals anywhere', () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: 'f', Payload: { a: '{% $states.input.a %}', list: [[1, 2], null, ''] } },
          Output: [1, 2],
          Assign: { total: '{% $sum($states.result.Payload) %}', empty: [null] },
          TimeoutSeconds: '{% $timeout %}',
          Catch: [{ ErrorEquals: ['States.ALL'], Output: { e: '{% $states.errorOutput %}' }, Next: 'F' }],
          Next: 'M',
        },
        M: {
          Type: 'Map',
          Items: '{% $states.input.items %}',
          ItemSelector: { v: '{% $states.context.Map.Item.Value %}' },
          MaxConcurrency: '{% 2 %}',
          ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', Output: '', End: true } } },
          Next: 'W',
        },
        W: { Type: 'Wait', Seconds: '{% 1 %}', Next: 'S' },
        S: { Type: 'Succeed', Output: 'a literal string' },
        F: { Type: 'Fail', Error: '{% $states.input.error %}' },
      },
    }
    expect(problems(definition)).toEqual([])
  })

  it('rejects JSONPath-only fields in a JSONata state', () => {
    expectProblem(
      jsonataPass({ Parameters: { a: 1 } }),
      'The field "Parameters" is not supported in a JSONata state (it is JSONPath only; use Arguments, Output or Assign) at /States/S/Parameters',
    )
    expectProblem(
      jsonataPass({ ResultPath: '$.x' }),
      'The field "ResultPath" is not supported in a JSONata state',
    )
  })

  it('rejects JSONata-only fields in a JSONPath state', () => {
    expectProblem(
      machine({ Type: 'Pass', Output: { a: 1 } }),
      'The field "Output" is only supported in JSONata; set "QueryLanguage": "JSONata" on the state or the state machine at /States/S/Output',
    )
    expectProblem(
      machine({ Type: 'Task', Resource: LAMBDA, Arguments: {} }),
      'The field "Arguments" is only supported in JSONata',
    )
  })

  it('allows a JSONata state in a JSONPath machine but not a JSONPath state in a JSONata machine', () => {
    expect(problems(jsonataPass({ QueryLanguage: 'JSONata', Output: '{% 1 %}' }, {}))).toEqual([])
    expectProblem(
      jsonataPass({ QueryLanguage: 'JSONPath' }),
      'A state cannot go back to JSONPath when the state machine\'s "QueryLanguage" is JSONata at /States/S/QueryLanguage',
    )
    expectProblem(
      jsonataPass({}, { QueryLanguage: 'JSONPath2' }),
      '"QueryLanguage" must be "JSONPath" or "JSONata" at /QueryLanguage',
    )
  })

  it('does not let an ItemProcessor declare a query language of its own', () => {
    expectProblem(
      machine({
        Type: 'Map',
        ItemProcessor: { QueryLanguage: 'JSONata', StartAt: 'I', States: { I: { Type: 'Succeed' } } },
      }),
      'Field "QueryLanguage" is not supported here; set "QueryLanguage" on the state machine or on a state',
    )
  })

  it('uses Output, not ResultPath, in a JSONata catcher', () => {
    const catcher = { ErrorEquals: ['States.ALL'], Next: 'Done', ResultPath: '$.e' }
    expectProblem(
      machine({ Type: 'Task', Resource: LAMBDA, Catch: [catcher] }, { QueryLanguage: 'JSONata' }),
      'The field "ResultPath" is not supported in a JSONata catcher (use Output)',
    )
  })

  it('compiles every {% %} expression and names a broken one', () => {
    expectProblem(
      jsonataPass({ Output: { a: ['{% $x + %}'] } }),
      'The JSONata expression "{% $x + %}" is invalid',
      'at /States/S/Output/a/0',
    )
    expectProblem(jsonataPass({ Output: '{%  %}' }), 'The JSONata expression is empty')
    expect(problems(jsonataPass({ Output: ' {% not an expression %} ' }))).toEqual([])
  })
})

describe('JSONPath payload templates and variables', () => {
  it('accepts paths, context paths, variables and intrinsics in .$ keys, and any literal data', () => {
    const definition = machine({
      Type: 'Pass',
      Parameters: {
        'a.$': '$.a',
        'id.$': '$$.Execution.Id',
        'v.$': '$myVar',
        'f.$': "States.Format('{} {}', $.a, States.UUID())",
        literals: [null, '', '{% x %}', '$.not.a.path', [[1]]],
        Next: 'not a transition',
      },
      Assign: { 'copy.$': '$.a', constant: [null] },
    })
    expect(problems(definition)).toEqual([])
  })

  it('rejects .$ values that are not paths or well-formed intrinsics', () => {
    expectProblem(
      machine({ Type: 'Pass', Parameters: { 'a.$': 'plain' } }),
      'The value of "a.$" must be a JSONPath ($.x), a context path ($$.x), a variable ($x) or an intrinsic function call, not "plain" at /States/S/Parameters/a.$',
    )
    expectProblem(
      machine({ Type: 'Pass', Parameters: { 'a.$': 5 } }),
      'The value of "a.$" must be a path or an intrinsic function call',
    )
    expectProblem(
      machine({ Type: 'Pass', Parameters: { nested: { 'a.$': 'States.Nope()' } } }),
      "unknown function 'States.Nope'",
      'at /States/S/Parameters/nested/a.$',
    )
    expectProblem(
      machine({ Type: 'Task', Resource: LAMBDA, ResultSelector: { 'a.$': 'States.ArrayGetItem($.x)' } }),
      'States.ArrayGetItem takes 2 arguments',
    )
  })

  it('rejects invalid variable names and ResultPath into the context object', () => {
    expectProblem(machine({ Type: 'Pass', Assign: { '1st': 1 } }), '"1st" is not a valid variable name')
    expectProblem(
      machine({ Type: 'Pass', Assign: { 'states.$': '$' } }),
      '"states" is not a valid variable name',
    )
    expectProblem(
      machine({ Type: 'Pass', ResultPath: '$$.x' }),
      '"ResultPath" cannot refer to the context object',
    )
    expectProblem(
      machine({ Type: 'Pass', InputPath: 'a' }),
      '"InputPath" must be a path starting with $, not "a"',
    )
  })
})

describe('asl-validator backstop', () => {
  it('reports JSONPath syntax errors the own rules do not parse', () => {
    expectProblem(
      machine({ Type: 'Pass', InputPath: '$.a[??' }),
      'SCHEMA_VALIDATION_FAILED',
      'at /States/S/InputPath',
    )
  }, 30_000)

  it('checks many definitions in one go and still finds the invalid one', () => {
    const good = machine({ Type: 'Pass', Comment: 'batch good' })
    const bad = machine({ Type: 'Pass', Comment: 'batch bad', OutputPath: '$.b[??' })
    const notJson = '{'
    const [first, second, third] = definitionsProblems([good, bad, notJson])
    expect(first).toEqual([])
    expect(second).toHaveLength(1)
    expect(second[0]).toContain('at /States/S/OutputPath')
    expect(third[0]).toMatch(/^INVALID_JSON_DESCRIPTION/)
  }, 30_000)
})
