import {
  CfnOutput,
  CfnParameter,
  Duration,
  Fn,
  Lazy,
  RemovalPolicy,
  Stack,
  type StackProps,
} from 'aws-cdk-lib'
import * as events from 'aws-cdk-lib/aws-events'
import * as targets from 'aws-cdk-lib/aws-events-targets'
import * as iam from 'aws-cdk-lib/aws-iam'
import * as kms from 'aws-cdk-lib/aws-kms'
import * as lambda from 'aws-cdk-lib/aws-lambda'
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager'
import * as sns from 'aws-cdk-lib/aws-sns'
import type { Construct } from 'constructs'
import { closeTaskRulePattern } from '../../functions/steps/close-task.js'
import { RESOURCE_PREFIX, STEP_FUNCTIONS, type StepFunctionSpec } from '../../functions/steps/registry.js'
import { API_ENTRY, Api } from './api.js'
import { machineArns } from './arns.js'
import { Auth } from './auth.js'
import { createTable } from './data.js'
import { Evidence } from './evidence.js'
import { acknowledgeNagFindings, type NagAcknowledgement } from './nag.js'
import { BundleBatch } from './node-function.js'
import { WEB_DIST_DIR, WORKFLOWS_DIR } from './paths.js'
import { ReindexOnDeploy } from './reindex.js'
import { Scheduling } from './scheduler.js'
import { Steps } from './steps.js'
import { Web } from './web.js'
import { readWorkflowFiles, Workflows } from './workflows.js'

/** Where the stack reads its inputs from; tests point these at fixtures. */
export interface IsmsflowStackProps extends StackProps {
  /** Folder of `*.asl.json` workflow files (default `workflows/`). */
  workflowsDir?: string
  /** Built web app (default `web/dist`); skipped when it has no `index.html`. */
  webDistDir?: string
  /** Step functions (default the registry's `STEP_FUNCTIONS`). */
  steps?: StepFunctionSpec[]
  /** Fail without a web build (the CDK app sets it; tests look at stacks without one). */
  requireWebBuild?: boolean
  /** Prefix of the Cognito managed login domain (default `ismsflow-<account id>`). */
  authDomainPrefix?: string
}

/**
 * ismsflow on AWS in one stack: the single DynamoDB table, Cognito sign-in, the API Lambda
 * behind an HTTP API, the web app in S3 behind CloudFront (with `/api/*` routed to the API),
 * one Lambda per registry step, one state machine per workflow file, EventBridge Scheduler
 * for periodic reviews and an SNS topic for notifications.
 */
export class IsmsflowStack extends Stack {
  readonly api: Api
  readonly web: Web
  readonly steps: Steps
  readonly workflows: Workflows
  readonly scheduling: Scheduling
  /** The cdk-nag findings this stack accepts, with their reasons (`nag.ts`). */
  readonly nagAcknowledgements: NagAcknowledgement[]

