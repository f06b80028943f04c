import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { App } from 'aws-cdk-lib'
import { Template } from 'aws-cdk-lib/assertions'
import { REPO_ROOT } from '../../infra/aws/paths.js'
import { IsmsflowStack, type IsmsflowStackProps } from '../../infra/aws/stack.js'

/** Fixtures of the infrastructure tests. */
export const FIXTURES = join(REPO_ROOT, 'test', 'infra', 'fixtures')

/** How a test synthesises. */
export interface SynthOptions {
  /** Extra context; `{'aws:cdk:bundling-stacks': []}` skips esbuild where a test needs no code. */
  context?: Record<string, unknown>
  /** CDK's built-in CloudFormation validation (seconds of WebAssembly); `npx cdk synth` always runs it. */
  validate?: boolean
}

/** Synthesises the stack with the context of `cdk.json` (feature flags as in `npx cdk synth`). */
export function synth(props: IsmsflowStackProps = {}, options: SynthOptions = {}) {
  const { context } = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8'))
  const app = new App({
    context: { ...context, ...options.context },
    builtinCloudFormationValidation: options.validate ?? true,
  })
  const stack = new IsmsflowStack(app, 'IsmsflowStack', props)
  return { stack, template: Template.fromStack(stack) }
}

type Resources = Record<
  string,
  { Type: string; Properties: Record<string, any>; Metadata?: Record<string, any> }
>

/** Every resource of a type, by logical id. */
export const resourcesOf = (template: Template, type: string) => template.findResources(type) as Resources

/** One IAM statement, actions and resources as arrays. */
export interface Statement {
  Effect: string
  actions: string[]
  resources: unknown[]
  Condition?: unknown
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v])

/** Logical id of a role referenced as `{ 'Fn::GetAtt': [id, 'Arn'] }`. */
export const roleIdOf = (roleArn: any): string => roleArn['Fn::GetAtt'][0]

/** Every statement of every AWS::IAM::Policy attached to a role (identity policies only). */
export function statementsOfRole(template: Template, roleId: string): Statement[] {
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((p) => list(p.Properties.Roles).some((r: any) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement)
    .map((s: any) => ({
      Effect: s.Effect,
      actions: list(s.Action),
      resources: list(s.Resource),
      Condition: s.Condition,
    }))
}

/** All actions a role may take. */
export const actionsOfRole = (template: Template, roleId: string) =>
  new Set(statementsOfRole(template, roleId).flatMap((s) => s.actions))

/** Resources of the statements granting `action` to a role. */
export const resourcesFor = (template: Template, roleId: string, action: string) =>
  statementsOfRole(template, roleId)
    .filter((s) => s.actions.includes(action))
    .flatMap((s) => s.resources)

/** The Lambda with a physical name, and its role's logical id. */
export function functionNamed(template: Template, name: string) {
  const entry = Object.entries(resourcesOf(template, 'AWS::Lambda::Function')).find(
    ([, r]) => r.Properties.FunctionName === name,
  )
  if (!entry) throw new Error(`no function ${name}`)
  const [id, fn] = entry
  return { id, props: fn.Properties, roleId: roleIdOf(fn.Properties.Role) }
}

/** Renders intrinsics to text for matching (`{"Fn::GetAtt":["X","Arn"]}` → `<X.Arn>`, joins joined). */
export function render(value: unknown): string {
  if (typeof value === 'string') return value
  if (Array.isArray(value)) return value.map(render).join(',')
  if (value && typeof value === 'object') {
    const o = value as Record<string, any>
    if ('Ref' in o) return `<${o.Ref}>`
    if ('Fn::GetAtt' in o) return `<${o['Fn::GetAtt'].join('.')}>`
    if ('Fn::Join' in o) return o['Fn::Join'][1].map(render).join(o['Fn::Join'][0])
    if ('Fn::Select' in o) return `<select ${render(o['Fn::Select'][1])}>`
    if ('Fn::Split' in o) return `<split ${render(o['Fn::Split'][1])}>`
  }
  return JSON.stringify(value)
}
