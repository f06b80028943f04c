import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { App, Stack } from 'aws-cdk-lib'
import { Match, Template } from 'aws-cdk-lib/assertions'
import * as lambda from 'aws-cdk-lib/aws-lambda'
import type { Asset } from 'aws-cdk-lib/aws-s3-assets'
import * as sfn from 'aws-cdk-lib/aws-stepfunctions'
import { beforeAll, describe, expect, it } from 'vitest'
import { ROLES } from '../../functions/api/env.js'
import { indexVersions } from '../../functions/steps/index-versions.js'
import { functionName, STEP_FUNCTIONS } from '../../functions/steps/registry.js'
import { TASK_INDEX_VERSION } from '../../functions/store/inbox-index.js'
import { LIST_SPECS } from '../../functions/store/list-specs.js'
import { SEARCH_INDEX_VERSION } from '../../functions/store/search-index.js'
import { createTableInput } from '../../functions/store/table.js'
import { REPO_ROOT, WORKFLOWS_DIR } from '../../infra/aws/paths.js'
import { ReindexOnDeploy } from '../../infra/aws/reindex.js'
import type { IsmsflowStack } from '../../infra/aws/stack.js'
import { SPA_REWRITE_CODE } from '../../infra/aws/web.js'
import { readWorkflowFiles } from '../../infra/aws/workflows.js'
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

// The stack as `npx cdk synth` builds it (real registry, real workflows/), without a web build.
let template: Template
let stack: IsmsflowStack
beforeAll(() => {
  ;({ template, stack } = synth({ webDistDir: join(FIXTURES, 'no-web-build') }))
  mkdirSync(join(REPO_ROOT, '.test-data'), { recursive: true })
})

const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
]

describe('template', () => {
  it("passes CDK's built-in CloudFormation validation without findings", () => {
    const report = JSON.parse(
      readFileSync(join((stack.node.root as App).outdir, 'validation-report.json'), 'utf8'),
    )
    const findings = report.pluginReports.flatMap((r: { violations?: unknown[] }) => r.violations ?? [])
    expect(findings).toEqual([])
  })
})

describe('table', () => {
  it('is on demand, with PITR, KMS encryption, deletion protection, TTL and is retained', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1)
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true }, // KMS with the AWS-managed key
        DeletionProtectionEnabled: true,
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      },
    })
  })

  it('has the keys and indexes of createTableInput (the local store uses the same)', () => {
    const input = createTableInput('x')
    const [table] = Object.values(resourcesOf(template, 'AWS::DynamoDB::Table'))
    expect(table.Properties.KeySchema).toEqual(input.KeySchema)
    expect(new Set(table.Properties.AttributeDefinitions)).toEqual(new Set(input.AttributeDefinitions))
    expect(table.Properties.GlobalSecondaryIndexes).toEqual(input.GlobalSecondaryIndexes)
  })
})

