import { App, Tags } from 'aws-cdk-lib'
import { IsmsflowStack } from './stack.js'

/**
 * CDK entry (`cdk.json`: `npx tsx infra/aws/app.ts`). Account and region come from the CLI's
 * profile (`CDK_DEFAULT_*`) when both are known; otherwise (offline, no profile: the CLI then
 * guesses only a region) the stack stays environment-agnostic rather than half-pinned.
 */
const app = new App()
const account = process.env.CDK_DEFAULT_ACCOUNT
const region = process.env.CDK_DEFAULT_REGION
new IsmsflowStack(app, 'IsmsflowStack', {
  env: account && region ? { account, region } : undefined,
  // cdk.json builds the web app before synth; without it the synth fails rather than deploy a site answering 403.
  requireWebBuild: true,
})
Tags.of(app).add('app', 'ismsflow')
app.synth()
