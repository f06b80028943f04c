import { isAbsolute, join } from 'node:path'
import { Duration, RemovalPolicy } from 'aws-cdk-lib'
import * as lambda from 'aws-cdk-lib/aws-lambda'
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs'
import * as logs from 'aws-cdk-lib/aws-logs'
import type { Construct } from 'constructs'
import { REPO_ROOT } from './paths.js'

/** Options for one of ismsflow's own Lambda functions. */
export interface NodeFunctionOptions {
  /** Module path, absolute or relative to the repository root; it exports `handler`. */
  entry: string
  /** Physical function name (`ismsflow-…`): the local engine and the registry find steps by it. */
  functionName: string
  description: string
  environment?: Record<string, string>
  memorySize?: number
  timeout?: Duration
}

/** Runtime shared by every ismsflow function. */
export const NODE_RUNTIME = lambda.Runtime.NODEJS_22_X

/**
 * A Node.js 22 arm64 Lambda bundled on this machine with the esbuild in node_modules
 * (never Docker), as an ES module with a `require` shim for CommonJS dependencies. The
 * AWS SDK v3 is left out of the bundle (the runtime provides it). Logs go to a log group
 * with a retention, created here rather than by a custom resource.
 */
export function nodeFunction(scope: Construct, id: string, options: NodeFunctionOptions): NodejsFunction {
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
    logGroupName: `/aws/lambda/${options.functionName}`,
    retention: logs.RetentionDays.SIX_MONTHS,
    removalPolicy: RemovalPolicy.DESTROY,
  })
  return new NodejsFunction(scope, id, {
    entry: isAbsolute(options.entry) ? options.entry : join(REPO_ROOT, options.entry),
    handler: 'handler',
    functionName: options.functionName,
    description: options.description,
    runtime: NODE_RUNTIME,
    architecture: lambda.Architecture.ARM_64,
    memorySize: options.memorySize ?? 512,
    timeout: options.timeout ?? Duration.seconds(29),
    tracing: lambda.Tracing.ACTIVE,
    logGroup,
    projectRoot: REPO_ROOT,
    depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
    environment: { NODE_OPTIONS: '--enable-source-maps', ...options.environment },
    bundling: {
      forceDockerBundling: false,
      format: OutputFormat.ESM,
      target: 'node22',
      mainFields: ['module', 'main'],
      minify: true,
      sourceMap: true,
      externalModules: ['@aws-sdk/*'],
      banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      tsconfig: join(REPO_ROOT, 'tsconfig.json'),
    },
  })
}