describe('functions', () => {
  it('every function runs nodejs22.x on arm64 with tracing', () => {
    const fns = Object.values(resourcesOf(template, 'AWS::Lambda::Function'))
    expect(fns.length).toBe(1 + STEP_FUNCTIONS.length)
    for (const fn of fns) {
      expect(fn.Properties.Runtime).toBe('nodejs22.x')
      expect(fn.Properties.Architectures).toEqual(['arm64'])
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' })
      expect(fn.Properties.Handler).toBe('index.handler')
    }
  })

  it('every application function ships its own bundle: minified ESM with a linked source map', () => {
    const fns = Object.values(resourcesOf(template, 'AWS::Lambda::Function')).filter((f) =>
      String(f.Properties.FunctionName).startsWith('ismsflow-'),
    )
    expect(fns.length).toBe(1 + STEP_FUNCTIONS.length)
    const keys = fns.map((f) => render(f.Properties.Code.S3Key))
    expect(new Set(keys).size).toBe(fns.length)
    const outdir = (stack.node.root as App).outdir
    for (const f of fns) {
      const assetDir = join(outdir, `asset.${render(f.Properties.Code.S3Key).replace(/\.zip$/, '')}`)
      const code = readFileSync(join(assetDir, 'index.mjs'), 'utf8')
      expect(code.trimEnd().endsWith('//# sourceMappingURL=index.mjs.map')).toBe(true)
      expect(code.length / code.split('\n').length).toBeGreaterThan(1000) // minified: long lines
      const map = JSON.parse(readFileSync(join(assetDir, 'index.mjs.map'), 'utf8'))
      expect(map.sourcesContent).toBeUndefined()
      expect(f.Properties.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps')
    }
  })

  it('creates one Lambda per registry step, granted what its spec says', () => {
    for (const spec of STEP_FUNCTIONS) {
      const fn = functionNamed(template, functionName(spec))
      const actions = actionsOfRole(template, fn.roleId)
      const writes = WRITE_ACTIONS.filter((a) => actions.has(a))
      if (spec.tableAccess === 'readwrite') expect(writes).toEqual(WRITE_ACTIONS)
      else expect(writes).toEqual([])
      expect(actions.has('dynamodb:GetItem')).toBe(spec.tableAccess !== 'none')
      expect(actions.has('states:SendTaskSuccess')).toBe(spec.sfnAccess === true)
    }
  })

  it('no Lambda environment holds a resolved secret: only the ARN, read at run time by those that need it', () => {
    const [secretId] = Object.keys(resourcesOf(template, 'AWS::SecretsManager::Secret'))
    template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain' })
    expect(resourcesOf(template, 'AWS::SecretsManager::Secret')[secretId].Properties.Name).toBeUndefined()
    for (const fn of Object.values(resourcesOf(template, 'AWS::Lambda::Function'))) {
      const vars = fn.Properties.Environment?.Variables ?? {}
      for (const value of Object.values(vars))
        expect(JSON.stringify(value)).not.toMatch(/resolve:secretsmanager/)
      if (!String(fn.Properties.FunctionName).startsWith('ismsflow-')) continue
      expect(vars.APP_SECRET).toBeUndefined()
      expect(vars.APP_SECRET_ARN).toEqual({ Ref: secretId })
    }
    const reads = (name: string) =>
      actionsOfRole(template, functionNamed(template, name).roleId).has('secretsmanager:GetSecretValue')
    expect(reads('ismsflow-api')).toBe(true)
    for (const spec of STEP_FUNCTIONS) expect(reads(functionName(spec))).toBe(spec.tableAccess !== 'none')
  })

  it('only the API and the steps that tell people about tasks may send mail, from the MailFrom sender', () => {
    template.hasParameter('MailFrom', { Type: 'String' })
    const senders = Object.values(resourcesOf(template, 'AWS::Lambda::Function'))
      .filter((fn) => actionsOfRole(template, roleIdOf(fn.Properties.Role)).has('ses:SendEmail'))
      .map((fn) => fn.Properties.FunctionName)
    expect(senders.sort()).toEqual([
      'ismsflow-api',
      'ismsflow-human-task',
      'ismsflow-incident-record',
      'ismsflow-review-record',
      'ismsflow-task-reminders',
    ])
    for (const name of senders)
      expect(functionNamed(template, name).props.Environment.Variables.MAIL_TRANSPORT).toBe('ses')
    for (const name of senders) {
      const fn = functionNamed(template, name)
      expect(fn.props.Environment.Variables.MAIL_FROM).toEqual({ Ref: 'MailFrom' })
      const [statement] = statementsOfRole(template, fn.roleId).filter((s) =>
        s.actions.includes('ses:SendEmail'),
      )
      expect(statement.actions).toEqual(['ses:SendEmail'])
      expect(statement.Condition).toEqual({ StringEquals: { 'ses:FromAddress': { Ref: 'MailFrom' } } })
      expect(statement.resources.map(render).join(' ')).toMatch(/:identity\/<MailFrom>/)
    }
  })
})

describe('API', () => {
  it('is bundled locally into an ES module that loads and answers through the Lambda adapter', () => {
    // Plain Node runs the staged bundle (not vitest's transform), copied under the repository so
    // its external @aws-sdk/* resolve from node_modules as they do from the Lambda runtime.
    const asset = stack.api.function.node.findChild('Code') as Asset
    const dir = mkdtempSync(join(REPO_ROOT, '.test-data', 'infra-bundle-'))
    copyFileSync(
      join(resolve((stack.node.root as App).outdir, asset.assetPath), 'index.mjs'),
      join(dir, 'index.mjs'),
    )
    const http = {
      method: 'GET',
      path: '/api/no-such-route',
      protocol: 'HTTP/1.1',
      sourceIp: '192.0.2.1',
      userAgent: 't',
    }
    const event = {
      version: '2.0',
      routeKey: 'ANY /api/{proxy+}',
      rawPath: http.path,
      rawQueryString: '',
      headers: { host: 'example.test' },
      requestContext: {
        http,
        requestId: 'r1',
        routeKey: 'ANY /api/{proxy+}',
        stage: '$default',
        domainName: 'example.test',
      },
      isBase64Encoded: false,
    }
    const script = `const { handler } = await import(${JSON.stringify(pathToFileURL(join(dir, 'index.mjs')).href)})
      const a = await handler(${JSON.stringify(event)}, {})
      process.stdout.write('\\n' + JSON.stringify({ statusCode: a.statusCode, body: a.body }))`
    try {
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        env: {
          PATH: process.env.PATH,
          AUTH_MODE: 'cognito',
          COGNITO_USER_POOL_ID: 'eu-central-1_test',
          COGNITO_CLIENT_ID: 'client',
          COGNITO_DOMAIN: 'https://ismsflow-test.auth.eu-central-1.amazoncognito.com',
          TABLE_NAME: 't',
          AWS_REGION: 'eu-central-1',
          APP_SECRET_ARN: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:AppSecret-abcdef',
        },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      const answer = JSON.parse(out.trim().split('\n').at(-1)!)
      expect(answer.statusCode).toBe(404)
      expect(JSON.parse(answer.body).error.code).toBeTypeOf('string')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('is a Lambda with the environment the app reads', () => {
    const api = functionNamed(template, 'ismsflow-api')
    const env = api.props.Environment.Variables
    expect(Object.keys(env).sort()).toEqual(
      [
        'APP_SECRET_ARN',
        'AUTH_MODE',
        'COGNITO_CLIENT_ID',
        'COGNITO_DOMAIN',
        'COGNITO_USER_POOL_ID',
        'EVIDENCE_BUCKET',
        'FORMS_DIR',
        'MAIL_FROM',
        'MAIL_TRANSPORT',
        'NODE_OPTIONS',
        'ORIGIN_VERIFY_SECRET_ARN',
        'PUBLIC_URL',
        'SCHEDULER_ROLE_ARN',
        'SCHEDULE_GROUP_NAME',
        'SCHEDULE_TARGET_ARN',
        'STATE_MACHINE_ARN_PREFIX',
        'TABLE_NAME',
      ].sort(),
    )
    expect(env.AUTH_MODE).toBe('cognito')
    expect(render(env.COGNITO_DOMAIN)).toMatch(
      /^https:\/\/<AuthUserPoolDomain\w+>\.auth\.<AWS::Region>\.amazoncognito\.com$/,
    )
    expect(render(env.COGNITO_CLIENT_ID)).toMatch(/^<AuthUserPoolWebClient\w+>$/)
    expect(env.FORMS_DIR).toBe('/var/task/forms')
    expect(env.SCHEDULE_GROUP_NAME).toBe('ismsflow')
    expect(render(env.SCHEDULE_TARGET_ARN)).toMatch(/^<StepsReviewScheduleTargetFunction\w+\.Arn>$/)
    expect(render(env.STATE_MACHINE_ARN_PREFIX)).toBe(
      'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:ismsflow-',
    )
    expect(render(env.PUBLIC_URL)).toMatch(/^https:\/\/<WebDistribution\w+\.DomainName>$/)
  })

  it('is routed as ANY /api/{proxy+} through a Lambda proxy integration', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'ANY /api/{proxy+}' })
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    })
  })

  it('may read and write the table, manage schedules in its group and pass only the scheduler role', () => {
    const { roleId } = functionNamed(template, 'ismsflow-api')
    const actions = actionsOfRole(template, roleId)
    for (const a of [...WRITE_ACTIONS, 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:DescribeTable'])
      expect(actions).toContain(a)
    for (const a of ['CreateSchedule', 'UpdateSchedule', 'DeleteSchedule', 'GetSchedule']) {
      expect(resourcesFor(template, roleId, `scheduler:${a}`).map(render)).toEqual([
        'arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/ismsflow/*',
      ])
    }
    const pass = statementsOfRole(template, roleId).filter((s) => s.actions.includes('iam:PassRole'))
    expect(pass).toHaveLength(1)
    expect(pass[0].resources.map(render)).toEqual([`<${schedulerRoleId()}.Arn>`])
    expect(pass[0].Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } })
    expect(render(resourcesFor(template, roleId, 'states:StartExecution'))).toMatch(
      /stateMachine:ismsflow-\*$/,
    )
  })

  it('has no wildcard resource except where IAM has no resource level (health probe, X-Ray)', () => {
    for (const fn of Object.values(resourcesOf(template, 'AWS::Lambda::Function'))) {
      for (const s of statementsOfRole(template, roleIdOf(fn.Properties.Role))) {
        if (s.resources.includes('*'))
          for (const a of s.actions)
            expect([
              'states:ListStateMachines',
              'xray:PutTraceSegments',
              'xray:PutTelemetryRecords',
            ]).toContain(a)
      }
    }
  })
})

