// biome-ignore-all lint/suspicious/noTemplateCurlyInString: workflow definitions hold literal ${Key} substitutions
import { join } from 'node:path'
import type { Template } from 'aws-cdk-lib/assertions'
import { beforeAll, describe, expect, it } from 'vitest'
import type { StepFunctionSpec } from '../../functions/steps/registry.js'
import {
  actionsOfRole,
  FIXTURES,
  functionNamed,
  render,
  resourcesFor,
  resourcesOf,
  roleIdOf,
  statementsOfRole,
  synth,
} from './support.js'

// Fixture steps and workflows (test/infra/fixtures) exercise the mechanism independent of
// what workflows/ and the registry hold today.
const STEPS: StepFunctionSpec[] = [
  {
    key: 'ReaderStep',
    name: 'fixture-reader',
    entry: 'test/infra/fixtures/steps/reader.ts',
    description: 'reads',
    tableAccess: 'read',
  },
  {
    key: 'WriterStep',
    name: 'fixture-writer',
    entry: 'test/infra/fixtures/steps/writer.ts',
    description: 'writes, answers tokens',
    tableAccess: 'readwrite',
    sfnAccess: true,
  },
  {
    key: 'UnusedStep',
    name: 'fixture-unused',
    entry: 'test/infra/fixtures/steps/unused.ts',
    description: 'unused',
    tableAccess: 'none',
  },
]

let template: Template
beforeAll(() => {
  // No esbuild and no CloudFormation validation here: stack.test.ts bundles and validates the
  // real stack; these tests look at the wiring only.
  ;({ template } = synth(
    { steps: STEPS, workflowsDir: join(FIXTURES, 'workflows'), webDistDir: join(FIXTURES, 'web-dist') },
    { context: { 'aws:cdk:bundling-stacks': [] }, validate: false },
  ))
})

type Machine = { id: string; props: Record<string, any>; roleId: string; definition: string }
const machine = (name: string): Machine => {
  const [id, m] = Object.entries(resourcesOf(template, 'AWS::StepFunctions::StateMachine')).find(
    ([, r]) => r.Properties.StateMachineName === name,
  )!
  return {
    id,
    props: m.Properties,
    roleId: roleIdOf(m.Properties.RoleArn),
    definition: m.Properties.DefinitionString,
  }
}
/** The definition with CloudFormation's substitutions applied (values rendered as `<Ref>` / `<Id.Attr>`). */
const rendered = (m: Machine) =>
  m.definition.replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, key: string) =>
    key in m.props.DefinitionSubstitutions ? render(m.props.DefinitionSubstitutions[key]) : whole,
  )
const WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']

describe('state machines from workflow files', () => {
  it('makes one STANDARD machine per *.asl.json, named ismsflow-<basename>, logged and traced', () => {
    const machines = Object.values(resourcesOf(template, 'AWS::StepFunctions::StateMachine'))
    expect(machines.map((m) => m.Properties.StateMachineName).sort()).toEqual([
      'ismsflow-fan-out',
      'ismsflow-periodic-review',
    ])
    for (const m of machines) {
      expect(m.Properties.StateMachineType).toBe('STANDARD')
      expect(m.Properties.TracingConfiguration).toEqual({ Enabled: true })
      expect(m.Properties.LoggingConfiguration.Level).toBe('ALL')
      expect(m.Properties.LoggingConfiguration.IncludeExecutionData).toBe(false)
      expect(m.Properties.LoggingConfiguration.Destinations).toHaveLength(1)
    }
  })

  it('applies every substitution: nothing of ${…} is left, the result is JSON, ARNs are the real ones', () => {
    const review = machine('ismsflow-periodic-review')
    expect(Object.keys(review.props.DefinitionSubstitutions).sort()).toEqual([
      'NotificationsTopicArn',
      'ReaderStepArn',
      'TableName',
      'WriterStepArn',
    ])
    const text = rendered(review)
    expect(text).not.toContain('${')
    const definition = JSON.parse(text)
    const reader = functionNamed(template, 'ismsflow-fixture-reader')
    const writer = functionNamed(template, 'ismsflow-fixture-writer')
    expect(definition.States.Load.Resource).toBe(`<${reader.id}.Arn>`)
    expect(definition.States.Review.Parameters.FunctionName).toBe(`<${writer.id}.Arn>`)
    expect(definition.States.Record.Parameters.TableName).toMatch(/^<Table\w+>$/)
    expect(definition.States.Notify.Parameters.TopicArn).toMatch(/^<Notifications\w+>$/)

    const fanOut = rendered(machine('ismsflow-fan-out'))
    expect(fanOut).not.toContain('${')
    expect(
      JSON.parse(fanOut).States.Both.Branches[0].States.Each.ItemProcessor.States.Child.Arguments
        .StateMachineArn,
    ).toBe('arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:ismsflow-periodic-review')
  })
})

