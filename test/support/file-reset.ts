/**
 * Runs before every integration test file. The files of a worker share their modules (the
 * project's `isolate: false`: the AWS SDK, Hono, zod and the engine are evaluated once per
 * worker, not once per file), so what one file's stack leaves in the process is put back
 * when the file ends: the environment a stack sets (endpoints, credentials, secret), the
 * cached configuration, which points at that file's (now closed) store and engine. (The local
 * stack hands its steps their dependencies per call, so no step keeps a closed stack's.) The next file starts as a fresh process would.
 */
import { afterAll } from 'vitest'
import { resetConfig } from '../../functions/config.js'

const env = { ...process.env }

afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key]
  Object.assign(process.env, env)
  resetConfig()
})
