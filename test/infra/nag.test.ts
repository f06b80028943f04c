import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { App, Validations } from 'aws-cdk-lib'
import { AwsSolutionsChecks } from 'cdk-nag'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../../infra/aws/paths.js'
import { IsmsflowStack } from '../../infra/aws/stack.js'
import { FIXTURES } from './support.js'

type Violation = {
  ruleName: string
  description: string
  severity: string
  violatingConstructs: { constructPath: string }[]
}

/** Synthesizes the stack (with a web build, so the site upload is checked too) under the AwsSolutions pack. */
function nagReport(context: Record<string, unknown> = {}) {
  const outdir = mkdtempSync(join(tmpdir(), 'ismsflow-nag-'))
  try {
    const cdk = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')).context
    // CDK's own CloudFormation validation is off: stack.test.ts checks its report; here a finding
    // of it would end the synth as a nag finding does (caught below) and go unread.
    const app = new App({
      outdir,
      context: { ...cdk, 'aws:cdk:bundling-stacks': [], ...context },
      builtinCloudFormationValidation: false,
    })
    const stack = new IsmsflowStack(app, 'IsmsflowStack', { webDistDir: join(FIXTURES, 'web-dist') })
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app))
    // Any finding (warnings too) fails the plugin's synth; the report is written either way.
    try {
      app.synth()
    } catch (err) {
      if ((err as Error).name !== 'ValidationFailed' && !String(err).includes('ValidationFailed')) throw err
    }
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'))
    const nag = report.pluginReports.find((r: { pluginName: string }) => r.pluginName === 'AwsSolutions')
    return { violations: (nag?.violations ?? []) as Violation[], acknowledged: stack.nagAcknowledgements }
  } finally {
    rmSync(outdir, { recursive: true, force: true })
  }
}

const errors = (violations: Violation[]) =>
  violations
    .filter((v) => v.severity === 'error')
    .flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} at ${c.constructPath}: ${v.description}`))

describe('cdk-nag (AwsSolutions)', () => {
  it('reports no unacknowledged error; every acknowledgement in infra/aws/nag.ts carries its reason', () => {
    const { violations, acknowledged } = nagReport()
    expect(errors(violations)).toEqual([])
    expect(acknowledged.length).toBeGreaterThan(0)
    for (const a of acknowledged) expect(a.reason.length, a.id).toBeGreaterThan(40)
  })

  it('with an own domain, CloudFront requires TLS 1.2 and needs no acknowledgement for it', () => {
    const { violations } = nagReport({
      domainName: 'isms.example.com',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000',
    })
    expect(errors(violations)).toEqual([])
  })
})