describe('one code path for schedules and closing tasks', () => {
  it('an EventBridge Scheduler schedule invokes the reminder sweep hourly with the scheduled time', () => {
    const { id: logicalId } = functionNamed(template, 'ismsflow-task-reminders')
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'ismsflow-task-reminders',
      ScheduleExpression: 'rate(1 hour)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [logicalId, 'Arn'] },
        Input: JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>' }),
      }),
    })
    const invoke = statementsOfRole(template, schedulerRoleId()).find((s) =>
      s.resources.map(render).includes(`<${logicalId}.Arn>`),
    )
    expect(invoke?.actions).toEqual(['lambda:InvokeFunction'])
  })

  it('an EventBridge rule sends succeeded, stopped, failed and timed-out executions to close-task, which may be invoked by it', () => {
    const { id: logicalId } = functionNamed(template, 'ismsflow-close-task')
    const rules = Object.values(resourcesOf(template, 'AWS::Events::Rule'))
    const rule = rules.find((r: any) => r.Properties.EventPattern?.source?.includes('aws.states')) as any
    expect(rule.Properties.EventPattern['detail-type']).toEqual(['Step Functions Execution Status Change'])
    expect(rule.Properties.EventPattern.detail.status).toEqual([
      'SUCCEEDED',
      'ABORTED',
      'FAILED',
      'TIMED_OUT',
    ])
    expect(render(rule.Properties.EventPattern.detail.stateMachineArn)).toMatch(/stateMachine:ismsflow-/)
    expect(rule.Properties.Targets).toEqual([
      expect.objectContaining({ Arn: { 'Fn::GetAtt': [logicalId, 'Arn'] } }),
    ])
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [logicalId, 'Arn'] },
    })
  })
})