describe('state machine roles get only what their definition uses', () => {
  it('review: invokes only the two steps it names, writes one item kind, publishes to the topic', () => {
    const { roleId } = machine('ismsflow-periodic-review')
    const invoked = resourcesFor(template, roleId, 'lambda:InvokeFunction').map(render)
    const reader = functionNamed(template, 'ismsflow-fixture-reader').id
    const writer = functionNamed(template, 'ismsflow-fixture-writer').id
    const unused = functionNamed(template, 'ismsflow-fixture-unused').id
    expect(invoked.some((r) => r.includes(reader))).toBe(true)
    expect(invoked.some((r) => r.includes(writer))).toBe(true)
    expect(invoked.some((r) => r.includes(unused))).toBe(false)
    expect(resourcesFor(template, roleId, 'dynamodb:PutItem').map(render)).toEqual([
      expect.stringMatching(/^<Table\w+\.Arn>$/),
    ])
    const actions = actionsOfRole(template, roleId)
    expect([...actions].filter((a) => a.startsWith('dynamodb:'))).toEqual(['dynamodb:PutItem'])
    expect(render(resourcesFor(template, roleId, 'sns:Publish'))).toMatch(/^<Notifications\w+>$/)
    for (const a of ['states:StartExecution', 'events:PutEvents']) expect(actions.has(a)).toBe(false)
  })

  it('fan-out: queries table and indexes, starts ismsflow machines and waits (.sync:2), puts events on the default bus', () => {
    const { roleId } = machine('ismsflow-fan-out')
    const actions = actionsOfRole(template, roleId)
    expect([...actions].filter((a) => a.startsWith('dynamodb:'))).toEqual(['dynamodb:Query'])
    expect(resourcesFor(template, roleId, 'dynamodb:Query').map(render)).toEqual([
      expect.stringMatching(/^<Table\w+\.Arn>$/),
      expect.stringMatching(/^<Table\w+\.Arn>\/index\/\*$/),
    ])
    expect(resourcesFor(template, roleId, 'states:StartExecution').map(render)).toEqual([
      'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:ismsflow-*',
    ])
    expect(resourcesFor(template, roleId, 'states:DescribeExecution').map(render)).toEqual([
      'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:ismsflow-*:*',
    ])
    expect(resourcesFor(template, roleId, 'events:PutRule').map(render)).toEqual([
      'arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule',
    ])
    expect(resourcesFor(template, roleId, 'events:PutEvents').map(render)).toEqual([
      'arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:event-bus/default',
    ])
    for (const a of ['lambda:InvokeFunction', 'sns:Publish']) expect(actions.has(a)).toBe(false)
  })
})

describe('step Lambdas get the grants of their spec', () => {
  it("a 'read' step reads and cannot write or touch Step Functions", () => {
    const fn = functionNamed(template, 'ismsflow-fixture-reader')
    const actions = actionsOfRole(template, fn.roleId)
    expect(actions.has('dynamodb:GetItem')).toBe(true)
    expect(actions.has('dynamodb:Query')).toBe(true)
    expect(WRITES.filter((a) => actions.has(a))).toEqual([])
    expect([...actions].filter((a) => a.startsWith('states:'))).toEqual([])
    expect(fn.props.Environment.Variables.TABLE_NAME).toBeDefined()
  })

  it("a 'readwrite' step with sfnAccess writes and answers task tokens of ismsflow machines only", () => {
    const fn = functionNamed(template, 'ismsflow-fixture-writer')
    const actions = actionsOfRole(template, fn.roleId)
    expect(WRITES.filter((a) => actions.has(a))).toEqual(WRITES)
    expect(resourcesFor(template, fn.roleId, 'states:SendTaskSuccess').map(render)).toEqual([
      'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:ismsflow-*',
    ])
  })

  it("a 'none' step has no table access and no table name", () => {
    const fn = functionNamed(template, 'ismsflow-fixture-unused')
    const actions = [...actionsOfRole(template, fn.roleId)]
    expect(actions.filter((a) => a.startsWith('dynamodb:') || a.startsWith('states:'))).toEqual([])
    expect(fn.props.Environment.Variables.TABLE_NAME).toBeUndefined()
    // Tracing and its own log group only.
    expect(
      statementsOfRole(template, fn.roleId).every((s) =>
        s.actions.every(
          (a) => a.startsWith('xray:') || ['logs:CreateLogStream', 'logs:PutLogEvents'].includes(a),
        ),
      ),
    ).toBe(true)
  })

  it('every ismsflow function runs nodejs22.x', () => {
    const ours = Object.values(resourcesOf(template, 'AWS::Lambda::Function')).filter((f) =>
      String(f.Properties.FunctionName ?? '').startsWith('ismsflow-'),
    )
    expect(ours).toHaveLength(1 + STEPS.length)
    for (const f of ours) expect(f.Properties.Runtime).toBe('nodejs22.x')
  })
})

describe('scheduler and web deployment with fixtures', () => {
  it('lets the scheduler start only the periodic-review machine when it exists', () => {
    const [roleId] = Object.entries(resourcesOf(template, 'AWS::IAM::Role')).find(
      ([, r]) =>
        r.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Service === 'scheduler.amazonaws.com',
    )!
    expect(resourcesFor(template, roleId, 'states:StartExecution')).toEqual([
      { Ref: machine('ismsflow-periodic-review').id },
    ])
  })

  it('deploys a web build when one exists and invalidates the distribution', () => {
    template.resourceCountIs('Custom::CDKBucketDeployment', 1)
    template.hasResourceProperties('Custom::CDKBucketDeployment', { DistributionPaths: ['/*'], Prune: true })
  })
})
