import { cpSync, renameSync, rmSync } from 'node:fs'
import { basename, dirname, isAbsolute, join, relative } from 'node:path'
import { AssetHashType, DockerImage, Duration, type ILocalBundling, RemovalPolicy } from 'aws-cdk-lib'
import * as iam from 'aws-cdk-lib/aws-iam'
import * as lambda from 'aws-cdk-lib/aws-lambda'
import * as logs from 'aws-cdk-lib/aws-logs'
import type { Construct } from 'constructs'
import { type BuildOptions, buildSync } from 'esbuild'
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
  /** The stack's functions bundled together (see `BundleBatch`); without it, this one alone. */
  bundles?: BundleBatch
}

/** Runtime shared by every ismsflow function. */
export const NODE_RUNTIME = lambda.Runtime.NODEJS_22_X

/** The esbuild options every function bundle is built with (also part of its cache key). */
export const BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  mainFields: ['module', 'main'],
  // The Lambda runtime provides the AWS SDK v3; everything else is in the bundle.
  external: ['@aws-sdk/*'],
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  minify: true,
  // Error names survive minification: Step Functions catches and retries by them.
  keepNames: true,
  // Uploaded with the code for stack traces (`--enable-source-maps`), never served anywhere.
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
} as const satisfies BuildOptions

/**
 * Bundles `entry` into `<outputDir>/index.mjs` (+ `index.mjs.map`) with esbuild's API, in
 * this process, with `BUNDLE_OPTIONS`. The form definitions are copied to `forms/` beside
 * it. Throws on a build error.
 */
export function bundleHandler(entry: string, outputDir: string): void {
  buildSync({
    ...BUNDLE_OPTIONS,
    entryPoints: [entry],
    outfile: join(outputDir, 'index.mjs'),
    tsconfig: join(REPO_ROOT, 'tsconfig.json'),
  })
  copyForms(outputDir)
}

/** Form definitions are read at run time (the registry checks every version): shipped beside the bundle. */
const copyForms = (outputDir: string) =>
  cpSync(join(REPO_ROOT, 'workflows', 'forms'), join(outputDir, 'forms'), { recursive: true })

/** Batches built by this process: each one's folders are named apart. */
let batchesBuilt = 0

const absolute = (entry: string) => (isAbsolute(entry) ? entry : join(REPO_ROOT, entry))

/**
 * The entries of one stack's functions, bundled by one esbuild run when CDK stages the first of
 * them: esbuild reads and parses the modules they share (the store, the domain, the steps'
 * support) once instead of once per function (on the 24 functions of 2026-12-07: about 3 CPU
 * seconds instead of 7). Each function still gets its own bundle, the one `bundleHandler`
 * writes for its entry alone (no code splitting, the same options), written beside CDK's
 * bundling folder so that its source map's paths are the same, then moved into that folder.
 * An entry not in the batch, or a folder elsewhere, is bundled alone. Never built when CDK
 * skips bundling (`aws:cdk:bundling-stacks`).
 */
export class BundleBatch {
  readonly #entries: string[]
  /** Where each entry's bundle waits (absolute entry → folder), once built; taken when moved. */
  #built: Map<string, string> | undefined
  /** The folder the batch was built in (CDK's asset folder). */
  #parent: string | undefined

  /** `entries`: module paths, absolute or relative to the repository root. */
  constructor(entries: string[]) {
    this.#entries = [...new Set(entries.map(absolute))]
  }

  /** Writes `entry`'s bundle and the forms into `outputDir`, as `bundleHandler` does. */
  bundle(entry: string, outputDir: string): void {
    const parent = dirname(outputDir)
    if (!this.#built && this.#entries.includes(entry)) this.#build(parent)
    const dir = parent === this.#parent ? this.#built?.get(entry) : undefined
    if (!dir) {
      bundleHandler(entry, outputDir)
      return
    }
    this.#built?.delete(entry)
    for (const file of ['index.mjs', 'index.mjs.map']) renameSync(join(dir, file), join(outputDir, file))
    rmSync(dir, { recursive: true, force: true })
    copyForms(outputDir)
  }

  /** Builds every entry's bundle in a folder of its own in `parent`, as deep as CDK's bundling folders. */
  #build(parent: string): void {
    const prefix = `bundling-batch-${process.pid}-${++batchesBuilt}`
    const dirs = this.#entries.map((_, i) => join(parent, `${prefix}-${i}`))
    buildSync({
      ...BUNDLE_OPTIONS,
      entryPoints: Object.fromEntries(this.#entries.map((e, i) => [`${basename(dirs[i])}/index`, e])),
      outdir: parent,
      outExtension: { '.js': '.mjs' },
      tsconfig: join(REPO_ROOT, 'tsconfig.json'),
    })
    this.#parent = parent
    this.#built = new Map(this.#entries.map((e, i) => [e, dirs[i]]))
  }
}

/**
 * Local bundling of one entry. CDK caches staged assets by source path and the JSON of the
 * bundling options (functions drop out of it): the entry and the esbuild options are fields
 * here so that they are part of that key, and every function gets its own bundle.
 */
export class EsbuildBundling implements ILocalBundling {
  /** Entry relative to the repository root (stable across machines). */
  readonly entry: string
  readonly esbuild = BUNDLE_OPTIONS

  /** The stack's batch this entry is bundled with (private: not part of CDK's cache key). */
  readonly #batch: BundleBatch | undefined

  constructor(entry: string, batch?: BundleBatch) {
    this.entry = relative(REPO_ROOT, entry)
    this.#batch = batch
  }

  tryBundle(outputDir: string): boolean {
    const entry = join(REPO_ROOT, this.entry)
    if (this.#batch) this.#batch.bundle(entry, outputDir)
    else bundleHandler(entry, outputDir)
    return true
  }
}

/** Where the bundled form definitions are in the Lambda (`/var/task` is the code root). */
export const LAMBDA_FORMS_DIR = '/var/task/forms'

/**
 * A Node.js 22 arm64 Lambda whose code is bundled on this machine by `bundleHandler` (never
 * Docker, no network; the asset hash is the bundle's). X-Ray tracing is on; logs go to a log
 * group with a retention, created here rather than by a custom resource.
 */
export function nodeFunction(scope: Construct, id: string, options: NodeFunctionOptions): lambda.Function {
  const entry = absolute(options.entry)
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
      local: new EsbuildBundling(entry, options.bundles),
    },
  })
  // Its own role, allowed to write its own log group (no AWS-managed policy with logs on `*`).
  const role = new iam.Role(scope, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `Runs ${options.functionName}`,
  })
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }),
  )
  return new lambda.Function(scope, id, {
    role,
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
    environment: {
      NODE_OPTIONS: '--enable-source-maps',
      FORMS_DIR: LAMBDA_FORMS_DIR,
      ...options.environment,
    },
  })
}
