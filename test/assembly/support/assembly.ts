import { mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { App } from 'aws-cdk-lib'
import { REPO_ROOT } from '../../../infra/aws/paths.js'
import { IsmsflowStack } from '../../../infra/aws/stack.js'

/** Where the rehearsal pretends to be: the local engine's default account and region. */
export const REGION = 'eu-central-1'
export const ACCOUNT = '000000000000'
/** The sender the rehearsal deploys with (the `MailFrom` parameter). */
export const MAIL_FROM = 'isms@rehearsal.ismsflow.test'

type Resource = { Type: string; Properties?: Record<string, any> }
/** A CloudFormation template as `cdk synth` writes it. */
export interface TemplateJson {
  Parameters?: Record<string, { Default?: string }>
  Resources: Record<string, Resource>
}

/** One Lambda function of the assembly, as Lambda would run it. */
export interface AssemblyFunction {
  logicalId: string
  name: string
  arn: string
  /** `index.handler`: file (without extension) and export. */
  handler: string
  /** The function's code as uploaded: the staged asset folder in the cloud assembly. */
  codeDir: string
  /** Environment variables from the template, intrinsics resolved. */
  environment: Record<string, string>
  /** The asset's S3 key (one per bundle). */
  s3Key: string
}

/** One state machine of the assembly: its definition with the substitutions filled in. */
export interface AssemblyMachine {
  logicalId: string
  name: string
  arn: string
  definition: string
}

/** What the rehearsal runs: the synthesized template's functions and state machines. */
export interface Assembly {
  outdir: string
  template: TemplateJson
  functions: AssemblyFunction[]
  machines: AssemblyMachine[]
}

/**
 * Synthesizes the stack as `npx cdk synth` does (context of `cdk.json`, no web build needed)
 * into a fresh temporary cloud assembly. Beside the assets, `node_modules/@aws-sdk` links to
 * the repository's: the AWS SDK v3 is all the Lambda runtime provides besides the bundle.
 */
export function synthesizeAssembly(options: { tableName: string }): Assembly {
  const outdir = mkdtempSync(join(tmpdir(), 'ismsflow-assembly-'))
  const { context } = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8'))
  const app = new App({ outdir, context: { ...context, mailFrom: MAIL_FROM } })
  new IsmsflowStack(app, 'IsmsflowStack', {
    webDistDir: join(REPO_ROOT, 'test', 'infra', 'fixtures', 'no-web-build'),
  })
  const cloud = app.synth()
  const artifact = cloud.getStackByName('IsmsflowStack')
  const template = artifact.template as TemplateJson
  mkdirSync(join(outdir, 'node_modules'), { recursive: true })
  symlinkSync(join(REPO_ROOT, 'node_modules', '@aws-sdk'), join(outdir, 'node_modules', '@aws-sdk'), 'dir')

  const resolve = resolver(template, options.tableName)
  const assets = JSON.parse(readFileSync(join(outdir, 'IsmsflowStack.assets.json'), 'utf8')).files as Record<
    string,
    { source: { path: string } }
  >
  const functions: AssemblyFunction[] = []
  const machines: AssemblyMachine[] = []
  for (const [logicalId, r] of Object.entries(template.Resources)) {
    const p = r.Properties ?? {}
    if (r.Type === 'AWS::Lambda::Function' && String(p.FunctionName ?? '').startsWith('ismsflow-')) {
      const s3Key = resolve(p.Code.S3Key)
      const asset = assets[s3Key.replace(/\.zip$/, '')]
      if (!asset) throw new Error(`function ${p.FunctionName}: no asset for ${s3Key}`)
      const env = p.Environment?.Variables ?? {}
      functions.push({
        logicalId,
        name: p.FunctionName,
        arn: resolve({ 'Fn::GetAtt': [logicalId, 'Arn'] }),
        handler: p.Handler,
        codeDir: join(outdir, asset.source.path),
        environment: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, resolve(v)])),
        s3Key,
      })
    }
    if (r.Type === 'AWS::StepFunctions::StateMachine') {
      const subs = Object.fromEntries(
        Object.entries((p.DefinitionSubstitutions ?? {}) as Record<string, unknown>).map(([k, v]) => [
          k,
          resolve(v),
        ]),
      )
      const definition = (resolve(p.DefinitionString) as string).replace(
        /\$\{([A-Za-z0-9_]+)\}/g,
        (_: string, key: string) => {
          if (!(key in subs))
            throw new Error(`state machine ${p.StateMachineName}: no substitution for ${key}`)
          return subs[key]
        },
      )
      machines.push({
        logicalId,
        name: p.StateMachineName,
        arn: resolve({ Ref: logicalId }),
        definition,
      })
    }
  }
  return { outdir, template, functions, machines }
}