describe('production settings', () => {
  it('throttles the API stage and writes its access logs', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1)
    const [stage] = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Stage'))
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    })
    expect(render(stage.Properties.AccessLogSettings.DestinationArn)).toMatch(/^<ApiAccessLogs\w+\.Arn>$/)
    expect(JSON.parse(stage.Properties.AccessLogSettings.Format)).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
    })
  })

  it('lets only CloudFront reach the API: it sends the origin secret, which only the API may read', () => {
    const [dist] = Object.values(resourcesOf(template, 'AWS::CloudFront::Distribution'))
    const config = dist.Properties.DistributionConfig
    const api = config.CacheBehaviors.find((b: any) => b.PathPattern === '/api/*')
    const origin = config.Origins.find((o: any) => o.Id === api.TargetOriginId)
    expect(origin.CustomOriginConfig.OriginSSLProtocols).toEqual(['TLSv1.2'])
    const [header] = origin.OriginCustomHeaders
    expect(header.HeaderName).toBe('x-origin-verify')
    expect(render(header.HeaderValue)).toMatch(
      /^\{\{resolve:secretsmanager:<OriginVerify\w+>:SecretString:::\}\}$/,
    )
    const api2 = functionNamed(template, 'ismsflow-api')
    expect(render(api2.props.Environment.Variables.ORIGIN_VERIFY_SECRET_ARN)).toMatch(/^<OriginVerify\w+>$/)
    const readers = Object.values(resourcesOf(template, 'AWS::Lambda::Function')).filter((fn) =>
      statementsOfRole(template, roleIdOf(fn.Properties.Role)).some(
        (st) =>
          st.actions.includes('secretsmanager:GetSecretValue') &&
          st.resources.some((r) => render(r).startsWith('<OriginVerify')),
      ),
    )
    expect(readers.map((f) => f.Properties.FunctionName)).toEqual(['ismsflow-api'])
  })

  it('logs CloudFront and the site bucket to a private, expiring log bucket', () => {
    const [dist] = Object.values(resourcesOf(template, 'AWS::CloudFront::Distribution'))
    const logging = dist.Properties.DistributionConfig.Logging
    expect(logging.Prefix).toBe('cloudfront/')
    const logBucketId = render(logging.Bucket).match(/^<(WebLogs\w+)\.RegionalDomainName>$/)![1]
    const buckets = resourcesOf(template, 'AWS::S3::Bucket')
    expect(buckets[logBucketId].Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [{ ExpirationInDays: 180, Status: 'Enabled' }] },
    })
    const site = Object.entries(buckets).find(([id]) => id.startsWith('WebBucket'))![1]
    expect(site.Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logBucketId },
      LogFilePrefix: 'site-bucket/',
    })
  })

  it('can be destroyed and deployed again: nothing retained has a fixed name', () => {
    const NAME: Record<string, string> = {
      'AWS::SecretsManager::Secret': 'Name',
      'AWS::Logs::LogGroup': 'LogGroupName',
      'AWS::S3::Bucket': 'BucketName',
      'AWS::DynamoDB::Table': 'TableName',
      'AWS::Scheduler::ScheduleGroup': 'Name',
    }
    const json = template.toJSON() as { Resources: Record<string, any> }
    for (const [id, r] of Object.entries(json.Resources)) {
      if (r.DeletionPolicy !== 'Retain' || !NAME[r.Type]) continue
      const name = r.Properties?.[NAME[r.Type]]
      // Retained log groups are named after the stack's own id (new stack, new name).
      expect(name === undefined || render(name).includes('<AWS::StackId>'), `${id} ${render(name)}`).toBe(
        true,
      )
    }
  })

  it('the CDK app fails the synth, saying what to run, when the web app is not built', () => {
    expect(() =>
      synth(
        { webDistDir: join(FIXTURES, 'no-web-build'), requireWebBuild: true },
        { context: { 'aws:cdk:bundling-stacks': [] }, validate: false },
      ),
    ).toThrow(/No web build at .*no-web-build: run `npm run build:web` first/)
  })
})

