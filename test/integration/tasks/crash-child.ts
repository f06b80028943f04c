import { MINIMAL_SEED } from '../../../infra/local/seed/index.js'
import { startLocalStack } from '../../../infra/local/stack.js'
import { testDemoPasswordHash } from '../../support/demo-password.js'

/**
 * The process the task crash test kills: the whole local stack (store, engine, API, the demo
 * organisations and their people) on a data folder and free ports. Prints `{"appUrl"}` when it serves requests.
 */
const dataDir = process.argv[2]
if (!dataDir) throw new Error('usage: crash-child.ts <data dir>')
const stack = await startLocalStack({
  dataDir,
  appPort: 0,
  dynamoPort: 0,
  sfnPort: 0,
  seed: true,
  demoPasswordHash: await testDemoPasswordHash(),
  seedSteps: MINIMAL_SEED,
})
console.log(JSON.stringify({ appUrl: stack.appUrl }))
