import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildServer } from '../../../infra/local/bundle.js'
import { startEnv, startNodeOptions } from '../../support/server-command.js'
import { signInAt } from '../../support/stack.js'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/** Runs the bundle as `npm start` does (its Node options and environment), on free ports, without the demo; answers its app URL. */
function boot(
  entry: string,
  dataDir: string,
): { proc: ChildProcess; appUrl: Promise<string>; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, [...startNodeOptions(), entry], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...startEnv(),
      DATA_DIR: dataDir,
      PORT: '0',
      DYNAMODB_PORT: '0',
      SFN_PORT: '0',
      S3_PORT: '0',
      ISMSFLOW_DEMO: 'off',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)))
  const appUrl = new Promise<string>((resolve, reject) => {
    proc.stderr?.on('data', (d) => {
      out += d
    })
    proc.stdout?.on('data', (d) => {
      out += d
      const m = out.match(/App\s+(http:\/\/\S+)/)
      if (m && out.includes('No demo')) resolve(m[1].replace('localhost', '127.0.0.1'))
    })
    exited.then((code) => reject(new Error(`the bundle exited (${code}) before serving:\n${out}`)))
  })
  return { proc, appUrl, exited }
}

describe('the server bundle (npm start)', () => {
  mkdirSync(join(ROOT, '.build'), { recursive: true })
  const outdir = mkdtempSync(join(ROOT, '.build', 'test-server-'))
  const dataDir = mkdtempSync(join(tmpdir(), 'ismsflow-bundle-'))
  let server: ReturnType<typeof boot>
  let appUrl: string

  beforeAll(async () => {
    const entry = await buildServer(outdir)
    server = boot(entry, dataDir)
    appUrl = await server.appUrl
  })

  afterAll(async () => {
    if (server?.proc.exitCode === null) {
      server.proc.kill('SIGKILL')
      await server.exited
    }
    rmSync(outdir, { recursive: true, force: true })
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('starts with plain node and answers /api/health: store and engine up', async () => {
    const res = await fetch(`${appUrl}/api/health`)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ status: 'ok', store: { ok: true }, engine: { ok: true } })
  })

  it('answers over HTTP with its headers on the answer as made: the request id, no-store, the length', async () => {
    const res = await fetch(`${appUrl}/api/health`, { headers: { 'x-request-id': 'bundle-test-1' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-request-id')).toBe('bundle-test-1')
    expect(res.headers.get('cache-control')).toBe('no-store')
    // The JSON goes out in one piece with its length.
    expect(res.headers.get('transfer-encoding')).toBeNull()
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(await res.text())))
    const made = await fetch(`${appUrl}/api/health`)
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    await made.body?.cancel()
  })

  it('finds its data files where the sources do: the form definitions of workflows/forms', async () => {
    const setup = await fetch(`${appUrl}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: appUrl },
      body: JSON.stringify({
        orgName: 'Bundle GmbH',
        name: 'Ada Admin',
        email: 'ada@bundle.example',
        password: 'correct horse battery',
      }),
    })
    expect(setup.status).toBe(201)
    const iso = await signInAt(appUrl, 'ada@bundle.example', 'correct horse battery')
    const forms = await iso.get<{ items: { id: string }[] }>('/api/workflows/forms')
    expect(forms.status).toBe(200)
    expect(forms.body.items.map((f) => f.id)).toContain('questionnaire-escalation')
  })

  it('stops on SIGTERM with exit code 0', async () => {
    server.proc.kill('SIGTERM')
    expect(await server.exited).toBe(0)
  })
})
