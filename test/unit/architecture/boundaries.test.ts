import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * The "may import" column of DESIGN.md, checked on every relative import. An arrow that is
 * not in the table fails here: change the design (and this table) on purpose, not quietly.
 * `functions/` may read `workflows/` as data (DESIGN.md). The longest matching room decides.
 */
const ROOT = resolve(import.meta.dirname, '../../..')
const RULES: { room: string; may: string[] }[] = [
  { room: 'workflows/', may: [] },
  // Pure rules: nothing outside itself (the browser imports it too).
  { room: 'functions/domain/', may: ['functions/domain/'] },
  // The only place that knows keys and the SDK: domain types, its client's configuration, catalogues as data.
  {
    room: 'functions/store/',
    may: ['functions/store/', 'functions/domain/', 'functions/config.ts', 'workflows/'],
  },
  {
    room: 'functions/steps/',
    may: [
      'functions/steps/',
      'functions/domain/',
      'functions/store/',
      // Form definitions (a human task validates against its form) and the one mail module.
      'functions/forms/',
      'functions/mail/',
      // Configuration, with the secrets it names read at run time.
      'functions/config.ts',
      'functions/config-secret.ts',
      // The port to the workflow engine (Step Functions API), shared with the API.
      'functions/workflow-client.ts',
      'workflows/',
    ],
  },
  // The one mail module (DESIGN.md "People and sign-in"): steps and the API send through it.
  {
    room: 'functions/mail/',
    may: ['functions/mail/', 'functions/domain/', 'functions/store/', 'functions/config.ts'],
  },
  { room: 'functions/forms/', may: ['functions/forms/', 'functions/domain/', 'workflows/'] },
  // The adapters beside the rooms (configuration, the engine's and the user pool's ports) read configuration only.
  { room: 'functions/config.ts', may: [] },
  { room: 'functions/config-secret.ts', may: ['functions/config.ts'] },
  { room: 'functions/workflow-client.ts', may: ['functions/config.ts'] },
  { room: 'functions/user-pool.ts', may: ['functions/config.ts'] },
  // The schedule port and its adapters (EventBridge Scheduler; the local one takes the durable scheduler).
  { room: 'functions/schedules/', may: ['functions/schedules/', 'functions/domain/', 'functions/config.ts'] },
  {
    room: 'functions/api/',
    may: [
      'functions/api/',
      'functions/domain/',
      'functions/store/',
      'functions/workflow-client.ts',
      'functions/forms/',
      'functions/mail/',
      'functions/config.ts',
      'functions/config-secret.ts',
      'functions/user-pool.ts',
      'functions/schedules/',
      'workflows/',
      // Work shared with a step, run by the API too (one implementation): recovering a task
      // whose token was lost, syncing the BSI registration on demand.
      'functions/steps/task-recovery.ts',
      'functions/steps/bsi-registration-sync.ts',
      // The steps' dependencies, which the API's extend (built once by createDeps, handed to
      // the steps the local stack runs in-process).
      'functions/steps/deps.ts',
    ],
  },
  // Shared pure modules of the domain, never server code.
  { room: 'web/', may: ['web/', 'functions/domain/'] },
  // The CDK app: workflows, the functions' entry paths (the step registry, the handlers), the
  // table's shape and the domain's constants it configures resources with; never the local stack.
  {
    room: 'infra/aws/',
    may: [
      'infra/aws/',
      'workflows/',
      'functions/steps/',
      'functions/api/',
      'functions/store/table.ts',
      'functions/domain/',
    ],
  },
  { room: 'infra/local/', may: ['infra/local/', 'functions/', 'workflows/'] },
]

/**
 * Which rooms may import which AWS SDK packages: the store (DynamoDB, the evidence bucket),
 * the engine's port (Step Functions), the user pool's (Cognito), the schedule port's
 * (EventBridge Scheduler), the mail module (SES). The domain, the web, the routes and the
 * steps reach AWS only through those. `infra/` may use any.
 */
