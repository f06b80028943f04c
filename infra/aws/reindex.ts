import { CustomResource } from 'aws-cdk-lib'
import type * as lambda from 'aws-cdk-lib/aws-lambda'
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions'
import { Construct } from 'constructs'
import { indexVersions } from '../../functions/steps/index-versions.js'

/** What the re-index on deploy is wired to. */
export interface ReindexOnDeployProps {
  /** The re-index step (`functions/steps/reindex.ts`), which also answers CloudFormation. */
  fn: lambda.IFunction
  /** The `reindex` state machine it starts. */
  machine: sfn.IStateMachine
  /** The index versions the resource carries (default: this code's, `indexVersions()`). */
  versions?: Record<string, string>
}

/**
 * Runs the re-index on deploy: a custom resource served by the re-index function itself (no
 * provider framework), whose properties are the index versions of this code. CloudFormation
 * sends it a Create on the first deploy and an Update whenever a version changes; the function
 * starts the `reindex` state machine (named after the request) and answers. Organisations
 * created before an index existed get its entries without waiting for their next write.
 */
export class ReindexOnDeploy extends Construct {
  readonly resource: CustomResource

  constructor(scope: Construct, id: string, props: ReindexOnDeployProps) {
    super(scope, id)
    this.resource = new CustomResource(this, 'Run', {
      serviceToken: props.fn.functionArn,
      resourceType: 'Custom::IsmsflowReindex',
      properties: { IndexVersions: props.versions ?? indexVersions() },
    })
    // The machine (and the function's right to start it) exist before the request comes.
    this.resource.node.addDependency(props.machine)
    this.resource.node.addDependency(props.fn)
  }
}
