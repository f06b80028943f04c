import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { ArnFormat, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib'
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb'
import * as iam from 'aws-cdk-lib/aws-iam'
import type * as lambda from 'aws-cdk-lib/aws-lambda'
import * as logs from 'aws-cdk-lib/aws-logs'
import type * as sns from 'aws-cdk-lib/aws-sns'
import * as sfn from 'aws-cdk-lib/aws-stepfunctions'
import { Construct } from 'constructs'
import {
  definitionSubstitutions,
  functionName,
  RESOURCE_PREFIX,
  type StepFunctionSpec,
} from '../../functions/steps/registry.js'
import type { MachineArns } from './arns.js'
import { type DefinitionNeeds, definitionNeeds, lambdaRetryProblems } from './asl-needs.js'

const SUFFIX = '.asl.json'

/** One workflow file: its path, basename (`periodic-review`) and raw text. */
export interface WorkflowFile {
  path: string
  basename: string
  text: string
}

/** Every `*.asl.json` directly in `dir`, sorted by name; none when the folder does not exist. */
export function readWorkflowFiles(dir: string): WorkflowFile[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((f) => f.endsWith(SUFFIX))
    .sort()
    .map((f) => {
      const path = join(dir, f)
      const name = basename(f, SUFFIX)
      if (!/^[A-Za-z0-9_-]+$/.test(name) || `${RESOURCE_PREFIX}-${name}`.length > 80)
        throw new Error(
          `workflow ${f}: name must be letters, digits, - or _ and at most ${79 - RESOURCE_PREFIX.length} long`,
        )
      return { path, basename: name, text: readFileSync(path, 'utf8') }
    })
}

/** What the state machines are wired to. */
export interface WorkflowsProps {
  files: WorkflowFile[]
  steps: StepFunctionSpec[]
  /** Step Lambda per spec key (from `Steps`). */
  functions: Map<string, lambda.IFunction>
  table: dynamodb.ITable
  topic: sns.ITopic
  arns: MachineArns
}

const pascal = (name: string) => name.replace(/(^|[-_])([a-z0-9])/gi, (_, __, c: string) => c.toUpperCase())

/**
 * Every workflow file becomes a STANDARD state machine `ismsflow-<basename>` with the
 * registry's definition substitutions (real Lambda ARNs, table name, machine ARN prefix,
 * notifications topic), logging to its own log group and X-Ray tracing. Each machine's role
 * gets only what its definition uses (see `definitionNeeds`): the step Lambdas it names,
 * the DynamoDB actions it calls on the table, StartExecution on ismsflow machines, PutEvents
 * on the default bus, Publish on the notifications topic.
 */
export class Workflows extends Construct {
  /** State machine per workflow basename. */
  readonly machines = new Map<string, sfn.StateMachine>()
  /** What each definition needs, per basename (for tests and reports). */
  readonly needs = new Map<string, DefinitionNeeds>()

  constructor(scope: Construct, id: string, props: WorkflowsProps) {
    super(scope, id)
    const stack = Stack.of(this)
    const fn = (spec: StepFunctionSpec) => {
      const f = props.functions.get(spec.key)
      if (!f) throw new Error(`step ${spec.key} has no Lambda in this stack`)
      return f
    }
    const available: Record<string, string> = definitionSubstitutions({
      region: stack.region,
      account: stack.account,
      tableName: props.table.tableName,
      stateMachineArnPrefix: props.arns.prefix,
      notificationsTopicArn: props.topic.topicArn,
      functionArn: (spec) =>
        props.functions.get(spec.key)?.functionArn ??
        stack.formatArn({
          service: 'lambda',
          resource: 'function',
          resourceName: functionName(spec),
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
    })
    // Steps given to this stack but not in the global registry (test fixtures) get their keys too.
    for (const spec of props.steps) {
      available[`${spec.key}Arn`] = fn(spec).functionArn
      available[`${spec.key}Name`] = fn(spec).functionName
    }

    const stackUuid = Fn.select(2, Fn.split('/', stack.stackId))
    for (const file of props.files) {
      const needs = definitionNeeds(`${file.basename}${SUFFIX}`, file.text, props.steps)
      const unretried = lambdaRetryProblems(JSON.parse(file.text))
      if (unretried.length > 0)
        throw new Error(
          `workflow ${file.basename}${SUFFIX}: every Lambda task retries transient Lambda errors ` +
            `(LAMBDA_RETRY in infra/aws/asl-needs.ts): ${unretried.join('; ')}`,
        )
      const missing = needs.substitutionKeys.filter((k) => !(k in available))
      if (missing.length > 0)
        throw new Error(
          `workflow ${file.basename}${SUFFIX}: unknown substitution ${missing.map((k) => `\${${k}}`).join(', ')}`,
        )
      const id = pascal(file.basename)
      const name = `${RESOURCE_PREFIX}-${file.basename}`
      // Kept when the stack goes (the workflows' record). Named under /aws/vendedlogs/ (no log
      // resource policy per group) and after this stack's id, so a new stack can be deployed again.
      const logGroup = new logs.LogGroup(this, `${id}Logs`, {
        logGroupName: `/aws/vendedlogs/states/${name}-${stackUuid}`,
        retention: logs.RetentionDays.SIX_MONTHS,
        removalPolicy: RemovalPolicy.RETAIN,
      })
      const machine = new sfn.StateMachine(this, id, {
        stateMachineName: name,
        stateMachineType: sfn.StateMachineType.STANDARD,
        definitionBody: sfn.DefinitionBody.fromString(file.text),
        definitionSubstitutions: Object.fromEntries(needs.substitutionKeys.map((k) => [k, available[k]])),
        logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
        tracingEnabled: true,
      })
      this.grant(machine, needs, props)
      this.machines.set(file.basename, machine)
      this.needs.set(file.basename, needs)
    }
  }

  private grant(machine: sfn.StateMachine, needs: DefinitionNeeds, props: WorkflowsProps) {
    const stack = Stack.of(this)
    const allow = (actions: string[], resources: string[]) =>
      machine.addToRolePolicy(new iam.PolicyStatement({ actions, resources }))
    // The unqualified function ARNs only: definitions name no versions or aliases.
    if (needs.steps.length > 0)
      allow(
        ['lambda:InvokeFunction'],
        needs.steps.map((spec) => props.functions.get(spec.key)!.functionArn),
      )
    if (needs.dynamodb.length > 0)
      allow(
        needs.dynamodb.map((a) => `dynamodb:${a}`),
        needs.dynamodb.includes('Query')
          ? [props.table.tableArn, `${props.table.tableArn}/index/*`]
          : [props.table.tableArn],
      )
    if (needs.startExecution) {
      allow(['states:StartExecution'], [props.arns.machines])
      if (needs.startExecution.sync) {
        allow(['states:DescribeExecution', 'states:StopExecution'], [props.arns.executions])
        allow(
          ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
          [
            stack.formatArn({
              service: 'events',
              resource: 'rule',
              resourceName: 'StepFunctionsGetEventsForStepFunctionsExecutionRule',
            }),
          ],
        )
      }
    }
    if (needs.putEvents)
      allow(
        ['events:PutEvents'],
        [stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' })],
      )
    if (needs.snsPublish) props.topic.grantPublish(machine)
  }
}