/**
 * Resolves the intrinsics a template uses (`Ref`, `Fn::GetAtt`, `Fn::Join`, `Fn::Select`,
 * `Fn::Split`, `Fn::Sub` without variables map) to what CloudFormation would put there in
 * the rehearsal's account: Lambda ARNs and names, the table's name (the local stack's),
 * state machine, topic and secret ARNs. Anything it cannot name is an error naming it.
 */
export function resolver(template: TemplateJson, tableName: string) {
  const pseudo: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::Region': REGION,
    'AWS::AccountId': ACCOUNT,
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': 'IsmsflowStack',
  }
  const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`
  const props = (id: string) => {
    const r = template.Resources[id]
    if (!r) throw new Error(`template has no resource ${id}`)
    return r
  }
  const ref = (id: string): string => {
    if (pseudo[id]) return pseudo[id]
    const param = template.Parameters?.[id]
    if (param) {
      if (param.Default === undefined) throw new Error(`parameter ${id} has no value`)
      return param.Default
    }
    const r = props(id)
    const p = r.Properties ?? {}
    switch (r.Type) {
      case 'AWS::Lambda::Function':
        return p.FunctionName
      case 'AWS::DynamoDB::Table':
        return tableName
      case 'AWS::StepFunctions::StateMachine':
        return arn('states', `stateMachine:${p.StateMachineName}`)
      case 'AWS::SNS::Topic':
        return arn('sns', p.TopicName ?? id)
      case 'AWS::SecretsManager::Secret':
        return arn('secretsmanager', `secret:${id}-AbCdEf`)
      case 'AWS::Cognito::UserPool':
        return `${REGION}_Rehearsal`
      case 'AWS::Cognito::UserPoolClient':
        return 'rehearsalclient'
      case 'AWS::Logs::LogGroup':
        return p.LogGroupName ?? id
      case 'AWS::Scheduler::ScheduleGroup':
        return p.Name ?? id
      default:
        return id
    }
  }
  const getAtt = (id: string, attr: string): string => {
    const r = props(id)
    const p = r.Properties ?? {}
    if (attr === 'Arn')
      switch (r.Type) {
        case 'AWS::Lambda::Function':
          return arn('lambda', `function:${p.FunctionName}`)
        case 'AWS::DynamoDB::Table':
          return arn('dynamodb', `table/${tableName}`)
        case 'AWS::IAM::Role':
          return `arn:aws:iam::${ACCOUNT}:role/${id}`
        case 'AWS::StepFunctions::StateMachine':
          return ref(id)
        case 'AWS::Logs::LogGroup':
          return arn('logs', `log-group:${ref(id)}:*`)
      }
    if (r.Type === 'AWS::CloudFront::Distribution' && attr === 'DomainName')
      return 'd1rehearsal.cloudfront.net'
    if (r.Type === 'AWS::ApiGatewayV2::Api' && attr === 'ApiEndpoint')
      return `https://${id.toLowerCase()}.execute-api.${REGION}.amazonaws.com`
    throw new Error(`cannot resolve Fn::GetAtt ${id}.${attr} (${r.Type})`)
  }
  const resolve = (value: unknown): any => {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      return String(value)
    if (Array.isArray(value)) return value.map(resolve)
    if (value && typeof value === 'object') {
      const o = value as Record<string, any>
      if ('Ref' in o) return ref(o.Ref)
      if ('Fn::GetAtt' in o) {
        const [id, attr] = Array.isArray(o['Fn::GetAtt'])
          ? o['Fn::GetAtt']
          : String(o['Fn::GetAtt']).split('.')
        return getAtt(id, attr)
      }
      if ('Fn::Join' in o) {
        const [sep, parts] = o['Fn::Join']
        return (resolve(parts) as string[]).join(sep)
      }
      if ('Fn::Select' in o) {
        const [index, list] = o['Fn::Select']
        return (resolve(list) as string[])[Number(resolve(index))]
      }
      if ('Fn::Split' in o) {
        const [sep, text] = o['Fn::Split']
        return String(resolve(text)).split(sep)
      }
      if ('Fn::Sub' in o && typeof o['Fn::Sub'] === 'string')
        return o['Fn::Sub'].replace(/\$\{([^}]+)\}/g, (_: string, name: string) =>
          name.includes('.') ? getAtt(name.split('.')[0], name.split('.')[1]) : ref(name),
        )
      throw new Error(`cannot resolve ${JSON.stringify(o).slice(0, 120)}`)
    }
    throw new Error(`cannot resolve ${String(value)}`)
  }
  return resolve
}
