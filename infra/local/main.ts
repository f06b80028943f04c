import { CREDENTIALS_PROFILE, credentialsFilePath } from './credentials.js'
import { collectGarbageWhenIdle } from './idle-gc.js'
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
const demoSetting = (process.env.ISMSFLOW_DEMO ?? 'on').toLowerCase()
if (!['on', 'off'].includes(demoSetting)) throw new Error('ISMSFLOW_DEMO must be on or off')
const demo = demoSetting === 'on'

const stack = await startLocalStack({
  dataDir,
  appPort: port('PORT', 8787),
  dynamoPort: port('DYNAMODB_PORT', 8000),
  sfnPort: port('SFN_PORT', 8083),
  s3Port: port('S3_PORT', 4568),
  host: process.env.HOST ?? '127.0.0.1',
  // ISMSFLOW_DEMO=off starts without the demo organisations: the first visit offers "Set up ismsflow".
  seed: demo,
  serveWeb: true,
})

const region = stack.deps.config.region
const aws = `AWS_SHARED_CREDENTIALS_FILE=${credentialsFilePath(dataDir)} AWS_PROFILE=${CREDENTIALS_PROFILE} aws`
console.log(`
ismsflow is running.

  App               ${stack.appUrl.replace('127.0.0.1', 'localhost')}
  Mail              ${stack.mailDir}/*.eml${stack.deps.config.smtpUrl ? ' (and sent over SMTP)' : ''}
  DynamoDB          ${stack.dynamoEndpoint}
  Step Functions    ${stack.sfnEndpoint}
  S3 (evidence)     ${stack.s3Endpoint}

The local endpoints verify AWS Signature V4 with this installation's key pair (${credentialsFilePath(dataDir)}):
  ${aws} dynamodb list-tables --endpoint-url ${stack.dynamoEndpoint} --region ${region}
  ${aws} stepfunctions list-state-machines --endpoint-url ${stack.sfnEndpoint} --region ${region}
  ${aws} s3api list-objects-v2 --bucket ${stack.deps.config.evidenceBucket} --endpoint-url ${stack.s3Endpoint} --region ${region}

${
  demo
    ? `Demo sign-ins (e-mail, password, roles):
${demoSignInLines()
  .map((l) => `  ${l}`)
  .join('\n')}`
    : (await stack.deps.identity.isSetUp())
      ? 'No demo (ISMSFLOW_DEMO=off).'
      : `No demo (ISMSFLOW_DEMO=off): open the app to set up your organisation, or run
  npm run setup -- --org "Your organisation" --email you@example.org --name "Your name"`
}
`)

// `npm start` runs node with --expose-gc: the idle process gives back what the start and each
// burst of work left behind (infra/local/idle-gc.ts).
const stopIdleGc = globalThis.gc ? collectGarbageWhenIdle({ gc: globalThis.gc }) : () => {}

const shutdown = async () => {
  stopIdleGc()
  await stack.close()
  process.exit(0)
}
process.on('SIGINT', shutdown)
process.on('SIGTERM', shutdown)