describe('web', () => {
  it('keeps the bucket private, TLS-only and encrypted', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    })
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    })
  })

  it('serves the bucket through CloudFront with OAC, index.html as root and an SPA rewrite, not error pages', () => {
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      },
    })
    const [dist] = Object.values(resourcesOf(template, 'AWS::CloudFront::Distribution'))
    const config = dist.Properties.DistributionConfig
    expect(config.DefaultRootObject).toBe('index.html')
    expect(config.CustomErrorResponses).toBeUndefined()
    const s3Origin = config.Origins.find((o: any) => o.S3OriginConfig)
    expect(s3Origin.OriginAccessControlId).toBeDefined()
    expect(s3Origin.S3OriginConfig.OriginAccessIdentity).toBe('')
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https')
    const [association] = config.DefaultCacheBehavior.FunctionAssociations
    expect(config.DefaultCacheBehavior.FunctionAssociations).toHaveLength(1)
    expect(association.EventType).toBe('viewer-request')
    expect(render(association.FunctionARN)).toMatch(/^<WebSpaRewrite\w+\.FunctionARN>$/)
    template.hasResourceProperties('AWS::CloudFront::Function', { FunctionCode: SPA_REWRITE_CODE })
  })

  it('rewrites client-side routes to /index.html and leaves files alone', () => {
    const handler = new Function(`${SPA_REWRITE_CODE}; return handler`)() as (e: any) => { uri: string }
    const uri = (u: string) => handler({ request: { uri: u } }).uri
    expect(uri('/')).toBe('/index.html')
    expect(uri('/risks/42')).toBe('/index.html')
    expect(uri('/assets/app.3f2a.js')).toBe('/assets/app.3f2a.js')
    expect(uri('/v1.2/page')).toBe('/index.html')
  })

  it('forwards /api/* to the HTTP API uncached, all methods, Authorization, cookies and query', () => {
    const [dist] = Object.values(resourcesOf(template, 'AWS::CloudFront::Distribution'))
    const config = dist.Properties.DistributionConfig
    const api = config.CacheBehaviors.find((b: any) => b.PathPattern === '/api/*')
    expect(api.AllowedMethods.sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'])
    expect(api.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac') // AllViewerExceptHostHeader
    const origin = config.Origins.find((o: any) => o.Id === api.TargetOriginId)
    expect(render(origin.DomainName)).toMatch(
      /^<ApiHttpApi\w+>\.execute-api\.<AWS::Region>\.<AWS::URLSuffix>$/,
    )
    expect(origin.CustomOriginConfig.OriginProtocolPolicy).toBe('https-only')
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: {
        DefaultTTL: 0,
        MinTTL: 0,
        MaxTTL: 1,
        ParametersInCacheKeyAndForwardedToOrigin: {
          HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Authorization'] },
          CookiesConfig: { CookieBehavior: 'all' },
          QueryStringsConfig: { QueryStringBehavior: 'all' },
        },
      },
    })
  })

  it('adds security headers to every answer', () => {
    const [dist] = Object.values(resourcesOf(template, 'AWS::CloudFront::Distribution'))
    const config = dist.Properties.DistributionConfig
    const policies = [config.DefaultCacheBehavior, ...config.CacheBehaviors].map(
      (b: any) => b.ResponseHeadersPolicyId,
    )
    expect(policies.every((p: unknown) => p !== undefined)).toBe(true)
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: Match.objectLike({
          StrictTransportSecurity: Match.objectLike({ Override: true, IncludeSubdomains: true }),
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ContentSecurityPolicy: Match.objectLike({ Override: false }),
        }),
      },
    })
  })

  it('skips the site upload without a web build and says so', () => {
    template.resourceCountIs('Custom::CDKBucketDeployment', 0)
    // Read the construct's metadata directly: Annotations.fromStack would synthesise (and bundle) again.
    const infos = stack.web.node.metadata.filter((m) => m.type === 'aws:cdk:info').map((m) => String(m.data))
    expect(infos).toEqual([
      expect.stringMatching(/^No web build at .*no-web-build: the site is not deployed/),
    ])
  })
})

