import { CREDENTIALS_PROFILE, credentialsFilePath } from './credentials.js'
import { demoSignInLines } from './seed/index.js'
import { startLocalStack } from './stack.js'

/** `npm start`: the whole of ismsflow in one process, data under `.data/` (private: 0700, files 0600). */
process.umask(0o077)
const port = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback)
  if (!Number.isInteger(v) || v < 0 || v > 65535) throw new Error(`${name} must be a port number`)
  return v
}

const dataDir = process.env.DATA_DIR ?? '.data'
const stack = await startLocalStack({
  dataDir,
  appPort: port('PORT', 8787),
  dynamoPort: port('DYNAMODB_PORT', 8000),
  sfnPort: port('SFN_PORT', 8083),
  host: process.env.HOST ?? '127.0.0.1',
  seed: true,
  serveWeb: true,
})

const region = stack.deps.config.region
const aws = `AWS_SHARED_CREDENTIALS_FILE=${credentialsFilePath(dataDir)} AWS_PROFILE=${CREDENTIALS_PROFILE} aws`
console.log(`
ismsflow is running.

  App               ${stack.appUrl.replace('127.0.0.1', 'localhost')}
  DynamoDB          ${stack.dynamoEndpoint}
  Step Functions    ${stack.sfnEndpoint}

The local endpoints verify AWS Signature V4 with this installation's key pair (${credentialsFilePath(dataDir)}):
  ${aws} dynamodb list-tables --endpoint-url ${stack.dynamoEndpoint} --region ${region}
  ${aws} stepfunctions list-state-machines --endpoint-url ${stack.sfnEndpoint} --region ${region}

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
