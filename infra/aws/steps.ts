import { Duration } from 'aws-cdk-lib'
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb'
import * as iam from 'aws-cdk-lib/aws-iam'
import type * as lambda from 'aws-cdk-lib/aws-lambda'
import { Construct } from 'constructs'
import { functionName, type StepFunctionSpec } from '../../functions/steps/registry.js'
import type { MachineArns } from './arns.js'
import { type BundleBatch, nodeFunction } from './node-function.js'

/** What step functions share: where the data is and which machines they may answer. */
export interface StepsProps {
  steps: StepFunctionSpec[]
  table: dynamodb.ITable
  arns: MachineArns
  /** Environment every step gets (secret, public URL, …). */
  environment: Record<string, string>
  /** The stack's functions bundled together (every step's entry among them). */
  bundles?: BundleBatch
}

/**
 * One Lambda per registry entry, named `ismsflow-<name>`, granted exactly what its spec
 * says: `tableAccess` none / read / readwrite on the table and its indexes, and with
 * `sfnAccess` the task-token answers and StartExecution on ismsflow machines only.
 */
export class Steps extends Construct {
  /** Function per spec key. */
  readonly functions = new Map<string, lambda.IFunction>()

  constructor(scope: Construct, id: string, props: StepsProps) {
    super(scope, id)
    const { arns } = props
    for (const spec of props.steps) {
      const fn = nodeFunction(this, spec.key, {
        entry: spec.entry,
        bundles: props.bundles,
        functionName: functionName(spec),
        description: spec.description,
        ...(spec.timeoutSeconds ? { timeout: Duration.seconds(spec.timeoutSeconds) } : {}),
        environment: {
          ...props.environment,
          STATE_MACHINE_ARN_PREFIX: arns.prefix,
          ...(spec.tableAccess === 'none' ? {} : { TABLE_NAME: props.table.tableName }),
        },
      })
      if (spec.tableAccess === 'read') props.table.grantReadData(fn)
      if (spec.tableAccess === 'readwrite') props.table.grantReadWriteData(fn)
      if (spec.sfnAccess) {
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: [
              'states:SendTaskSuccess',
              'states:SendTaskFailure',
              'states:SendTaskHeartbeat',
              'states:StartExecution',
            ],
            resources: [arns.machines],
          }),
        )
        fn.addToRolePolicy(
          new iam.PolicyStatement({ actions: ['states:DescribeExecution'], resources: [arns.executions] }),
        )
      }
      this.functions.set(spec.key, fn)
    }
  }
}