describe('Cognito', () => {
  const only = (type: string) => {
    const all = Object.entries(resourcesOf(template, type))
    expect(all, type).toHaveLength(1)
    return { id: all[0][0], props: all[0][1].Properties }
  }

  it('has no self sign-up, a verified e-mail kept while a change is unverified, a strong password policy, optional TOTP and threat protection', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
      Schema: Match.arrayWith([Match.objectLike({ Name: 'email', Required: true, Mutable: true })]),
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
          TemporaryPasswordValidityDays: 7,
        },
      },
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      DeletionProtection: 'ACTIVE',
    })
  })

  it('has a managed login domain with a prefix', () => {
    const domain = only('AWS::Cognito::UserPoolDomain')
    expect(domain.props.ManagedLoginVersion).toBe(2)
    expect(render(domain.props.Domain)).toBe('ismsflow-<AWS::AccountId>')
    expect(domain.props.CustomDomainConfig).toBeUndefined()
    const branding = only('AWS::Cognito::ManagedLoginBranding')
    expect(branding.props.UseCognitoProvidedValues).toBe(true)
  })

  it('has one web client: code flow with PKCE only, called back at the CloudFront domain, unable to write e-mail', () => {
    const client = only('AWS::Cognito::UserPoolClient').props
    expect(client.GenerateSecret).toBe(false)
    expect(client.AllowedOAuthFlows).toEqual(['code'])
    expect(client.AllowedOAuthFlowsUserPoolClient).toBe(true)
    expect([...client.AllowedOAuthScopes].sort()).toEqual(['email', 'openid', 'profile'])
    expect(client.SupportedIdentityProviders).toEqual(['COGNITO'])
    expect(client.CallbackURLs.map(render)).toEqual([
      expect.stringMatching(/^https:\/\/<WebDistribution\w+\.DomainName>\/auth\/callback$/),
    ])
    expect(client.LogoutURLs.map(render)).toEqual([
      expect.stringMatching(/^https:\/\/<WebDistribution\w+\.DomainName>\/$/),
    ])
    expect(client.ExplicitAuthFlows).toEqual(['ALLOW_USER_SRP_AUTH'])
    expect(client.WriteAttributes).toEqual(['name'])
    expect(client.ReadAttributes).toEqual(expect.arrayContaining(['email', 'email_verified', 'name']))
    expect(client.RefreshTokenRotation).toEqual({ Feature: 'ENABLED', RetryGracePeriodSeconds: 10 })
    expect(client.EnableTokenRevocation).toBe(true)
    expect(client.PreventUserExistenceErrors).toBe('ENABLED')
    expect(JSON.stringify(template.toJSON())).not.toMatch(/example\.com/)
  })

  it('lets the page reach the sign-in domain (CSP connect-src)', () => {
    const [policy] = Object.values(resourcesOf(template, 'AWS::CloudFront::ResponseHeadersPolicy'))
    const csp = render(
      policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy
        .ContentSecurityPolicy,
    )
    expect(csp).toMatch(
      /connect-src 'self'[^;]* https:\/\/<AuthUserPoolDomain\w+>\.auth\.<AWS::Region>\.amazoncognito\.com[;\s]/,
    )
  })

  it('lets only the API create and read sign-ins, on this pool, with exactly the admin calls it makes', () => {
    const pool = only('AWS::Cognito::UserPool')
    const admins = Object.values(resourcesOf(template, 'AWS::Lambda::Function'))
      .filter((fn) =>
        [...actionsOfRole(template, roleIdOf(fn.Properties.Role))].some((a) => a.startsWith('cognito-idp:')),
      )
      .map((fn) => fn.Properties.FunctionName)
    expect(admins).toEqual(['ismsflow-api'])
    const api = functionNamed(template, 'ismsflow-api')
    const statements = statementsOfRole(template, api.roleId).filter((s) =>
      s.actions.some((a: string) => a.startsWith('cognito-idp:')),
    )
    expect(statements).toHaveLength(1)
    expect([...statements[0].actions].sort()).toEqual([
      'cognito-idp:AdminCreateUser',
      'cognito-idp:AdminGetUser',
      'cognito-idp:AdminSetUserPassword',
    ])
    expect(statements[0].resources.map(render)).toEqual([`<${pool.id}.Arn>`])
  })

  it('has one group per role', () => {
    const groups = Object.values(resourcesOf(template, 'AWS::Cognito::UserPoolGroup')).map(
      (g) => g.Properties.GroupName,
    )
    expect(groups.sort()).toEqual([...ROLES].sort())
  })
})

