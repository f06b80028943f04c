import { createInterface } from 'node:readline'
import { createClock } from '../../../infra/local/clock.js'
import { MINIMAL_SEED, obligationDecisionOnly } from '../../../infra/local/seed/index.js'
import { startLocalStack } from '../../../infra/local/stack.js'
import { testDemoPasswordHash } from '../../support/demo-password.js'

/**
 * The process the incident clock test kills: the whole local stack on a data folder, its clock
 * `offsetMs` ahead of real time. Prints `{"appUrl"}` when it serves requests; a line
 * `{"advanceMs": n}` on its input moves the clock on by n (answered `{"advanced": n}` once the
 * timers that became due have fired).
 */
const [dataDir, offset] = process.argv.slice(2)
if (!dataDir) throw new Error('usage: crash-child.ts <data dir> [offset ms]')
const clock = createClock({ offsetMs: Number(offset ?? 0) })
// The demo organisations, their people and Nordlicht's decision (its reporting regime) only.
const stack = await startLocalStack({
  dataDir,
  appPort: 0,
  dynamoPort: 0,
  sfnPort: 0,
  seed: true,
  demoPasswordHash: await testDemoPasswordHash(),
  seedSteps: [...MINIMAL_SEED, obligationDecisionOnly],
  clock,
})
console.log(JSON.stringify({ appUrl: stack.appUrl }))
createInterface({ input: process.stdin }).on('line', async (line) => {
  const advanceMs = Number(JSON.parse(line).advanceMs)
  await clock.advance(advanceMs)
  console.log(JSON.stringify({ advanced: advanceMs }))
})
