/**
 * Runs before every integration test file. The files of a worker share their modules (the
 * project's `isolate: false`: the AWS SDK, Hono, zod and the engine are evaluated once per
 * worker, not once per file), so what one file's stack leaves in the process is put back
 * when the file ends: the environment a stack sets (endpoints, credentials, secret), the
 * cached configuration and the step handlers' dependencies, which point at that file's
 * (now closed) store and engine. The next file starts as a fresh process would.
 */
import { afterAll } from 'vitest'
import { resetConfig } from '../../functions/config.js'
import { setStepDeps } from '../../functions/steps/deps.js'
import { setReviewStepDeps } from '../../functions/steps/review-common.js'

const env = { ...process.env }

afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key]
  Object.assign(process.env, env)
  resetConfig()
  setStepDeps(undefined)
  setReviewStepDeps(undefined)
})