const SDK: { room: string; may: string[] }[] = [
  {
    room: 'functions/store/',
    may: [
      '@aws-sdk/client-dynamodb',
      '@aws-sdk/lib-dynamodb',
      '@aws-sdk/util-dynamodb',
      '@aws-sdk/client-s3',
      '@aws-sdk/s3-presigned-post',
      '@aws-sdk/s3-request-presigner',
    ],
  },
  { room: 'functions/workflow-client.ts', may: ['@aws-sdk/client-sfn'] },
  { room: 'functions/user-pool.ts', may: ['@aws-sdk/client-cognito-identity-provider'] },
  { room: 'functions/schedules/', may: ['@aws-sdk/client-scheduler'] },
  { room: 'functions/mail/', may: ['@aws-sdk/client-sesv2'] },
  { room: 'infra/', may: ['@aws-sdk/'] },
]

/** The rule of the longest room that holds `file`. */
const ruleOf = <T extends { room: string }>(rules: T[], file: string): T | undefined =>
  rules.filter((r) => file.startsWith(r.room)).sort((a, b) => b.room.length - a.room.length)[0]

function files(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(join(ROOT, dir))) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue
    const rel = join(dir, name)
    if (statSync(join(ROOT, rel)).isDirectory()) out.push(...files(rel))
    else if (/\.(ts|svelte)$/.test(name) && !name.endsWith('.d.ts')) out.push(rel)
  }
  return out
}

/** The module a relative specifier names: `./x.js` → `x.ts`, a folder → `folder/`, data as it is. */
function moduleOf(file: string, spec: string): string {
  const path = relative(ROOT, resolve(ROOT, file, '..', spec)).replace(/\\/g, '/')
  const ts = path.replace(/\.js$/, '.ts')
  if (ts !== path && existsSync(join(ROOT, ts))) return ts
  if (existsSync(join(ROOT, path)) && statSync(join(ROOT, path)).isDirectory()) return `${path}/`
  return path
}

/** Every `@aws-sdk/*` package a file imports (types too: a type names the SDK as well). */
const sdkImports = (text: string) =>
  [...text.matchAll(/from\s*['"](@aws-sdk\/[^'"/]+)/g)].map((m) => m[1] ?? '')

const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g

describe('who may import whom (DESIGN.md)', () => {
  const all = ['functions', 'infra', 'web/src'].flatMap((d) => files(d))

  it('finds the code it checks', () => {
    expect(all.length).toBeGreaterThan(50)
  })

  it('every relative import follows an arrow of the design table', () => {
    const wrong: string[] = []
    for (const file of all) {
      const rule = ruleOf(RULES, file)
      if (!rule) continue
      const text = readFileSync(join(ROOT, file), 'utf8')
      for (const m of text.matchAll(IMPORT)) {
        const spec = m[1] ?? m[2]
        const target = moduleOf(file, spec)
        if (!rule.may.some((p) => target.startsWith(p))) wrong.push(`${file} → ${target}`)
      }
    }
    expect(wrong).toEqual([])
  })

  it('the domain has no I/O and no AWS SDK', () => {
    const offenders = all
      .filter((f) => f.startsWith('functions/domain/'))
      .filter((f) =>
        /from\s+['"](node:(fs|net|http|child_process)|@aws-sdk\/|fs|http)['"/]/.test(
          readFileSync(join(ROOT, f), 'utf8'),
        ),
      )
    expect(offenders).toEqual([])
  })

  it('AWS SDK packages are imported only by the rooms that adapt them', () => {
    const found: string[] = []
    for (const file of all) {
      const may = ruleOf(SDK, file)?.may ?? []
      for (const pkg of sdkImports(readFileSync(join(ROOT, file), 'utf8')))
        if (!may.some((p) => pkg.startsWith(p))) found.push(`${file} → ${pkg}`)
    }
    expect([...new Set(found)]).toEqual([])
  })
})