  constructor(scope: Construct, id: string, props: IsmsflowStackProps = {}) {
    super(scope, id, {
      description: 'ismsflow: ISMS workflows (table, API, web, Cognito, state machines)',
      ...props,
    })
    const steps = props.steps ?? STEP_FUNCTIONS
    // The API's and every step's bundle, built by one esbuild run when the first is staged.
    const bundles = new BundleBatch([API_ENTRY, ...steps.map((s) => s.entry)])
    const table = createTable(this)
    const arns = machineArns(this)
    const auth = new Auth(this, 'Auth', { domainPrefix: props.authDomainPrefix })

    // Encrypts task tokens at rest. Only its ARN is in the functions' environment: they read
    // it from Secrets Manager at run time (cached per container). No fixed name, so a stack
    // destroyed (the secret is retained) can be deployed again.
    const appSecret = new secretsmanager.Secret(this, 'AppSecret', {
      description: 'ismsflow APP_SECRET (task-token encryption); rotating it invalidates open tasks',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    })
    const secretEnv = { APP_SECRET_ARN: appSecret.secretArn }
    // The sender of every message (SES): a verified address or an address of a verified domain.
    const mailFrom = new CfnParameter(this, 'MailFrom', {
      type: 'String',
      description: 'Sender of e-mail (SES): an address whose address or domain is verified in SES',
      allowedPattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
      constraintDescription: 'must be an e-mail address',
      // `-c mailFrom=…` or `--parameters MailFrom=…`; a later deploy keeps the value given before.
      default: this.node.tryGetContext('mailFrom'),
    })

    // CloudFront sends this to the API as `x-origin-verify`; the API refuses requests without it,
    // so only the site reaches the API (API Gateway's own endpoint answers 403).
    const originVerify = new secretsmanager.Secret(this, 'OriginVerify', {
      description: 'ismsflow: header value CloudFront sends to the API (x-origin-verify)',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    })
    const domainName = this.node.tryGetContext('domainName') as string | undefined
    const certificateArn = this.node.tryGetContext('certificateArn') as string | undefined
    if (Boolean(domainName) !== Boolean(certificateArn))
      throw new Error('an own domain needs both -c domainName=… and -c certificateArn=… (ACM, us-east-1)')

    const topic = new sns.Topic(this, 'Notifications', {
      topicName: `${RESOURCE_PREFIX}-notifications`,
      displayName: 'ismsflow notifications',
      enforceSSL: true,
      masterKey: kms.Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
    })

    this.api = new Api(this, 'Api', {
      table,
      arns,
      bundles,
      environment: {
        ...secretEnv,
        AUTH_MODE: 'cognito',
        COGNITO_USER_POOL_ID: auth.userPool.userPoolId,
        COGNITO_DOMAIN: auth.domainUrl,
        ORIGIN_VERIFY_SECRET_ARN: originVerify.secretArn,
      },
    })
    originVerify.grantRead(this.api.function)
    // Invitations and the set-up create people's sign-ins (Cognito owns passwords): the API
    // alone, on this pool alone, with the three admin calls it makes (functions/user-pool.ts).
    auth.userPool.grant(
      this.api.function,
      'cognito-idp:AdminCreateUser',
      'cognito-idp:AdminGetUser',
      'cognito-idp:AdminSetUserPassword',
    )
    this.web = new Web(this, 'Web', {
      httpApi: this.api.httpApi,
      webDistDir: props.webDistDir ?? WEB_DIST_DIR,
      requireWebBuild: props.requireWebBuild,
      originVerify,
      domain: domainName && certificateArn ? { name: domainName, certificateArn } : undefined,
      // The browser uploads evidence to the bucket, and redeems its sign-in code and refreshes
      // at the managed login domain.
      connectSources: [Lazy.string({ produce: () => evidence.origin }), auth.domainUrl],
    })
    const evidence = new Evidence(this, 'Evidence', {
      logBucket: this.web.logBucket,
      siteOrigins: [domainName ? `https://${domainName}` : 'https://*.cloudfront.net'],
      users: [this.api.function],
    })
    const publicUrl = `https://${domainName ?? this.web.distribution.distributionDomainName}`
    // Code flow with PKCE, called back at the site: the CloudFront domain or the own one (no placeholders).
    const webClient = auth.addWebClient(publicUrl)
    this.api.function.addEnvironment('COGNITO_CLIENT_ID', webClient.userPoolClientId)

    this.steps = new Steps(this, 'Steps', {
      steps,
      table,
      arns,
      bundles,
      environment: { ...secretEnv, PUBLIC_URL: publicUrl },
    })
    this.workflows = new Workflows(this, 'Workflows', {
      files: readWorkflowFiles(props.workflowsDir ?? WORKFLOWS_DIR),
      steps,
      functions: this.steps.functions,
      table,
      topic,
      arns,
    })
    const scheduleTarget = this.steps.functions.get('ReviewScheduleTargetFunction')
    this.scheduling = new Scheduling(this, 'Scheduling', {
      machines: this.workflows.machines,
      arns,
      target: scheduleTarget,
      reminders: this.steps.functions.get('TaskRemindersFunction'),
    })
    // Stopped, failed and timed-out executions close their open inbox tasks (close-task; a
    // human task's own timeout is a Catch in its definition), and every final status is kept
    // in the workflows list's index. Locally the engine emits the same events.
    const closeTask = this.steps.functions.get('CloseTaskFunction')
    if (closeTask) {
      const pattern = closeTaskRulePattern(arns.prefix)
      new events.Rule(this, 'CloseTaskRule', {
        description:
          'ismsflow: closes the inbox tasks of stopped, failed and timed-out executions; keeps final statuses in the workflows list',
        eventPattern: {
          source: pattern.source,
          detailType: pattern.detailType,
          detail: pattern.detail,
        },
        targets: [
          new targets.LambdaFunction(closeTask, { retryAttempts: 8, maxEventAge: Duration.hours(6) }),
        ],
      })
    }
    // Indexes an older version wrote are built again on deploy (a custom resource starting the
    // reindex machine when the index versions change); locally at start (`infra/local/stack.ts`).
    const reindexFn = this.steps.functions.get('ReindexFunction')
    const reindexMachine = this.workflows.machines.get('reindex')
    if (reindexFn && reindexMachine)
      new ReindexOnDeploy(this, 'Reindex', { fn: reindexFn, machine: reindexMachine })
    this.scheduling.grantManageSchedules(this.api.function)
    // The app secret: readable by the functions that seal or open task tokens.
    appSecret.grantRead(this.api.function)
    for (const spec of steps)
      if (spec.tableAccess !== 'none') appSecret.grantRead(this.steps.functions.get(spec.key)!)
    // Mail goes out through SES from the API (invitations, delegations, decisions) and the
    // steps that tell people about tasks (registry: sendsMail) only.
    const mailers = [
      this.api.function,
      ...steps.filter((spec) => spec.sendsMail).map((spec) => this.steps.functions.get(spec.key)),
    ].filter((f): f is lambda.Function => f instanceof lambda.Function)
    const sender = mailFrom.valueAsString
    const identity = (name: string) =>
      this.formatArn({ service: 'ses', resource: 'identity', resourceName: name })
    for (const fn of mailers) {
      fn.addEnvironment('MAIL_FROM', sender)
      fn.addEnvironment('MAIL_TRANSPORT', 'ses')
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['ses:SendEmail'],
          resources: [identity(sender), identity(Fn.select(1, Fn.split('@', sender)))],
          conditions: { StringEquals: { 'ses:FromAddress': sender } },
        }),
      )
    }
    this.api.function.addEnvironment('PUBLIC_URL', publicUrl)
    this.api.function.addEnvironment('SCHEDULE_GROUP_NAME', RESOURCE_PREFIX)
    this.api.function.addEnvironment('SCHEDULER_ROLE_ARN', this.scheduling.role.roleArn)
    if (scheduleTarget) this.api.function.addEnvironment('SCHEDULE_TARGET_ARN', scheduleTarget.functionArn)

    const out = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description })
    out('SiteUrl', publicUrl, 'The web app')
    out('ApiUrl', this.api.httpApi.apiEndpoint, 'HTTP API (answers only requests through SiteUrl/api)')
    out('UserPoolId', auth.userPool.userPoolId, 'Cognito user pool')
    out('UserPoolClientId', webClient.userPoolClientId, 'Cognito app client of the web app')
    out('SignInDomain', auth.domainUrl, 'Cognito managed login (sign-in pages)')
    out('TableName', table.tableName, 'DynamoDB table')
    out('StateMachineArnPrefix', arns.prefix, 'Prefix of every ismsflow state machine ARN')
    out('ScheduleGroupName', RESOURCE_PREFIX, 'EventBridge Scheduler group of review schedules')
    out('SchedulerRoleArn', this.scheduling.role.roleArn, 'Role EventBridge Scheduler assumes')
    out('NotificationsTopicArn', topic.topicArn, 'SNS topic for notifications')
    this.nagAcknowledgements = acknowledgeNagFindings(this)
  }
}
