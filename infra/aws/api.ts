import { Duration, RemovalPolicy } from 'aws-cdk-lib'
import * as apigateway from 'aws-cdk-lib/aws-apigateway'
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2'
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations'
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb'
import * as iam from 'aws-cdk-lib/aws-iam'
import type * as lambda from 'aws-cdk-lib/aws-lambda'
import * as logs from 'aws-cdk-lib/aws-logs'
import { Construct } from 'constructs'
import { RESOURCE_PREFIX } from '../../functions/steps/registry.js'
import type { MachineArns } from './arns.js'
import { type BundleBatch, nodeFunction } from './node-function.js'

/** Requests per second (steady) and burst the API stage lets through: ample for a company, a wall for a flood. */
export const API_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const

/** The API Lambda's handler module, relative to the repository root. */
export const API_ENTRY = 'functions/api/lambda.ts'

/** What the API Lambda is wired to. */
export interface ApiProps {
  table: dynamodb.ITable
  arns: MachineArns
  /** Environment (auth, secret, scheduler, public URL); TABLE_NAME and STATE_MACHINE_ARN_PREFIX are added here. */
  environment: Record<string, string>
  /** The stack's functions bundled together (`API_ENTRY` among them). */
  bundles?: BundleBatch
}

/**
 * The API: one Lambda (the Hono app, `functions/api/lambda.ts`) behind an HTTP API with the
 * route `ANY /api/{proxy+}` on one throttled, access-logged stage. It may read and write the table and drive ismsflow executions
 * (start, stop, describe, history, task-token answers); `ListStateMachines` has no resource
 * level in IAM and is granted on `*` for the health probe.
 */
export class Api extends Construct {
  readonly function: lambda.Function
  readonly httpApi: apigw.HttpApi
  readonly stage: apigw.HttpStage
  readonly accessLogs: logs.LogGroup

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id)
    const { arns } = props
    this.function = nodeFunction(this, 'Function', {
      entry: API_ENTRY,
      bundles: props.bundles,
      functionName: `${RESOURCE_PREFIX}-api`,
      description: 'ismsflow HTTP API (Hono)',
      memorySize: 1024,
      timeout: Duration.seconds(29),
      environment: {
        ...props.environment,
        TABLE_NAME: props.table.tableName,
        STATE_MACHINE_ARN_PREFIX: arns.prefix,
      },
    })
    props.table.grantReadWriteData(this.function)
    const allow = (actions: string[], resources: string[]) =>
      this.function.addToRolePolicy(new iam.PolicyStatement({ actions, resources }))
    allow(
      [
        'states:StartExecution',
        'states:DescribeStateMachine',
        'states:ListExecutions',
        'states:SendTaskSuccess',
        'states:SendTaskFailure',
        'states:SendTaskHeartbeat',
      ],
      [arns.machines],
    )
    allow(
      ['states:DescribeExecution', 'states:GetExecutionHistory', 'states:StopExecution'],
      [arns.executions],
    )
    allow(['states:ListStateMachines'], ['*'])

    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      apiName: `${RESOURCE_PREFIX}-api`,
      description: 'ismsflow API (served to browsers through CloudFront under /api/*)',
      createDefaultStage: false,
    })
    // One stage with throttling (a flood stops at API Gateway, not at Lambda's concurrency)
    // and access logs (who asked what, when, with what status), kept six months.
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.SIX_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    })
    this.stage = new apigw.HttpStage(this, 'Stage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: API_THROTTLE.rateLimit, burstLimit: API_THROTTLE.burstLimit },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: apigateway.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            time: '$context.requestTime',
            method: '$context.httpMethod',
            path: '$context.path',
            status: '$context.status',
            protocol: '$context.protocol',
            bytes: '$context.responseLength',
            latencyMs: '$context.integrationLatency',
            error: '$context.integrationErrorMessage',
          }),
        ),
      },
    })
    this.httpApi.addRoutes({
      path: '/api/{proxy+}',
      methods: [apigw.HttpMethod.ANY],
      integration: new HttpLambdaIntegration('Lambda', this.function),
    })
  }
}
