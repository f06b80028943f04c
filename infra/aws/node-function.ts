import { cpSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { AssetHashType, DockerImage, Duration, RemovalPolicy } from 'aws-cdk-lib'
import * as lambda from 'aws-cdk-lib/aws-lambda'
import * as logs from 'aws-cdk-lib/aws-logs'
import type { Construct } from 'constructs'
import { buildSync } from 'esbuild'
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
 * Bundles `entry` into `<outputDir>/index.mjs` with esbuild's API, in this process: an ES
 * module for Node 22 with a `require` shim for CommonJS dependencies, minified, with a source
 * map; the AWS SDK v3 stays out (the Lambda runtime provides it). The form definitions are
 * copied to `forms/` beside it. Throws on a build error.
 */
export function bundleHandler(entry: string, outputDir: string): void {
  buildSync({
    entryPoints: [entry],
    outfile: join(outputDir, 'index.mjs'),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    mainFields: ['module', 'main'],
    external: ['@aws-sdk/*'],
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    minify: true,
    sourcemap: true,
    tsconfig: join(REPO_ROOT, 'tsconfig.json'),
    logLevel: 'warning',
  })
  // Form definitions are read at run time (the registry checks every version): ship them beside the bundle.
  cpSync(join(REPO_ROOT, 'workflows', 'forms'), join(outputDir, 'forms'), { recursive: true })
}

/** Where the bundled form definitions are in the Lambda (`/var/task` is the code root). */
export const LAMBDA_FORMS_DIR = '/var/task/forms'

/**
 * A Node.js 22 arm64 Lambda whose code is bundled on this machine by `bundleHandler` (never
 * Docker, no network; the asset hash is the bundle's). X-Ray tracing is on; logs go to a log
 * group with a retention, created here rather than by a custom resource.
 */
export function nodeFunction(scope: Construct, id: string, options: NodeFunctionOptions): lambda.Function {
  const entry = isAbsolute(options.entry) ? options.entry : join(REPO_ROOT, options.entry)
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
    logGroupName: `/aws/lambda/${options.functionName}`,
    retention: logs.RetentionDays.SIX_MONTHS,
    removalPolicy: RemovalPolicy.DESTROY,
  })
  const code = lambda.Code.fromAsset(REPO_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the API but never pulled: local bundling either succeeds or throws.
      image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x'),
      local: {
        tryBundle(outputDir) {
          bundleHandler(entry, outputDir)
          return true
        },
      },
    },
  })
  return new lambda.Function(scope, id, {
    code,
    handler: 'index.handler',
    functionName: options.functionName,
    description: options.description,
    runtime: NODE_RUNTIME,
    architecture: lambda.Architecture.ARM_64,
    memorySize: options.memorySize ?? 512,
    timeout: options.timeout ?? Duration.seconds(29),
    tracing: lambda.Tracing.ACTIVE,
    logGroup,
    environment: { NODE_OPTIONS: '--enable-source-maps', FORMS_DIR: LAMBDA_FORMS_DIR, ...options.environment },
  })
}
