import { type CfnElement, type Stack, Validations } from 'aws-cdk-lib'
import * as cognito from 'aws-cdk-lib/aws-cognito'
import type { IConstruct } from 'constructs'

/** One acknowledged cdk-nag finding (AwsSolutions pack) and why it is right for ismsflow. */
export interface NagAcknowledgement {
  id: string
  reason: string
}

/** Every direct or nested child whose path matches. */
const findAll = (scope: IConstruct, match: (c: IConstruct) => boolean) =>
  scope.node.findAll().filter((c) => match(c))

/**
 * The cdk-nag AwsSolutions findings ismsflow accepts, each with its reason, on the
 * constructs they concern (the infra tests run the checks: zero unacknowledged errors).
 * Answers what it acknowledged.
 * Everything else is fixed in the stack: own log-writing roles instead of the managed
 * Lambda policy, Lambda invokes on unqualified ARNs only, access logs, TLS 1.2 to origins.
 */
export function acknowledgeNagFindings(stack: Stack): NagAcknowledgement[] {
  const made: NagAcknowledgement[] = []
  const ack = (scope: IConstruct, id: string, reason: string) => {
    Validations.of(scope).acknowledge({ id, reason })
    made.push({ id, reason })
  }
  const logicalId = (path: string[]) => {
    let c: IConstruct | undefined = stack
    for (const id of path) c = c?.node.tryFindChild(id)
    return c ? stack.getLogicalId(c as CfnElement) : 'missing'
  }
  const table = logicalId(['Table', 'Resource'])
  const siteBucket = logicalId(['Web', 'Bucket', 'Resource'])
  // Each function and its own role (a sibling: `<id>Role`).
  for (const fn of findAll(stack, (c) => /\/(Api\/Function|Steps\/\w+Function)(Role)?$/.test(c.node.path))) {
    ack(
      fn,
      'AwsSolutions-L1',
      'Node.js 22 is pinned: the bundles are built for node22 (esbuild target) and rehearsed on it; a newer runtime is a deliberate upgrade.',
    )
    ack(
      fn,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments/PutTelemetryRecords and Step Functions ListStateMachines (health probe) have no resource-level permissions.',
    )
    ack(
      fn,
      `AwsSolutions-IAM5[Resource::<${table}.Arn>/index/*]`,
      'The single table is read through its own indexes (gsi1, gsi2) by key condition; the pattern covers only this table.',
    )
    ack(
      fn,
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:ismsflow-*]',
      'Only ismsflow state machines (name prefix); the machines name the functions, so the functions cannot name the machines without a cycle.',
    )
    ack(
      fn,
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:ismsflow-*:*]',
      'Executions are created at run time; the pattern covers only executions of ismsflow machines.',
    )
    ack(
      fn,
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/ismsflow/*]',
      'The API creates one schedule per review programme entry at run time, only in the ismsflow schedule group.',
    )
  }
  const machines = findAll(stack, (c) => /\/Workflows\/[^/]+$/.test(c.node.path))
  for (const m of machines) {
    ack(
      m,
      'AwsSolutions-IAM5[Resource::*]',
      "Step Functions' log delivery (logs:CreateLogDelivery and friends) and X-Ray tracing have no resource-level permissions.",
    )
    ack(
      m,
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:ismsflow-*]',
      'A workflow starts the next one of its kind (the yearly re-assessment); only ismsflow machines.',
    )
  }
  for (const c of findAll(stack, (x) => x.node.id.startsWith('Custom::CDKBucketDeployment'))) {
    const reason =
      "CDK's BucketDeployment (uploads the built web app at deploy time): its runtime, managed policy and the S3 wildcards on the asset and site buckets are the construct's own."
    for (const id of [
      'AwsSolutions-L1',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'AwsSolutions-IAM5[Action::s3:GetBucket*]',
      'AwsSolutions-IAM5[Action::s3:GetObject*]',
      'AwsSolutions-IAM5[Action::s3:List*]',
      'AwsSolutions-IAM5[Action::s3:Abort*]',
      'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
      `AwsSolutions-IAM5[Resource::<${siteBucket}.Arn>/*]`,
    ])
      ack(c, id, reason)
  }
  const route = stack.node.tryFindChild('Api')?.node.tryFindChild('HttpApi')
  if (route)
    ack(
      route,
      'AwsSolutions-APIG4',
      'The app authenticates every route itself (Cognito ID tokens verified in the API; the quick check is public by design); only CloudFront reaches the API (origin secret).',
    )
  const web = stack.node.tryFindChild('Web')?.node.tryFindChild('Distribution')
  if (web) {
    ack(
      web,
      'AwsSolutions-CFR1',
      'People of an organisation work from anywhere (travel, remote staff): no geographic restriction.',
    )
    ack(
      web,
      'AwsSolutions-CFR2',
      'AWS WAF costs more than the rest of the stack for a small company (README, "What it costs"); the API is throttled and authenticates every request.',
    )
  }
  if (web && !stack.node.tryGetContext('domainName'))
    ack(
      web,
      'AwsSolutions-CFR4',
      'Without an own domain CloudFront serves *.cloudfront.net with its default certificate, whose TLS policy cannot be set; with -c domainName the distribution requires TLS 1.2 (2021).',
    )
  for (const id of ['AppSecret', 'OriginVerify']) {
    const secret = stack.node.tryFindChild(id)
    if (secret)
      ack(
        secret,
        'AwsSolutions-SMG4',
        id === 'AppSecret'
          ? 'Rotating the app secret would make every open task token unreadable; it is rotated deliberately (README), not on a timer.'
          : "CloudFront's origin header value is baked into the distribution at deploy; it changes with a deploy, not by rotation.",
      )
  }
  for (const pool of findAll(stack, (c) => c instanceof cognito.UserPool)) {
    const plan = ((pool as cognito.UserPool).node.defaultChild as cognito.CfnUserPool).userPoolTier
    if (plan !== 'PLUS')
      ack(
        pool,
        'AwsSolutions-COG8',
        'The Plus plan (threat protection) is priced per active user; the user pool plan is chosen in auth.ts.',
      )
  }
  return made
}
