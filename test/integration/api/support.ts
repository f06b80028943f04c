import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp } from '../../../functions/api/app.js'
import { type Clients, createClients, createDeps } from '../../../functions/api/deps.js'
import type { Deps } from '../../../functions/api/env.js'
import { type Config, readConfig } from '../../../functions/config.js'
import { DEMO_PASSWORD, seed } from '../../../infra/local/seed/index.js'
import { restoreSnapshot, type SnapshotParts, takeSnapshot } from '../../../infra/local/snapshot.js'
import { testDemoPasswordHash } from '../../support/demo-password.js'
import { sharedSnapshot } from '../../support/snapshots.js'
import { embeddedObjectStore, embeddedStore } from '../../support/store.js'

/** The demo as the harness seeds it (no engine), once per test run (test/support/snapshots.ts). */
export const demoApiSnapshot = () =>
  sharedSnapshot('demo-api', async () => {
    const h = await apiHarness({ seed: false })
    try {
      await seed(h.deps, { demoPasswordHash: await testDemoPasswordHash() })
      return await takeSnapshot({
        dynamo: h.store,
        objects: h.objects.server.storage,
        mailDir: h.deps.config.mailDir,
      })
    } finally {
      await h.close()
    }
  })

/** A signed-in client: its cookie header and CSRF token. */
export interface SignedIn {
  cookie: string
  csrfToken: string
  body: {
    principal: { userId: string; orgId: string; roles: string[]; memberships: { orgId: string }[] }
    csrfToken: string
  }
}

/**
 * The API in-process (`app.request`) on the embedded store with the demo seed. Time is
 * injectable: `advance(ms)` moves `deps.now` forward (rate-limit windows, session expiry).
 */
export async function apiHarness(options: { config?: Partial<Config>; seed?: boolean } = {}) {
  let offset = 0
  const now = () => new Date(Date.now() + offset)
  const store = await embeddedStore({ now })
  const objects = await embeddedObjectStore()
  const config: Config = {
    ...readConfig(),
    authMode: 'local',
    // Each harness writes its .eml files to its own temporary folder.
    mailDir: mkdtempSync(join(tmpdir(), 'ismsflow-mail-')),
    ...options.config,
    dynamodbEndpoint: store.endpoint,
    tableName: store.tableName,
    s3Endpoint: objects.endpoint,
    evidenceBucket: objects.bucket,
  }
  // No engine in these tests (sfnEndpoint points at a closed port, answering quickly).
  const depsConfig = { ...config, sfnEndpoint: 'http://127.0.0.1:9' }
  const clients = createClients(depsConfig)
  const deps: Deps = createDeps(depsConfig, now, { clients })
  // The demo as the harness seeds it, once per test run (the configuration may change what the seed writes).
  const parts: SnapshotParts = { dynamo: store, objects: objects.server.storage, mailDir: config.mailDir }
  const demo = options.seed !== false && !options.config ? await demoApiSnapshot() : undefined
  if (demo) await restoreSnapshot(parts, demo)
  else if (options.seed !== false) await seed(deps, { demoPasswordHash: await testDemoPasswordHash() })
  const app = createApp(deps)

  /** A JSON request; `auth` adds the cookie and the CSRF header. */
  const request = (
    path: string,
    init: {
      method?: string
      body?: unknown
      auth?: SignedIn
      headers?: Record<string, string>
      csrf?: boolean
    } = {},
    env?: unknown,
  ) => {
    const headers: Record<string, string> = { ...init.headers }
    if (init.body !== undefined) headers['content-type'] ??= 'application/json'
    if (init.auth) {
      headers.cookie = [init.auth.cookie, headers.cookie].filter(Boolean).join('; ')
      if (init.csrf !== false) headers['x-csrf-token'] ??= init.auth.csrfToken
    }
    const body =
      init.body === undefined
        ? undefined
        : typeof init.body === 'string'
          ? init.body
          : JSON.stringify(init.body)
    return app.request(path, { method: init.method ?? 'GET', headers, body }, env)
  }

  /** Signs in and returns the session cookie and CSRF token (throws on failure). */
  const signIn = async (email: string, password = DEMO_PASSWORD): Promise<SignedIn> => {
    const res = await request('/api/session', { method: 'POST', body: { email, password } })
    if (res.status !== 200) throw new Error(`sign-in as ${email} answered ${res.status}: ${await res.text()}`)
    const setCookie = res.headers.get('set-cookie') ?? ''
    const cookie = setCookie.split(';')[0]
    const body = (await res.json()) as SignedIn['body']
    return { cookie, csrfToken: body.csrfToken, body }
  }

  return {
    app,
    deps,
    /** The SDK clients under the stores (a test reads the table or the bucket directly). */
    clients,
    store,
    objects,
    request,
    signIn,
    advance: (ms: number) => {
      offset += ms
    },
    close: async () => {
      await objects.close()
      await store.close()
    },
  }
}

/** Every item in the table (to prove that a refused request wrote nothing). */
export async function scanAll(h: { deps: Deps; clients: Clients }): Promise<Record<string, unknown>[]> {
  const { ScanCommand } = await import('@aws-sdk/lib-dynamodb')
  const items: Record<string, unknown>[] = []
  let start: Record<string, unknown> | undefined
  do {
    const out = await h.clients.doc.send(
      new ScanCommand({ TableName: h.deps.config.tableName, ExclusiveStartKey: start, ConsistentRead: true }),
    )
    items.push(...(out.Items ?? []))
    start = out.LastEvaluatedKey
  } while (start)
  return items.sort((a, b) => `${a.pk}|${a.sk}`.localeCompare(`${b.pk}|${b.sk}`))
}
