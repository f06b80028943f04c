import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createClock } from '../../../infra/local/clock.js'
import { startDynamo } from '../../../infra/local/dynamo.js'
import { dynamoPersistence, ensureEngineTable } from '../../../infra/local/engine/dynamo-persistence.js'
import { createEngine } from '../../../infra/local/engine/engine.js'
import { startSfnServer } from '../../../infra/local/sfn-server.js'

/**
 * The process the crash test kills: the embedded store on a data folder, the durable
 * engine and its API on free ports, its clock `offsetMs` ahead of real time. It prints one JSON
 * line per fact: `{"endpoint"}` when ready, `{"token": key, "value"}` when a task parks its token.
 */
/** The park Lambda's event: the key its task parks the token under, and the token. */
function parkEvent(e: unknown): { key: string; token: string } {
  if (typeof e === 'object' && e !== null && 'key' in e && 'token' in e) {
    const { key, token } = e
    if (typeof key === 'string' && typeof token === 'string') return { key, token }
  }
  throw new Error(`not a park event: ${JSON.stringify(e)}`)
}

const [dataDir, offset] = process.argv.slice(2)
if (!dataDir) throw new Error('usage: crash-child.ts <data dir> [offset ms]')

// The parent's key pair, from the environment it passed on (its `localCredentials()`).
const credentials = {
  accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? '',
  secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? '',
}
const store = await startDynamo({ port: 0, path: dataDir, credentials })
const client = new DynamoDBClient({ region: 'eu-central-1', endpoint: store.endpoint, credentials })
await ensureEngineTable(client, 'ismsflow-engine')
const engine = await createEngine({
  clock: createClock({ offsetMs: Number(offset ?? 0) }),
  persistence: dynamoPersistence({ client, tableName: 'ismsflow-engine' }),
  log: (m, e) => console.error(m, e),
  lambdas: {
    'ismsflow-test-park': (e) => {
      const { key, token } = parkEvent(e)
      console.log(JSON.stringify({ token: key, value: token }))
      return null
    },
  },
})
const server = await startSfnServer(engine, { port: 0, credentials })
console.log(JSON.stringify({ endpoint: server.endpoint, resumed: engine.resumed }))