const schedulerRoleId = () =>
  Object.entries(resourcesOf(template, 'AWS::IAM::Role')).find(
    ([, r]) =>
      r.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Service === 'scheduler.amazonaws.com',
  )![0]

describe('workflows and scheduling', () => {
  it('turns every workflows/*.asl.json into a state machine ismsflow-<name>', () => {
    const files = readWorkflowFiles(WORKFLOWS_DIR)
    const names = Object.values(resourcesOf(template, 'AWS::StepFunctions::StateMachine')).map(
      (m) => m.Properties.StateMachineName,
    )
    expect(names.sort()).toEqual(files.map((f) => `ismsflow-${f.basename}`).sort())
  })

  it('has the schedule group and a scheduler role that may only invoke the schedule target and the reminder sweep', () => {
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'ismsflow' })
    const roleId = schedulerRoleId()
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ],
      },
    })
    // EventBridge Scheduler's time has colons, which execution names refuse: the target Lambda
    // derives the occurrence id and starts the machine (it has StartExecution, see steps).
    expect([...actionsOfRole(template, roleId)]).toEqual(['lambda:InvokeFunction'])
    expect(resourcesFor(template, roleId, 'lambda:InvokeFunction').map(render).sort()).toEqual([
      `<${functionNamed(template, 'ismsflow-review-schedule-target').id}.Arn>`,
      `<${functionNamed(template, 'ismsflow-task-reminders').id}.Arn>`,
    ])
    const target = functionNamed(template, 'ismsflow-review-schedule-target')
    expect(render(resourcesFor(template, target.roleId, 'states:StartExecution'))).toMatch(
      /stateMachine:ismsflow-\*$/,
    )
  })
})

