// biome-ignore-all lint/suspicious/noTemplateCurlyInString: workflow definitions hold literal ${Key} substitutions
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { invokesLambda, LAMBDA_RETRY, lambdaRetryProblems, walkStates } from '../../infra/aws/asl-needs.js'
import { WORKFLOWS_DIR } from '../../infra/aws/paths.js'
import { readWorkflowFiles } from '../../infra/aws/workflows.js'
import { retryDelayMs } from '../../infra/local/engine/retry.js'
import { FIXTURES, synth } from './support.js'

const lambdaTask = (extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Arguments: { FunctionName: '${HumanTaskFunctionArn}' },
  End: true,
  ...extra,
})

/** Lambda task in a Map processor inside a Parallel branch, plus one at the top. */
const nested = (inner: Record<string, unknown>, top: Record<string, unknown> = {}) => ({
  StartAt: 'Top',
  States: {
    Top: lambdaTask({ End: undefined, Next: 'P', Retry: [LAMBDA_RETRY], ...top }),
    P: {
      Type: 'Parallel',
      End: true,
      Branches: [
        {
          StartAt: 'M',
          States: {
            M: {
              Type: 'Map',
              End: true,
              ItemProcessor: { StartAt: 'Inner', States: { Inner: lambdaTask(inner) } },
            },
          },
        },
      ],
    },
  },
})

describe('every Lambda task retries transient Lambda errors', () => {
  it('holds for every workflows/*.asl.json (Parallel branches and Map processors included)', () => {
    const files = readWorkflowFiles(WORKFLOWS_DIR)
    expect(files.length).toBeGreaterThan(0)
    let lambdaTasks = 0
    for (const f of files) {
      const definition = JSON.parse(f.text)
      walkStates(definition.States, (_, s) => {
        if (invokesLambda(s)) lambdaTasks++
      })
      expect({ file: f.basename, problems: lambdaRetryProblems(definition) }).toEqual({
        file: f.basename,
        problems: [],
      })
    }
    expect(lambdaTasks).toBeGreaterThanOrEqual(69)
  })

  it('finds a Lambda task without the policy deep inside a Map in a Parallel branch', () => {
    expect(lambdaRetryProblems(nested({}))).toEqual(['state "Inner": Lambda.ServiceException is not retried'])
    expect(lambdaRetryProblems(nested({ Retry: [LAMBDA_RETRY] }))).toEqual([])
  })

  it('recognises plain Lambda ARNs and ${…Arn} resources as Lambda tasks', () => {
    const plain = {
      StartAt: 'A',
      States: { A: { Type: 'Task', Resource: '${RiskFreezeFunctionArn}', End: true } },
    }
    expect(lambdaRetryProblems(plain)).toHaveLength(1)
    const arn = {
      StartAt: 'A',
      States: { A: { Type: 'Task', Resource: 'arn:aws:lambda:eu-central-1:1:function:x', End: true } },
    }
    expect(lambdaRetryProblems(arn)).toHaveLength(1)
    const dynamo = {
      StartAt: 'A',
      States: { A: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', End: true } },
    }
    expect(lambdaRetryProblems(dynamo)).toEqual([])
  })

  it('refuses a policy without jitter, a partial error list, or one shadowed by an earlier retrier', () => {
    const without = (k: string) =>
      Object.fromEntries(Object.entries(LAMBDA_RETRY).filter(([key]) => key !== k))
    expect(lambdaRetryProblems(nested({ Retry: [without('JitterStrategy')] }))).toEqual([
      'state "Inner": Lambda.ServiceException is retried without JitterStrategy FULL',
    ])
    expect(
      lambdaRetryProblems(nested({ Retry: [{ ...LAMBDA_RETRY, ErrorEquals: ['Lambda.ServiceException'] }] })),
    ).toEqual([
      'state "Inner": Lambda.ServiceException is first matched by a retrier that does not list every transient Lambda error',
    ])
    const shadow = { ErrorEquals: ['States.ALL'], MaxAttempts: 0 }
    expect(lambdaRetryProblems(nested({ Retry: [shadow, LAMBDA_RETRY] }))).toHaveLength(1)
    expect(lambdaRetryProblems(nested({ Retry: [{ ...LAMBDA_RETRY, MaxAttempts: 10 }] }))).toHaveLength(1)
    expect(lambdaRetryProblems(nested({ Retry: [{ ...LAMBDA_RETRY, IntervalSeconds: 5 }] }))).toHaveLength(1)
  })

  it('the local engine waits a random share of the backoff under FULL jitter, as Step Functions does', () => {
    // Attempt 3 of the policy: 2 s × 2² = 8 s, of which full jitter waits a uniform share.
    expect(retryDelayMs(LAMBDA_RETRY, 3, () => 0)).toBe(0)
    expect(retryDelayMs(LAMBDA_RETRY, 3, () => 0.5)).toBe(4_000)
    expect(retryDelayMs(LAMBDA_RETRY, 3, () => 0.999)).toBe(7_992)
    expect(retryDelayMs({ ...LAMBDA_RETRY, JitterStrategy: 'NONE' }, 3, () => 0.5)).toBe(8_000)
  })

  it('the CDK app refuses to synthesise a workflow with an unretried Lambda task, naming it', () => {
    expect(() =>
      synth(
        { workflowsDir: join(FIXTURES, 'unretried') },
        { context: { 'aws:cdk:bundling-stacks': [] }, validate: false },
      ),
    ).toThrow(
      /workflow lonely\.asl\.json: every Lambda task retries .*state "Ask": Lambda\.ServiceException is not retried/,
    )
  })
})
