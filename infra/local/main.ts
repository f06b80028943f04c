import { demoSignInLines } from './seed/index.js'
import { startLocalStack } from './stack.js'

/** `npm start`: the whole of ismsflow in one process, data under `.data/`. */
const port = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback)
  if (!Number.isInteger(v) || v < 0 || v > 65535) throw new Error(`${name} must be a port number`)
  return v
}

const stack = await startLocalStack({
  dataDir: process.env.DATA_DIR ?? '.data',
  appPort: port('PORT', 8787),
  dynamoPort: port('DYNAMODB_PORT', 8000),
  sfnPort: port('SFN_PORT', 8083),
  host: process.env.HOST ?? '127.0.0.1',
  seed: true,
  serveWeb: true,
})

console.log(`
ismsflow is running.

  App               ${stack.appUrl.replace('127.0.0.1', 'localhost')}
  DynamoDB          ${stack.dynamoEndpoint}   (aws dynamodb --endpoint-url ${stack.dynamoEndpoint} list-tables)
  Step Functions    ${stack.sfnEndpoint}   (aws stepfunctions --endpoint-url ${stack.sfnEndpoint} list-state-machines)

Demo sign-ins (e-mail, password, roles):
${demoSignInLines()
  .map((l) => `  ${l}`)
  .join('\n')}
`)

const shutdown = async () => {
  await stack.close()
  process.exit(0)
}
process.on('SIGINT', shutdown)
process.on('SIGTERM', shutdown)