describe('the re-index on deploy', () => {
  /** The custom resource's properties as a stack with these index versions synthesises them. */
  const propertiesWith = (versions: Record<string, string>) => {
    const app = new App()
    const scope = new Stack(app, 'Probe', { env: { account: '000000000000', region: 'eu-central-1' } })
    new ReindexOnDeploy(scope, 'Reindex', {
      fn: lambda.Function.fromFunctionArn(
        scope,
        'Fn',
        'arn:aws:lambda:eu-central-1:000000000000:function:ismsflow-reindex',
      ),
      machine: sfn.StateMachine.fromStateMachineArn(
        scope,
        'Machine',
        'arn:aws:states:eu-central-1:000000000000:stateMachine:ismsflow-reindex',
      ),
      versions,
    })
    const [resource] = Object.values(resourcesOf(Template.fromStack(scope), 'Custom::IsmsflowReindex'))
    return resource.Properties
  }

  it("carries every index's version: the inbox's, each list's and the search index's", () => {
    const [resource] = Object.values(resourcesOf(template, 'Custom::IsmsflowReindex'))
    expect(resource.Properties.IndexVersions).toEqual(indexVersions())
    expect(resource.Properties.IndexVersions).toMatchObject({
      tasks: String(TASK_INDEX_VERSION),
      search: String(SEARCH_INDEX_VERSION),
      ...Object.fromEntries(Object.entries(LIST_SPECS).map(([t, s]) => [`list:${t}`, String(s.version)])),
    })
  })

  it('changes its properties (CloudFormation sends an Update, the re-index runs) when any one version changes', () => {
    const now = indexVersions()
    const same = propertiesWith(now)
    expect(propertiesWith({ ...now })).toEqual(same)
    for (const index of ['tasks', 'search', 'list:risk']) {
      expect(now[index], index).toBeDefined()
      expect(propertiesWith({ ...now, [index]: `${now[index]}1` }), index).not.toEqual(same)
    }
  })
})

describe('outputs', () => {
  it('names the site, API, user pool, client and table', () => {
    const outputs = Object.keys(template.findOutputs('*'))
    for (const o of ['SiteUrl', 'ApiUrl', 'UserPoolId', 'UserPoolClientId', 'TableName'])
      expect(outputs).toContain(o)
  })
})
